# Header-only and system libraries, all from Debian packages.
#
# Under Emscripten /usr/include must never be on the include path (it drags in
# glibc headers), so the header-only libraries are reached through a folder of
# symlinks that holds only them.
if(EMSCRIPTEN)
  set(_hdr "${CMAKE_BINARY_DIR}/header-only")
  file(MAKE_DIRECTORY "${_hdr}")
  foreach(_lib nlohmann stb)
    if(NOT EXISTS "${_hdr}/${_lib}")
      file(CREATE_LINK "/usr/include/${_lib}" "${_hdr}/${_lib}" SYMBOLIC)
    endif()
  endforeach()
  add_library(ilinks_header_only INTERFACE)
  target_include_directories(ilinks_header_only SYSTEM INTERFACE "${_hdr}")
  # Exceptions carry clear load errors out of core/ to the C ABI, which turns
  # them into result codes. WebAssembly's own exception handling: no cost
  # until something throws. (Emscripten's default, JavaScript-based exceptions,
  # sends every call that might throw through a JavaScript trampoline: about a
  # third of the ingest, and of the viewer's start in the browser. Issue 18.)
  # Debian's frozen cache holds the system libraries built for it (the
  # "-except" variants of libc++, libc++abi and libunwind). Browsers: Chrome
  # and Edge 95, Firefox 100, Safari 15.2 or newer; Node 17 or newer.
  # ImGui, which never throws, is built without exceptions (cmake/ImGui.cmake).
  add_compile_options(-fwasm-exceptions)
  add_link_options(-fwasm-exceptions)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  add_library(ilinks_header_only INTERFACE)
  target_link_libraries(ilinks_header_only INTERFACE nlohmann_json::nlohmann_json)
endif()
