// The sharing service, end to end in one process: real HTTP(S), the real
// store (SQLite), the FHIR test server as the organisations, MLLP from a
// hospital, tokens signed as a host EPR signs them. What a viewer is sent,
// what is refused, and what is audited.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <zlib.h>

#include "../unit/fhir_test_server.h"
#include "service_harness.h"

using namespace ilinks;
using nlohmann::json;

namespace {

ParticipatingOrganisation organisation(const std::string& ods, const std::string& name, const FhirServer& server) {
  return {ods, name, server};
}

FhirServer closed_port() {
  FhirServer s;
  s.base_url = "http://127.0.0.1:9/fhir";  // discard: nothing listens
  s.timeout_ms = 1000;
  s.attempts = 1;
  return s;
}

std::vector<AuditEvent> events_of(SharingService& s) { return s.store().audit_events(1, 100000); }

int count_action(const std::vector<AuditEvent>& events, const std::string& action, const std::string& outcome_prefix = "") {
  int n = 0;
  for (const auto& e : events) n += e.action == action && e.outcome.rfind(outcome_prefix, 0) == 0;
  return n;
}

// The View on the wire ("ilinks-view/1") holds items of this segment ("S", "C", "D", "H"), with these words.
bool holds_items_in(const json& view, const std::string& segment, const std::string& words = "") {
  for (const auto& item : view["items"])
    if (item.value("segment", "") == segment && item.dump().find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

// gunzip, for checking what the service sent compressed.
std::string gunzip(const std::string& packed) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out;
  char chunk[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
  }
  inflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

TEST_SUITE("sharing service") {
  TEST_CASE("a View is sent gzip-compressed to a caller that accepts it, never Brotli, and whole") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("gzip"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    client.set_decompress(false);  // see the bytes as they were sent
    Viewer doctor = test::clinician("u1");
    httplib::Headers headers = test::bearer(test::token_for(doctor));
    headers.emplace("Accept-Encoding", "gzip, deflate, br, zstd");  // as Chromium asks
    auto r = client.Post("/v1/consent", headers, R"({"method": "verbal"})", "application/json");
    REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
    REQUIRE(r->status == 201);
    CHECK(r->get_header_value("Content-Encoding") == "gzip");
    std::string view = gunzip(r->body);
    CHECK(view.size() > 3 * r->body.size());
    CHECK(json::parse(view)["format"] == "ilinks-view/1");

    // A caller that does not accept gzip gets the View as it is.
    headers = test::bearer(test::token_for(doctor));
    headers.emplace("Accept-Encoding", "gzip;q=0, br");
    r = client.Get("/v1/view", headers);
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Encoding").empty());
    CHECK(json::parse(r->body)["basis"] == "consent");
  }


  TEST_CASE("without consent a clinician is asked for it; once it is recorded the service sends the record's View") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("consent"), {organisation("RVY", "Southport and Ormskirk Hospital", fhir.at("ok"))}));
    auto client = svc.client();
    Viewer doctor = test::clinician("u1");
    json first = test::json_of(client.Get("/v1/view", test::bearer(test::token_for(doctor))));
    CHECK(first["format"] == "ilinks-view/1");
    CHECK(first["basis"] == "consent-required");
    CHECK(first["items"].empty());
    auto consent = client.Post("/v1/consent", test::bearer(test::token_for(doctor)), R"({"method": "verbal", "given_by": "patient"})",
                               "application/json");
    REQUIRE(consent);
    CHECK(consent->status == 201);
    json shown = test::json_of(consent);
    CHECK(shown["basis"] == "consent");
    CHECK(shown["patient"]["name"]["family"] == "Bradshaw");
    CHECK(holds_items_in(shown, "S"));
    // It lasts: the next request (a new token) finds it in the store.
    json again = test::json_of(client.Get("/v1/view", test::bearer(test::token_for(doctor))));
    CHECK(again["basis"] == "consent");
    auto events = events_of(svc.service);
    CHECK(count_action(events, "view") == 3);
    CHECK(count_action(events, "consent") == 1);
  }

  TEST_CASE("every token fault is refused with a reason in words, and each refusal is audited") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("tokens"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    Viewer doctor = test::clinician("u1");
    struct Fault {
      std::string what;
      httplib::Headers headers;
      int status;
    };
    std::string used = test::token_for(doctor);
    REQUIRE(client.Get("/v1/view", test::bearer(used))->status == 200);
    Viewer unknown = doctor;
    unknown.profile = "9z";
    auto signed_as = [&](const std::string& audience, int issued_seconds_from_now) {
      ContextToken t;
      t.issuer = test::kIssuer;
      t.audience = audience;
      t.jti = "odd-" + std::to_string(issued_seconds_from_now) + audience;
      t.issued_at = Timestamp::now();
      t.issued_at.utc_seconds += issued_seconds_from_now;
      t.expires = t.issued_at;
      t.expires.utc_seconds += 120;
      t.viewer = doctor;
      t.patient_nhs_number = test::kJoe;
      t.legitimate_relationship = true;
      return sign_context_token(t, "ES256", test::ec_key().private_pem);
    };
    std::vector<Fault> faults = {
        {"for another service (wrong audience)", test::bearer(signed_as("https://another.service.test/api", 0)), 403},
        {"not valid yet (issued ten minutes ahead)", test::bearer(signed_as(test::kAudience, 600)), 401},
        {"no token", {}, 401},
        {"not a token", test::bearer("not.a.token"), 401},
        {"signed by a key the service does not trust", test::bearer(test::token_for(doctor, test::kJoe, true, 120, test::other_ec_key())), 401},
        {"expired", test::bearer(test::token_for(doctor, test::kJoe, true, -600)), 401},
        {"replayed", test::bearer(used), 401},
        {"an unknown role profile", test::bearer(test::token_for(unknown)), 403},
    };
    for (const auto& f : faults) {
      CAPTURE(f.what);
      auto r = client.Get("/v1/view", f.headers);
      REQUIRE(r);
      CHECK(r->status == f.status);
      json body = test::json_of(r);
      CHECK(body["message"].get<std::string>().size() > 10);
      CHECK(r->body.find("Bradshaw") == std::string::npos);
    }
    CHECK(count_action(events_of(svc.service), "refusal", "refused:") == static_cast<int>(faults.size()));
  }

  TEST_CASE("a source that is down is named in the View, and the other sources' entries are shown") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("down"), {organisation("RVY", "Southport and Ormskirk Hospital", fhir.at("ok")),
                                                                            organisation("REM", "Aintree University Hospital", closed_port())}));
    auto client = svc.client();
    Viewer doctor = test::clinician("u1");
    auto r = client.Post("/v1/consent", test::bearer(test::token_for(doctor)), R"({"method": "verbal"})", "application/json");
    json view = test::json_of(r);
    REQUIRE(view.contains("unavailable_sources"));
    REQUIRE(view["unavailable_sources"].size() == 1);
    std::string said = view["unavailable_sources"][0];
    CHECK(said.rfind("Aintree University Hospital ", 0) == 0);
    CHECK(said.find("its entries are not shown") != std::string::npos);
    CHECK(holds_items_in(view, "S"));
    CHECK(svc.service.metrics().prometheus_text().find("ilinks_source_fetch_failures_total{organisation=\"REM\"} 1") != std::string::npos);
  }

  TEST_CASE("an ADT message sent over MLLP is acknowledged and appears in the person's Hospital segment") {
    test::FhirTestServer fhir;
    auto config = test::service_config(test::fresh_dir("mllp"), {organisation("RVY", "Southport", fhir.at("ok"))});
    config.mllp_address = "127.0.0.1";
    config.mllp_port = 0;
    test::RunningService svc(config);
    // A new admission for Joe, from a hospital whose FHIR endpoint is not asked.
    std::string adt = "MSH|^~\\&|PAS|RQ6|ILINKS|NORTHMERSEY|202611281000||ADT^A01^ADT_A01|RQ6TEST01|P|2.4|||AL|NE|GBR\r"
                      "EVN|A01|202611281000\r"
                      "PID|1||9990000115^^^NHS^NH||BRADSHAW^JOE^^^MR||19520314|M\r"
                      "PV1|1|I|Cardiology ward 3^^||||C7001^Hart^Nina^^^Dr||||||||||||RQ6V9001|||||||||||||||||||||||||20261128100000\r";
    std::string ack = mllp_send("127.0.0.1", svc.service.mllp_port(), adt);
    CHECK(ack.find("MSA|AA|RQ6TEST01") != std::string::npos);
    CHECK(mllp_send("127.0.0.1", svc.service.mllp_port(), adt).find("MSA|AA|RQ6TEST01") != std::string::npos);  // a resend
    CHECK(svc.service.store().adt_for(test::kJoe).size() == 1);
    auto client = svc.client();
    json view = test::json_of(client.Post("/v1/consent", test::bearer(test::token_for(test::clinician("u1"))), R"({"method": "verbal"})",
                                          "application/json"));
    CHECK(holds_items_in(view, "H", "Cardiology ward 3"));
    // A message about no one the service can name is refused, with the reason in ERR.
    std::string nameless = "MSH|^~\\&|PAS|RQ6|ILINKS|NORTHMERSEY|202611281000||ADT^A01^ADT_A01|RQ6TEST02|P|2.4\rPID|1||X1^^^RQ6^MR\r";
    std::string nak = mllp_send("127.0.0.1", svc.service.mllp_port(), nameless);
    CHECK(nak.find("MSA|AE|RQ6TEST02") != std::string::npos);
    CHECK(nak.find("ERR|") != std::string::npos);
  }

  TEST_CASE("an override is shown only to the clinician who made it, and its explanation is delivered to the GP practice") {
    test::FhirTestServer fhir;
    // The practice's endpoint: a server of the test's own that keeps what it is sent.
    httplib::Server practice;
    std::vector<std::string> received;
    std::mutex lock;
    practice.Post("/fhir/Communication", [&](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> g(lock);
      received.push_back(req.body);
      res.status = 201;
    });
    int practice_port = practice.bind_to_any_port("127.0.0.1");
    std::thread practice_thread([&] { practice.listen_after_bind(); });
    auto config = test::service_config(test::fresh_dir("override"), {organisation("RVY", "Southport", fhir.at("ok"))});
    test::RunningService svc(config);
    auto client = svc.client();
    Viewer ae = test::clinician("ae1", "1b");
    auto r = client.Post("/v1/override", test::bearer(test::token_for(ae)),
                         R"({"reason_code": "emergency", "text": "Collapsed in A&E, unable to consent"})", "application/json");
    json view = test::json_of(r);
    CHECK(r->status == 201);
    CHECK(view["basis"] == "override");
    CHECK(test::json_of(client.Get("/v1/view", test::bearer(test::token_for(test::clinician("ae2", "1b")))))["basis"] == "consent-required");
    // Owed until an endpoint takes it: none is configured for the practice yet.
    svc.service.deliver_explanations();
    auto owed = svc.service.store().undelivered_explanations();
    REQUIRE(owed.size() == 1);
    CHECK(owed[0].resource_json.find("Collapsed in A&E, unable to consent") != std::string::npos);
    CAPTURE(owed[0].last_error);
    CHECK(owed[0].last_error.find("no endpoint") != std::string::npos);
    CHECK(svc.service.metrics().prometheus_text().find("ilinks_override_explanations_owed 1") != std::string::npos);
    // Once the practice's endpoint is configured (a restart with it), the owed explanation is delivered.
    svc.service.stop();
    config.explanations_to["ZZ4011"].base_url = "http://127.0.0.1:" + std::to_string(practice_port) + "/fhir";
    {
      test::RunningService again(config);
      again.service.deliver_explanations();
      CHECK(again.service.store().undelivered_explanations().empty());
    }
    REQUIRE(received.size() == 1);
    json communication = json::parse(received[0]);
    CHECK(communication["resourceType"] == "Communication");
    CHECK(communication["subject"]["identifier"]["value"] == test::kJoe);
    CHECK(communication["payload"][0]["contentString"].get<std::string>().find("Collapsed in A&E, unable to consent") != std::string::npos);
    practice.stop();
    practice_thread.join();
  }

  TEST_CASE("the privacy officer sees alerts and a person's audit as FHIR AuditEvents, and never the record") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("officer"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    client.Post("/v1/override", test::bearer(test::token_for(test::clinician("ae1", "1b"))),
                R"({"reason_code": "emergency", "text": "Collapsed in A&E, unable to consent"})", "application/json");
    Viewer officer = test::clinician("po1", "PO", "ZZIG");
    auto record = client.Get("/v1/view", test::bearer(test::token_for(officer)));
    CHECK(record->status == 403);
    CHECK(record->body.find("Bradshaw") == std::string::npos);
    json alerts = test::json_of(client.Get("/v1/alerts?unacknowledged=true", test::bearer(test::token_for(officer))));
    REQUIRE(alerts["alerts"].size() == 1);
    CHECK(alerts["alerts"][0]["rule"] == "override");
    int64_t id = alerts["alerts"][0]["id"];
    auto ack = client.Post("/v1/alerts/" + std::to_string(id) + "/acknowledge", test::bearer(test::token_for(officer)),
                           R"({"note": "Checked with the A&E consultant"})", "application/json");
    CHECK(ack->status == 200);
    CHECK(test::json_of(client.Get("/v1/alerts?unacknowledged=true", test::bearer(test::token_for(officer))))["alerts"].empty());
    json bundle = test::json_of(client.Get("/v1/audit", test::bearer(test::token_for(officer))));
    CHECK(bundle["resourceType"] == "Bundle");
    REQUIRE(bundle["entry"].size() >= 2);
    CHECK(bundle["entry"][0]["resource"]["resourceType"] == "AuditEvent");
    // A clinician may not read alerts.
    CHECK(client.Get("/v1/alerts", test::bearer(test::token_for(test::clinician("u9"))))->status == 403);
  }

  TEST_CASE("the person can see who has looked at their record, and nothing clinical") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("person"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    client.Post("/v1/consent", test::bearer(test::token_for(test::clinician("gp1", "2a", "N84011"))), R"({"method": "verbal"})",
                "application/json");
    Viewer person = test::clinician("nhs-login-1", "person", "ZZAPP");
    auto log = client.Get("/v1/access-log", test::bearer(test::token_for(person)));
    json list = test::json_of(log)["looked_at_your_record"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["who"] == "Dr gp1");
    CHECK(list[0]["organisation"] == "N84011");
    CHECK(log->body.find("Bradshaw") == std::string::npos);
  }

  TEST_CASE("opt-outs are recorded, listed and withdrawn, and the View honours them until withdrawn") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("optout"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    Viewer gp = test::clinician("gp1", "2a", "N84011");
    client.Post("/v1/consent", test::bearer(test::token_for(gp)), R"({"method": "verbal"})", "application/json");
    auto made = client.Post("/v1/opt-outs", test::bearer(test::token_for(gp)), R"({"scope": "whole-record"})", "application/json");
    REQUIRE(made->status == 201);
    int64_t id = test::json_of(made)["id"];
    CHECK(test::json_of(client.Get("/v1/view", test::bearer(test::token_for(gp))))["basis"] == "opted-out");
    CHECK(test::json_of(client.Get("/v1/opt-outs", test::bearer(test::token_for(gp))))["opt_outs"].size() == 1);
    // Exported as FHIR Consent, and the export imports into another store.
    json fhir_consents = test::json_of(client.Get("/v1/consents/fhir", test::bearer(test::token_for(gp))));
    CHECK(fhir_consents["entry"].size() == 2);  // the consent and the opt-out
    auto gone = client.Delete("/v1/opt-outs/" + std::to_string(id), test::bearer(test::token_for(gp)));
    CHECK(gone->status == 200);
    CHECK(test::json_of(client.Get("/v1/view", test::bearer(test::token_for(gp))))["basis"] == "consent");
    CHECK(client.Delete("/v1/opt-outs/" + std::to_string(id), test::bearer(test::token_for(gp)))->status == 404);

    test::RunningService other(test::service_config(test::fresh_dir("optout-import"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto other_client = other.client();
    auto imported = other_client.Post("/v1/consents/fhir", test::bearer(test::token_for(gp)), fhir_consents.dump(), "application/fhir+json");
    REQUIRE(imported->status == 201);
    CHECK(test::json_of(imported)["opt_outs"] == 1);
    CHECK(test::json_of(other_client.Get("/v1/view", test::bearer(test::token_for(gp))))["basis"] == "opted-out");
  }

  TEST_CASE("bad requests get a 4xx with words and change nothing") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("bad"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    Viewer gp = test::clinician("gp1", "2a", "N84011");
    uint64_t before = svc.service.store().audit_head_sequence();
    struct Case {
      std::string what;
      httplib::Result result;
      int status;
    };
    std::vector<Case> cases;
    cases.push_back({"not JSON", client.Post("/v1/consent", test::bearer(test::token_for(gp)), "{method: verbal", "application/json"), 400});
    cases.push_back({"not declared as JSON", client.Post("/v1/consent", test::bearer(test::token_for(gp)), R"({"method": "verbal"})", "text/plain"), 415});
    cases.push_back({"a JSON list, not an object", client.Post("/v1/consent", test::bearer(test::token_for(gp)), "[1, 2]", "application/json"), 400});
    cases.push_back({"a member of the wrong type", client.Post("/v1/consent", test::bearer(test::token_for(gp)), R"({"method": 7})", "application/json"), 400});
    cases.push_back({"an unknown consent scope", client.Post("/v1/consent", test::bearer(test::token_for(gp)), R"({"method": "verbal", "scope": "world"})", "application/json"), 400});
    cases.push_back({"SQL in a path", client.Delete("/v1/opt-outs/1%3BDROP%20TABLE%20consents", test::bearer(test::token_for(gp))), 404});
    cases.push_back({"a body too large", client.Post("/v1/consent", test::bearer(test::token_for(gp)), std::string(200000, ' '), "application/json"), 413});
    cases.push_back({"no such route", client.Get("/v2/everything", test::bearer(test::token_for(gp))), 404});
    httplib::Headers huge = test::bearer(test::token_for(gp));
    huge.emplace("X-Padding", std::string(7000, 'a'));
    huge.emplace("X-More-Padding", std::string(7000, 'b'));
    cases.push_back({"huge headers", client.Get("/v1/view", huge), 431});
    for (auto& c : cases) {
      CAPTURE(c.what);
      REQUIRE(c.result);
      CHECK(c.result->status == c.status);
      json body = nlohmann::json::parse(c.result->body, nullptr, false);
      REQUIRE(body.is_object());
      CHECK(body["message"].get<std::string>().size() > 10);
    }
    // Injection in a query parameter is a value like any other.
    Viewer officer = test::clinician("po1", "PO", "ZZIG");
    auto alerts = client.Get("/v1/alerts?user=x'%20OR%20'1'%3D'1", test::bearer(test::token_for(officer)));
    CHECK(test::json_of(alerts)["alerts"].empty());
    CHECK(svc.service.store().consents(test::kJoe, true).empty());
    // Only the officer's read was audited: nothing else was recorded.
    CHECK(svc.service.store().audit_head_sequence() == before + 1);
  }

  TEST_CASE("over HTTPS with a certificate the test makes, the View arrives; plain HTTP to it is refused") {
    std::string dir = test::fresh_dir("tls");
    std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 "
                      "-addext subjectAltName=IP:127.0.0.1 -keyout " + dir + "/key.pem -out " + dir + "/cert.pem 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    test::FhirTestServer fhir;
    auto config = test::service_config(dir, {organisation("RVY", "Southport", fhir.at("ok"))});
    config.tls_certificate_path = dir + "/cert.pem";
    config.tls_private_key_path = dir + "/key.pem";
    test::RunningService svc(config);
    httplib::SSLClient tls("127.0.0.1", svc.service.port());
    tls.set_ca_cert_path((dir + "/cert.pem").c_str());
    tls.enable_server_certificate_verification(true);
    auto r = tls.Get("/v1/view", test::bearer(test::token_for(test::clinician("u1"))));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(test::json_of(r)["basis"] == "consent-required");
    httplib::Client plain("127.0.0.1", svc.service.port());
    plain.set_read_timeout(3, 0);
    auto p = plain.Get("/healthz");
    CHECK((!p || p->status >= 400));
  }

  TEST_CASE("health and metrics say how the service is, and nothing about anyone") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("health"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    json health = test::json_of(client.Get("/healthz"));
    CHECK(health["status"] == "ok");
    CHECK(health["store"] == "sqlite");
    client.Get("/v1/view", test::bearer(test::token_for(test::clinician("u1"))));
    auto metrics = client.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("ilinks_requests_total{route=\"/v1/view\",status=\"2xx\"} 1") != std::string::npos);
    CHECK(metrics->body.find("ilinks_request_seconds_count{route=\"/v1/view\"} 1") != std::string::npos);
    CHECK(metrics->body.find(test::kJoe) == std::string::npos);
  }

  TEST_CASE("a user who sends more requests in a minute than the service allows is told to wait, and others are not") {
    test::FhirTestServer fhir;
    auto config = test::service_config(test::fresh_dir("rate"), {organisation("RVY", "Southport", fhir.at("ok"))});
    config.limits.requests_per_user_per_minute = 3;
    test::RunningService svc(config);
    auto client = svc.client();
    for (int i = 0; i < 3; ++i) CHECK(client.Get("/v1/view", test::bearer(test::token_for(test::clinician("busy"))))->status == 200);
    auto refused = client.Get("/v1/view", test::bearer(test::token_for(test::clinician("busy"))));
    CHECK(refused->status == 429);
    CHECK(refused->get_header_value("Retry-After") == "60");
    CHECK(client.Get("/v1/view", test::bearer(test::token_for(test::clinician("calm"))))->status == 200);
  }

  TEST_CASE("a privacy officer's token may name no person for alerts, but not for a person's audit") {
    test::FhirTestServer fhir;
    test::RunningService svc(test::service_config(test::fresh_dir("no-person"), {organisation("RVY", "Southport", fhir.at("ok"))}));
    auto client = svc.client();
    Viewer officer = test::clinician("po1", "PO", "ZZIG");
    CHECK(client.Get("/v1/alerts", test::bearer(test::token_for(officer, "")))->status == 200);
    CHECK(client.Get("/v1/audit", test::bearer(test::token_for(officer, "")))->status == 400);
    CHECK(client.Get("/v1/view", test::bearer(test::token_for(test::clinician("u1"), "")))->status == 400);
  }
}
