# The store's suite, written once and run on both backends: SQLite in a file
# under test-output/, and a real PostgreSQL server that with_postgres.sh
# starts in a temporary folder for each ctest (its own socket: no two share
# anything, so no RESOURCE_LOCK). The restart test restarts its server, so it
# has a server of its own too.
find_package(PostgreSQL REQUIRED)   # the suite also reaches each database directly (to make one, or break one)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
add_executable(ilinks_store_tests "${PROJECT_SOURCE_DIR}/tests/unit/main.cpp" "${CMAKE_CURRENT_SOURCE_DIR}/store_test.cpp")
target_link_libraries(ilinks_store_tests PRIVATE ilinks_store ilinks_header_only PostgreSQL::PostgreSQL SQLite::SQLite3 Threads::Threads)
target_compile_definitions(ilinks_store_tests PRIVATE ${_service_test_paths})
ilinks_warnings(ilinks_store_tests)

set(_with_postgres "${CMAKE_CURRENT_SOURCE_DIR}/with_postgres.sh")
add_test(NAME store-sqlite COMMAND ilinks_store_tests)
add_test(NAME store-postgresql COMMAND bash "${_with_postgres}" $<TARGET_FILE:ilinks_store_tests>)
add_test(NAME store-postgresql-restart
         COMMAND bash "${_with_postgres}" $<TARGET_FILE:ilinks_store_tests> --test-suite=postgresql-restart --no-skip)
set_tests_properties(store-sqlite PROPERTIES ENVIRONMENT "ILINKS_TEST_STORE=sqlite")
set_tests_properties(store-postgresql store-postgresql-restart PROPERTIES ENVIRONMENT "ILINKS_TEST_STORE=postgresql" TIMEOUT 300)
