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
  # Exceptions carry clear load errors out of core/; WebAssembly has them natively.
  add_compile_options(-fwasm-exceptions)
  add_link_options(-fwasm-exceptions)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  add_library(ilinks_header_only INTERFACE)
  target_link_libraries(ilinks_header_only INTERFACE nlohmann_json::nlohmann_json)
endif()
