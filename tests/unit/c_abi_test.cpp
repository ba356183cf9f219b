#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi_helpers.h"
#include "ilinks.h"
#include "fhir_test_server.h"
#include "test_data.h"

namespace {

const char* kPatient = R"({"resourceType":"Patient","id":"p","name":[{"family":"Jones","given":["Ann"]}],
  "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]})";

}  // namespace

TEST_SUITE("C ABI") {
  TEST_CASE("the library reports the version of the header it was built with") {
    CHECK(std::string(ilinks_version()) == ILINKS_VERSION);
  }

  TEST_CASE("calls with a NULL viewer return an argument error and do not crash") {
    CHECK(ilinks_viewer_create(nullptr) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_load_fhir(nullptr, "{}", 2, "x") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_size(nullptr, 10, 10, 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_render_rgba(nullptr, nullptr, 0, 0) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_render_gl(nullptr) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_needs_redraw(nullptr) == 0);
    CHECK(std::string(ilinks_viewer_last_error(nullptr)).find("NULL") != std::string::npos);
    ilinks_viewer_destroy(nullptr);
  }

  TEST_CASE("a record that cannot be read is an input error that names the source and the reason") {
    Viewer viewer;
    const char bad[] = "{ not json";
    CHECK(ilinks_viewer_load_fhir(viewer.v, bad, sizeof bad - 1, "gp-feed.json") == ILINKS_ERROR_INPUT);
    CHECK(viewer.error().find("gp-feed.json") == 0);
    CHECK(viewer.error().find("not valid JSON") != std::string::npos);
    CHECK(ilinks_viewer_load_fhir(viewer.v, "", 0, "empty.json") == ILINKS_ERROR_INPUT);
    CHECK(viewer.error() == "empty.json: is empty");
  }

  TEST_CASE("a success clears the last error") {
    Viewer viewer;
    ilinks_viewer_load_fhir(viewer.v, "x", 1, "bad.json");
    REQUIRE_FALSE(viewer.error().empty());
    CHECK(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "good.json") == ILINKS_OK);
    CHECK(viewer.error().empty());
  }

  TEST_CASE("a failed load never leaves the previous person on screen") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(white_pixels(viewer.frame(400, 200)) > 400 * 50);  // the banner is there
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, "{}", 2, "next.json") == ILINKS_ERROR_INPUT);
    CHECK(white_pixels(viewer.frame(400, 200)) == 0);  // and now it is not
  }

  TEST_CASE("clearing the viewer takes the person off screen at once") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(white_pixels(viewer.frame(400, 200)) > 400 * 50);
    CHECK(ilinks_viewer_clear(viewer.v) == ILINKS_OK);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 1);
    CHECK(white_pixels(viewer.frame(400, 200)) == 0);
    CHECK(ilinks_viewer_clear(nullptr) == ILINKS_ERROR_ARGUMENT);
  }

  TEST_CASE("sizes and scales out of range are refused with the allowed range") {
    Viewer viewer;
    CHECK(ilinks_viewer_set_size(viewer.v, 0, 100, 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(viewer.error().find("1..16384") != std::string::npos);
    CHECK(ilinks_viewer_set_size(viewer.v, 100, 100, 0.1f) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_size(viewer.v, 100, 100, 8.0f) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_today(viewer.v, "22/11/2026") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_today(viewer.v, nullptr) == ILINKS_ERROR_ARGUMENT);
  }

  TEST_CASE("a buffer too small for the frame is refused and left untouched") {
    Viewer viewer;
    ilinks_viewer_set_size(viewer.v, 100, 50, 1);
    std::vector<unsigned char> px(100 * 50 * 4 - 1, 9);
    CHECK(ilinks_viewer_render_rgba(viewer.v, px.data(), 400, px.size()) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_render_rgba(viewer.v, px.data(), 399, px.size()) == ILINKS_ERROR_ARGUMENT);
    for (unsigned char c : px) REQUIRE(c == 9);
  }

  TEST_CASE("a wider stride leaves the padding bytes alone") {
    Viewer viewer;
    ilinks_viewer_set_size(viewer.v, 10, 4, 1);
    std::vector<unsigned char> px(64 * 4, 9);
    REQUIRE(ilinks_viewer_render_rgba(viewer.v, px.data(), 64, px.size()) == ILINKS_OK);
    for (int y = 0; y < 4; ++y)
      for (int x = 40; x < 64; ++x) CHECK(px[static_cast<size_t>(y * 64 + x)] == 9);
  }

  TEST_CASE("an idle viewer asks for no frames until something changes") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 1);
    viewer.frame(300, 100);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 0);
    ilinks_viewer_set_size(viewer.v, 300, 100, 1);  // the same size: no change
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 0);
    ilinks_viewer_set_size(viewer.v, 320, 100, 1);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 1);
  }

  TEST_CASE("drawing with OpenGL when no context is current is a graphics error, not a crash") {
    Viewer viewer;
    CHECK(ilinks_viewer_render_gl(viewer.v) == ILINKS_ERROR_GRAPHICS);
    CHECK_FALSE(viewer.error().empty());
  }
}

namespace {

// Audit events as the host's callback received them.
struct AuditLog {
  std::vector<std::string> events;
  int keep = 1;  // what the callback answers
  static int receive(void* self, const char* event_json) {
    auto* log = static_cast<AuditLog*>(self);
    log->events.push_back(event_json);
    return log->keep;
  }
};

std::string demo_bytes(const char* file) { return slurp(demo_patient(file)); }

// Loads Joe for a hospital doctor (1a) with a care relationship, audit to `log`.
void doctor_opens_joe(Viewer& w, AuditLog& log, const char* profile = "1a") {
  REQUIRE(ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log) == ILINKS_OK);
  REQUIRE(ilinks_viewer_set_context(w.v, "u42", "Dr Test", profile, "ZZVIEW", "Test Hospital", 1) == ILINKS_OK);
  std::string bytes = demo_bytes("joe-bradshaw.json");
  REQUIRE_MESSAGE(ilinks_viewer_load_fhir(w.v, bytes.data(), bytes.size(), "joe.json") == ILINKS_OK, w.error());
}

}  // namespace

TEST_SUITE("C ABI 0.2: who is looking, consent, override, audit, mirror, input") {
  TEST_CASE("without a viewer context only the person's identity and a consent request show, and nothing is audited") {
    Viewer w;
    AuditLog log;
    ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log);
    std::string bytes = demo_bytes("joe-bradshaw.json");
    REQUIRE(ilinks_viewer_load_fhir(w.v, bytes.data(), bytes.size(), "joe.json") == ILINKS_OK);
    std::string text = mirror_of(w.v);
    CHECK(text.find("Consent required") != std::string::npos);
    CHECK(text.find("tabpanel") == std::string::npos);
    CHECK(text.find("Metformin") == std::string::npos);
    CHECK(log.events.empty());
  }

  TEST_CASE("with a context the view is audited; recording consent is audited and the record shows") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    REQUIRE(log.events.size() == 1);
    CHECK(log.events[0].find("\"action\":\"view\"") != std::string::npos);
    CHECK(mirror_of(w.v).find("Metformin") == std::string::npos);
    REQUIRE_MESSAGE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK, w.error());
    REQUIRE(log.events.size() == 3);
    CHECK(log.events[1].find("\"action\":\"consent\"") != std::string::npos);
    CHECK(mirror_of(w.v).find("row: 20-Jun-2011 | Metformin 500mg tablets | 1 tablet twice a day | Active | Marshside Surgery") !=
          std::string::npos);
  }

  TEST_CASE("consent given to one user does not carry over to the next user at the same host") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    CHECK(mirror_of(w.v).find("tabpanel: Summary") != std::string::npos);
    REQUIRE(ilinks_viewer_set_context(w.v, "u43", "Nurse Test", "2a", "ZZVIEW", "Test Hospital", 1) == ILINKS_OK);
    std::string text = mirror_of(w.v);
    CHECK(text.find("Consent required") != std::string::npos);
    CHECK(text.find("tabpanel") == std::string::npos);
  }

  TEST_CASE("a role that may not override is refused, in words, and the attempt is audited") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log, "5");
    CHECK(ilinks_viewer_start_override(w.v, "emergency", "Collapsed in reception, cannot consent") == ILINKS_ERROR_REFUSED);
    CHECK(w.error().find("refused") != std::string::npos);
    CHECK(log.events.size() == 2);
    CHECK(mirror_of(w.v).find("tabpanel") == std::string::npos);
  }

  TEST_CASE("an override shows the record under a red strip with the reason") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    REQUIRE_MESSAGE(ilinks_viewer_start_override(w.v, "unconscious", "Found unconscious at home") == ILINKS_OK, w.error());
    std::string text = mirror_of(w.v);
    CHECK(text.find("alert: EMERGENCY OVERRIDE") != std::string::npos);
    CHECK(text.find("tabpanel: Summary") != std::string::npos);
  }

  TEST_CASE("when the host's audit callback does not keep the event, nothing of the record is shown") {
    Viewer w;
    AuditLog log;
    log.keep = 0;
    ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log);
    ilinks_viewer_set_context(w.v, "u42", "Dr Test", "1a", "ZZVIEW", "Test Hospital", 1);
    std::string bytes = demo_bytes("joe-bradshaw.json");
    CHECK(ilinks_viewer_load_fhir(w.v, bytes.data(), bytes.size(), "joe.json") == ILINKS_ERROR_AUDIT);
    CHECK(w.error().find("audit") != std::string::npos);
    CHECK(mirror_of(w.v).find("No record loaded.") != std::string::npos);
  }

  TEST_CASE("the widget's own consent dialog, driven by pointer input, records consent through the policy") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    w.frame(1000, 700);
    press(w, "button", "Record consent...");
    press(w, "button", "Record consent");
    REQUIRE(log.events.size() == 3);  // the first view, the consent, the view with consent
    CHECK(log.events[1].find("\"action\":\"consent\"") != std::string::npos);
    CHECK(mirror_of(w.v).find("tabpanel: Summary") != std::string::npos);
  }

  TEST_CASE("misuse is an argument error with the reason, never a crash") {
    Viewer w;
    CHECK(ilinks_viewer_set_context(w.v, nullptr, "x", "1a", "ZZ", "x", 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_context(w.v, "u", "x", "9z", "ZZ", "x", 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(w.error().find("'9z' is not a role profile") != std::string::npos);
    CHECK(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_ERROR_REFUSED);  // no record, no context
    CHECK(ilinks_viewer_record_consent(w.v, "verbal", "neighbour") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_tab(w.v, "labs") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_key(w.v, 999, 1, 0) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_mouse_button(w.v, 7, 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_text_input(w.v, nullptr) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_mirror(w.v, 2, nullptr, 0, nullptr) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_context(nullptr, "u", "x", "1a", "ZZ", "x", 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_mirror(nullptr, 0, nullptr, 0, nullptr) == ILINKS_ERROR_ARGUMENT);
  }
}

namespace {

// Gives `bytes` to the viewer `piece` at a time, as a download would.
int load_arriving(Viewer& w, const std::string& bytes, size_t piece, const char* name) {
  if (int rc = ilinks_viewer_load_fhir_begin(w.v, bytes.size(), name); rc != ILINKS_OK) return rc;
  for (size_t at = 0; at < bytes.size(); at += piece)
    if (int rc = ilinks_viewer_load_fhir_more(w.v, bytes.data() + at, std::min(piece, bytes.size() - at)); rc != ILINKS_OK)
      return rc;
  return ilinks_viewer_load_fhir_end(w.v);
}

}  // namespace

TEST_SUITE("C ABI 0.4: a record that arrives in pieces") {
  TEST_CASE("a record given in pieces shows, consented and audited, exactly as the whole record loaded at once") {
    std::string bytes = demo_bytes("joe-bradshaw.json");
    std::string mirrors[2];
    std::vector<std::string> audits[2];
    for (int arriving = 0; arriving < 2; ++arriving) {
      Viewer w;
      AuditLog log;
      REQUIRE(ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log) == ILINKS_OK);
      REQUIRE(ilinks_viewer_set_context(w.v, "u42", "Dr Test", "1a", "ZZVIEW", "Test Hospital", 1) == ILINKS_OK);
      int rc = arriving ? load_arriving(w, bytes, 1000, "joe.json")
                        : ilinks_viewer_load_fhir(w.v, bytes.data(), bytes.size(), "joe.json");
      REQUIRE_MESSAGE(rc == ILINKS_OK, w.error());
      REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
      mirrors[arriving] = mirror_of(w.v);
      for (auto& event : log.events) audits[arriving].push_back(event.substr(0, event.find("\"time\"")));
    }
    CHECK(mirrors[1].find("Metformin 500mg tablets") != std::string::npos);
    CHECK(mirrors[1] == mirrors[0]);
    CHECK(audits[1].size() == 3);
    CHECK(audits[1].size() == audits[0].size());
  }

  TEST_CASE("beginning a record takes the previous person off screen at once") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(white_pixels(viewer.frame(400, 200)) > 400 * 50);
    REQUIRE(ilinks_viewer_load_fhir_begin(viewer.v, 0, "next.json") == ILINKS_OK);
    CHECK(white_pixels(viewer.frame(400, 200)) == 0);
  }

  TEST_CASE("a damaged or empty record that arrived is an input error in the same words as loaded at once") {
    Viewer at_once, arrived;
    const std::string bad = R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient",,)";
    CHECK(ilinks_viewer_load_fhir(at_once.v, bad.data(), bad.size(), "gp-feed.json") == ILINKS_ERROR_INPUT);
    CHECK(load_arriving(arrived, bad, 7, "gp-feed.json") == ILINKS_ERROR_INPUT);
    CHECK(arrived.error() == at_once.error());
    CHECK(arrived.error().find("gp-feed.json") == 0);
    CHECK(load_arriving(arrived, "", 1, "empty.json") == ILINKS_ERROR_INPUT);
    CHECK(arrived.error() == "empty.json: is empty");
  }

  TEST_CASE("more and end with no record arriving are refused in words, also after another load or a clear") {
    Viewer w;
    CHECK(ilinks_viewer_load_fhir_more(w.v, "{", 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(w.error().find("no record is arriving") != std::string::npos);
    CHECK(ilinks_viewer_load_fhir_end(w.v) == ILINKS_ERROR_ARGUMENT);
    REQUIRE(ilinks_viewer_load_fhir_begin(w.v, 0, "a.json") == ILINKS_OK);
    REQUIRE(ilinks_viewer_load_fhir_more(w.v, kPatient, 10) == ILINKS_OK);
    REQUIRE(ilinks_viewer_load_fhir(w.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(ilinks_viewer_load_fhir_more(w.v, kPatient + 10, 5) == ILINKS_ERROR_ARGUMENT);  // abandoned by the load
    REQUIRE(ilinks_viewer_load_fhir_begin(w.v, 0, "b.json") == ILINKS_OK);
    REQUIRE(ilinks_viewer_clear(w.v) == ILINKS_OK);
    CHECK(ilinks_viewer_load_fhir_end(w.v) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_load_fhir_begin(nullptr, 0, "x") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_load_fhir_more(nullptr, "{", 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_load_fhir_end(nullptr) == ILINKS_ERROR_ARGUMENT);
  }

  TEST_CASE("NULL bytes abandon the arriving record rather than load part of it") {
    Viewer w;
    REQUIRE(ilinks_viewer_load_fhir_begin(w.v, 0, "a.json") == ILINKS_OK);
    REQUIRE(ilinks_viewer_load_fhir_more(w.v, kPatient, 10) == ILINKS_OK);
    CHECK(ilinks_viewer_load_fhir_more(w.v, nullptr, 5) == ILINKS_ERROR_ARGUMENT);
    CHECK(w.error().find("abandoned") != std::string::npos);
    CHECK(ilinks_viewer_load_fhir_more(w.v, kPatient + 10, std::strlen(kPatient) - 10) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_load_fhir_end(w.v) == ILINKS_ERROR_ARGUMENT);
  }
}

TEST_SUITE("C ABI 0.2: a record from a FHIR server") {
  TEST_CASE("a record fetched with a token shows through the policy, as a loaded file would") {
    test::FhirTestServer server;
    Viewer w;
    AuditLog log;
    ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log);
    ilinks_viewer_set_context(w.v, "u42", "Dr Test", "1a", "ZZVIEW", "Test Hospital", 1);
    std::string base = server.url() + "/ok";
    REQUIRE_MESSAGE(ilinks_viewer_load_fhir_server(w.v, base.c_str(), "joe", "good-token", 2000) == ILINKS_OK, w.error());
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    CHECK(mirror_of(w.v).find("Metformin 500mg tablets") != std::string::npos);
  }

  TEST_CASE("a refused sign-in is an input error in words, and no one is on screen") {
    test::FhirTestServer server;
    Viewer w;
    std::string base = server.url() + "/ok";
    std::string bytes = demo_bytes("margaret-hughes.json");
    REQUIRE(ilinks_viewer_load_fhir(w.v, bytes.data(), bytes.size(), "margaret.json") == ILINKS_OK);
    CHECK(ilinks_viewer_load_fhir_server(w.v, base.c_str(), "joe", "stale", 2000) == ILINKS_ERROR_INPUT);
    CHECK(w.error().find("(401 Unauthorized); sign in again") != std::string::npos);
    CHECK(mirror_of(w.v).find("No record loaded.") != std::string::npos);
    CHECK(ilinks_viewer_load_fhir_server(w.v, nullptr, "joe", nullptr, 0) == ILINKS_ERROR_ARGUMENT);
  }
}

namespace {
struct Calls {
  int consent_requests = 0, errors = 0, documents = 0, copies = 0;
  int last_error_code = 0;
  std::string last_error, last_document, last_copy;
  int show_documents_myself = 0;
  static void consent_request(void* self) { ++static_cast<Calls*>(self)->consent_requests; }
  static void error(void* self, int code, const char* message) {
    auto* c = static_cast<Calls*>(self);
    ++c->errors, c->last_error_code = code, c->last_error = message;
  }
  static int document(void* self, const char* json) {
    auto* c = static_cast<Calls*>(self);
    ++c->documents, c->last_document = json;
    return c->show_documents_myself;
  }
  static void copy(void* self, const char* text) {
    auto* c = static_cast<Calls*>(self);
    ++c->copies, c->last_copy = text;
  }
  void attach(ilinks_viewer* v) {
    ilinks_viewer_on_consent_request(v, &Calls::consent_request, this);
    ilinks_viewer_on_error(v, &Calls::error, this);
    ilinks_viewer_on_open_document(v, &Calls::document, this);
    ilinks_viewer_on_copy(v, &Calls::copy, this);
  }
};
}  // namespace

TEST_SUITE("C ABI 0.2: callbacks and opt-outs") {
  TEST_CASE("the host is told when the record waits for consent, and not once consent is recorded") {
    Viewer w;
    AuditLog log;
    Calls calls;
    calls.attach(w.v);
    doctor_opens_joe(w, log);
    CHECK(calls.consent_requests == 1);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    CHECK(calls.consent_requests == 1);
  }

  TEST_CASE("a document the user opens goes to the host when it wants to show it itself") {
    Viewer w;
    AuditLog log;
    Calls calls;
    calls.attach(w.v);
    calls.show_documents_myself = 1;
    doctor_opens_joe(w, log);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    REQUIRE(ilinks_viewer_set_tab(w.v, "hospital") == ILINKS_OK);
    w.frame(1000, 700);
    press(w, "button", "Read: Discharge summary");
    REQUIRE(calls.documents == 1);
    auto doc = nlohmann::json::parse(calls.last_document);
    CHECK(doc["title"] == "Discharge summary");
    CHECK(doc["resource_type"] == "DocumentReference");
    CHECK(doc["text"].get<std::string>().find("Discharged home 02-Dec-2025") != std::string::npos);
    CHECK(mirror_of(w.v).find("dialog:") == std::string::npos);  // the host showed it, not the widget
  }

  TEST_CASE("otherwise the widget's reader opens, and its Copy text gives the host the document's text, nothing else") {
    Viewer w;
    AuditLog log;
    Calls calls;
    calls.attach(w.v);
    doctor_opens_joe(w, log);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    REQUIRE(ilinks_viewer_set_tab(w.v, "hospital") == ILINKS_OK);
    w.frame(1000, 700);
    press(w, "button", "Read: Discharge summary");
    CHECK(mirror_of(w.v).find("dialog: Discharge summary") != std::string::npos);
    press(w, "button", "Copy text");
    REQUIRE(calls.copies == 1);
    CHECK(calls.last_copy.rfind("Discharge summary, Ward 14B", 0) == 0);
  }

  TEST_CASE("a failure of something done in the widget reaches the host's error callback") {
    Viewer w;
    AuditLog log;
    Calls calls;
    calls.attach(w.v);
    doctor_opens_joe(w, log);
    w.frame(1000, 700);
    press(w, "button", "Record consent...");
    log.keep = 0;  // the host's audit store is down now
    press(w, "button", "Record consent");
    REQUIRE(calls.errors == 1);
    CHECK(calls.last_error_code == ILINKS_ERROR_AUDIT);
    CHECK(calls.last_error.find("audit") != std::string::npos);
    CHECK(mirror_of(w.v).find("tabpanel") == std::string::npos);  // nothing shown without its audit event
  }

  TEST_CASE("a record about someone other than the person open in the host is refused, and nothing of it shown") {
    Viewer w;
    AuditLog log;
    ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log);
    ilinks_viewer_set_context(w.v, "u42", "Dr Test", "1a", "ZZVIEW", "Test Hospital", 1);
    REQUIRE(ilinks_viewer_set_patient(w.v, "999 000 0557") == ILINKS_OK);  // Margaret is open in the host
    std::string joe = demo_bytes("joe-bradshaw.json");
    CHECK(ilinks_viewer_load_fhir(w.v, joe.data(), joe.size(), "joe.json") == ILINKS_ERROR_REFUSED);
    CHECK(w.error().find("different person") != std::string::npos);
    CHECK(mirror_of(w.v).find("BRADSHAW") == std::string::npos);
    std::string margaret = demo_bytes("margaret-hughes.json");
    CHECK(ilinks_viewer_load_fhir(w.v, margaret.data(), margaret.size(), "margaret.json") == ILINKS_OK);
    CHECK(mirror_of(w.v).find("HUGHES, Margaret Rose (Mrs)") != std::string::npos);
    CHECK(ilinks_viewer_set_patient(w.v, "999 000 0558") == ILINKS_ERROR_ARGUMENT);  // fails the check digit
  }

  TEST_CASE("without a viewer context a record about someone else is refused too: not even their name shows") {
    Viewer w;
    REQUIRE(ilinks_viewer_set_patient(w.v, "9990000557") == ILINKS_OK);
    std::string joe = demo_bytes("joe-bradshaw.json");
    CHECK(ilinks_viewer_load_fhir(w.v, joe.data(), joe.size(), "joe.json") == ILINKS_ERROR_REFUSED);
    CHECK(mirror_of(w.v).find("BRADSHAW") == std::string::npos);
  }

  TEST_CASE("when the audit fails for the next user, what the previous user saw does not stay on screen") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    REQUIRE(mirror_of(w.v).find("Metformin") != std::string::npos);
    log.keep = 0;
    CHECK(ilinks_viewer_set_context(w.v, "u43", "Dr Next", "1a", "ZZVIEW", "Test Hospital", 1) == ILINKS_ERROR_AUDIT);
    std::string text = mirror_of(w.v);
    CHECK(text.find("Metformin") == std::string::npos);
    CHECK(text.find("BRADSHAW") == std::string::npos);
  }

  TEST_CASE("an opt-out is audited, withholds what it names, and stays when another user takes over") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    size_t before = log.events.size();
    REQUIRE_MESSAGE(ilinks_viewer_record_opt_out(w.v, "segment", "D") == ILINKS_OK, w.error());
    CHECK(log.events.size() == before + 2);  // the opt-out, then the view
    REQUIRE(ilinks_viewer_set_tab(w.v, "diagnostics") == ILINKS_OK);
    CHECK(mirror_of(w.v).find("HbA1c") == std::string::npos);
    REQUIRE(ilinks_viewer_set_context(w.v, "u43", "Dr Other", "1a", "ZZVIEW", "Test Hospital", 1) == ILINKS_OK);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    CHECK(mirror_of(w.v).find("HbA1c") == std::string::npos);
    CHECK(ilinks_viewer_record_opt_out(w.v, "planet", "Mars") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_record_opt_out(w.v, "segment", "") == ILINKS_ERROR_ARGUMENT);
  }
}

namespace {

// Ann (NHS 943 476 5919) with one Community tier 3 item: district nursing
// notes (a text/plain document) from Liverpool Community Health.
const char* kAnnWithCommunityNotes = R"({"resourceType":"Bundle","type":"collection","entry":[
  {"resource":{"resourceType":"Patient","id":"p","name":[{"family":"Jones","given":["Ann"]}],
    "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}},
  {"resource":{"resourceType":"Organization","id":"o1","name":"Liverpool Community Health NHS Trust",
    "identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"RY1"}]}},
  {"resource":{"resourceType":"DocumentReference","id":"dn","status":"current","subject":{"reference":"Patient/p"},
    "custodian":{"reference":"Organization/o1"},"date":"2026-11-02T09:00:00Z","type":{"text":"District nursing notes"},
    "content":[{"attachment":{"contentType":"text/plain","data":"TGVnIHVsY2VyIGRyZXNzZWQsIGhlYWxpbmcgd2VsbC4="}}]}}]})";

// Ann's record open for `user` (`profile`, at ZZVIEW) with consent, on the Community tab.
void opens_ann_with_consent(Viewer& w, AuditLog& log, const char* user, const char* profile) {
  REQUIRE(ilinks_viewer_set_audit_callback(w.v, &AuditLog::receive, &log) == ILINKS_OK);
  REQUIRE(ilinks_viewer_set_context(w.v, user, "Dr Test", profile, "ZZVIEW", "Test Practice", 1) == ILINKS_OK);
  REQUIRE_MESSAGE(ilinks_viewer_load_fhir(w.v, kAnnWithCommunityNotes, std::strlen(kAnnWithCommunityNotes), "ann.json") == ILINKS_OK,
                  w.error());
  REQUIRE_MESSAGE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK, w.error());
  REQUIRE(ilinks_viewer_set_tab(w.v, "community") == ILINKS_OK);
  w.frame(1000, 700);
}

}  // namespace

TEST_SUITE("C ABI: wider community record, case by case (Community tier 3)") {
  TEST_CASE("ilinks_viewer_record_case_access shows the C3 document and writes a case-access audit event") {
    Viewer w;
    AuditLog log;
    opens_ann_with_consent(w, log, "u42", "1b");
    std::string before = mirror_of(w.v);
    CHECK(before.find("note: Any free text and documents from community services") != std::string::npos);
    CHECK(before.find("button: Record why you need it...") != std::string::npos);
    CHECK(before.find("District nursing notes") == std::string::npos);
    size_t events = log.events.size();
    REQUIRE_MESSAGE(ilinks_viewer_record_case_access(w.v, "extended-team", "Virtual ward MDT review") == ILINKS_OK, w.error());
    REQUIRE(log.events.size() == events + 2);  // the wider access, then the view it allows
    CHECK(log.events[events].find("\"action\":\"case-access\"") != std::string::npos);
    CHECK(log.events[events].find("Virtual ward MDT review") != std::string::npos);
    std::string after = mirror_of(w.v);
    CHECK(after.find("District nursing notes") != std::string::npos);
    CHECK(after.find("note: Wider community record for this person: Working with the person in the extended primary care team "
                     "(Virtual ward MDT review), recorded by u42.") != std::string::npos);
    CHECK(after.find("Record why you need it...") == std::string::npos);
  }

  TEST_CASE("wider access is refused, in words, for a role whose level does not reach it (2a); the attempt is audited") {
    Viewer w;
    AuditLog log;
    opens_ann_with_consent(w, log, "u42", "2a");
    CHECK(mirror_of(w.v).find("Record why you need it...") == std::string::npos);  // not offered
    size_t events = log.events.size();
    CHECK(ilinks_viewer_record_case_access(w.v, "extended-team", "Virtual ward MDT review") == ILINKS_ERROR_REFUSED);
    CHECK(w.error().find("ilinks_viewer_record_case_access: refused: wider access: ") == 0);
    CHECK(w.error().find("does not reach Community tier 3") != std::string::npos);
    REQUIRE(log.events.size() == events + 1);
    CHECK(log.events.back().find("\"action\":\"refusal\"") != std::string::npos);
    CHECK(mirror_of(w.v).find("District nursing notes") == std::string::npos);
    // An unknown reason, or too few words, is refused the same way.
    Viewer gp;
    AuditLog gp_log;
    opens_ann_with_consent(gp, gp_log, "u42", "1b");
    CHECK(ilinks_viewer_record_case_access(gp.v, "curiosity", "Virtual ward MDT review") == ILINKS_ERROR_REFUSED);
    CHECK(gp.error().find("is not a reason for wider access") != std::string::npos);
    CHECK(ilinks_viewer_record_case_access(gp.v, "extended-team", "MDT") == ILINKS_ERROR_REFUSED);
    CHECK(gp.error().find("at least 10 characters") != std::string::npos);
    CHECK(ilinks_viewer_record_case_access(gp.v, nullptr, "Virtual ward MDT review") == ILINKS_ERROR_ARGUMENT);
  }

  TEST_CASE("wider access recorded by one user does not carry over to the next user, nor to another person") {
    Viewer w;
    AuditLog log;
    opens_ann_with_consent(w, log, "u42", "1b");
    REQUIRE(ilinks_viewer_record_case_access(w.v, "extended-team", "Virtual ward MDT review") == ILINKS_OK);
    REQUIRE(mirror_of(w.v).find("District nursing notes") != std::string::npos);
    // The next GP at the same host, with the person's consent again.
    REQUIRE(ilinks_viewer_set_context(w.v, "u43", "Dr Next", "1b", "ZZVIEW", "Test Practice", 1) == ILINKS_OK);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    w.frame(1000, 700);
    std::string text = mirror_of(w.v);
    CHECK(text.find("District nursing notes") == std::string::npos);
    CHECK(text.find("button: Record why you need it...") != std::string::npos);
    // The same user again, after the record is loaded afresh: asked again.
    REQUIRE(ilinks_viewer_record_case_access(w.v, "extended-team", "Virtual ward MDT review") == ILINKS_OK);
    REQUIRE(ilinks_viewer_load_fhir(w.v, kAnnWithCommunityNotes, std::strlen(kAnnWithCommunityNotes), "ann.json") == ILINKS_OK);
    REQUIRE(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_OK);
    w.frame(1000, 700);
    CHECK(mirror_of(w.v).find("District nursing notes") == std::string::npos);
  }

  TEST_CASE("the widget's wider-access dialog, driven by pointer input, goes through the policy; a refusal reaches the error callback") {
    Viewer w;
    AuditLog log;
    Calls calls;
    calls.attach(w.v);
    opens_ann_with_consent(w, log, "u42", "1b");
    press(w, "button", "Record why you need it...");
    press(w, "textbox", "Why do you need it? 0 of at least 10 characters");
    // Ten characters on screen, but only five that are not spaces: the policy counts words, not spaces.
    REQUIRE(ilinks_viewer_text_input(w.v, "a b c d e ") == ILINKS_OK);
    w.frame(1000, 700);
    press(w, "button", "Record");
    REQUIRE(calls.errors == 1);
    CHECK(calls.last_error_code == ILINKS_ERROR_REFUSED);
    CHECK(calls.last_error.find("at least 10 characters") != std::string::npos);
    CHECK(log.events.back().find("\"action\":\"refusal\"") != std::string::npos);
    press(w, "button", "Record why you need it...");
    press(w, "textbox", "Why do you need it? 0 of at least 10 characters");
    REQUIRE(ilinks_viewer_text_input(w.v, "Virtual ward MDT review") == ILINKS_OK);
    w.frame(1000, 700);
    press(w, "button", "Record");
    CHECK(calls.errors == 1);
    CHECK(mirror_of(w.v).find("District nursing notes") != std::string::npos);
  }
}

TEST_SUITE("C ABI: what went wrong, by its code") {
  TEST_CASE("a bad argument, a refusal and an audit failure come back as different codes, whatever the words") {
    Viewer w;
    AuditLog log;
    doctor_opens_joe(w, log);
    CHECK(ilinks_viewer_record_consent(w.v, "telepathic", "patient") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_start_override(w.v, "curiosity", "Collapsed in reception, cannot consent") == ILINKS_ERROR_REFUSED);
    log.keep = 0;  // the host's audit store is down now
    CHECK(ilinks_viewer_record_consent(w.v, "verbal", "patient") == ILINKS_ERROR_AUDIT);
    CHECK(ilinks_viewer_record_opt_out(w.v, "segment", "D") == ILINKS_ERROR_AUDIT);
    CHECK(std::string(ilinks_viewer_last_error(w.v)).find("audit") != std::string::npos);
    log.keep = 1;
    CHECK(ilinks_viewer_set_context(w.v, "u42", "Dr Test", "1a", "ZZVIEW", "Test Hospital", 1) == ILINKS_OK);
    w.frame(1000, 700);
    CHECK(mirror_of(w.v).find("Record consent") != std::string::npos);  // the consent that was not audited was not granted
  }
}
