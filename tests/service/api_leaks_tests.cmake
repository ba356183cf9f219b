# Confidentiality of the sharing service's API (api_leaks.test.mjs): the
# records ilinks_leak_tests planted markers in (fixture planted-records),
# served by two organisations' FHIR endpoints and asked of ilinks-service for
# every role profile and standing; no response may hold a marker of what the
# View withheld.
add_test(NAME service-leaks
  COMMAND node --test --test-reporter=spec "${CMAKE_CURRENT_LIST_DIR}/api_leaks.test.mjs")
set_tests_properties(service-leaks PROPERTIES
  TIMEOUT 600 COST 60
  FIXTURES_REQUIRED planted-records RESOURCE_LOCK leaks-output
  ENVIRONMENT "ILINKS_BIN=${CMAKE_BINARY_DIR}/bin;ILINKS_SOURCE_DIR=${PROJECT_SOURCE_DIR};ILINKS_TEST_OUTPUT=${ILINKS_TEST_OUTPUT}")
