// The integrated record fetched where it lives: every participating
// organisation asked at once for one person, by NHS number, from a real HTTP
// server on loopback (tests/fetch/fhir_test_server.mjs, /org/{ODS}/ playing
// each organisation). A source that fails or is too slow is named, in words
// an integration engineer can act on, and never hides the others' records.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "fhir_test_server.h"
#include "ilinks/record_builder.h"
#include "ilinks/sources.h"

using namespace ilinks;

namespace {

const std::string kJoe = "9990000115";  // Joe Bradshaw, the demo's scenario 1

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

ParticipatingOrganisation organisation(const std::string& ods, const std::string& name, ilinks::FhirServer fhir) {
  return {ods, name, std::move(fhir)};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A loopback socket that listens and is never accepted from: it tells
// whether anyone tried to connect.
class Witness {
 public:
  Witness() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), length) == 0);
    REQUIRE(listen(fd_, 8) == 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length);
    port_ = ntohs(a.sin_port);
  }
  ~Witness() { close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/fhir"; }
  bool anyone_connected() const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 200) == 1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A loopback port nothing listens on: connecting to it is refused.
int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), length);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
  close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

TEST_SUITE("fetching one person's record from every organisation") {
  TEST_CASE("the GP, the hospital and community services each give their part of Joe's record, asked at once") {
    test::FhirTestServer server;
    std::vector<ParticipatingOrganisation> orgs = {
        organisation("ZZ4011", "Marshside Surgery", server.at("org/ZZ4011")),
        organisation("RVY", "Southport and Ormskirk Hospital NHS Trust", server.at("org/RVY")),
        organisation("RY1", "Liverpool Community Health", server.at("org/RY1"))};
    std::vector<SourceAnswer> answers = fetch_person(orgs, kJoe, 10000);
    REQUIRE(answers.size() == 3);
    RecordBuilder merged;
    for (size_t i = 0; i < answers.size(); ++i) {
      const SourceAnswer& a = answers[i];
      CAPTURE(a.ods);
      CHECK(a.ods == orgs[i].ods);  // in the organisations' order
      CHECK(a.name == orgs[i].name);
      CHECK(a.answered);
      CHECK(a.holds_person);
      CHECK(a.why.empty());
      CHECK(a.seconds > 0);
      REQUIRE(a.pages.bodies.size() >= 2);
      // The Patient search comes first, so the Patient itself is in the record.
      CHECK(has(a.pages.urls[0], "Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9990000115"));
      CHECK(has(a.pages.bodies[0], "\"resourceType\":\"Patient\""));
      CHECK(has(a.pages.urls[1], "Patient/joe/$everything"));
      for (size_t p = 0; p < a.pages.bodies.size(); ++p) merged.add(a.pages.bodies[p], InputOptions{a.pages.urls[p], a.ods});
    }
    Record record = merged.build();
    CHECK(record.patient().nhs_number == kJoe);
    CHECK(record.items().size() >= 7);  // 3 from the GP, 3 from the hospital, 1 from community services
  }

  TEST_CASE("two slow organisations (3 s each) are asked at the same time: both answer in well under the 6 s of one after the other") {
    test::FhirTestServer server;
    auto slow = server.at("slow-search");
    slow.timeout_ms = 8000;
    std::vector<ParticipatingOrganisation> orgs = {organisation("RVY", "Southport and Ormskirk", slow),
                                                   organisation("REM", "Aintree University Hospital", slow)};
    auto start = std::chrono::steady_clock::now();
    std::vector<SourceAnswer> answers = fetch_person(orgs, kJoe, 20000);
    double took = seconds_since(start);
    CHECK(took < 5.5);
    for (const auto& a : answers) {
      CAPTURE(a.ods);
      CHECK(a.answered);
      CHECK(a.holds_person);
      CHECK(a.seconds >= 2.9);  // each really was slow
    }
  }

  TEST_CASE("an organisation that is down and one too slow for the deadline are named with why; the others' records are kept") {
    test::FhirTestServer server;
    ilinks::FhirServer down = server.at("ok");
    down.base_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/fhir";
    ilinks::FhirServer slow = server.at("slow");
    slow.timeout_ms = 8000;
    std::vector<ParticipatingOrganisation> orgs = {organisation("ZZ4011", "Marshside Surgery", server.at("org/ZZ4011")),
                                                   organisation("RY1", "Liverpool Community Health", down),
                                                   organisation("RVY", "Southport and Ormskirk Hospital NHS Trust", slow)};
    auto start = std::chrono::steady_clock::now();
    std::vector<SourceAnswer> answers = fetch_person(orgs, kJoe, 2000);
    double took = seconds_since(start);
    CHECK(took < 2.8);  // the caller does not wait for the slow one
    REQUIRE(answers.size() == 3);
    CHECK(answers[0].answered);
    CHECK(answers[0].holds_person);
    CHECK(answers[0].pages.bodies.size() >= 2);

    CHECK_FALSE(answers[1].answered);
    CHECK(answers[1].ods == "RY1");
    CHECK(answers[1].why == "could not be reached: connection refused");
    CHECK(answers[1].pages.bodies.empty());

    CHECK_FALSE(answers[2].answered);
    CHECK(answers[2].ods == "RVY");
    CHECK(answers[2].why == "no answer within 2 s");
    CHECK(answers[2].pages.bodies.empty());
    CHECK(answers[2].seconds >= 1.9);
  }

  TEST_CASE("an organisation that does not hold the person has answered, with nothing") {
    test::FhirTestServer server;
    std::vector<SourceAnswer> answers =
        fetch_person({organisation("RW4", "Mersey Care NHS Foundation Trust", server.at("org/RW4"))}, kJoe, 10000);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].answered);
    CHECK_FALSE(answers[0].holds_person);
    CHECK(answers[0].why.empty());
    CHECK(answers[0].pages.bodies.empty());
  }

  TEST_CASE("a mistyped NHS number is refused before any organisation is asked") {
    Witness witness;
    ilinks::FhirServer fhir;
    fhir.base_url = witness.url();
    std::vector<ParticipatingOrganisation> orgs = {organisation("RVY", "Southport and Ormskirk", fhir)};
    for (const char* wrong : {"9990000116" /* check digit */, "999000011", "99900001150", "999000011X", ""}) {
      CAPTURE(wrong);
      CHECK_THROWS_WITH_AS(fetch_person(orgs, wrong, 5000),
                           doctest::Contains("the NHS number given is not valid"), InputError);
    }
    CHECK_FALSE(witness.anyone_connected());
    CHECK_THROWS_AS(fetch_person(orgs, kJoe, 0), InputError);  // no time to wait: a configuration mistake
    CHECK_FALSE(witness.anyone_connected());
  }

  TEST_CASE("the NHS number may be written as people write it, in 3-3-4 groups") {
    test::FhirTestServer server;
    auto answers = fetch_person({organisation("RVY", "Southport and Ormskirk", server.at("org/RVY"))}, "999 000 0115", 10000);
    CHECK(answers.at(0).holds_person);
  }

  TEST_CASE("Joe's whole record is read page by page (7 entries a page), and every page kept") {
    test::FhirTestServer server;
    auto answers = fetch_person({organisation("RVY", "Southport and Ormskirk", server.at("ok"))}, kJoe, 10000);
    const FetchedPages& pages = answers.at(0).pages;
    REQUIRE(pages.bodies.size() >= 7);  // the Patient search, then 38 entries in pages of 7
    CHECK(has(pages.urls[1], "Patient/joe/$everything"));
    CHECK(has(pages.urls[2], "_page=1"));
    CHECK(has(pages.urls.back(), "_page=5"));
    CHECK(pages.urls.size() == pages.bodies.size());
  }

  TEST_CASE("a server without $everything is searched kind by kind, after the Patient search") {
    test::FhirTestServer server;
    auto answers = fetch_person({organisation("RVY", "Southport and Ormskirk", server.at("no-everything"))}, kJoe, 10000);
    CHECK(answers.at(0).holds_person);
    CHECK(has(answers.at(0).pages.urls.at(1), "Patient/joe"));
    CHECK(has(answers.at(0).pages.urls.back(), "RelatedPerson?patient=joe"));
  }

  TEST_CASE("an organisation holding two people under one NHS number is not shown: either could be the wrong person") {
    test::FhirTestServer server;
    auto answers = fetch_person({organisation("RVY", "Southport and Ormskirk", server.at("twins"))}, kJoe, 10000);
    CHECK_FALSE(answers.at(0).answered);
    CHECK_FALSE(answers.at(0).holds_person);
    CHECK(answers.at(0).why == "holds more than one person with that NHS number; its entries are not shown");
    CHECK(answers.at(0).pages.bodies.empty());
  }

  TEST_CASE("why a source failed is said in words, without the token, the NHS number or the server's own words") {
    test::FhirTestServer server;
    ilinks::FhirServer refused = server.at("ok", "stale-token-s3cr3t");
    std::vector<ParticipatingOrganisation> orgs = {organisation("RVY", "Southport and Ormskirk", refused),
                                                   organisation("REM", "Aintree", server.at("broken"))};
    auto answers = fetch_person(orgs, kJoe, 10000);
    CHECK(answers.at(0).why == "the server refused the service's credentials (401)");
    CHECK(answers.at(1).why == "the server failed (500) at the Patient search (tried 3 times)");
    for (const auto& a : answers) {
      CHECK_FALSE(a.answered);
      CHECK_FALSE(has(a.why, "s3cr3t"));
      CHECK_FALSE(has(a.why, kJoe));
      CHECK_FALSE(has(a.why, "Database unavailable"));  // the server's own words may quote the record
    }
  }

  TEST_CASE("no participating organisations: nothing to ask, nothing missing") {
    CHECK(fetch_person({}, kJoe, 1000).empty());
  }
}
