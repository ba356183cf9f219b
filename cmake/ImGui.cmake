# Dear ImGui, compiled from Debian's source package (scripts/setup fetches it),
# from the same sources natively and under Emscripten so both draw identically.
if(NOT EXISTS "${ILINKS_IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR
    "Dear ImGui sources not found in ILINKS_IMGUI_DIR=${ILINKS_IMGUI_DIR}.\n"
    "Run scripts/setup (it runs 'apt-get source imgui'), or point ILINKS_IMGUI_DIR at them.")
endif()

add_library(ilinks_imgui STATIC
  "${ILINKS_IMGUI_DIR}/imgui.cpp"
  "${ILINKS_IMGUI_DIR}/imgui_draw.cpp"
  "${ILINKS_IMGUI_DIR}/imgui_tables.cpp"
  "${ILINKS_IMGUI_DIR}/imgui_widgets.cpp")
target_include_directories(ilinks_imgui SYSTEM PUBLIC $<BUILD_INTERFACE:${ILINKS_IMGUI_DIR}>)
target_compile_definitions(ilinks_imgui PUBLIC
  IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  IMGUI_DISABLE_OBSOLETE_KEYIO
  # No imgui.ini, no shell/clipboard defaults: the host owns files and the clipboard.
  IMGUI_DISABLE_DEFAULT_SHELL_FUNCTIONS
  IMGUI_DISABLE_WIN32_DEFAULT_CLIPBOARD_FUNCTIONS)
if(EMSCRIPTEN)
  target_compile_options(ilinks_imgui PRIVATE -fno-exceptions)
endif()
# ImGui's OpenGL loader header (gl3w-based, from the same source package) lets
# the native GL renderer run on any desktop GL 3.2+ without another dependency.
set(ILINKS_IMGUI_GL_LOADER_DIR "${ILINKS_IMGUI_DIR}/backends")
