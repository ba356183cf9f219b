# Dear ImGui, compiled from Debian's source package (scripts/setup fetches it),
# from the same sources natively and under Emscripten so both draw identically.
#
# Version 1.90.1, Debian 13 (trixie)'s, rather than Debian 12's 1.86: the
# widget uses ImGui's public, current API only, and the input-event API it
# needs (io.AddKeyEvent, AddMousePosEvent, AddMouseButtonEvent, ...) came in
# 1.87, which made 1.86's key map (io.KeyMap, io.KeysDown) obsolete.
if(NOT EXISTS "${ILINKS_IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR
    "Dear ImGui sources not found in ILINKS_IMGUI_DIR=${ILINKS_IMGUI_DIR}.\n"
    "Run scripts/setup (it runs 'apt-get source imgui=${ILINKS_IMGUI_VERSION}+ds-1' from Debian trixie), "
    "or point ILINKS_IMGUI_DIR at them.")
endif()
file(STRINGS "${ILINKS_IMGUI_DIR}/imgui.h" _imgui_version_line REGEX "^#define IMGUI_VERSION +\"")
if(NOT _imgui_version_line MATCHES "\"${ILINKS_IMGUI_VERSION}\"")
  message(FATAL_ERROR "${ILINKS_IMGUI_DIR} holds ${_imgui_version_line}; ilinks-viewer needs Dear ImGui ${ILINKS_IMGUI_VERSION}: run scripts/setup.")
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
