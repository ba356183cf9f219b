// Fetching a record over FHIR from a real HTTP server on loopback
// (tests/fetch/fhir_test_server.mjs): paging, the bearer token, and each way
// a server fails, said in words a clinician can act on.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "ilinks/fhir.h"
#include "ilinks/fhir_client.h"
#include "fhir_test_server.h"
#include "test_data.h"

using namespace ilinks;

namespace {

std::string error_of(const FhirServer& s, const std::string& patient) {
  try {
    fetch_record(s, patient);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("fetching a record over FHIR") {
  TEST_CASE("a patient's $everything is read page by page, with the bearer token, into the same record as the file") {
    test::FhirTestServer server;
    FetchedPages pages = fetch_patient(server.at("ok"), "joe");
    CHECK(pages.bodies.size() >= 5);  // 7 entries a page
    CHECK(has(pages.urls[1], "_page=1"));
    Record fetched = fetch_record(server.at("ok"), "joe");
    Record file = read_fhir_json(slurp(demo_patient("joe-bradshaw.json")), "joe-bradshaw.json");
    CHECK(fetched.patient().nhs_number == "9990000115");
    CHECK(fetched.items().size() == file.items().size());
    CHECK(fetched.load_issues().empty());
  }

  TEST_CASE("a server without $everything is searched kind by kind") {
    test::FhirTestServer server;
    Record r = fetch_record(server.at("no-everything"), "joe");
    CHECK(r.patient().nhs_number == "9990000115");
    int medication = 0;
    for (const auto& i : r.items()) medication += i.kind == "MedicationStatement";
    CHECK(medication == 4);
  }

  TEST_CASE("a sign-in the server does not accept: 401, in words, with the server's own reason") {
    test::FhirTestServer server;
    std::string e = error_of(server.at("ok", "stale-token"), "joe");
    CHECK(has(e, "did not accept the sign-in (401 Unauthorized); sign in again"));
    CHECK(has(e, "the server said: Bearer token missing or not valid"));
  }

  TEST_CASE("a record the user may not read: 403") {
    test::FhirTestServer server;
    CHECK(has(error_of(server.at("ok"), "forbidden"), "you are not allowed to read this record on the FHIR server (403 Forbidden)"));
  }

  TEST_CASE("an unknown patient: 404, naming it") {
    test::FhirTestServer server;
    std::string e = error_of(server.at("ok"), "nobody");
    CHECK(has(e, "has no such patient (404 Not Found)"));
    CHECK(has(e, "Resource Patient/nobody is not known"));
  }

  TEST_CASE("a failing server is tried again, waiting longer each time, then reported") {
    test::FhirTestServer server;
    std::string e = error_of(server.at("broken"), "joe");
    CHECK(has(e, "the FHIR server failed (500) after 3 tries; the server said: Database unavailable"));
  }

  TEST_CASE("a busy server (429 with Retry-After) is waited for, and the record arrives") {
    test::FhirTestServer server;
    CHECK(fetch_record(server.at("busy"), "joe").patient().nhs_number == "9990000115");
  }

  TEST_CASE("a server slower than the timeout is reported, not waited for forever") {
    test::FhirTestServer server;
    FhirServer s = server.at("slow");
    s.timeout_ms = 300;
    s.attempts = 2;
    CHECK(has(error_of(s, "joe"), "did not answer in time (tried 2 times)"));
  }

  TEST_CASE("an answer cut short is reported, and nothing half-read is shown") {
    test::FhirTestServer server;
    CHECK(has(error_of(server.at("truncated"), "joe"), "could not be reached or its answer was cut short"));
  }

  TEST_CASE("an address or patient id that is not one is refused before anything is sent") {
    FhirServer s;
    s.base_url = "ftp://example.org/fhir";
    CHECK(has(error_of(s, "joe"), "must start with https://"));
    s.base_url = "https://example.org/fhir";
    CHECK(has(error_of(s, "../Patient"), "is not a FHIR id"));
  }
}
