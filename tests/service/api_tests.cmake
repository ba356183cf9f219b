# The sharing service end to end, in one process (service_test.cpp), and
# CORS for web EPR pages (cors_test.cpp).
find_package(ZLIB REQUIRED)  # to read the gzip answers
add_executable(ilinks_service_tests ${PROJECT_SOURCE_DIR}/tests/unit/main.cpp service_test.cpp cors_test.cpp)
target_link_libraries(ilinks_service_tests PRIVATE ilinks_service_lib ilinks_header_only OpenSSL::Crypto ZLIB::ZLIB)
target_include_directories(ilinks_service_tests PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
target_compile_definitions(ilinks_service_tests PRIVATE ${_service_test_paths})
ilinks_warnings(ilinks_service_tests)
add_test(NAME service COMMAND ilinks_service_tests)

# A desktop host through the service: the C ABI's service mode, in one process.
add_executable(ilinks_viewer_client_tests ${PROJECT_SOURCE_DIR}/tests/unit/main.cpp viewer_client_test.cpp)
target_link_libraries(ilinks_viewer_client_tests PRIVATE ilinks_service_lib ilinks_static ilinks_header_only OpenSSL::Crypto)
target_include_directories(ilinks_viewer_client_tests PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/bindings")
target_compile_definitions(ilinks_viewer_client_tests PRIVATE ${_service_test_paths})
ilinks_warnings(ilinks_viewer_client_tests)
add_test(NAME service-viewer-client COMMAND ilinks_viewer_client_tests)
