// The sharing model as the policy enforces it (SHARING-MODEL.md): role
// profiles and tiers, exclusions, consent, opt-outs, override, legitimate
// relationship and the viewer's own organisation.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/mirror.h"
#include "ilinks/session.h"
#include "policy_helpers.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;
using test::kNow;

namespace {

std::string policy_text() { return slurp(std::string(ILINKS_SOURCE_DIR) + "/core/data/policy.json"); }
Policy tranche_1() { return Policy::from_file(std::string(ILINKS_SOURCE_DIR) + "/core/data/deployments/tranche-1.json"); }

const Segment kSegments[] = {Segment::summary, Segment::community, Segment::diagnostics, Segment::hospital};

// Table 6, as the framework prints it (0 is X).
struct Row {
  const char* id;
  int s, c, d, h;
};
const Row kTable6[] = {{"1a", 3, 2, 3, 3}, {"1b", 3, 3, 3, 2}, {"1c", 3, 2, 3, 2}, {"2a", 3, 2, 2, 2},
                       {"2b", 3, 1, 1, 1}, {"3a", 3, 1, 0, 2}, {"3b", 3, 2, 0, 1}, {"4", 3, 0, 0, 0},
                       {"5", 1, 0, 0, 0},  {"6", 3, 1, 3, 3}, {"7", 3, 3, 2, 2}};

int level(const Row& r, Segment s) {
  return s == Segment::summary ? r.s : s == Segment::community ? r.c : s == Segment::diagnostics ? r.d : r.h;
}

}  // namespace

TEST_SUITE("policy file") {
  TEST_CASE("the shipped policy carries the 11 profiles of table 6 exactly, with every tier live") {
    const Policy& p = Policy::builtin();
    CHECK(p.version() == "north-mersey-2016-02.2");
    CHECK(p.sha256().size() == 64);
    REQUIRE(p.profiles().size() == 11);
    for (const Row& row : kTable6) {
      const Profile* profile = p.profile(row.id);
      REQUIRE(profile);
      for (Segment s : kSegments) CHECK(p.effective_tier(*profile, s) == level(row, s));
    }
  }

  TEST_CASE("table 7's first tranche: the lower of the profile's level and what is live") {
    Policy p = tranche_1();
    CHECK(p.version() == "north-mersey-2016-02.2+tranche-1");
    CHECK(p.sha256() != Policy::builtin().sha256());
    // Live: S1-3, C1-2, H1-2, D3 only.
    for (const Row& row : kTable6) {
      const Profile& profile = *p.profile(row.id);
      CAPTURE(row.id);
      CHECK(p.effective_tier(profile, Segment::summary) == row.s);
      CHECK(p.effective_tier(profile, Segment::community) == std::min(row.c, 2));
      CHECK(p.effective_tier(profile, Segment::hospital) == std::min(row.h, 2));
      CHECK(p.effective_tier(profile, Segment::diagnostics) == (row.d == 3 ? 3 : 0));
    }
  }

  TEST_CASE("any professional may override; only admin / clerical may not") {
    for (const auto& profile : Policy::builtin().profiles())
      CHECK(profile.may_override == (profile.id != "5"));
  }

  TEST_CASE("a bad policy file is refused whole, saying where and why") {
    auto refused = [](nlohmann::json j, const std::string& says) {
      CAPTURE(says);
      CHECK_THROWS_WITH_AS(Policy::from_json(j.dump(), "p.json"), doctest::Contains(says.c_str()), PolicyFileError);
    };
    auto base = nlohmann::json::parse(policy_text());
    auto j = base;
    j["profiles"][0]["access"]["D"] = 4;
    refused(j, "p.json: profiles[0].access.D: must be a whole number from 0 to 3");
    j = base;
    j["profiles"][2]["acess"] = j["profiles"][2]["access"];
    refused(j, "p.json: profiles[2].acess: is not a known member (misspelt?)");
    j = base;
    j["live"]["D"] = {1, 1};
    refused(j, "p.json: live.D: lists tier 1 twice");
    j = base;
    j["override"]["profiles"].push_back("9z");
    refused(j, "p.json: override.profiles: \"9z\" is not a profile");
    j = base;
    j["exclusions"]["categories"][0]["read_v2"][0]["code"] = "A7%8";
    refused(j, "p.json: exclusions: ");
    j = base;
    j["alerts"]["out_of_hours"]["working_hours"] = {"8am", "18:30"};
    refused(j, "\"8am\" is not a time");
    j = base;
    j.erase("notice");
    refused(j, "p.json: notice: is missing");
    CHECK_THROWS_WITH_AS(Policy::from_json("{\"format\":", "p.json"), doctest::Contains("p.json: is not valid JSON"), PolicyFileError);
    CHECK_THROWS_WITH_AS(Policy::from_json(R"({"format":"ilinks-policy/1","extends":"other-2019","version":"x"})", "d.json"),
                         doctest::Contains("d.json: extends: must name the built-in policy version"), PolicyFileError);
  }
}

TEST_SUITE("role profiles and tiers") {
  // Every (segment, tier) the demo patients hold, under every profile and both
  // deployments: an item is shown exactly when its tier is within the
  // profile's effective tier (and no other rule withholds it).
  TEST_CASE("table-driven: 11 profiles x 4 segments x 3 tiers x live tranches") {
    std::set<std::string> combinations;
    const Policy tranche = tranche_1();
    std::vector<std::pair<std::string, Record>> records;
    for (const char* name : {"joe-bradshaw", "joan-mcallister", "brenda-kelly", "david-okafor", "margaret-hughes",
                             "arthur-prescott", "susan-doyle", "harold-winstanley"})
      records.emplace_back(name, test::demo_record(name));
    // The demo patients hold no free-text community document (C3), coded community entry (C2) nor genomics (D3).
    records.emplace_back("C3 and D3", test::record_of({test::organisation("o1", "RY1", "Liverpool Community Health NHS Trust"),
        R"({"resourceType":"DocumentReference","id":"d","status":"current","subject":{"reference":"Patient/joe"},
            "custodian":{"reference":"Organization/o1"},"type":{"text":"District nursing notes"},
            "content":[{"attachment":{"contentType":"text/plain","data":"Tm90ZXM="}}]})",
        R"({"resourceType":"Observation","id":"g","status":"final","subject":{"reference":"Patient/joe"},
            "category":[{"coding":[{"code":"genetics"}]}],"code":{"text":"BRCA1 variant"},"valueString":"Not detected"})",
        R"({"resourceType":"Procedure","id":"p","status":"completed","subject":{"reference":"Patient/joe"},
            "performer":[{"actor":{"reference":"Organization/o1"}}],"code":{"text":"Leg ulcer dressing"}})"}));
    for (const auto& [name, record] : records) {
      for (const Policy* policy : {&Policy::builtin(), &tranche}) {
        for (const auto& profile : policy->profiles()) {
          auto req = test::request(record, profile.id);
          req.include_own_organisation = true;
          if (policy->effective_tier(profile, Segment::community) == 3) {  // wider access recorded, as section 7.2 asks
            AuditTrail audit(policy->alerts());
            req.case_access = policy->record_case_access(req.viewer, record.patient(), "extended-team", "Virtual ward MDT review", test::kNow, audit);
          }
          View view = test::view_of(record, req, *policy);
          test::check_within_the_rules(record, view, *policy, profile);
          for (const auto& item : test::marked_items(record, *policy)) {
            if (item.segment == Segment::none || item.exclusion || !item.sensitive_test.empty()) continue;
            combinations.insert(std::string(segment_letter(item.segment)) + std::to_string(item.tier));
            bool allowed = item.tier <= policy->effective_tier(profile, item.segment);
            CAPTURE(name);
            CAPTURE(profile.id);
            CAPTURE(item.key);
            CHECK((view.find(item.key) != nullptr) == allowed);
          }
        }
      }
    }
    std::string seen;
    for (const auto& c : combinations) seen += c + " ";
    CHECK(seen == "C1 C2 C3 D1 D2 D3 H1 H2 H3 S2 S3 ");
  }

  TEST_CASE("a segment the role may not see is empty, and the view says which role") {
    Record r = test::demo_record("joe-bradshaw");
    View v = test::view_of(r, test::request(r, "5"));
    CHECK(v.tier(Segment::diagnostics) == 0);
    CHECK(v.items_in(Segment::diagnostics).empty());
    CHECK(v.profile_name() == "Admin / clerical");
    CHECK(mirror_as_text(mirror_of_view(v, Date{2026, 11, 22}, test::kNow)).find("Not available for your role: Admin / clerical") != std::string::npos);
  }

  TEST_CASE("admin / clerical sees demographics only") {
    Record r = test::demo_record("david-okafor");
    View v = test::view_of(r, test::request(r, "5"));
    CHECK(v.items().empty());
    CHECK(v.patient().name.family == "Okafor");
    CHECK(v.tiers_shown() == "S1");
  }
}

TEST_SUITE("exclusions") {
  std::string hiv_condition() {
    return R"({"resourceType":"Condition","id":"hiv","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://read.info/readv2","code":"A789."}]}})";
  }
  std::string hiv_test() {
    return R"({"resourceType":"Observation","id":"hivtest","status":"final","subject":{"reference":"Patient/joe"},
      "category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"7917-8"}],"text":"HIV 1 Ab"},
      "valueString":"Negative"})";
  }

  TEST_CASE("an excluded diagnosis is shown to no one, and nothing reveals it was there") {
    Record r = test::record_of({hiv_condition(), R"({"resourceType":"Condition","id":"asthma","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}]}})"});
    for (const auto& profile : Policy::builtin().profiles()) {
      View v = test::view_of(r, test::request(r, profile.id));
      CHECK_FALSE(v.find("Condition/hiv"));
      std::string json = view_as_json(v, Date{2026, 11, 22}), text = mirror_as_text(mirror_of_view(v, Date{2026, 11, 22}, test::kNow));
      CHECK(json.find("hiv") == std::string::npos);
      CHECK(json.find("A789") == std::string::npos);
      CHECK(text.find("The shared record never includes certain sensitive information.") != std::string::npos);
    }
  }

  TEST_CASE("the notice is the same words whether or not anything was withheld") {
    Record with = test::record_of({hiv_condition()}), without = test::record_of({});
    CHECK(test::view_of(with, test::request(with, "1a")).notice() == test::view_of(without, test::request(without, "1a")).notice());
  }

  TEST_CASE("a sensitive test is withheld at D2 and shown at D3, which has no exclusions") {
    Record r = test::record_of({hiv_test()});
    CHECK_FALSE(test::view_of(r, test::request(r, "2a")).find("Observation/hivtest"));  // D2
    CHECK(test::view_of(r, test::request(r, "1a")).find("Observation/hivtest"));        // D3
  }

  TEST_CASE("the medication whose only indication is excluded goes with it; one with another indication stays") {
    Record r = test::record_of({hiv_condition(), R"({"resourceType":"Condition","id":"ht","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]}})",
                                R"({"resourceType":"MedicationStatement","id":"arv","status":"active","subject":{"reference":"Patient/joe"},
      "medicationCodeableConcept":{"text":"Antiretroviral"},"reasonReference":[{"reference":"Condition/hiv"}]})",
                                R"({"resourceType":"MedicationStatement","id":"ace","status":"active","subject":{"reference":"Patient/joe"},
      "medicationCodeableConcept":{"text":"Ramipril"},"reasonReference":[{"reference":"Condition/hiv"},{"reference":"Condition/ht"}]})"});
    View v = test::view_of(r, test::request(r, "1b"));
    CHECK_FALSE(v.find("MedicationStatement/arv"));
    REQUIRE(v.find("MedicationStatement/ace"));
    CHECK(v.find("MedicationStatement/ace")->links.size() == 1);  // only the hypertension: no dangling reference
    CHECK(v.find("MedicationStatement/ace")->links[0].target == "Condition/ht");
  }

  TEST_CASE("a deployment's policy with its own exclusion codes withholds by them too") {
    auto j = nlohmann::json::parse(policy_text());
    j["version"] = "local-1";
    j["exclusions"]["categories"][4]["snomed_ct"].push_back({{"code", "195967001"}, {"description", "local test"}});
    Policy local = Policy::from_json(j.dump(), "local.json");
    Record r = test::record_of({R"({"resourceType":"Condition","id":"asthma","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001"}]}})"});
    CHECK(test::view_of(r, test::request(r, "1a")).find("Condition/asthma"));
    CHECK_FALSE(test::view_of(r, test::request(r, "1a"), local).find("Condition/asthma"));
  }
}

TEST_SUITE("consent, opt-out and override") {
  TEST_CASE("without consent the view holds the host's identity and a consent request, nothing from the record") {
    Record r = test::demo_record("joe-bradshaw");
    auto req = test::request(r, "1a");
    req.consent.reset();
    req.host_patient = Patient{};
    req.host_patient.nhs_number = r.patient().nhs_number;
    req.host_patient.name.family = "Bradshaw-Host";
    View v = test::view_of(r, req);
    CHECK(v.basis() == Basis::consent_required);
    CHECK(v.items().empty());
    CHECK(v.patient().name.family == "Bradshaw-Host");  // the host's, not the shared record's
    CHECK_FALSE(v.patient().birth_date);
    CHECK(v.tiers_shown().empty());
  }

  TEST_CASE("a consent lapses at its expiry, and a year after it was recorded when it has none") {
    Record r = test::record_of({});
    auto req = test::request(r, "1a");
    req.consent = test::verbal_consent(test::at("2025-11-01T09:00:00Z"));
    CHECK(test::view_of(r, req).basis() == Basis::consent_required);
    req.consent = test::verbal_consent(test::at("2026-01-01T09:00:00Z"));
    CHECK(test::view_of(r, req).basis() == Basis::consent);
    req.consent->expires = test::at("2026-11-22T10:00:00Z");
    CHECK(test::view_of(r, req).basis() == Basis::consent_required);
  }

  TEST_CASE("a consent by a method the policy does not know is no consent") {
    Record r = test::record_of({});
    auto req = test::request(r, "1a");
    req.consent->method = "implied";
    CHECK(test::view_of(r, req).basis() == Basis::consent_required);
  }

  TEST_CASE("opt-outs win over role access: whole record, segment, setting, organisation, item") {
    Record r = test::demo_record("david-okafor");
    auto req = test::request(r, "1a");
    req.include_own_organisation = true;
    View all = test::view_of(r, req);
    REQUIRE(!all.items_in(Segment::hospital).empty());

    req.opt_outs = {{OptOut::Scope::whole_record, {}}};
    View none = test::view_of(r, req);
    CHECK(none.basis() == Basis::opted_out);
    CHECK(none.items().empty());

    req.opt_outs = {{OptOut::Scope::segment, "H"}};
    View no_h = test::view_of(r, req);
    CHECK(no_h.items_in(Segment::hospital).empty());
    CHECK(no_h.items_in(Segment::summary).size() == all.items_in(Segment::summary).size());
    CHECK_FALSE(no_h.opt_out_notice().empty());

    auto has = [](const View& v, auto&& is) { return std::any_of(v.items().begin(), v.items().end(), is); };
    auto social_care = [](const Item& i) { return i.source.setting == CareSetting::social_care; };
    auto from_aintree = [](const Item& i) { return i.source.ods_code == "REM"; };
    REQUIRE(has(all, social_care));
    REQUIRE(has(all, from_aintree));
    req.opt_outs = {{OptOut::Scope::setting, "social_care"}};
    View no_social_care = test::view_of(r, req);
    CHECK_FALSE(has(no_social_care, social_care));
    CHECK(has(no_social_care, from_aintree));

    req.opt_outs = {{OptOut::Scope::organisation, "REM"}};
    View no_aintree = test::view_of(r, req);
    CHECK_FALSE(has(no_aintree, from_aintree));
    CHECK(has(no_aintree, social_care));

    const Item& one = all.items().front();
    req.opt_outs = {{OptOut::Scope::item, one.key}};
    CHECK_FALSE(test::view_of(r, req).find(one.key));
  }

  TEST_CASE("opting out of a diagnosis withholds what only makes sense through it, even at D3") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]}})",
                                R"({"resourceType":"MedicationStatement","id":"m","status":"active","subject":{"reference":"Patient/joe"},
      "medicationCodeableConcept":{"text":"Ramipril"},"reasonReference":[{"reference":"Condition/c"}]})"});
    auto req = test::request(r, "1a");
    req.opt_outs = {{OptOut::Scope::item, "Condition/c"}};
    View v = test::view_of(r, req);
    CHECK_FALSE(v.find("Condition/c"));
    CHECK_FALSE(v.find("MedicationStatement/m"));
  }

  TEST_CASE("a FHIR Consent with base deny is a full opt-out; permit with a nested deny withholds that part") {
    std::string org = test::organisation("o1", "RW4", "Mersey Care NHS Foundation Trust");
    std::string mh = R"({"resourceType":"Condition","id":"mh","subject":{"reference":"Patient/joe"},"asserter":{"reference":"Organization/o1"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"58214004","display":"Schizophrenia"}]}})";
    std::string ht = R"({"resourceType":"Condition","id":"ht","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]}})";
    auto consent = [](const std::string& provision) {
      return R"({"resourceType":"Consent","id":"k","status":"active","patient":{"reference":"Patient/joe"},
        "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
        "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],"provision":)" + provision + "}";
    };
    Record deny_all = test::record_of({org, mh, ht, consent(R"({"type":"deny"})")});
    View v = test::view_of(deny_all, test::request(deny_all, "1a"));
    CHECK(v.basis() == Basis::opted_out);
    CHECK(v.items().empty());

    Record partial = test::record_of({org, mh, ht, consent(R"({"type":"permit","provision":[{"type":"deny","actor":[{"role":{"text":"source"},
      "reference":{"reference":"Organization/o1"}}]}]})")});
    View p = test::view_of(partial, test::request(partial, "1a"));
    CHECK(p.basis() == Basis::consent);
    CHECK(p.find("Condition/ht"));
    CHECK_FALSE(p.find("Condition/mh"));

    Record inactive = test::record_of({org, mh, ht, R"({"resourceType":"Consent","id":"k","status":"inactive","patient":{"reference":"Patient/joe"},
      "scope":{"coding":[{"code":"patient-privacy"}]},"provision":{"type":"deny"}})"});
    CHECK(test::view_of(inactive, test::request(inactive, "1a")).basis() == Basis::consent);

    Record unclear = test::record_of({org, mh, ht, consent(R"({"type":"permit","provision":[{"type":"deny",
      "class":[{"code":"Observation"}]}]})")});
    View u = test::view_of(unclear, test::request(unclear, "1a"));
    CHECK(u.basis() == Basis::opted_out);  // a restriction it cannot apply withholds everything
    CHECK(u.items().empty());
  }

  TEST_CASE("an override needs an allowed profile, a listed reason and an explanation") {
    Record r = test::record_of({});
    AuditTrail audit(Policy::builtin().alerts());
    const Policy& p = Policy::builtin();
    CHECK_THROWS_WITH_AS(p.start_override(test::viewer("5"), r.patient(), "emergency", "Collapsed in reception", kNow, audit),
                         doctest::Contains("may not override"), Refused);
    CHECK_THROWS_WITH_AS(p.start_override(test::viewer("6"), r.patient(), "curiosity", "Collapsed in reception", kNow, audit),
                         doctest::Contains("is not an override reason"), Refused);
    CHECK_THROWS_WITH_AS(p.start_override(test::viewer("6"), r.patient(), "emergency", "  ", kNow, audit),
                         doctest::Contains("at least 10 characters"), Refused);
    Override o = p.start_override(test::viewer("6"), r.patient(), "unconscious", "Brought in unresponsive", kNow, audit);
    CHECK(o.ends.utc_seconds - o.started.utc_seconds == 240 * 60);
    CHECK(audit.last_sequence() == 4);  // three refused attempts and the override: each audited
  }

  TEST_CASE("under an override the record shows, marked, until it ends") {
    Record r = test::demo_record("margaret-hughes");
    AuditTrail audit(Policy::builtin().alerts());
    auto req = test::request(r, "6");
    req.consent.reset();
    req.override_ = Policy::builtin().start_override(req.viewer, r.patient(), "unconscious", "Brought in unresponsive", kNow, audit);
    Decision d = Policy::builtin().view_for(r, req, audit);
    REQUIRE(d.view);
    CHECK(d.view->basis() == Basis::override_);
    CHECK(d.view->override_reason() == "The person is unconscious or lacks capacity to consent");
    CHECK(d.view->override_ends()->utc_seconds == req.override_->ends.utc_seconds);
    CHECK_FALSE(d.view->items().empty());
    req.now = req.override_->ends;  // time is up
    CHECK(test::view_of(r, req).basis() == Basis::consent_required);
    req.now = kNow;
    req.viewer.user_id = "someone-else";  // an override is personal
    CHECK(test::view_of(r, req).basis() == Basis::consent_required);
  }

  TEST_CASE("an opt-out wins over an override") {
    Record r = test::record_of({});
    AuditTrail audit(Policy::builtin().alerts());
    auto req = test::request(r, "6");
    req.override_ = Policy::builtin().start_override(req.viewer, r.patient(), "emergency", "Cardiac arrest in department", kNow, audit);
    req.opt_outs = {{OptOut::Scope::whole_record, {}}};
    CHECK(test::view_of(r, req).basis() == Basis::opted_out);
  }
}

TEST_SUITE("who may look") {
  TEST_CASE("without a legitimate relationship there is no view, and the attempt is audited with an alert") {
    Record r = test::demo_record("joe-bradshaw");
    auto req = test::request(r, "1a");
    req.legitimate_relationship = false;
    AuditTrail audit(Policy::builtin().alerts());
    Decision d = Policy::builtin().view_for(r, req, audit);
    CHECK_FALSE(d.view);
    CHECK(d.refused.find("no legitimate relationship") != std::string::npos);
    CHECK(audit.last_sequence() == 1);
  }

  TEST_CASE("a record about someone else than the person the host has open is refused") {
    Record r = test::demo_record("joe-bradshaw");
    auto req = test::request(r, "1a");
    req.host_patient.nhs_number = "9990000220";
    AuditTrail audit(Policy::builtin().alerts());
    Decision d = Policy::builtin().view_for(r, req, audit);
    CHECK_FALSE(d.view);
    CHECK(d.refused.find("different person") != std::string::npos);
  }

  TEST_CASE("a record that does not say whose it is is refused") {
    RecordBuilder b;
    b.add(R"({"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"}})", {"o.json", {}});
    Record r = b.build();
    auto req = test::request(r, "1a");
    req.host_patient.nhs_number = "9990000115";
    AuditTrail audit(Policy::builtin().alerts());
    CHECK(Policy::builtin().view_for(r, req, audit).refused.find("does not say whose it is") != std::string::npos);
  }

  TEST_CASE("an unknown profile, or a viewer with no user or organisation, is refused") {
    Record r = test::record_of({});
    AuditTrail audit(Policy::builtin().alerts());
    auto req = test::request(r, "8");
    CHECK(Policy::builtin().view_for(r, req, audit).refused.find("\"8\" is not a role profile") != std::string::npos);
    req = test::request(r, "1a");
    req.viewer.user_id.clear();
    CHECK_FALSE(Policy::builtin().view_for(r, req, audit).view);
    req = test::request(r, "1a");
    req.viewer.organisation_ods.clear();
    CHECK_FALSE(Policy::builtin().view_for(r, req, audit).view);
  }

  TEST_CASE("items from the viewer's own organisation are left out by default, and can be included") {
    Record r = test::demo_record("joe-bradshaw");
    auto req = test::request(r, "6", "RVY");
    View v = test::view_of(r, req);
    CHECK(v.own_organisation_items_hidden() > 0);
    for (const auto& i : v.items()) CHECK(i.source.ods_code.rfind("RVY", 0) != 0);
    req.include_own_organisation = true;
    View with = test::view_of(r, req);
    CHECK(with.own_organisation_items_hidden() == 0);
    CHECK(with.items().size() == v.items().size() + static_cast<size_t>(v.own_organisation_items_hidden()));
  }
}

TEST_CASE("the privacy officer is an audit role: it reads alerts and the audit, and is never given a clinical view") {
  const Policy& p = Policy::builtin();
  const AuditRole* po = p.audit_role("PO");
  REQUIRE(po);
  CHECK(po->sees == std::set<std::string>{"alerts", "audit"});
  CHECK_FALSE(p.profile("PO"));  // so a Session refuses it as a viewer
  Session session(p);
  Viewer officer;
  officer.user_id = "po1";
  officer.profile = "PO";
  officer.organisation_ods = "ZZIG";
  CHECK_THROWS_AS(session.set_viewer(officer, true), Refused);
  CHECK_FALSE(p.audit_role("1a"));
}

TEST_CASE("an audit role may not take a clinical profile's id") {
  std::string policy = R"({"format": "ilinks-policy/1", "extends": ")" + Policy::builtin().version() +
                       R"(", "version": "x", "audit_roles": [{"id": "1a", "name": "Officer", "sees": ["audit"]}]})";
  CHECK_THROWS_WITH_AS(Policy::from_json(policy, "local.json"), doctest::Contains("audit_roles[0].id"), PolicyFileError);
}

namespace {
std::string sharing_consent(const std::string& policy_uri, const std::string& type = "permit", const std::string& when = "2026-10-01T09:30:00Z") {
  return R"({"resourceType":"Consent","id":"c1","status":"active",
    "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
    "patient":{"reference":"Patient/joe"},"dateTime":")" + when + R"(",
    "policy":[{"uri":")" + policy_uri + R"("}],"provision":{"type":")" + type + R"("}})";
}
}  // namespace

TEST_CASE("a consent the GP practice recorded as FHIR under the sharing framework lets the clinician in, as a consent recorded here does") {
  Record r = test::record_of({sharing_consent("https://ilinks.nhs.uk/policy/information-sharing-framework")}, "N84011");
  Request req = test::request(r, "1a");
  req.consent.reset();
  req.now = *Timestamp::parse("2026-11-20T10:00:00Z");
  View v = test::view_of(r, req);
  CHECK(v.basis() == Basis::consent);
  CHECK(v.basis_text().find("Consent (written) given by patient, recorded 01-Oct-2026") == 0);
}

TEST_CASE("a FHIR Consent given under some other agreement, or long ago, does not open the record") {
  {
    Record r = test::record_of({sharing_consent("https://research.example.org/biobank")}, "N84011");
    Request req = test::request(r, "1a");
    req.consent.reset();
    req.now = *Timestamp::parse("2026-11-20T10:00:00Z");
    CHECK(test::view_of(r, req).basis() == Basis::consent_required);
  }
  Record old = test::record_of({sharing_consent("https://ilinks.nhs.uk/policy/information-sharing-framework", "permit",
                                                "2024-01-01T09:00:00Z")}, "N84011");
  Request req = test::request(old, "1a");
  req.consent.reset();
  req.now = *Timestamp::parse("2026-11-20T10:00:00Z");
  CHECK(test::view_of(old, req).basis() == Basis::consent_required);  // lapsed after the policy's year
}
