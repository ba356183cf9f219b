// Assembling one person's record from several inputs: references, merging,
// duplicates, other people, source organisation and care setting.
#include <doctest/doctest.h>

#include <memory>

#include "ilinks/fhir.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;
using test::has_issue;
using test::item;

namespace {
std::string observation_by(const std::string& id, const std::string& performer) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","subject":{"reference":"Patient/joe"},"code":{"text":"BP"},"performer":[{"reference":")" + performer + R"("}]})";
}
}  // namespace

TEST_SUITE("references") {
  TEST_CASE("references resolve by urn:uuid fullUrl, relative Type/id, contained #id and conditional identifier") {
    std::string bundle = R"({"resourceType":"Bundle","type":"transaction","entry":[
      {"fullUrl":"urn:uuid:5d2e0b4c","resource":)" + test::patient() + R"(},
      {"fullUrl":"urn:uuid:0a1b","resource":)" + test::organisation("rvy", "RVY", "Southport and Ormskirk Hospital NHS Trust") + R"(},
      {"resource":)" + test::organisation("lch", "RY1", "Liverpool Community Health NHS Trust") + R"(},
      {"resource":)" + test::organisation("mc", "RW4", "Mersey Care NHS Trust") + R"(},
      {"resource":)" + observation_by("by-uuid", "urn:uuid:0a1b") + R"(},
      {"resource":)" + observation_by("by-id", "Organization/lch") + R"(},
      {"resource":)" + observation_by("by-identifier", "Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|RW4") + R"(},
      {"resource":{"resourceType":"Observation","id":"by-contained","status":"final","subject":{"reference":"urn:uuid:5d2e0b4c"},
        "contained":[{"resourceType":"Organization","id":"o1","name":"Liverpool City Council"}],
        "code":{"text":"x"},"performer":[{"reference":"#o1"}]}}]})";
    RecordBuilder b;
    b.add(bundle, {"refs.json", {}});
    Record r = b.build();
    CHECK(item(r, "Observation/by-uuid").source.ods_code == "RVY");
    CHECK(item(r, "Observation/by-id").source.ods_code == "RY1");
    CHECK(item(r, "Observation/by-identifier").source.ods_code == "RW4");
    CHECK(item(r, "Observation/by-contained").source.name == "Liverpool City Council");
    CHECK(item(r, "Observation/by-contained").source.setting == CareSetting::social_care);
    CHECK(r.load_issues().empty());
  }

  TEST_CASE("a reference to something not in the record is reported once, with how many items refer to it") {
    Record r = test::record_of({observation_by("o1", "Organization/missing"), observation_by("o2", "Organization/missing")});
    CHECK(has_issue(r, "Organization/missing is referred to by 2 items but is not in the record"));
  }

  TEST_CASE("a participant's role is never the name of a medication its role resource names, whatever the order") {
    // A PractitionerRole with no code of its own but a medicationReference:
    // the role takes the medication's codes and name (and is withheld with
    // it, if the medication is), but the Observation it performed must not
    // show that name as the performer's role.
    const std::string observation = observation_by("bp", "PractitionerRole/p");
    const std::string role = R"({"resourceType":"PractitionerRole","id":"p","medicationReference":{"reference":"Medication/m"}})";
    const std::string medication = R"({"resourceType":"Medication","id":"m","code":{"text":"Named medicine"}})";
    for (const auto& order : std::vector<std::vector<std::string>>{{observation, role, medication}, {role, observation, medication},
                                                                   {medication, role, observation}}) {
      Record r = test::record_of(order);
      const Item& bp = item(r, "Observation/bp");
      REQUIRE(bp.participants.size() == 1);
      CHECK(bp.participants[0].role.str().find("Named medicine") == std::string::npos);
      CHECK(item(r, "PractitionerRole/p").display == "Named medicine");  // the role itself still takes it
    }
  }

  TEST_CASE("a result links to its report, a medication to its indication, a letter to its encounter") {
    Record r = test::record_of({
        R"({"resourceType":"Observation","id":"hb","status":"final","subject":{"reference":"Patient/joe"},"code":{"text":"Hb"}})",
        R"({"resourceType":"DiagnosticReport","id":"fbc","status":"final","subject":{"reference":"Patient/joe"},"code":{"text":"FBC"},"result":[{"reference":"Observation/hb"}]})",
        R"({"resourceType":"Condition","id":"dm","subject":{"reference":"Patient/joe"},"code":{"text":"Diabetes"}})",
        R"({"resourceType":"MedicationRequest","id":"met","status":"active","intent":"order","subject":{"reference":"Patient/joe"},"medicationCodeableConcept":{"text":"Metformin"},"reasonReference":[{"reference":"Condition/dm"}]})",
        R"({"resourceType":"Encounter","id":"enc","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/joe"}})",
        R"({"resourceType":"DocumentReference","id":"letter","status":"current","subject":{"reference":"Patient/joe"},"context":{"encounter":[{"reference":"Encounter/enc"}]}})"});
    auto has_link = [&](const char* key, const char* relation, const char* target) {
      for (const auto& l : item(r, key).links) if (l.relation == relation && l.target == target) return true;
      return false;
    };
    CHECK(has_link("Observation/hb", "result of", "DiagnosticReport/fbc"));
    CHECK(has_link("MedicationRequest/met", "indication", "Condition/dm"));
    CHECK(has_link("DocumentReference/letter", "encounter", "Encounter/enc"));
  }
}

TEST_SUITE("merging inputs") {
  TEST_CASE("two inputs about the same person (same NHS number) make one record") {
    RecordBuilder b;
    b.add(test::bundle({test::patient("gp-1"), R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/gp-1"},"code":{"text":"COPD"}})"}),
          {"gp.json", {}});
    b.add(test::bundle({R"({"resourceType":"Patient","id":"h-77","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"943 476 5919"}],"birthDate":"1963-04-02"})",
                        R"({"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/h-77"},"code":{"text":"Diabetes"}})"}),
          {"hospital.json", {}});
    Record r = b.build();
    CHECK(r.identity_known());
    CHECK(r.other_people_left_out() == 0);
    CHECK(r.patient().name.family == "Bloggs");                      // from the first input
    CHECK(format_date(*r.patient().birth_date) == "02-Apr-1963");   // filled in from the second
    CHECK(r.find("Condition/c1"));
    CHECK(r.find("Condition/c2"));
  }

  TEST_CASE("the same resource sent twice appears once (same fullUrl, same identifiers, same id and version)") {
    std::string cond = R"({"resourceType":"Condition","id":"c1","meta":{"versionId":"3"},"subject":{"reference":"Patient/joe"},"code":{"text":"COPD"}})";
    std::string with_ids = R"({"resourceType":"AllergyIntolerance","id":"a1","identifier":[{"system":"https://emis.example/guid","value":"A-1"}],"patient":{"reference":"Patient/joe"},"code":{"text":"Penicillin"}})";
    std::string same_ids_new_id = R"({"resourceType":"AllergyIntolerance","id":"hospital-copy","identifier":[{"system":"https://emis.example/guid","value":"A-1"}],"patient":{"reference":"Patient/joe"},"code":{"text":"Penicillin"}})";
    RecordBuilder b;
    b.add(test::bundle({test::patient(), cond, with_ids}), {"first.json", {}});
    b.add(test::bundle({test::patient(), cond, same_ids_new_id}), {"second.json", {}});
    Record r = b.build();
    CHECK(r.items().size() == 2);
    CHECK(r.find("AllergyIntolerance/a1"));
    CHECK_FALSE(r.find("AllergyIntolerance/hospital-copy"));
  }

  TEST_CASE("two different resources using one id are both kept, and the clash is reported") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"1","subject":{"reference":"Patient/joe"},"code":{"text":"COPD"}})",
                                R"({"resourceType":"Condition","id":"1","subject":{"reference":"Patient/joe"},"code":{"text":"Asthma"}})"});
    CHECK(r.find("Condition/1"));
    CHECK(r.find("Condition/1~2"));
    CHECK(has_issue(r, "uses the id of another Condition"));
  }

  TEST_CASE("two resources that differ in one character are both kept, wherever that character is") {
    // The duplicate finder hashes each entry's content: a difference anywhere,
    // in a text's first, middle or last eight bytes, must keep both.
    const std::string text = "Chronic obstructive pulmonary disease, severe (exacerbation)";
    for (size_t at = 0; at < text.size(); ++at) {
      std::string changed = text;
      changed[at] = changed[at] == 'x' ? 'y' : 'x';
      auto condition = [](const std::string& words) {
        return R"({"resourceType":"Condition","id":"1","subject":{"reference":"Patient/joe"},"code":{"text":")" + words + R"("}})";
      };
      Record r = test::record_of({condition(text), condition(changed)});
      CHECK_MESSAGE(r.find("Condition/1~2"), at);
    }
  }

  TEST_CASE("items about another person never enter the record, and each is reported") {
    RecordBuilder b;
    b.add(test::bundle({test::patient(), test::patient("other", "9000000009"),
                        R"({"resourceType":"Condition","id":"mine","subject":{"reference":"Patient/joe"},"code":{"text":"COPD"}})",
                        R"({"resourceType":"Condition","id":"mine2","subject":{"reference":"Patient/joe"},"code":{"text":"Gout"}})",
                        R"({"resourceType":"Condition","id":"theirs","subject":{"reference":"Patient/other"},"code":{"text":"Asthma"}})"}),
          {"mixed.json", {}});
    Record r = b.build();
    CHECK(r.patient().nhs_number == "9434765919");  // the person most items are about
    CHECK(r.find("Condition/mine"));
    CHECK_FALSE(r.find("Condition/theirs"));
    CHECK(r.other_people_left_out() == 1);
    CHECK(has_issue(r, "is about a different person; left out"));
  }

  TEST_CASE("the person can be chosen when an input holds several") {
    RecordBuilder b;
    b.add(test::bundle({test::patient(), test::patient("other", "9000000009"),
                        R"({"resourceType":"Condition","id":"theirs","subject":{"reference":"Patient/other"},"code":{"text":"Asthma"}})"}),
          {"mixed.json", {}});
    b.choose_person("9000000009");
    Record r = b.build();
    CHECK(r.patient().resource_id == "other");
    CHECK(r.find("Condition/theirs"));
  }

  TEST_CASE("NDJSON: one resource per line; a broken line is reported and the others read") {
    std::string ndjson = test::patient() + "\n" +
                         R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/joe"},"code":{"text":"COPD"}})" + "\n" +
                         R"({"resourceType":"Condition","id":"c2",)" + "\n" +
                         R"({"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/joe"},"code":{"text":"Gout"}})" + "\n";
    RecordBuilder b;
    b.add(ndjson, {"export.ndjson", {}});
    Record r = b.build();
    CHECK(r.find("Condition/c1"));
    CHECK(r.find("Condition/c3"));
    CHECK(has_issue(r, "export.ndjson line 3"));
  }
}

TEST_SUITE("source organisation and care setting") {
  TEST_CASE("the source is the item's own organisation first, then Provenance, then its Encounter, then meta.source, then the input's") {
    Record r = test::record_of(
        {test::organisation("rvy", "RVY", "Southport and Ormskirk Hospital NHS Trust"),
         test::organisation("rw4", "RW4", "Mersey Care NHS Trust"),
         test::organisation("rem", "REM", "Aintree University Hospital NHS Foundation Trust"),
         observation_by("own", "Organization/rvy"),
         R"({"resourceType":"Condition","id":"prov","subject":{"reference":"Patient/joe"},"code":{"text":"x"}})",
         R"({"resourceType":"Provenance","id":"p","target":[{"reference":"Condition/prov"}],"recorded":"2026-01-01T00:00:00Z","agent":[{"who":{"reference":"Organization/rw4"}}]})",
         R"({"resourceType":"Encounter","id":"e","status":"finished","class":{"code":"IMP"},"subject":{"reference":"Patient/joe"},"serviceProvider":{"reference":"Organization/rem"}})",
         R"({"resourceType":"Condition","id":"enc","subject":{"reference":"Patient/joe"},"encounter":{"reference":"Encounter/e"},"code":{"text":"x"}})",
         R"({"resourceType":"Condition","id":"meta","meta":{"source":"https://tie.example.nhs.uk/RY1#feed"},"subject":{"reference":"Patient/joe"},"code":{"text":"x"}})",
         R"({"resourceType":"Condition","id":"declared","subject":{"reference":"Patient/joe"},"code":{"text":"x"}})"},
        "RBQ");
    CHECK(item(r, "Observation/own").source.ods_code == "RVY");
    CHECK(item(r, "Condition/prov").source.ods_code == "RW4");
    CHECK(item(r, "Condition/prov").source.found_by == "Provenance agent");
    CHECK(item(r, "Condition/enc").source.ods_code == "REM");
    CHECK(item(r, "Condition/meta").source.ods_code == "RY1");
    CHECK(item(r, "Condition/declared").source.ods_code == "RBQ");
    CHECK(item(r, "Condition/declared").source.found_by == "declared for the input");
    CHECK(item(r, "Condition/declared").source.setting == CareSetting::acute_hospital);
  }

  TEST_CASE("the setting comes from the participants file, then Organization.type, then Encounter.class; else it stays unknown") {
    Record r = test::record_of(
        {test::organisation("rw4", "RW4", "A name the file does not use"),
         R"({"resourceType":"Organization","id":"practice","type":[{"text":"GP practice"}],"name":"Fictional Road"})",
         R"({"resourceType":"Organization","id":"us","type":[{"coding":[{"code":"prov"}]}],"name":"PCP 1234"})",
         observation_by("file", "Organization/rw4"), observation_by("type", "Organization/practice"),
         R"({"resourceType":"Encounter","id":"er","status":"finished","class":{"code":"EMER"},"subject":{"reference":"Patient/joe"},"serviceProvider":{"reference":"Organization/us"}})",
         observation_by("unknown", "Organization/us")});
    CHECK(item(r, "Observation/file").source.setting == CareSetting::mental_health);
    CHECK(item(r, "Observation/file").source.setting_found_by == "participants file");
    CHECK(item(r, "Observation/type").source.setting == CareSetting::primary_care);
    CHECK(item(r, "Observation/type").source.setting_found_by == "Organization.type");
    CHECK(item(r, "Encounter/er").source.setting == CareSetting::acute_hospital);
    CHECK(item(r, "Encounter/er").source.setting_found_by == "Encounter.class");
    CHECK(item(r, "Observation/unknown").source.setting == CareSetting::unknown);
    CHECK(item(r, "Observation/unknown").source.setting_found_by == "unknown");
  }
}

TEST_SUITE("what an item carries") {
  TEST_CASE("a result carries its value, unit, reference range and abnormal flag") {
    Record r = test::record_of({R"({"resourceType":"Observation","id":"k","status":"final","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://loinc.org","code":"2823-3","display":"Potassium"}]},"effectiveDateTime":"2026-11-02T09:30:00Z",
      "valueQuantity":{"value":5.9,"unit":"mmol/L"},"interpretation":[{"coding":[{"code":"H"}]}],
      "referenceRange":[{"low":{"value":3.5,"unit":"mmol/L"},"high":{"value":5.3,"unit":"mmol/L"}}]})"});
    const Item& k = item(r, "Observation/k");
    CHECK(k.display == "Potassium");
    CHECK(*k.value.number == doctest::Approx(5.9));
    CHECK(k.value.unit == "mmol/L");
    CHECK(k.interpretation == "H");
    REQUIRE(k.ranges.size() == 1);
    CHECK(*k.ranges[0].low == doctest::Approx(3.5));
    CHECK(*k.ranges[0].high == doctest::Approx(5.3));
    CHECK(format_date(*k.date) == "02-Nov-2026");
    CHECK(k.date_time == "2026-11-02T09:30:00Z");
  }

  TEST_CASE("a document's inline text/plain and text/html attachments become its text") {
    Record r = test::record_of({R"({"resourceType":"DocumentReference","id":"d","status":"current","subject":{"reference":"Patient/joe"},
      "content":[{"attachment":{"contentType":"text/html","data":"PHA+RGlzY2hhcmdlZCB3ZWxsLjwvcD48cD5SZXZpZXcgaW4gJmFtcDsgMiB3ZWVrcy48L3A+"}}]})"});
    CHECK(item(r, "DocumentReference/d").text == "Discharged well.\nReview in & 2 weeks.");
  }

  TEST_CASE("a medication given by reference takes its name and codes from the Medication") {
    Record r = test::record_of({R"({"resourceType":"Medication","id":"m","code":{"coding":[{"system":"https://dmd.nhs.uk","code":"39720311000001101","display":"Metformin 500mg tablets"}]}})",
                                R"({"resourceType":"MedicationStatement","id":"s","status":"active","subject":{"reference":"Patient/joe"},"medicationReference":{"reference":"Medication/m"}})"});
    CHECK(item(r, "MedicationStatement/s").display == "Metformin 500mg tablets");
    REQUIRE_FALSE(item(r, "MedicationStatement/s").codings.empty());
    CHECK(item(r, "MedicationStatement/s").codings[0].system == "https://dmd.nhs.uk");
  }

  TEST_CASE("care team members carry name, role and organisation resolved from their references") {
    Record r = test::record_of({test::organisation("lch", "RY1", "Liverpool Community Health NHS Trust"),
        R"({"resourceType":"Practitioner","id":"dn","name":[{"family":"Okafor","given":["Grace"],"prefix":["Ms"]}]})",
        R"({"resourceType":"PractitionerRole","id":"dn-role","practitioner":{"reference":"Practitioner/dn"},"organization":{"reference":"Organization/lch"},"code":[{"text":"District nurse"}]})",
        R"({"resourceType":"CareTeam","id":"t","subject":{"reference":"Patient/joe"},"participant":[{"member":{"reference":"PractitionerRole/dn-role"}}]})"});
    REQUIRE(item(r, "CareTeam/t").participants.size() == 1);
    const Participant& p = item(r, "CareTeam/t").participants[0];
    CHECK(p.name == "Ms Grace Okafor");
    CHECK(p.role == "District nurse");
    CHECK(p.organisation == "Liverpool Community Health NHS Trust");
  }
}

TEST_SUITE("source organisation and care setting") {
  TEST_CASE("a role whose organisation is a role (here itself) is not followed round for ever: the source is not known") {
    // Not valid FHIR, but a source may send it; following it once overflowed the stack.
    Record r = test::record_of({
        R"({"resourceType":"PractitionerRole","id":"loop","organization":{"reference":"PractitionerRole/loop"}})",
        R"({"resourceType":"PractitionerRole","id":"a","organization":{"reference":"PractitionerRole/b"}})",
        R"({"resourceType":"PractitionerRole","id":"b","organization":{"reference":"PractitionerRole/a"}})",
        R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/joe"},"recorder":{"reference":"PractitionerRole/loop"},"code":{"text":"x"}})",
        R"({"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/joe"},"asserter":{"reference":"PractitionerRole/a"},"code":{"text":"y"}})"});
    CHECK(item(r, "Condition/c1").source.found_by == "unknown");
    CHECK(item(r, "Condition/c2").source.found_by == "unknown");
  }
}

TEST_SUITE("the record's index") {
  TEST_CASE("a copy of a record finds its own items by key, and still does when the original is gone") {
    auto original = std::make_unique<Record>(test::record_of({
        R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/joe"},"code":{"text":"Asthma"}})",
        R"({"resourceType":"Condition","id":"a-much-longer-id-than-fits-inline-0001","subject":{"reference":"Patient/joe"},"code":{"text":"Eczema"}})"}));
    Record copy = *original;
    Record assigned;
    assigned = *original;
    const Item* in_original = original->find("Condition/c1");
    original.reset();
    for (const Record* r : {&copy, &assigned}) {
      const Item* c1 = r->find("Condition/c1");
      REQUIRE(c1 != nullptr);
      CHECK(c1 != in_original);
      CHECK(c1 >= r->items().data());
      CHECK(c1 < r->items().data() + r->items().size());
      CHECK(c1->display == "Asthma");
      REQUIRE(r->find("Condition/a-much-longer-id-than-fits-inline-0001") != nullptr);
      CHECK(r->find("Condition/a-much-longer-id-than-fits-inline-0001")->display == "Eczema");
      CHECK(r->find("Condition/c2") == nullptr);
    }
  }

  TEST_CASE("a moved record still finds its items") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/joe"},"code":{"text":"Asthma"}})"});
    Record moved = std::move(r);
    REQUIRE(moved.find("Condition/c1") != nullptr);
    CHECK(moved.find("Condition/c1")->display == "Asthma");
  }

  TEST_CASE("the key index: the first position given for a key is kept, every key is found after growing, absent keys are not") {
    std::vector<std::string> keys;
    for (int i = 0; i < 5000; ++i) keys.push_back("Observation/urn:uuid:" + std::to_string(i * 7919));
    keys.push_back("");  // an empty key is a key like any other
    detail::KeyIndex index;
    for (size_t i = 0; i < keys.size(); ++i) CHECK(index.emplace(keys[i], i) == std::pair<size_t, bool>{i, true});
    CHECK(index.emplace(keys[42], 99) == std::pair<size_t, bool>{42, false});
    CHECK(index.size() == keys.size());
    bool all_found = true;
    for (size_t i = 0; i < keys.size(); ++i) all_found = all_found && index.find(keys[i]) == i;
    CHECK(all_found);
    CHECK(index.find("Observation/urn:uuid:1") == detail::KeyIndex::npos);
    CHECK_FALSE(index.contains("Observation/"));
    index.clear();
    CHECK(index.find(keys[0]) == detail::KeyIndex::npos);
    CHECK(index.size() == 0);
  }
}

TEST_SUITE("bulk exports") {
  TEST_CASE("an NDJSON export of many people gives the chosen person's record, and leaves out everyone else") {
    std::string ndjson;
    for (int i = 0; i < 3000; ++i) {
      std::string id = "p" + std::to_string(i);
      ndjson += R"({"resourceType":"Patient","id":")" + id + R"(","identifier":[{"system":"urn:mrn","value":")" + id + "\"}]}\n";
      ndjson += R"({"resourceType":"Condition","id":"c)" + std::to_string(i) + R"(","subject":{"reference":"Patient/)" + id + R"("},"code":{"text":"x"}})" + "\n";
    }
    RecordBuilder b;
    b.add(ndjson, {"export.ndjson", {}});
    b.choose_person("p1234");
    Record r = b.build();
    CHECK(r.patient().resource_id == "p1234");
    CHECK(r.other_people_left_out() == 2999);
    REQUIRE(r.items().size() == 1);
    CHECK(r.items()[0].key == "Condition/c1234");
  }
}
