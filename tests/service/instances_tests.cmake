# The sharing service as separate processes, more than one on one store
# (instances.test.mjs, through service_harness.mjs): run twice, on SQLite (two
# processes on one WAL file) and on a real PostgreSQL server that
# with_postgres.sh starts in a temporary folder of its own. Needs ilinks-service
# and ilinks-audit built; the SQLite run also the sqlite3 shell (scripts/setup).
set(_instances_test "${CMAKE_CURRENT_SOURCE_DIR}/instances.test.mjs")
set(_instances_env
  "ILINKS_BIN=${CMAKE_BINARY_DIR}/bin"
  "ILINKS_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "ILINKS_TEST_OUTPUT=${ILINKS_TEST_OUTPUT}")
add_test(NAME service-instances-sqlite
         COMMAND node --test --test-reporter=spec "${_instances_test}")
add_test(NAME service-instances-postgresql
         COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/with_postgres.sh" node --test --test-reporter=spec "${_instances_test}")
set_tests_properties(service-instances-sqlite PROPERTIES
  ENVIRONMENT "${_instances_env};ILINKS_TEST_STORE=sqlite" TIMEOUT 300)
set_tests_properties(service-instances-postgresql PROPERTIES
  ENVIRONMENT "${_instances_env};ILINKS_TEST_STORE=postgresql" TIMEOUT 300)
