# Context tokens and the service's configuration file (service/token,
# service/config): doctest suites with keys the tests make themselves, and
# ilinks-token as a host's developer runs it.
# The tests make their own keys and forge tokens with OpenSSL directly.
find_package(OpenSSL 3 REQUIRED)
add_executable(ilinks_token_tests ${PROJECT_SOURCE_DIR}/tests/unit/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/token_test.cpp ${CMAKE_CURRENT_LIST_DIR}/config_test.cpp)
target_link_libraries(ilinks_token_tests PRIVATE ilinks_token ilinks_service_config ilinks_header_only OpenSSL::Crypto)
target_compile_definitions(ilinks_token_tests PRIVATE ${_service_test_paths})
ilinks_warnings(ilinks_token_tests)
add_test(NAME service-tokens COMMAND ilinks_token_tests --test-suite=context\ tokens)
add_test(NAME service-config COMMAND ilinks_token_tests --test-suite=service\ configuration)
add_test(NAME service-token-cli
  COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/token_cli_test.sh" "$<TARGET_FILE_DIR:ilinks-token>" "${ILINKS_TEST_OUTPUT}")
