// The audit trail: one event per view, refusal, consent change and override;
// a hash chain that shows any tampering; delivery that loses nothing.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "policy_helpers.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;
using test::kNow;

namespace {

std::string temp_path(const std::string& name) {
  std::string path = std::string(ILINKS_TEST_OUTPUT) + "/" + name;
  std::remove(path.c_str());
  std::remove((path + ".spool").c_str());
  return path;
}

std::vector<std::string> lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

void write_lines(const std::string& path, const std::vector<std::string>& ls) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& l : ls) out << l << '\n';
}

// A log of five views of Joe's record by one user.
std::string five_event_log(const std::string& name) {
  std::string path = temp_path(name);
  Record r = test::demo_record("joe-bradshaw");
  AuditTrail audit(Policy::builtin().alerts(), path);
  for (int i = 0; i < 5; ++i) Policy::builtin().view_for(r, test::request(r, "1a"), audit);
  return path;
}

}  // namespace

TEST_SUITE("audit events") {
  TEST_CASE("a view is one event: who, role, organisation, person, when, what was shown, basis, outcome, policy") {
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts());
    auto req = test::request(r, "6", "RVY");
    Decision d = Policy::builtin().view_for(r, req, audit);
    REQUIRE(d.view);
    CHECK(audit.last_sequence() == 1);
    CHECK(d.audit_sequence == 1);
  }

  TEST_CASE("the event written names everything the framework asks for") {
    std::string path = temp_path("audit-fields.jsonl");
    Record r = test::demo_record("joe-bradshaw");
    {
      AuditTrail audit(Policy::builtin().alerts(), path);
      Policy::builtin().view_for(r, test::request(r, "6", "RVY"), audit);
    }
    auto ls = lines(path);
    REQUIRE(ls.size() == 1);
    AuditEvent e = AuditEvent::from_json(ls[0]);
    CHECK(e.sequence == 1);
    CHECK(e.action == "view");
    CHECK(e.user_id == "u1");
    CHECK(e.profile == "6");
    CHECK(e.profile_name.find("urgent care") != std::string::npos);
    CHECK(e.organisation == "RVY");
    CHECK(e.patient_nhs_number == "9990000115");
    CHECK(e.time.iso() == "2026-11-22T10:30:00+00:00");
    CHECK(e.shown == "S3 C1 D3 H3");
    CHECK(e.basis == "consent");
    CHECK(e.basis_detail.find("verbal") != std::string::npos);
    CHECK(e.outcome == "shown");
    CHECK(e.policy_version == "north-mersey-2016-02.2");
    CHECK(e.policy_sha256 == Policy::builtin().sha256());
    CHECK(e.previous_hash == std::string(64, '0'));
  }

  TEST_CASE("refusals, consent changes and overrides are each one event") {
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts());
    const Policy& p = Policy::builtin();
    auto req = test::request(r, "1a");
    p.record_consent(req.viewer, r.patient(), *req.consent, audit);
    CHECK(audit.last_sequence() == 1);
    p.record_opt_out(req.viewer, r.patient(), {OptOut::Scope::segment, "D"}, kNow, audit);
    CHECK(audit.last_sequence() == 2);
    p.withdraw_consent(req.viewer, r.patient(), kNow, audit);
    CHECK(audit.last_sequence() == 3);
    req.legitimate_relationship = false;
    p.view_for(r, req, audit);
    CHECK(audit.last_sequence() == 4);
    p.start_override(test::viewer("6"), r.patient(), "emergency", "Anaphylaxis in the waiting room", kNow, audit);
    CHECK(audit.last_sequence() == 5);
    CHECK_THROWS_AS(p.record_consent(req.viewer, r.patient(), Consent{"u1", kNow, "telepathic", "patient", {}, Consent::Scope::user, ""}, audit), Refused);
    CHECK(audit.last_sequence() == 5);  // an invalid change records nothing
  }
}

TEST_SUITE("audit chain") {
  TEST_CASE("an untouched log verifies, and names its last hash") {
    std::string path = five_event_log("chain-intact.jsonl");
    AuditVerification v = verify_audit_log(path);
    CHECK(v.intact);
    CHECK(v.events == 5);
    CHECK(v.last_hash == AuditEvent::from_json(lines(path).back()).hash);
  }

  TEST_CASE("an edited event is found") {
    std::string path = five_event_log("chain-edited.jsonl");
    auto ls = lines(path);
    auto j = nlohmann::json::parse(ls[2]);
    j["user_id"] = "someone-else";
    ls[2] = j.dump();
    write_lines(path, ls);
    AuditVerification v = verify_audit_log(path);
    CHECK_FALSE(v.intact);
    CHECK(v.first_bad == 3);
    CHECK(v.problem.find("has been edited") != std::string::npos);
  }

  TEST_CASE("an edit with a recomputed hash is still found, by the next event") {
    std::string path = five_event_log("chain-rehashed.jsonl");
    auto ls = lines(path);
    AuditEvent e = AuditEvent::from_json(ls[1]);
    e.patient_nhs_number = "9990000220";
    e.hash = e.compute_hash();
    ls[1] = e.to_json();
    write_lines(path, ls);
    AuditVerification v = verify_audit_log(path);
    CHECK_FALSE(v.intact);
    CHECK(v.first_bad == 3);
  }

  TEST_CASE("a removed event is found") {
    std::string path = five_event_log("chain-removed.jsonl");
    auto ls = lines(path);
    ls.erase(ls.begin() + 1);
    write_lines(path, ls);
    AuditVerification v = verify_audit_log(path);
    CHECK_FALSE(v.intact);
    CHECK(v.first_bad == 2);
    CHECK(v.problem.find("removed, inserted or reordered") != std::string::npos);
  }

  TEST_CASE("reordered events are found") {
    std::string path = five_event_log("chain-reordered.jsonl");
    auto ls = lines(path);
    std::swap(ls[3], ls[4]);
    write_lines(path, ls);
    CHECK(verify_audit_log(path).first_bad == 4);
  }

  TEST_CASE("an inserted event is found") {
    std::string path = five_event_log("chain-inserted.jsonl");
    auto ls = lines(path);
    ls.insert(ls.begin() + 2, ls[1]);
    write_lines(path, ls);
    CHECK(verify_audit_log(path).first_bad == 3);
  }

  TEST_CASE("a log continues its chain across sessions; a damaged log is not appended to") {
    std::string path = five_event_log("chain-continued.jsonl");
    Record r = test::demo_record("joe-bradshaw");
    {
      AuditTrail audit(Policy::builtin().alerts(), path);
      CHECK(audit.last_sequence() == 5);
      Policy::builtin().view_for(r, test::request(r, "1a"), audit);
    }
    CHECK(verify_audit_log(path).intact);
    CHECK(verify_audit_log(path).events == 6);
    auto ls = lines(path);
    ls.back() = "{not json";
    write_lines(path, ls);
    CHECK_THROWS_WITH_AS(AuditTrail(Policy::builtin().alerts(), path), doctest::Contains("line 6 is not valid JSON"), AuditError);
    ls.back() = "{\"sequence\": 7" + std::string(400, '0') + "}";  // too large for any number: out_of_range, not parse_error
    write_lines(path, ls);
    CHECK_THROWS_WITH_AS(AuditTrail(Policy::builtin().alerts(), path), doctest::Contains("line 6 is not valid JSON"), AuditError);
  }

  TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
}

TEST_SUITE("audit delivery") {
  TEST_CASE("while the sink is down events wait on disk; they arrive later, in order, once each") {
    std::string spool = temp_path("outage.spool");
    Record r = test::demo_record("joe-bradshaw");
    bool up = true;
    std::vector<uint64_t> received;
    AuditSink sink = [&](const AuditEvent& e) {
      if (!up) return false;
      received.push_back(e.sequence);
      return true;
    };
    {
      AuditTrail audit(Policy::builtin().alerts(), "", sink, spool);
      Policy::builtin().view_for(r, test::request(r, "1a"), audit);
      up = false;
      for (int i = 0; i < 3; ++i) Policy::builtin().view_for(r, test::request(r, "1a"), audit);
      CHECK(audit.waiting() == 3);
      CHECK(lines(spool).size() == 3);
    }
    // The process ends during the outage; the next one picks the spool up.
    up = true;
    AuditTrail later(Policy::builtin().alerts(), "", sink, spool);
    CHECK(later.waiting() == 3);
    CHECK(later.flush() == 0);
    CHECK(received == std::vector<uint64_t>{1, 2, 3, 4});
    CHECK(lines(spool).empty());
    CHECK(later.flush() == 0);
    CHECK(received.size() == 4);  // nothing sent twice
  }

  TEST_CASE("a sink that throws is treated as down, not as delivered") {
    std::string spool = temp_path("throwing.spool");
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts(), "", [](const AuditEvent&) -> bool { throw std::runtime_error("connection reset"); }, spool);
    Policy::builtin().view_for(r, test::request(r, "1a"), audit);
    CHECK(audit.waiting() == 1);
  }

  TEST_CASE("a sink without a spool takes each event at once") {
    Record r = test::demo_record("joe-bradshaw");
    std::vector<std::string> kept;
    AuditTrail audit(Policy::builtin().alerts(), "", [&](const AuditEvent& e) { return kept.push_back(e.to_json()), true; });
    Decision d = Policy::builtin().view_for(r, test::request(r, "1a"), audit);
    CHECK(d.view);
    REQUIRE(kept.size() == 1);
    CHECK(kept.front().find("\"action\":\"view\"") != std::string::npos);
    CHECK(audit.waiting() == 0);
  }

  TEST_CASE("a sink without a spool that does not keep the event means nothing is shown") {
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts(), "", [](const AuditEvent&) { return false; });
    CHECK_THROWS_AS(Policy::builtin().view_for(r, test::request(r, "1a"), audit), AuditError);
    CHECK(audit.last_sequence() == 0);  // not written: the chain is as it was
  }

  TEST_CASE("the HTTP sink reports an unreachable endpoint as down") {
    std::string spool = temp_path("http.spool");
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts(), "", audit_http_sink("http://127.0.0.1:9/fhir", "token", 2000), spool);
    Policy::builtin().view_for(r, test::request(r, "1a"), audit);
    CHECK(audit.waiting() == 1);
  }

  TEST_CASE("when the log cannot be written there is no view") {
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts(), "/nonexistent-dir/audit.jsonl");
    CHECK_THROWS_WITH_AS(Policy::builtin().view_for(r, test::request(r, "1a"), audit), doctest::Contains("cannot be written"), AuditError);
  }
}

TEST_SUITE("audit alerts") {
  AuditEvent last_event(const std::string& path) { return AuditEvent::from_json(lines(path).back()); }
  bool has_alert(const AuditEvent& e, const std::string& rule) {
    for (const auto& a : e.alerts)
      if (a.rule == rule) return true;
    return false;
  }

  TEST_CASE("every override raises an alert, and so does a refusal for no relationship") {
    std::string path = temp_path("alerts-override.jsonl");
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts(), path);
    Policy::builtin().start_override(test::viewer("6"), r.patient(), "emergency", "Cardiac arrest in resus", kNow, audit);
    CHECK(has_alert(last_event(path), "override"));
    auto req = test::request(r, "1a");
    req.legitimate_relationship = false;
    Policy::builtin().view_for(r, req, audit);
    CHECK(has_alert(last_event(path), "no-relationship"));
  }

  TEST_CASE("more than the policy's number of people viewed by one user in its window raises an alert") {
    std::string path = temp_path("alerts-volume.jsonl");
    AuditTrail audit(Policy::builtin().alerts(), path);
    int limit = Policy::builtin().alerts().patients_per_user;
    for (int i = 0; i <= limit; ++i) {
      AuditEvent e;
      e.time = kNow.plus_minutes(i);
      e.action = "view";
      e.user_id = "u1";
      e.patient_nhs_number = std::to_string(9000000000LL + i);
      audit.record(e);
      CHECK(has_alert(last_event(path), "many-patients") == (i == limit));
    }
  }

  TEST_CASE("the volume alert is raised once, even when a view stamped earlier is recorded after the one that raised it") {
    AlertThresholds few;
    few.patients_per_user = 3;
    few.out_of_hours_views = 1000;  // this case is about volume alone
    AuditTrail audit(few);
    auto view = [&](int minute, const std::string& person) {
      AuditEvent e;
      e.time = kNow.plus_minutes(minute);
      e.action = "view";
      e.user_id = "u1";
      e.patient_nhs_number = person;
      return audit.record(e);
    };
    for (int i = 0; i < 3; ++i) CHECK_FALSE(has_alert(view(i, std::to_string(9000000000LL + i)), "many-patients"));
    CHECK(has_alert(view(10, "9000000010"), "many-patients"));        // the fourth person
    CHECK_FALSE(has_alert(view(5, "9000000020"), "many-patients"));   // read its time earlier, recorded later
    CHECK_FALSE(has_alert(view(20, "9000000030"), "many-patients"));  // still within the window: raised once
  }

  TEST_CASE("a burst of views out of hours raises an alert; the same in hours does not") {
    auto burst = [](const char* start, const std::string& name) {
      std::string path = temp_path(name);
      AuditTrail audit(Policy::builtin().alerts(), path);
      bool alerted = false;
      for (int i = 0; i <= Policy::builtin().alerts().out_of_hours_views; ++i) {
        AuditEvent e;
        e.time = test::at(start).plus_minutes(i);
        e.action = "view";
        e.user_id = "u1";
        e.patient_nhs_number = "9990000115";
        alerted = has_alert(audit.record(e), "out-of-hours");
      }
      return alerted;
    };
    CHECK(burst("2026-11-24T23:10:00+00:00", "ooh-night.jsonl"));     // a Tuesday night
    CHECK(burst("2026-11-22T10:00:00+00:00", "ooh-sunday.jsonl"));    // a Sunday
    CHECK_FALSE(burst("2026-11-24T11:00:00+00:00", "ooh-day.jsonl"));  // a Tuesday morning
  }

  TEST_CASE("viewing a record with the viewer's own surname and postcode raises an alert") {
    std::string path = temp_path("alerts-own.jsonl");
    Record r = test::demo_record("joe-bradshaw");
    AuditTrail audit(Policy::builtin().alerts(), path);
    auto req = test::request(r, "1a");
    req.viewer.family_name = "BRADSHAW";
    req.viewer.postcode = "pr8 2at";
    Policy::builtin().view_for(r, req, audit);
    CHECK(has_alert(last_event(path), "own-record"));
    req.viewer.postcode = "L1 1AA";
    Policy::builtin().view_for(r, req, audit);
    CHECK_FALSE(has_alert(last_event(path), "own-record"));
  }
}

TEST_SUITE("audit as FHIR") {
  TEST_CASE("a view exports as an IHE BALP patient-read AuditEvent: user, organisation and device agents, the patient entity") {
    AuditEvent e;
    e.sequence = 1;
    e.time = kNow;
    e.action = "view";
    e.user_id = "u1";
    e.profile = "6";
    e.organisation = "RVY";
    e.patient_nhs_number = "9990000115";
    e.basis = "consent";
    e.hash = std::string(64, 'a');
    auto j = nlohmann::json::parse(to_fhir_audit_event(e));
    CHECK(j["resourceType"] == "AuditEvent");
    CHECK(j["type"]["code"] == "110110");
    CHECK(j["subtype"][0]["code"] == "read");
    CHECK(j["action"] == "R");
    CHECK(j["outcome"] == "0");
    REQUIRE(j["agent"].size() == 3);
    CHECK(j["agent"][0]["who"]["identifier"]["value"] == "u1");
    CHECK(j["agent"][0]["role"][0]["coding"][0]["code"] == "6");
    CHECK(j["agent"][0]["purposeOfUse"][0]["coding"][0]["code"] == "TREAT");
    CHECK(j["agent"][1]["who"]["identifier"]["value"] == "RVY");
    CHECK(j["entity"][0]["what"]["identifier"]["value"] == "9990000115");
    CHECK(j["entity"][0]["role"]["code"] == "1");
    CHECK(to_fhir_alert(e).empty());
  }

  TEST_CASE("an override exports with purpose break-the-glass, and as a privacy-officer alert") {
    AuditEvent e;
    e.sequence = 7;
    e.time = kNow;
    e.action = "override";
    e.basis = "override";
    e.basis_detail = "unconscious: Brought in unresponsive";
    e.patient_nhs_number = "9990000115";
    e.hash = std::string(64, 'b');
    e.alerts.push_back({"override", "emergency override by u1"});
    auto j = nlohmann::json::parse(to_fhir_audit_event(e));
    CHECK(j["agent"][0]["purposeOfUse"][0]["coding"][0]["code"] == "BTG");
    auto alert = nlohmann::json::parse(to_fhir_alert(e));
    CHECK(alert["resourceType"] == "Communication");
    CHECK(alert["about"][0]["reference"] == "AuditEvent/" + j["id"].get<std::string>());
    CHECK(alert["payload"][0]["contentString"] == "emergency override by u1");
  }
}
