# sources/: one person's record from every organisation's FHIR endpoint at
# once (against tests/fetch/fhir_test_server.mjs, started by
# tests/unit/fhir_test_server.h), and the HL7 v2 MLLP listener for ADT feeds.
add_executable(ilinks_sources_tests ${PROJECT_SOURCE_DIR}/tests/unit/main.cpp sources_test.cpp mllp_test.cpp)
target_include_directories(ilinks_sources_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(ilinks_sources_tests PRIVATE ilinks_sources ilinks_header_only)
target_compile_definitions(ilinks_sources_tests PRIVATE ${_service_test_paths})
ilinks_warnings(ilinks_sources_tests)
add_test(NAME service-sources COMMAND ilinks_sources_tests)
