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
  # them into result codes. Debian's emscripten ships its system libraries
  # prebuilt (a frozen cache) with JS-based exception support, so -fexceptions;
  # ImGui, which never throws, is built without them (cmake/ImGui.cmake).
  add_compile_options(-fexceptions)
  add_link_options(-fexceptions)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  add_library(ilinks_header_only INTERFACE)
  target_link_libraries(ilinks_header_only INTERFACE nlohmann_json::nlohmann_json)
endif()
