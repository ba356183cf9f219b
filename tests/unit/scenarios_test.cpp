// The seven scenarios of SHARING-MODEL.md as acceptance tests: each named
// professional, under their profile, sees what the story says, and no more.
// Then a property test over random records, every profile and every consent state.
#include <doctest/doctest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "ilinks/mirror.h"
#include "policy_helpers.h"
#include "record_helpers.h"
#include "record_maker.h"

using namespace ilinks;
using test::shown;

namespace {

View scenario_view(const Record& r, const std::string& profile, const std::string& ods) {
  const Policy& p = Policy::builtin();
  View v = test::view_of(r, test::request(r, profile, ods));
  test::check_within_the_rules(r, v, p, *p.profile(profile));  // ... and no more
  return v;
}

}  // namespace

TEST_SUITE("scenarios") {
  TEST_CASE("1. Joe: A&E at Southport sees his medication, allergies and diagnoses; the ward sees who is involved") {
    Record r = test::demo_record("joe-bradshaw");
    View ae = scenario_view(r, "6", "RVY");
    CHECK(shown(ae, "MedicationStatement", "Metformin"));
    CHECK(shown(ae, "AllergyIntolerance", "penicillin"));
    CHECK(shown(ae, "Condition", "Chronic obstructive"));
    CHECK(ae.own_organisation_items_hidden() > 0);  // Southport's own admission is in its own system
    View ward = scenario_view(r, "1a", "RVY");
    CHECK(shown(ward, "CareTeam", ""));
    CHECK(shown(ward, "CarePlan", "Care closer to home"));
  }

  TEST_CASE("2. Joan: the extended primary care team sees her shared care plan, goals, appointments and health status") {
    Record r = test::demo_record("joan-mcallister");
    View v = scenario_view(r, "7", "ZZNBH1");  // a neighbourhood team: the plan's own trust would see it natively
    CHECK(shown(v, "CarePlan", "Virtual ward"));
    CHECK(shown(v, "Goal", "Walk"));
    CHECK(shown(v, "Appointment", "Virtual ward MDT"));
    CHECK(shown(v, "Observation", "Body weight"));
    // Her health trainer (an unregistered professional, profile 4) sees her key health status (table 1, S2).
    View trainer = scenario_view(r, "4", "ZZNBH1");
    CHECK(shown(trainer, "Observation", "Body weight"));
    CHECK(shown(trainer, "Observation", "Blood pressure"));
    CHECK(shown(trainer, "Goal", "Walk"));
    CHECK(trainer.items_in(Segment::community).empty());
  }

  TEST_CASE("3. Brenda: the community mental health team sees last week's LFT from her GP (D1), not more of diagnostics") {
    Record r = test::demo_record("brenda-kelly");
    View v = scenario_view(r, "2b", "RW4");
    CHECK(v.tier(Segment::diagnostics) == 1);
    bool lft = false;
    for (const Item* i : v.items_in(Segment::diagnostics)) lft = lft || i->display.rfind("ALT", 0) == 0;
    CHECK(lft);
    for (const Item* i : v.items_in(Segment::diagnostics)) CHECK(i->tier == 1);
  }

  TEST_CASE("4. David: hospital clinicians see summary tiers 1-3; his social worker sees the admission (H1)") {
    Record r = test::demo_record("david-okafor");
    View doctor = scenario_view(r, "1a", "REM");
    CHECK(doctor.tier(Segment::summary) == 3);
    CHECK(shown(doctor, "CarePlan", "Care package"));
    View social_worker = scenario_view(r, "3b", "ZZSEF1");
    CHECK(social_worker.tier(Segment::hospital) == 1);
    bool admission = false;
    for (const Item* i : social_worker.items_in(Segment::hospital)) admission = admission || i->source.ods_code == "REM";
    CHECK(admission);
    for (const Item* i : social_worker.items_in(Segment::hospital)) CHECK(i->tier == 1);
    CHECK(social_worker.items_in(Segment::diagnostics).empty());
  }

  TEST_CASE("5. Phil, an A&E doctor, sees resuscitation decision, mental capacity and end-of-life wishes at a glance") {
    Record r = test::demo_record("margaret-hughes");
    for (const char* hospital : {"RQ6", "REM"}) {  // the Royal Liverpool and Aintree (seed 003, scenario 5)
      View v = scenario_view(r, "6", hospital);
      CHECK(shown(v, "Observation", "Not for resuscitation"));
      CHECK(shown(v, "Flag", "Lacks capacity"));
      CHECK(shown(v, "CarePlan", "End of life"));
    }
  }

  TEST_CASE("6. The neighbourhood team sees Arthur's planned admission (TCI) weeks ahead") {
    Record r = test::demo_record("arthur-prescott");
    for (const char* profile : {"3b", "7", "1b"}) {  // social worker, district nurse, GP
      View v = scenario_view(r, profile, "ZZNBH1");
      bool tci = false;
      for (const Item* i : v.items_in(Segment::hospital))
        tci = tci || (i->date && i->date->year == 2027 && i->date->month == 1 && i->date->day == 5);
      CAPTURE(profile);
      CHECK(tci);
    }
  }

  TEST_CASE("7. Susan: the social work team leader sees who else is involved and her shared care plans") {
    Record r = test::demo_record("susan-doyle");
    View v = scenario_view(r, "3b", "ZZSEF1");
    CHECK(shown(v, "CareTeam", ""));
    CHECK(shown(v, "RelatedPerson", "Sister"));
    CHECK(shown(v, "Flag", "Safeguarding alert"));
    CHECK(shown(v, "CarePlan", ""));
  }
}

// ---------------------------------------------------------------------------
// Property: whatever the record, profile and consent state, the View keeps the rules
// ---------------------------------------------------------------------------

namespace {

using test::kOrganisations;
using test::RecordMaker;

enum class ConsentState { none, given, lapsed, override_, opted_out, segment_opt_out, organisation_opt_out, fhir_deny };
const ConsentState kStates[] = {ConsentState::none,      ConsentState::given,          ConsentState::lapsed,
                                ConsentState::override_, ConsentState::opted_out,      ConsentState::segment_opt_out,
                                ConsentState::organisation_opt_out, ConsentState::fhir_deny};

}  // namespace

TEST_SUITE("property: the View keeps the rules") {
  TEST_CASE("random records x every profile x every consent state") {
    const Policy& policy = Policy::builtin();
    RecordMaker maker(20261122);
    int views = 0, items_shown = 0;
    for (int round = 0; round < 25; ++round) {
      std::vector<std::string> resources = maker.make(40);
      Record record = test::record_of(resources);
      // The same record, with the person's own FHIR Consent opting out of all sharing.
      resources.push_back(R"({"resourceType":"Consent","id":"deny","status":"active","patient":{"reference":"Patient/joe"},
        "scope":{"coding":[{"code":"patient-privacy"}]},"provision":{"type":"deny"}})");
      Record denied = test::record_of(resources);
      for (const auto& profile : policy.profiles()) {
        for (ConsentState state : kStates) {
          const Record& r = state == ConsentState::fhir_deny ? denied : record;
          AuditTrail audit(policy.alerts());
          Request req = test::request(r, profile.id, "RY1");
          const char* segments[] = {"S", "C", "D", "H"};
          std::string opted_segment = segments[round % 4], opted_org = kOrganisations[round % 6].ods;
          switch (state) {
            case ConsentState::none: req.consent.reset(); break;
            case ConsentState::given: break;
            case ConsentState::lapsed: req.consent->expires = test::kNow.plus_minutes(-1); break;
            case ConsentState::override_:
              req.consent.reset();
              if (!profile.may_override) continue;
              req.override_ = policy.start_override(req.viewer, r.patient(), "emergency", "Collapsed, unable to consent", test::kNow, audit);
              break;
            case ConsentState::opted_out: req.opt_outs = {{OptOut::Scope::whole_record, {}}}; break;
            case ConsentState::segment_opt_out: req.opt_outs = {{OptOut::Scope::segment, opted_segment}}; break;
            case ConsentState::organisation_opt_out: req.opt_outs = {{OptOut::Scope::organisation, opted_org}}; break;
            case ConsentState::fhir_deny: break;
          }
          Decision d = policy.view_for(r, req, audit);
          REQUIRE(d.view);
          const View& v = *d.view;
          ++views;
          items_shown += static_cast<int>(v.items().size());
          CAPTURE(round);
          CAPTURE(profile.id);
          CAPTURE(static_cast<int>(state));
          test::check_within_the_rules(r, v, policy, profile);
          bool basis = state == ConsentState::given || state == ConsentState::override_ || state == ConsentState::segment_opt_out ||
                       state == ConsentState::organisation_opt_out;
          CHECK(v.shows_record() == basis);
          for (const auto& i : v.items()) {
            CHECK(i.source.ods_code != "RY1");  // the viewer's own organisation
            if (state == ConsentState::segment_opt_out) CHECK(segment_letter(i.segment) != opted_segment);
            if (state == ConsentState::organisation_opt_out) CHECK(i.source.ods_code != opted_org);
          }
          // Nothing withheld leaks into what a host can write out.
          std::string json = view_as_json(v, Date{2026, 11, 22}), text = mirror_as_text(mirror_of_view(v, Date{2026, 11, 22}, test::kNow));
          for (const auto& item : r.items()) {
            if (item.segment == Segment::none || v.find(item.key)) continue;
            std::string mark = "MARK-" + item.source_id + "-", id = "\"" + item.source_id + "\"";
            if (json.find(mark) != std::string::npos || text.find(mark) != std::string::npos || json.find(id) != std::string::npos)
              FAIL_CHECK(item.key << " was withheld but appears in the exported View");
          }
          // With consent and no opt-out, everything the rules allow is shown.
          if (state == ConsentState::given) {
            for (const auto& item : test::marked_items(r, policy)) {
              bool allowed = item.segment != Segment::none && item.tier >= 1 && item.tier <= v.tier(item.segment) &&
                             (!item.exclusion || (item.segment == Segment::diagnostics && v.tier(Segment::diagnostics) >= 3)) &&
                             (item.sensitive_test.empty() || v.tier(Segment::diagnostics) >= 3) && item.source.ods_code != "RY1";
              CAPTURE(item.key);
              CHECK((v.find(item.key) != nullptr) == allowed);
            }
          }
        }
      }
    }
    CHECK(views > 1500);
    CHECK(items_shown > 1000);  // the property is not vacuous
  }
}
