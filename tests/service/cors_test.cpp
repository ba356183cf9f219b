// CORS: the widget on a web EPR's page calls the sharing service on the
// service's own origin. Only the origins the configuration lists may read the
// service's answers; a preflight from any other is refused in words, and no
// answer ever says "*".
#include <doctest/doctest.h>

#include "../unit/fhir_test_server.h"
#include "service_harness.h"

using namespace ilinks;
using nlohmann::json;

namespace {

const char kEpr[] = "http://127.0.0.1:8080";

ServiceConfig cors_config(const std::string& name, const test::FhirTestServer& fhir) {
  ServiceConfig c = test::service_config(test::fresh_dir(name), {{"RVY", "Southport and Ormskirk Hospital", fhir.at("ok")}});
  c.browser_origins = {kEpr, "https://epr.example.nhs.uk"};
  return c;
}

httplib::Headers preflight_from(const std::string& origin, const std::string& method = "POST") {
  return {{"Origin", origin}, {"Access-Control-Request-Method", method},
          {"Access-Control-Request-Headers", "authorization, content-type"}};
}

}  // namespace

TEST_SUITE("sharing service cors") {
  TEST_CASE("a listed origin's preflight is allowed GET, POST and DELETE with Authorization and Content-Type") {
    test::FhirTestServer fhir;
    test::RunningService svc(cors_config("cors-preflight", fhir));
    auto client = svc.client();
    for (const char* route : {"/v1/view", "/v1/consent", "/v1/opt-outs/12"}) {
      CAPTURE(route);
      auto r = client.Options(route, preflight_from(kEpr));
      REQUIRE(r);
      CHECK(r->status == 204);
      CHECK(r->get_header_value("Access-Control-Allow-Origin") == kEpr);
      CHECK(r->get_header_value_count("Access-Control-Allow-Origin") == 1);
      CHECK(r->get_header_value("Access-Control-Allow-Methods") == "GET, POST, DELETE");
      CHECK(r->get_header_value("Access-Control-Allow-Headers") == "Authorization, Content-Type");
      CHECK(r->get_header_value("Vary") == "Origin");
    }
  }

  TEST_CASE("an origin not listed is refused at the preflight in words, and its answers carry no CORS header") {
    test::FhirTestServer fhir;
    test::RunningService svc(cors_config("cors-other", fhir));
    auto client = svc.client();
    // Near misses of a listed origin: another port, another scheme, a trailing slash, upper case.
    for (const char* origin : {"http://127.0.0.1:8081", "https://127.0.0.1:8080", "http://127.0.0.1:8080/", "HTTP://127.0.0.1:8080",
                               "https://evil.example", "null"}) {
      CAPTURE(origin);
      auto r = client.Options("/v1/consent", preflight_from(origin));
      REQUIRE(r);
      CHECK(r->status == 403);
      CHECK(!r->has_header("Access-Control-Allow-Origin"));
      CHECK(!r->has_header("Access-Control-Allow-Methods"));
      json body = test::json_of(r);
      CHECK(body["error"] == "origin-not-allowed");
      CHECK(body["message"].get<std::string>().find("browser_origins") != std::string::npos);
      // The request itself is answered as ever (curl, the EPR's back end), but a browser gets no permission to read it.
      auto view = client.Get("/v1/view", {{"Origin", origin}, {"Authorization", "Bearer " + test::token_for(test::clinician("u1"))}});
      REQUIRE(view);
      CHECK(view->status == 200);
      CHECK(!view->has_header("Access-Control-Allow-Origin"));
    }
  }

  TEST_CASE("a listed origin may read Views and refusals alike, named exactly, never *") {
    test::FhirTestServer fhir;
    test::RunningService svc(cors_config("cors-answers", fhir));
    auto client = svc.client();
    auto view = client.Get("/v1/view", {{"Origin", kEpr}, {"Authorization", "Bearer " + test::token_for(test::clinician("u1"))}});
    REQUIRE(view);
    CHECK(view->status == 200);
    CHECK(view->get_header_value("Access-Control-Allow-Origin") == kEpr);
    // A refusal's words must reach the page too: the widget shows them.
    auto refused = client.Get("/v1/view", {{"Origin", "https://epr.example.nhs.uk"}, {"Authorization", "Bearer not-a-token"}});
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(refused->get_header_value("Access-Control-Allow-Origin") == "https://epr.example.nhs.uk");
    CHECK(refused->get_header_value("Access-Control-Expose-Headers").find("WWW-Authenticate") != std::string::npos);
    auto lost = client.Get("/v2/nothing", {{"Origin", kEpr}});
    REQUIRE(lost);
    CHECK(lost->status == 404);
    CHECK(lost->get_header_value("Access-Control-Allow-Origin") == kEpr);
  }

  TEST_CASE("a service with no browser origins sends no CORS header and refuses every preflight") {
    test::FhirTestServer fhir;
    ServiceConfig c = cors_config("cors-none", fhir);
    c.browser_origins.clear();
    test::RunningService svc(std::move(c));
    auto client = svc.client();
    auto pre = client.Options("/v1/view", preflight_from(kEpr, "GET"));
    REQUIRE(pre);
    CHECK(pre->status == 403);
    auto view = client.Get("/v1/view", {{"Origin", kEpr}, {"Authorization", "Bearer " + test::token_for(test::clinician("u1"))}});
    REQUIRE(view);
    CHECK(!view->has_header("Access-Control-Allow-Origin"));
    for (size_t i = 0; i < view->get_header_value_count("Vary"); ++i)
      CHECK(view->get_header_value("Vary", i) != "Origin");  // (a large answer varies by Accept-Encoding)
  }
}
