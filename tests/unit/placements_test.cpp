// Placements faithful to the framework (seed 003) where the first data
// departed from it: health status prompts (S2), admissions in any setting (H1),
// any professional may override, what the source restricted, Community tier 3
// case by case, urine and microbiology (D1), alerts switchable, and "could not
// be read" meaning just that.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/view_export.h"
#include "policy_helpers.h"
#include "record_helpers.h"

using namespace ilinks;

namespace {

const char* const kMentalHealthTrust = R"({"resourceType":"Organization","id":"mc","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"RW4"}],"name":"Mersey Care NHS Trust"})";
const char* const kGpPractice = R"({"resourceType":"Organization","id":"gp","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"ZZ0001"}],"name":"Test Practice","type":[{"text":"GP practice"}]})";

std::string observation(const std::string& id, const std::string& category, const std::string& system, const std::string& code,
                        const std::string& display, const std::string& performer = "") {
  return R"({"resourceType":"Observation","id":")" + id + R"(","status":"final","subject":{"reference":"Patient/joe"},)" +
         (category.empty() ? "" : R"("category":[{"coding":[{"code":")" + category + R"("}]}],)") +
         (performer.empty() ? "" : R"("performer":[{"reference":"Organization/)" + performer + R"("}],)") +
         R"("effectiveDateTime":"2026-10-01","code":{"coding":[{"system":")" + system + R"(","code":")" + code + R"(","display":")" +
         display + R"("}]},"valueString":"recorded"})";
}

}  // namespace

TEST_SUITE("placements faithful to the framework") {
  TEST_CASE("health status prompts from primary care are Summary tier 2, seen by a health trainer") {
    Record r = test::record_of({kGpPractice, observation("bmi", "vital-signs", "http://loinc.org", "39156-5", "Body mass index", "gp"),
                                observation("smoking", "social-history", "http://loinc.org", "72166-2", "Tobacco smoking status", "gp")});
    CHECK(test::placed(test::item(r, "Observation/bmi")) == "S2");
    CHECK(test::placed(test::item(r, "Observation/smoking")) == "S2");
    View trainer = test::view_of(r, test::request(r, "4"));
    CHECK(trainer.find("Observation/bmi"));
    CHECK(trainer.find("Observation/smoking"));
  }

  TEST_CASE("an admission to a mental health ward is Hospital tier 1, as a FHIR Encounter or as HL7 v2") {
    Record r = test::record_of({kMentalHealthTrust, R"({"resourceType":"Encounter","id":"ward","status":"finished",
        "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"Patient/joe"},
        "serviceProvider":{"reference":"Organization/mc"},"period":{"start":"2026-09-01","end":"2026-09-20"}})",
                                R"({"resourceType":"Encounter","id":"clinic","status":"finished",
        "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/joe"},
        "serviceProvider":{"reference":"Organization/mc"},"period":{"start":"2026-10-01"}})"});
    CHECK(test::placed(test::item(r, "Encounter/ward")) == "H1");
    CHECK(test::placed(test::item(r, "Encounter/clinic")) == "C1");  // an outpatient contact stays a community event

    RecordBuilder b;
    b.add(test::bundle({test::patient()}), {"p.json", {}});
    b.add("MSH|^~\\&|PAS|RW4|TIE|LHE|202609010930||ADT^A01|MSG1|P|2.4\rPID|1||9434765919^^^NHS^NH||Bloggs^Joe\rPV1|1|I|Ward 3^^^RW4\r",
          {"adt.hl7", {}});
    Record adt = b.build();
    bool h1 = false;
    for (const auto& i : adt.items()) h1 = h1 || (i.kind == "AdtEvent" && test::placed(i) == "H1");
    CHECK(h1);
  }

  TEST_CASE("urine and microbiology results are routine tests (D1); a sensitive one is still withheld below D3") {
    Record r = test::record_of({observation("urine", "laboratory", "http://loinc.org", "24357-6", "Urinalysis"),
                                observation("culture", "MB", "http://loinc.org", "600-7", "Blood culture"),
                                observation("chlamydia", "MB", "http://loinc.org", "21613-5", "Chlamydia trachomatis DNA")});
    CHECK(test::placed(test::item(r, "Observation/urine")) == "D1");
    CHECK(test::placed(test::item(r, "Observation/culture")) == "D1");
    View d1 = test::view_of(r, test::request(r, "2b"));  // D1
    CHECK(d1.find("Observation/urine"));
    CHECK(d1.find("Observation/culture"));
    CHECK_FALSE(d1.find("Observation/chlamydia"));
    CHECK(test::view_of(r, test::request(r, "1a")).find("Observation/chlamydia"));  // D3 sees every test
  }

  TEST_CASE("what its source restricted (confidentiality R or V) is withheld from every profile, Diagnostics tier 3 included") {
    Record r = test::record_of({R"({"resourceType":"Observation","id":"r","status":"final","subject":{"reference":"Patient/joe"},
        "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
        "category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},"valueString":"131"})",
                                R"({"resourceType":"Observation","id":"v","status":"final","subject":{"reference":"Patient/joe"},
        "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"V"}]},
        "category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2951-2"}]},"valueString":"139"})",
                                observation("plain", "laboratory", "http://loinc.org", "2823-3", "Potassium")});
    for (const auto& profile : Policy::builtin().profiles()) {
      CAPTURE(profile.id);
      View v = test::view_of(r, test::request(r, profile.id));
      CHECK_FALSE(v.find("Observation/r"));
      CHECK_FALSE(v.find("Observation/v"));
    }
    CHECK(test::view_of(r, test::request(r, "1a")).find("Observation/plain"));
  }

  TEST_CASE("a restricted entry stays withheld from D3 when it also falls in another category, and so does what depends on it") {
    Record r = test::record_of({R"({"resourceType":"Observation","id":"both","status":"final","subject":{"reference":"Patient/joe"},
        "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HIV"},
                            {"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
        "category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},"valueString":"131"})",
                                R"({"resourceType":"DiagnosticReport","id":"report","status":"final","subject":{"reference":"Patient/joe"},
        "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
        "category":[{"coding":[{"code":"LAB"}]}],"code":{"text":"Screen"},"result":[{"reference":"Observation/hiv"},{"reference":"Observation/hb"}]})",
                                observation("hiv", "laboratory", "http://loinc.org", "7917-8", "HIV 1 Ab"),
                                observation("hb", "laboratory", "http://loinc.org", "718-7", "Haemoglobin"),
                                observation("plain", "laboratory", "http://loinc.org", "2823-3", "Potassium")});
    View d3 = test::view_of(r, test::request(r, "1a"));
    CHECK(d3.tier(Segment::diagnostics) == 3);
    CHECK(d3.find("Observation/plain"));           // D3 sees tests
    CHECK_FALSE(d3.find("Observation/both"));      // HIV label first, R second: still restricted
    CHECK_FALSE(d3.find("DiagnosticReport/report"));
    CHECK_FALSE(d3.find("Observation/hiv"));       // a result of the restricted report, marked first as a sensitive test
    CHECK_FALSE(d3.find("Observation/hb"));
  }

  TEST_CASE("a deployment can switch alerts and flags off without a rebuild; an unknown placement is refused") {
    Record r = test::demo_record("susan-doyle");
    CHECK(test::shown(test::view_of(r, test::request(r, "3b")), "Flag", "Safeguarding"));
    Policy off = Policy::from_json(R"({"format":"ilinks-policy/1","extends":"north-mersey-2016-02.2","version":"local-no-alerts",
                                       "withheld_placements":["alert"]})",
                                   "local.json");
    View v = test::view_of(r, test::request(r, "3b"), off);
    CHECK_FALSE(test::shown(v, "Flag", ""));
    CHECK(test::shown(v, "CarePlan", ""));  // the rest of Summary tier 3 still shows
    CHECK_THROWS_WITH_AS(Policy::from_json(R"({"format":"ilinks-policy/1","extends":"north-mersey-2016-02.2","version":"x",
                                               "withheld_placements":["alerts"]})",
                                           "local.json"),
                         doctest::Contains("local.json: withheld_placements[0]: must name a classification rule"), PolicyFileError);
  }

  TEST_CASE("a Synthea record loaded without its organisation and practitioner files is not called damaged") {
    std::string file;
    for (const auto& f : std::filesystem::directory_iterator(shared_data("synthea")))
      if (f.path().filename().string().find("Information") == std::string::npos) file = f.path().string();
    REQUIRE_FALSE(file.empty());
    RecordBuilder b;
    b.add_file(file);
    Record r = b.build();
    REQUIRE(test::has_issue(r, "is not in the record"));  // the references are still reported, for integration teams
    bool any_damage = false;
    for (const auto& i : r.load_issues()) any_damage = any_damage || i.damage;
    CHECK_FALSE(any_damage);
    // The policy needs an NHS number; Synthea's people have none, so the view of
    // a record with just such problems is checked on a record we make the same way.
    Record missing = test::record_of({R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},
        "asserter":{"reference":"Practitioner/not-sent"},"recorder":{"reference":"Organization?identifier=https://example.org|x"},
        "code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}]}})"});
    View v = test::view_of(missing, test::request(missing, "1a"));
    CHECK_FALSE(v.incomplete());
    REQUIRE(v.find("Condition/c"));
    CHECK(item_source_text(*v.find("Condition/c")) == "Source not known");
    // A reference to clinical content not sent still means part of the record is missing.
    Record lost = test::record_of({R"({"resourceType":"MedicationStatement","id":"m","status":"active","subject":{"reference":"Patient/joe"},
        "medicationCodeableConcept":{"text":"Ramipril"},"reasonReference":[{"reference":"Condition/not-sent"}]})"});
    CHECK(test::view_of(lost, test::request(lost, "1a")).incomplete());
  }
}

TEST_SUITE("any professional may override") {
  TEST_CASE("a health trainer (unregistered professional) may override; admin / clerical may not") {
    Record r = test::demo_record("joan-mcallister");
    const Policy& p = Policy::builtin();
    AuditTrail audit(p.alerts());
    Override o = p.start_override(test::viewer("4"), r.patient(), "serious-harm", "Found collapsed at home visit", test::kNow, audit);
    auto req = test::request(r, "4");
    req.consent.reset();
    req.override_ = o;
    CHECK(test::view_of(r, req).basis() == Basis::override_);
    CHECK_THROWS_WITH_AS(p.start_override(test::viewer("5"), r.patient(), "emergency", "Patient unconscious at desk", test::kNow, audit),
                         doctest::Contains("may not override"), Refused);
  }
}

TEST_SUITE("Community tier 3, case by case") {
  Record documents() {
    return test::record_of({test::organisation("o1", "RY1", "Liverpool Community Health NHS Trust"),
                            R"({"resourceType":"DocumentReference","id":"notes","status":"current","subject":{"reference":"Patient/joe"},
            "custodian":{"reference":"Organization/o1"},"type":{"text":"District nursing notes"},
            "content":[{"attachment":{"contentType":"text/plain","data":"Tm90ZXM="}}]})"});
  }

  TEST_CASE("a GP sees the wider community record only after recording why, for this person") {
    Record r = documents();
    REQUIRE(test::placed(test::item(r, "DocumentReference/notes")) == "C3");
    View before = test::view_of(r, test::request(r, "1b"));
    CHECK(before.tier(Segment::community) == 2);
    CHECK(before.case_access_available());
    CHECK_FALSE(before.find("DocumentReference/notes"));

    const Policy& p = Policy::builtin();
    std::vector<AuditEvent> events;
    AuditTrail audit(p.alerts(), "", [&](const AuditEvent& e) { events.push_back(e); return true; });
    CaseAccess grant = p.record_case_access(test::viewer("1b"), r.patient(), "extended-team", "Virtual ward MDT this month", test::kNow, audit);
    REQUIRE(events.size() == 1);
    const AuditEvent& e = events[0];
    CHECK(e.action == "case-access");
    CHECK(e.basis_detail == "extended-team: Virtual ward MDT this month");
    CHECK(e.alerts.empty());  // audited like an override, without its alert

    auto req = test::request(r, "1b");
    req.case_access = grant;
    View after = test::view_of(r, req);
    CHECK(after.tier(Segment::community) == 3);
    CHECK(after.find("DocumentReference/notes"));
    CHECK_FALSE(after.case_access_available());
    CHECK(after.case_access_text().find("Working with the person in the extended primary care team") != std::string::npos);
  }

  TEST_CASE("wider access is the recording user's, for that person, until it ends") {
    Record r = documents();
    const Policy& p = Policy::builtin();
    AuditTrail audit(p.alerts());
    CaseAccess grant = p.record_case_access(test::viewer("7"), r.patient(), "case-review", "Monthly MDT case review", test::kNow, audit);
    auto other_user = test::request(r, "7");
    other_user.viewer.user_id = "u2";
    other_user.case_access = grant;
    CHECK_FALSE(test::view_of(r, other_user).find("DocumentReference/notes"));
    auto later = test::request(r, "7");
    later.case_access = grant;
    later.now = grant.ends;
    later.consent->recorded_at = later.now;
    CHECK_FALSE(test::view_of(r, later).find("DocumentReference/notes"));
    auto other_person = test::request(r, "7");
    other_person.case_access = grant;
    other_person.case_access->nhs_number = "9434765870";
    CHECK_FALSE(test::view_of(r, other_person).find("DocumentReference/notes"));
    auto other_organisation = test::request(r, "7", "ZZOTHER");
    other_organisation.case_access = grant;
    CHECK_FALSE(test::view_of(r, other_organisation).find("DocumentReference/notes"));
    auto same = test::request(r, "7");
    same.case_access = grant;
    CHECK(test::view_of(r, same).find("DocumentReference/notes"));  // the same user, role, place, person and time: shown
  }

  TEST_CASE("wider access is refused, audited, for a role that does not reach it, an unknown reason or too few words") {
    Record r = documents();
    const Policy& p = Policy::builtin();
    std::vector<AuditEvent> events;
    AuditTrail audit(p.alerts(), "", [&](const AuditEvent& e) { events.push_back(e); return true; });
    CHECK_THROWS_WITH_AS(p.record_case_access(test::viewer("2a"), r.patient(), "extended-team", "Needs the notes please", test::kNow, audit),
                         doctest::Contains("does not reach Community tier 3"), Refused);
    CHECK_THROWS_WITH_AS(p.record_case_access(test::viewer("1b"), r.patient(), "curiosity", "Needs the notes please", test::kNow, audit),
                         doctest::Contains("is not a reason for wider access"), Refused);
    CHECK_THROWS_WITH_AS(p.record_case_access(test::viewer("1b"), r.patient(), "other", "notes", test::kNow, audit),
                         doctest::Contains("at least 10 characters"), Refused);
    REQUIRE(events.size() == 3);
    for (const auto& e : events) CHECK(e.action == "refusal");
  }
}
