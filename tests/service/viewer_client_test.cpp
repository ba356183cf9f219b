// A desktop host through the sharing service: the C ABI's service mode
// (ilinks_viewer_set_service, load_from_service, load_view_json) against the
// real service in this process, over real HTTP, with tokens the host signs.
// The viewer shows what the service sends and nothing else, its dialogs act
// at the service, and what goes wrong is said in words.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

#include "../unit/abi_helpers.h"
#include "../unit/fhir_test_server.h"
#include "service_harness.h"


using nlohmann::json;

namespace {

// The host's token provider: signs a fresh token for its signed-in user for
// each request, as an EPR's back end would. Counts what it was asked.
struct HostSigner {
  ilinks::Viewer user = test::clinician("desk1");
  std::string nhs_number = test::kJoe;
  int asked = 0, asked_after_expiry = 0;
  std::function<std::string(int reason)> make = [this](int) { return test::token_for(user, nhs_number); };

  static size_t provide(void* self, int reason, char* buffer, size_t size) {
    auto* s = static_cast<HostSigner*>(self);
    ++s->asked;
    s->asked_after_expiry += reason == 1;
    std::string token = s->make(reason);
    if (token.size() + 1 > size) return token.size() + 1;
    std::memcpy(buffer, token.c_str(), token.size() + 1);
    return token.size();
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A token that expired ten minutes ago (issued fourteen minutes ago), as a host with a stale one sends.
std::string expired_token(const ilinks::Viewer& user) {
  ilinks::ContextToken t;
  t.issuer = test::kIssuer;
  t.audience = test::kAudience;
  static int n = 0;
  t.jti = "stale-" + std::to_string(++n);
  t.issued_at = ilinks::Timestamp::now().plus_minutes(-14);
  t.expires = t.issued_at.plus_minutes(4);
  t.viewer = user;
  t.patient_nhs_number = test::kJoe;
  t.legitimate_relationship = true;
  return ilinks::sign_context_token(t, "ES256", test::ec_key().private_pem);
}

std::string base_url(const test::RunningService& svc) { return "http://127.0.0.1:" + std::to_string(svc.service.port()); }

int count_action(ilinks::SharingService& s, const std::string& action) {
  int n = 0;
  for (const auto& e : s.store().audit_events(1, 100000)) n += e.action == action;
  return n;
}

struct Deployment {
  test::FhirTestServer fhir;
  test::RunningService svc;
  explicit Deployment(const std::string& name)
      : svc(test::service_config(test::fresh_dir(name), {{"RVY", "Southport and Ormskirk Hospital", fhir.at("ok")}})) {}
};

}  // namespace

TEST_SUITE("C ABI through the sharing service") {
  TEST_CASE("a desktop viewer shows the View the service sends; consent recorded through it opens the record") {
    Deployment d("abi-consent");
    HostSigner signer;
    Viewer w;
    REQUIRE(ilinks_viewer_set_service(w.v, base_url(d.svc).c_str(), &HostSigner::provide, &signer, 5000) == ILINKS_OK);
    REQUIRE(ilinks_viewer_set_patient(w.v, test::kJoe) == ILINKS_OK);
    REQUIRE_MESSAGE(ilinks_viewer_load_from_service(w.v) == ILINKS_OK, w.error());
    w.frame(1000, 700);
    std::string asked = mirror_of(w.v);
    CHECK(asked.find("Record consent") != std::string::npos);
    CHECK(asked.find("Metformin") == std::string::npos);

    REQUIRE_MESSAGE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK, w.error());
    w.frame(1000, 700);
    std::string shown = mirror_of(w.v);
    CHECK(shown.find("BRADSHAW") != std::string::npos);
    CHECK(shown.find("Consent (verbal)") != std::string::npos);
    CHECK(signer.asked == 2);  // one token per request: the View, then the consent
    CHECK(count_action(d.svc.service, "consent") == 1);
    CHECK(count_action(d.svc.service, "view") == 2);  // the service audits; the viewer kept no trail of its own
  }

  TEST_CASE("the widget's own consent dialog, pressed in a desktop host, records consent at the service") {
    Deployment d("abi-dialog");
    HostSigner signer;
    Viewer w;
    REQUIRE(ilinks_viewer_set_service(w.v, base_url(d.svc).c_str(), &HostSigner::provide, &signer, 5000) == ILINKS_OK);
    REQUIRE_MESSAGE(ilinks_viewer_load_from_service(w.v) == ILINKS_OK, w.error());
    w.frame(1000, 700);
    press(w, "button", "Record consent...");
    press(w, "button", "Record consent");
    CHECK(count_action(d.svc.service, "consent") == 1);
    CHECK(mirror_of(w.v).find("Consent (verbal)") != std::string::npos);
  }

  TEST_CASE("an opt-out recorded through a desktop viewer is kept by the service and withholds the record at once") {
    Deployment d("abi-opt-out");
    HostSigner signer;
    Viewer w;
    REQUIRE(ilinks_viewer_set_service(w.v, base_url(d.svc).c_str(), &HostSigner::provide, &signer, 5000) == ILINKS_OK);
    REQUIRE(ilinks_viewer_load_from_service(w.v) == ILINKS_OK);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    w.frame(1000, 700);
    REQUIRE(mirror_of(w.v).find("Metformin") != std::string::npos);  // shown, until the person opts out
    REQUIRE_MESSAGE(ilinks_viewer_record_opt_out(w.v, "record", nullptr) == ILINKS_OK, w.error());
    w.frame(1000, 700);
    CHECK(mirror_of(w.v).find("Metformin") == std::string::npos);
    CHECK(d.svc.service.store().opt_outs_of(test::kJoe, false).size() == 1);
    // Another desktop, another user: the opt-out is the person's, kept by the service.
    HostSigner colleague;
    colleague.user = test::clinician("desk9");
    Viewer other;
    REQUIRE(ilinks_viewer_set_service(other.v, base_url(d.svc).c_str(), &HostSigner::provide, &colleague, 5000) == ILINKS_OK);
    REQUIRE(ilinks_viewer_load_from_service(other.v) == ILINKS_OK);
    REQUIRE(ilinks_viewer_record_consent(other.v, "verbal", "patient") == ILINKS_OK);
    other.frame(1000, 700);
    CHECK(mirror_of(other.v).find("Metformin") == std::string::npos);
  }

  TEST_CASE("a token refused as expired is replaced once by a fresh one; a host that only has expired ones is refused in words") {
    Deployment d("abi-expired");
    HostSigner signer;
    signer.make = [&](int reason) { return reason == 1 ? test::token_for(signer.user) : expired_token(signer.user); };
    Viewer w;
    REQUIRE(ilinks_viewer_set_service(w.v, base_url(d.svc).c_str(), &HostSigner::provide, &signer, 5000) == ILINKS_OK);
    REQUIRE_MESSAGE(ilinks_viewer_load_from_service(w.v) == ILINKS_OK, w.error());
    CHECK(signer.asked_after_expiry == 1);

    signer.make = [&](int) { return expired_token(signer.user); };
    CHECK(ilinks_viewer_load_from_service(w.v) == ILINKS_ERROR_REFUSED);
    CHECK(w.error().find("has expired") != std::string::npos);
    CHECK(mirror_of(w.v).find("BRADSHAW") == std::string::npos);
  }

  TEST_CASE("a service that cannot be reached is 'unavailable' in words, and no one is on screen") {
    HostSigner signer;
    Viewer w;
    REQUIRE(ilinks_viewer_set_service(w.v, "http://127.0.0.1:9", &HostSigner::provide, &signer, 2000) == ILINKS_OK);
    CHECK(ilinks_viewer_load_from_service(w.v) == ILINKS_ERROR_UNAVAILABLE);
    CHECK(w.error().find("the sharing service at http://127.0.0.1:9 could not be reached: connection refused") != std::string::npos);
    CHECK(white_pixels(w.frame(400, 300)) == 0);
  }

  TEST_CASE("a host whose token provider gives nothing sends nothing and is told why") {
    Deployment d("abi-no-token");
    Viewer w;
    auto nothing = [](void*, int, char*, size_t) -> size_t { return 0; };
    REQUIRE(ilinks_viewer_set_service(w.v, base_url(d.svc).c_str(), nothing, nullptr, 5000) == ILINKS_OK);
    CHECK(ilinks_viewer_load_from_service(w.v) == ILINKS_ERROR_REFUSED);
    CHECK(w.error().find("no context token") != std::string::npos);
    CHECK(count_action(d.svc.service, "refusal") == 0);  // nothing reached the service
  }

  TEST_CASE("a View about someone other than the person open in the host is refused, and nothing of it shown") {
    Deployment d("abi-other-person");
    HostSigner signer;  // signs for Joe
    Viewer w;
    REQUIRE(ilinks_viewer_set_service(w.v, base_url(d.svc).c_str(), &HostSigner::provide, &signer, 5000) == ILINKS_OK);
    REQUIRE(ilinks_viewer_set_patient(w.v, "9434765919") == ILINKS_OK);
    CHECK(ilinks_viewer_load_from_service(w.v) == ILINKS_ERROR_REFUSED);
    CHECK(w.error().find("someone other than the person open") != std::string::npos);
    CHECK(w.error().find("Bradshaw") == std::string::npos);
    CHECK(mirror_of(w.v).find("BRADSHAW") == std::string::npos);
  }

  TEST_CASE("a host that calls the service itself loads its answer, and gets the widget's dialogs back as actions") {
    Deployment d("abi-host-calls");
    auto client = d.svc.client();
    auto r = client.Get("/v1/view", test::bearer(test::token_for(test::clinician("desk2"))));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    Viewer w;
    std::vector<std::string> actions;
    auto keep = [](void* out, const char* action) { static_cast<std::vector<std::string>*>(out)->push_back(action); };
    REQUIRE(ilinks_viewer_on_service_action(w.v, keep, &actions) == ILINKS_OK);
    REQUIRE_MESSAGE(ilinks_viewer_load_view_json(w.v, r->body.data(), r->body.size(), "the service") == ILINKS_OK, w.error());
    w.frame(1000, 700);
    press(w, "button", "Record consent...");
    press(w, "button", "Record consent");
    REQUIRE(actions.size() == 1);
    json action = json::parse(actions[0]);
    CHECK(action["action"] == "consent");
    CHECK(action["method"] == "verbal");
    CHECK(action["scope"] == "user");
    CHECK(count_action(d.svc.service, "consent") == 0);  // the host sends it, not the viewer

    // Recording directly on a service's View is refused: the service keeps consent.
    CHECK(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_ERROR_ARGUMENT);
    CHECK(w.error().find("came from a sharing service") != std::string::npos);
  }

  TEST_CASE("a record handed to load_view_json is refused as not a View, and nothing of it shows") {
    Viewer w;
    std::string bundle = slurp(std::string(ILINKS_DEMO_PATIENTS) + "/joe-bradshaw.json");
    CHECK(ilinks_viewer_load_view_json(w.v, bundle.data(), bundle.size(), "joe.json") == ILINKS_ERROR_INPUT);
    CHECK(w.error().find("no \"format\": \"ilinks-view/1\"") != std::string::npos);
    CHECK(white_pixels(w.frame(400, 300)) == 0);
  }
}
