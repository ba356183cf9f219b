// A sharing service running in the test's own process, on a free port, over
// a store in a fresh folder, with the FHIR test server playing the
// organisations, and context tokens signed as a host EPR's back end would.
#pragma once
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "ilinks/context_token.h"
#include "service.h"
#include "token_test_keys.h"

namespace test {

inline const char* const kIssuer = "https://epr.southport.test";
inline const char* const kAudience = "https://ilinks.north-mersey.test/api";
inline const char* const kJoe = "9990000115";  // Joe Bradshaw, a demo patient

inline std::string fresh_dir(const std::string& name) {
  static std::atomic<int> n{0};
  std::string dir = std::string(ILINKS_TEST_OUTPUT) + "/service/" + name + "-" + std::to_string(getpid()) + "-" + std::to_string(++n);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The service's configuration, as read from a file: one trusted issuer, a
// SQLite store in `dir`, the organisations given.
inline ilinks::ServiceConfig service_config(const std::string& dir, std::vector<ilinks::ParticipatingOrganisation> organisations) {
  ilinks::ServiceConfig c;
  c.file = dir + "/service.json";
  c.listen_address = "127.0.0.1";
  c.listen_port = 0;
  c.tokens.audience = kAudience;
  ilinks::TrustedIssuer issuer;
  issuer.issuer = kIssuer;
  issuer.algorithm = "ES256";
  issuer.public_key_pem = ec_key().public_pem;
  c.tokens.issuers.push_back(issuer);
  c.organisations = std::move(organisations);
  c.store.kind = ilinks::StoreSettings::Kind::sqlite;
  c.store.location = dir + "/store.db";
  c.limits.fetch_deadline_ms = 4000;
  c.limits.record_cache_seconds = 0;  // every view fetches: the tests change the sources
  return c;
}

inline ilinks::Viewer clinician(const std::string& user, const std::string& profile = "1a", const std::string& ods = "RVY") {
  ilinks::Viewer v;
  v.user_id = user;
  v.user_name = "Dr " + user;
  v.profile = profile;
  v.organisation_ods = ods;
  v.organisation_name = ods == "RVY" ? "Southport and Ormskirk Hospital NHS Trust" : "Organisation " + ods;
  return v;
}

// A context token for one request, as the host EPR's back end signs it.
inline std::string token_for(const ilinks::Viewer& viewer, const std::string& nhs_number = kJoe, bool relationship = true,
                             int lifetime_seconds = 120, const KeyPem& key = ec_key()) {
  static std::atomic<int> n{0};
  ilinks::ContextToken t;
  t.issuer = kIssuer;
  t.audience = kAudience;
  t.jti = "jti-" + std::to_string(getpid()) + "-" + std::to_string(++n);
  t.issued_at = ilinks::Timestamp::now();
  t.expires = t.issued_at.plus_minutes(0);
  t.expires.utc_seconds += lifetime_seconds;
  t.viewer = viewer;
  t.patient_nhs_number = nhs_number;  // empty: no "patient" claim
  t.legitimate_relationship = relationship;
  return ilinks::sign_context_token(t, "ES256", key.private_pem);
}

// The service, started; stopped when the object goes.
struct RunningService {
  explicit RunningService(ilinks::ServiceConfig config) : service(std::move(config)) { service.start(); }
  ~RunningService() { service.stop(); }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", service.port());
    c.set_read_timeout(20, 0);
    return c;
  }
  ilinks::SharingService service;
};

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

inline nlohmann::json json_of(const httplib::Result& r) {
  REQUIRE(r);
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  REQUIRE_MESSAGE(!j.is_discarded(), "not JSON: " << r->body.substr(0, 200));
  return j;
}

}  // namespace test
