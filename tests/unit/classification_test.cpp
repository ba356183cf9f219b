// Placing items in the sharing model (SHARING-MODEL.md tables 1-4) and marking
// the exclusion categories (section 7.5, Appendix 1).
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/policy.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;
using test::item;
using test::marked;
using test::placed;

namespace {

const char* kRead = "http://read.info/readv2";

std::string condition(const std::string& id, const std::string& system, const std::string& code) {
  return R"({"resourceType":"Condition","id":")" + id + R"(","subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":")" +
         system + R"(","code":")" + code + R"("}]}})";
}


}  // namespace

TEST_SUITE("exclusion codes (Appendix 1)") {
  TEST_CASE("Read v2 codes match as Appendix 1 prints them: dot padding and % hierarchies") {
    CHECK(read_v2_matches("A78A%", "A78A."));
    CHECK(read_v2_matches("A78A%", "A78A3"));
    CHECK(read_v2_matches("A78A%", "A78AW"));
    CHECK_FALSE(read_v2_matches("A78A%", "A78B."));
    CHECK(read_v2_matches("9U%", "9U4.."));
    CHECK(read_v2_matches("62b..", "62b"));
    CHECK(read_v2_matches("14OP", "14OP."));
    CHECK(read_v2_matches("2JC", "2JC.."));
    CHECK_FALSE(read_v2_matches("13N5.", "13N51"));
    CHECK_FALSE(read_v2_matches("43d5.", "43D5."));  // Read v2 is case-sensitive
  }

  TEST_CASE("every Appendix 1 code is carried in the policy's exclusions exactly once, in its category") {
    // The seed prints: category headings, then code / description pairs.
    std::string seed = slurp(std::string(ILINKS_SHARED_DATA) + "/../seeds/003_49539da5dec99a57.txt");
    REQUIRE_FALSE(seed.empty());
    auto start = seed.find("Appendix 1 - Exclusion Codes"), end = seed.find("Appendix 2 - CEO");
    REQUIRE(start != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::istringstream lines(seed.substr(start, end - start));
    std::vector<std::string> text;
    for (std::string line; std::getline(lines, line);) {
      auto a = line.find_first_not_of(" \t\r"), b = line.find_last_not_of(" \t\r");
      if (a != std::string::npos) text.push_back(line.substr(a, b - a + 1));
    }
    const std::map<std::string, std::string> headings = {
        {"HIV & Aids", "hiv_aids"}, {"Sexually Transmitted Diseases", "sexually_transmitted_diseases"},
        {"Termination of Pregnancy", "termination_of_pregnancy"}, {"IVF treatment", "ivf_treatment"},
        {"Complaints", "complaints"}, {"Convictions & imprisonment", "convictions_and_imprisonment"},
        {"Abuse (physical, psychological or sexual, by others)", "abuse"}, {"Gender reassignment", "gender_reassignment"},
        {"Adoption", "adoption"}};
    std::multiset<std::pair<std::string, std::string>> in_seed;
    std::string category;
    for (size_t i = 3; i < text.size(); ++i) {  // after the title and the column headings
      if (headings.count(text[i])) { category = headings.at(text[i]); continue; }
      REQUIRE_FALSE(category.empty());
      in_seed.insert({category, text[i]});
      ++i;  // its description
    }
    auto data = nlohmann::json::parse(slurp(std::string(ILINKS_SOURCE_DIR) + "/core/data/policy.json"))["exclusions"];
    std::multiset<std::pair<std::string, std::string>> in_data;
    for (const auto& c : data["categories"])
      for (const char* list : {"read_v2", "emis_local"})
        for (const auto& code : c[list]) in_data.insert({c["id"].get<std::string>(), code["code"].get<std::string>()});
    CHECK(in_seed.size() == 110);
    CHECK(in_data == in_seed);
  }

  TEST_CASE("an item coded with an excluded Read v2 code is marked with its category and what matched") {
    Record r = test::record_of({condition("c1", kRead, "A789."), condition("c2", kRead, "H33..")});
    REQUIRE(marked(r, "Condition/c1").exclusion);
    CHECK(marked(r, "Condition/c1").exclusion->category == "hiv_aids");
    CHECK(marked(r, "Condition/c1").exclusion->matched == "Read v2 A789%");
    CHECK_FALSE(marked(r, "Condition/c2").exclusion);  // asthma is shared
  }

  TEST_CASE("Read v2 patterns do not match codes of other systems (ICD-10 A90 is not Read A9%)") {
    Record r = test::record_of({condition("c1", "http://hl7.org/fhir/sid/icd-10", "A90")});
    CHECK_FALSE(marked(r, "Condition/c1").exclusion);
  }

  TEST_CASE("Read v2 with EMIS's two-character term suffix is matched on its concept") {
    Record r = test::record_of({condition("c1", kRead, "9U4..00")});
    REQUIRE(marked(r, "Condition/c1").exclusion);
    CHECK(marked(r, "Condition/c1").exclusion->category == "complaints");
  }

  TEST_CASE("EMIS local codes are matched whatever system they are sent under") {
    Record r = test::record_of({condition("c1", "https://emis.example/local", "EMISNQSC1")});
    REQUIRE(marked(r, "Condition/c1").exclusion);
    CHECK(marked(r, "Condition/c1").exclusion->category == "convictions_and_imprisonment");
  }

  TEST_CASE("a curated SNOMED CT concept marks the item") {
    Record r = test::record_of({condition("c1", "http://snomed.info/sct", "86406008")});
    REQUIRE(marked(r, "Condition/c1").exclusion);
    CHECK(marked(r, "Condition/c1").exclusion->category == "hiv_aids");
  }

  TEST_CASE("security labels mark the item; substance misuse (ETH) and psychiatry (PSY) are shared") {
    auto labelled = [](const std::string& id, const std::string& system, const std::string& code) {
      return R"({"resourceType":"Condition","id":")" + id + R"(","subject":{"reference":"Patient/joe"},"meta":{"security":[{"system":")" +
             system + R"(","code":")" + code + R"("}]},"code":{"text":"x"}})";
    };
    Record r = test::record_of({labelled("sdv", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "SDV"),
                                labelled("r", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R"),
                                labelled("eth", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "ETH"),
                                labelled("psy", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY")});
    CHECK(marked(r, "Condition/sdv").exclusion->category == "abuse");
    CHECK(marked(r, "Condition/r").exclusion->category == "restricted_by_source");
    CHECK_FALSE(marked(r, "Condition/eth").exclusion);
    CHECK_FALSE(marked(r, "Condition/psy").exclusion);
  }

  TEST_CASE("a medication whose only indication is excluded is excluded with it; one with another indication is not") {
    auto med = [](const std::string& id, const std::string& reasons) {
      return R"({"resourceType":"MedicationStatement","id":")" + id +
             R"(","status":"active","subject":{"reference":"Patient/joe"},"medicationCodeableConcept":{"text":"a medicine"},"reasonReference":[)" +
             reasons + "]}";
    };
    Record r = test::record_of({condition("hiv", kRead, "A788."), condition("asthma", kRead, "H33.."),
                                med("only", R"({"reference":"Condition/hiv"})"),
                                med("both", R"({"reference":"Condition/hiv"},{"reference":"Condition/asthma"})")});
    REQUIRE(marked(r, "MedicationStatement/only").exclusion);
    CHECK(marked(r, "MedicationStatement/only").exclusion->through == "Condition/hiv");
    CHECK_FALSE(marked(r, "MedicationStatement/both").exclusion);
  }

  TEST_CASE("a report holding an excluded result is excluded, and so are its other results") {
    Record r = test::record_of({
        R"({"resourceType":"Observation","id":"hb","status":"final","subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]}})",
        R"({"resourceType":"Observation","id":"hiv","status":"final","subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":"http://read.info/readv2","code":"43WK."}]}})",
        R"({"resourceType":"DiagnosticReport","id":"panel","status":"final","subject":{"reference":"Patient/joe"},"code":{"text":"Bloods"},"result":[{"reference":"Observation/hb"},{"reference":"Observation/hiv"}]})"});
    CHECK(marked(r, "Observation/hiv").exclusion->category == "hiv_aids");
    REQUIRE(marked(r, "DiagnosticReport/panel").exclusion);
    REQUIRE(marked(r, "Observation/hb").exclusion);
    CHECK(marked(r, "Observation/hb").exclusion->through == "DiagnosticReport/panel");
  }

  TEST_CASE("a letter about an excluded condition is excluded with it") {
    Record r = test::record_of({condition("top", kRead, "7E086"),
        R"({"resourceType":"DocumentReference","id":"letter","status":"current","subject":{"reference":"Patient/joe"},"context":{"related":[{"reference":"Condition/top"}]},"content":[{"attachment":{"contentType":"text/plain","data":"TGV0dGVy"}}]})"});
    REQUIRE(marked(r, "DocumentReference/letter").exclusion);
    CHECK(marked(r, "DocumentReference/letter").exclusion->category == "termination_of_pregnancy");
  }

  TEST_CASE("items that refer to each other in a circle are marked without looping") {
    Record r = test::record_of({
        R"({"resourceType":"Observation","id":"a","status":"final","subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":"http://read.info/readv2","code":"43WK."}]},"hasMember":[{"reference":"Observation/b"}]})",
        R"({"resourceType":"Observation","id":"b","status":"final","subject":{"reference":"Patient/joe"},"code":{"text":"b"},"hasMember":[{"reference":"Observation/a"}]})"});
    CHECK(marked(r, "Observation/a").exclusion);
    CHECK(marked(r, "Observation/b").exclusion);
  }
}

TEST_SUITE("segment and tier (tables 1-4)") {
  // Each case: resources (besides Joe and the organisations), the item, where it must sit, the rule.
  struct Case { const char* what; std::string resource; const char* key; const char* placed; const char* rule; };

  TEST_CASE("each kind of item sits where the sharing model says") {
    const std::string gp = R"(,"performer":[{"reference":"Organization/gp"}])";
    const std::string community = R"(,"serviceProvider":{"reference":"Organization/lch"})";
    const std::string acute = R"(,"serviceProvider":{"reference":"Organization/aintree"})";
    const std::string subject = R"("subject":{"reference":"Patient/joe"})";
    const std::vector<Case> cases = {
        {"allergies", R"({"resourceType":"AllergyIntolerance","id":"a","patient":{"reference":"Patient/joe"},"code":{"text":"Penicillin"}})", "AllergyIntolerance/a", "S2", "allergy"},
        {"diagnoses", R"({"resourceType":"Condition","id":"c",)" + subject + R"(,"code":{"text":"COPD"}})", "Condition/c", "S2", "diagnosis"},
        {"medication", R"({"resourceType":"MedicationStatement","id":"m","status":"active",)" + subject + R"(,"medicationCodeableConcept":{"text":"Metformin"}})", "MedicationStatement/m", "S2", "medication"},
        {"who else is involved", R"({"resourceType":"CareTeam","id":"t",)" + subject + R"(})", "CareTeam/t", "S2", "who-else-is-involved"},
        {"diary", R"({"resourceType":"Appointment","id":"ap","status":"booked","participant":[{"actor":{"reference":"Patient/joe"},"status":"accepted"}]})", "Appointment/ap", "S2", "diary"},
        {"care plans", R"({"resourceType":"CarePlan","id":"cp","status":"active","intent":"plan",)" + subject + R"(,"author":{"reference":"Organization/council"}})", "CarePlan/cp", "S3", "care-plan"},
        {"hospital care plans", R"({"resourceType":"CarePlan","id":"hcp","status":"active","intent":"plan",)" + subject + R"(,"author":{"reference":"Organization/aintree"}})", "CarePlan/hcp", "H2", "hospital-care-plan"},
        {"alerts and flags", R"({"resourceType":"Flag","id":"f","status":"active",)" + subject + R"(,"code":{"text":"Dangerous dog"}})", "Flag/f", "S3", "alert"},
        {"resuscitation decision", R"({"resourceType":"Observation","id":"dnacpr","status":"final",)" + subject + R"(,"code":{"coding":[{"system":"http://snomed.info/sct","code":"304253006"}]}})", "Observation/dnacpr", "S3", "preferences"},
        {"community encounter", R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"HH"},)" + subject + community + "}", "Encounter/e1", "C1", "community-event"},
        {"admission", R"({"resourceType":"Encounter","id":"e2","status":"in-progress","class":{"code":"IMP"},)" + subject + acute + "}", "Encounter/e2", "H1", "hospital-event"},
        {"GP consultation", R"({"resourceType":"Encounter","id":"e3","status":"finished","class":{"code":"AMB"},)" + subject + R"(,"serviceProvider":{"reference":"Organization/gp"}})", "Encounter/e3", "C2", "primary-care-consultation"},
        {"coded record", R"({"resourceType":"Observation","id":"bp","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],)" + subject + R"(,"code":{"text":"BP"})" + gp + "}", "Observation/bp", "C2", "coded-record"},
        {"community documents", R"({"resourceType":"DocumentReference","id":"d1","status":"current",)" + subject + R"(,"custodian":{"reference":"Organization/lch"}})", "DocumentReference/d1", "C3", "community-document"},
        {"discharge summary", R"({"resourceType":"DocumentReference","id":"d2","status":"current",)" + subject + R"(,"type":{"coding":[{"system":"http://loinc.org","code":"18842-5"}]},"custodian":{"reference":"Organization/aintree"}})", "DocumentReference/d2", "H2", "hospital-letter"},
        {"other hospital document", R"({"resourceType":"DocumentReference","id":"d3","status":"current",)" + subject + R"(,"custodian":{"reference":"Organization/aintree"}})", "DocumentReference/d3", "H3", "hospital-document"},
        {"FBC", R"({"resourceType":"Observation","id":"hb","status":"final","category":[{"coding":[{"code":"laboratory"}]}],)" + subject + R"(,"code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]}})", "Observation/hb", "D1", "routine-test"},
        {"LFT", R"({"resourceType":"Observation","id":"alt","status":"final",)" + subject + R"(,"code":{"coding":[{"system":"http://loinc.org","code":"1742-6"}]}})", "Observation/alt", "D1", "routine-test"},
        {"other test", R"({"resourceType":"Observation","id":"crp","status":"final","category":[{"coding":[{"code":"laboratory"}]}],)" + subject + R"(,"code":{"coding":[{"system":"http://loinc.org","code":"1988-5"}]}})", "Observation/crp", "D2", "laboratory-test"},
        {"genomics", R"({"resourceType":"DiagnosticReport","id":"gen","status":"final","category":[{"coding":[{"code":"GE"}]}],)" + subject + R"(,"code":{"text":"Panel"}})", "DiagnosticReport/gen", "D3", "genomics-by-category"},
        {"radiology", R"({"resourceType":"ImagingStudy","id":"xr","status":"available",)" + subject + R"(})", "ImagingStudy/xr", "D1", "radiology-study"},
        {"hospital e-prescribing", R"({"resourceType":"MedicationAdministration","id":"ma","status":"completed",)" + subject + R"(,"medicationCodeableConcept":{"text":"x"},"performer":[{"actor":{"reference":"Organization/aintree"}}]})", "MedicationAdministration/ma", "H3", "hospital-administration"},
        {"a result of an FBC panel", R"({"resourceType":"Observation","id":"neut","status":"final","category":[{"coding":[{"code":"laboratory"}]}],)" + subject + R"(,"code":{"coding":[{"system":"http://loinc.org","code":"26499-4"}]}})", "Observation/neut", "D1", "routine-test"},
    };
    std::vector<std::string> resources = {test::organisation("gp", "ZZ0001", "Fictional Road Surgery (GP practice)"),
                                          test::organisation("lch", "RY1", "Liverpool Community Health NHS Trust"),
                                          test::organisation("aintree", "REM", "Aintree University Hospital NHS Foundation Trust"),
                                          R"({"resourceType":"Organization","id":"council","name":"Liverpool City Council"})",
                                          R"({"resourceType":"DiagnosticReport","id":"fbc","status":"final",)" + subject +
                                              R"(,"code":{"coding":[{"system":"http://loinc.org","code":"58410-2"}]},"result":[{"reference":"Observation/neut"}]})"};
    for (const auto& c : cases) resources.push_back(c.resource);
    Record r = test::record_of(resources);
    for (const auto& c : cases) {
      CAPTURE(c.what);
      CHECK(placed(item(r, c.key)) == c.placed);
      CHECK(item(r, c.key).rule == c.rule);
    }
  }

  TEST_CASE("a test in the sensitive list is marked (HIV and AIDS, GUM) and placed at D2") {
    Record r = test::record_of({R"({"resourceType":"Observation","id":"hiv","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":"http://loinc.org","code":"7917-8"}]}})"});
    CHECK(placed(item(r, "Observation/hiv")) == "D2");
    CHECK(item(r, "Observation/hiv").sensitive_test == "HIV and AIDS");
  }

  TEST_CASE("an item recorded in error is never placed") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},"verificationStatus":{"coding":[{"code":"entered-in-error"}]},"code":{"text":"x"}})"});
    CHECK(item(r, "Condition/c").segment == Segment::none);
    CHECK(item(r, "Condition/c").rule == "entered-in-error");
  }

  TEST_CASE("items outside the sharing model are kept as other and counted, never dropped") {
    Record r = test::record_of({R"({"resourceType":"Claim","id":"c1","patient":{"reference":"Patient/joe"}})",
                                R"({"resourceType":"Claim","id":"c2","patient":{"reference":"Patient/joe"}})"});
    CHECK(r.other_counts().at("Claim") == 2);
    CHECK(item(r, "Claim/c1").segment == Segment::none);
  }

  TEST_CASE("an item no rule places is reported, not guessed") {
    auto rules = nlohmann::json::parse(slurp(std::string(ILINKS_SOURCE_DIR) + "/core/data/classification.json"));
    auto& list = rules["rules"];
    list.erase(std::remove_if(list.begin(), list.end(), [](const auto& rule) { return rule["id"] == "goal"; }), list.end());
    Classification custom = Classification::from_json(rules.dump(), slurp(std::string(ILINKS_SOURCE_DIR) + "/core/data/participants.json"));
    RecordBuilder builder(custom);
    builder.add(test::bundle({test::patient(), R"({"resourceType":"Goal","id":"g","subject":{"reference":"Patient/joe"},"description":{"text":"Walk"}})"}), {"t.json", {}});
    Record r = builder.build();
    CHECK(item(r, "Goal/g").segment == Segment::none);
    CHECK(test::has_issue(r, "no classification rule places this Goal"));
  }
}

TEST_SUITE("classification data files") {
  std::string data(const char* name) { return slurp(std::string(ILINKS_SOURCE_DIR) + "/core/data/" + name); }
  // The policy's exclusions as the loader resolved them (code list files read in).
  std::string exclusions() { return Policy::builtin().exclusions_json(); }

  TEST_CASE("the shipped files load, and say their versions") {
    CHECK(Classification::builtin().version().find("classification 2016-02-north-mersey.3") == 0);
  }

  TEST_CASE("a rule with an unknown condition is refused, naming the file, the place and why") {
    auto c = nlohmann::json::parse(data("classification.json"));
    c["rules"][3]["when"]["settings"] = nlohmann::json::array({"acute_hospital"});
    CHECK_THROWS_WITH_AS(Classification::from_json(c.dump(), data("participants.json")),
                         doctest::Contains("classification.json: rules[3].when.settings: is not a known condition"), PolicyFileError);
  }

  TEST_CASE("a misspelt care setting is refused, not ignored") {
    auto p = nlohmann::json::parse(data("participants.json"));
    p["participants"][0]["setting"] = "acute";
    CHECK_THROWS_WITH_AS(Classification::from_json(data("classification.json"), p.dump()),
                         doctest::Contains("participants.json: participants[0].setting: \"acute\" is not a care setting"), PolicyFileError);
  }

  TEST_CASE("a number too large to hold is refused as bad JSON in every data file, not left to escape as a crash") {
    // nlohmann reports such a number as out_of_range, not parse_error (found by the fuzzers).
    const std::string huge = "{\"format\": 7" + std::string(400, '0') + "}";
    CHECK_THROWS_WITH_AS(Policy::from_json(huge, "p.json"), doctest::Contains("p.json: is not valid JSON"), PolicyFileError);
    CHECK_THROWS_WITH_AS(Classification::from_json(huge, data("participants.json")), doctest::Contains("is not valid JSON"), PolicyFileError);
    CHECK_THROWS_WITH_AS(Classification::from_json(data("classification.json"), huge), doctest::Contains("is not valid JSON"), PolicyFileError);
    CHECK_THROWS_WITH_AS(Exclusions::from_json(huge, "policy exclusions"), doctest::Contains("policy exclusions: is not valid JSON"),
                         PolicyFileError);
  }

  TEST_CASE("a malformed Read v2 code in the exclusions is refused") {
    auto e = nlohmann::json::parse(exclusions());
    e["categories"][0]["read_v2"][0]["code"] = "A7%8";
    CHECK_THROWS_WITH_AS(Exclusions::from_json(e.dump(), "policy exclusions"),
                         doctest::Contains("is not a Read v2 code"), PolicyFileError);
  }
}
