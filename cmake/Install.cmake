# Installing the C ABI (native builds): `cmake --install build --prefix DIR`
# puts bindings/ilinks.h in include/, the shared library and the static one
# (with the static libraries it is made of) in lib/, a CMake package
# (find_package(ilinks)) and a pkg-config file (ilinks.pc).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(FILES "${PROJECT_SOURCE_DIR}/bindings/ilinks.h" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
target_include_directories(ilinks INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_include_directories(ilinks_static INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
install(TARGETS ilinks ilinks_static ilinks_render ilinks_present ${ILINKS_CORE_TARGETS} ilinks_imgui ilinks_header_only
  EXPORT ilinksTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

set(_package_dir "${CMAKE_INSTALL_LIBDIR}/cmake/ilinks")
install(EXPORT ilinksTargets NAMESPACE ilinks:: DESTINATION "${_package_dir}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/install/ilinksConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/ilinksConfig.cmake" INSTALL_DESTINATION "${_package_dir}")
# The ABI promise: the same major version is compatible (bindings/ilinks.h).
write_basic_package_version_file("${CMAKE_BINARY_DIR}/ilinksConfigVersion.cmake" COMPATIBILITY SameMajorVersion)
install(FILES "${CMAKE_BINARY_DIR}/ilinksConfig.cmake" "${CMAKE_BINARY_DIR}/ilinksConfigVersion.cmake"
  DESTINATION "${_package_dir}")

# pkg-config resolves ${prefix} at install time: the file is written then.
install(CODE "
  set(CMAKE_INSTALL_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(CMAKE_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(CMAKE_INSTALL_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/install/ilinks.pc.in\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/ilinks.pc\" @ONLY)
")
