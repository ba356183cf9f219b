// Bad input gets a clear error naming the entry and field, never a crash or
// hang, and the rest of the record still loads, marked as partly unreadable.
#include <doctest/doctest.h>

#include <filesystem>

#include "ilinks/fhir.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;
using test::has_issue;

namespace {
const std::string kCondition = R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/joe"},"code":{"text":"COPD"}})";

Record build(const std::string& text, const std::string& name = "bad.json") {
  RecordBuilder b;
  b.add(text, {name, {}});
  return b.build();
}
}  // namespace

TEST_SUITE("bad input") {
  TEST_CASE("a Bundle broken part-way keeps the entries before the break, and says where it broke") {
    std::string good = test::bundle({test::patient(), kCondition});
    std::string broken = good.substr(0, good.size() - 2) + R"(,{"resource":{"resourceType":"Condition","id":"c2",,}}]})";
    Record r = build(broken);
    CHECK(r.identity_known());
    CHECK(r.find("Condition/c1"));
    CHECK(has_issue(r, "malformed or truncated"));
    CHECK(has_issue(r, "the 2 entries before it were read"));
  }

  TEST_CASE("where the JSON breaks, the issue names the place but never quotes the record's words") {
    std::string good = test::bundle({test::patient(), kCondition});
    std::string broken = good.substr(0, good.size() - 2) +
                         R"(,{"resource":{"resourceType":"Condition","id":"c2","code":{"text":"Termination of pregnancy)";
    Record r = build(broken);
    REQUIRE(has_issue(r, "malformed or truncated"));
    for (const auto& issue : r.load_issues()) {
      CHECK(issue.what.find("Termination") == std::string::npos);
      CHECK(issue.what.find("last read") == std::string::npos);
    }
  }

  TEST_CASE("a truncated file keeps its whole entries") {
    std::string good = test::bundle({test::patient(), kCondition, kCondition});
    Record r = build(good.substr(0, good.size() - 30));
    CHECK(r.find("Condition/c1"));
    CHECK(has_issue(r, "truncated"));
  }

  TEST_CASE("fields of the wrong type are left out; the item is still read") {
    Record r = test::record_of({R"({"resourceType":"Observation","id":"o","status":7,"subject":{"reference":"Patient/joe"},
      "code":"not a concept","valueQuantity":"12 mmol/L","referenceRange":{"low":"x"},"effectiveDateTime":"yesterday","note":[3]})"});
    const Item* o = r.find("Observation/o");
    REQUIRE(o);
    CHECK(o->status.empty());
    CHECK_FALSE(o->value.number);
    CHECK_FALSE(o->date);
    CHECK(has_issue(r, "is not a valid FHIR date"));
  }

  TEST_CASE("an item missing its required fields (no code, no status) is still kept and placed") {
    Record r = test::record_of({R"({"resourceType":"Observation","id":"o","subject":{"reference":"Patient/joe"}})"});
    REQUIRE(r.find("Observation/o"));
    CHECK(r.find("Observation/o")->segment != Segment::none);
  }

  TEST_CASE("codes nobody knows are kept as they came") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":"urn:local","code":"ZZZ"}]}})"});
    CHECK(r.find("Condition/c")->codings[0].code == "ZZZ");
  }

  TEST_CASE("a member named twice: the last one counts, as JSON parsers keep it") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"twice","subject":{"reference":"Patient/joe"},
      "code":{"text":"Asthma"},"code":{"text":"COPD"}})"});
    const Item* c = r.find("Condition/twice");
    REQUIRE(c);
    CHECK(c->display == "COPD");
  }

  TEST_CASE("an object with thousands of members, many named alike, is read, the last of each name counting") {
    std::string members;
    for (int i = 0; i < 20000; ++i) members += R"("extra)" + std::to_string(i % 500) + R"(":)" + std::to_string(i) + ",";
    Record r = test::record_of({R"({"resourceType":"Condition","id":"wide",)" + members +
                                R"("subject":{"reference":"Patient/joe"},"code":{"text":"Gout"},"code":{"text":"Psoriasis"}})"});
    const Item* c = r.find("Condition/wide");
    REQUIRE(c);
    CHECK(c->display == "Psoriasis");
  }

  TEST_CASE("a Bundle inside a Bundle, with a fullUrl that is not text, is read and the rest kept") {
    std::string inner = R"({"resourceType":"Bundle","type":"document","entry":[{"fullUrl":7,"resource":)" + kCondition + "}]}";
    Record r = build(test::bundle({test::patient(), inner}));
    CHECK(r.find("Condition/c1"));
  }

  TEST_CASE("an entry with no resourceType is reported and skipped") {
    Record r = build(test::bundle({test::patient(), R"({"id":"x"})", kCondition}));
    CHECK(r.find("Condition/c1"));
    CHECK(has_issue(r, "entry[1].resource"));
  }

  TEST_CASE("a huge text field is left out and reported; the item stays") {
    std::string huge(9 * 1024 * 1024, 'a');
    Record r = test::record_of({R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},"code":{"text":"COPD"},"note":[{"text":")" + huge + R"("}]})"});
    REQUIRE(r.find("Condition/c"));
    CHECK(r.find("Condition/c")->text.empty());
    CHECK(has_issue(r, "more than the 8 MB a field may hold"));
  }

  TEST_CASE("very deep nesting drops only its entry, without exhausting the stack") {
    std::string deep = R"({"resourceType":"Condition","id":"deep","extension":)" + std::string(200000, '[') + std::string(200000, ']') + "}";
    Record r = build(test::bundle({test::patient(), deep, kCondition}));
    CHECK(r.find("Condition/c1"));
    CHECK_FALSE(r.find("Condition/deep"));
    CHECK(has_issue(r, "nests deeper than"));
  }

  TEST_CASE("invalid UTF-8 is replaced, reported with its place, and the record loads") {
    std::string bad = test::bundle({test::patient(), std::string(R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},"code":{"text":"Caf)") + "\xE9" + R"("}})"});
    Record r = build(bad);
    REQUIRE(r.find("Condition/c"));
    CHECK(r.find("Condition/c")->display == "Caf\xEF\xBF\xBD");
    CHECK(has_issue(r, "is not valid UTF-8"));
  }

  TEST_CASE("text that is not JSON at all is reported; nothing is read") {
    Record r = build("\x89PNG\r\n\x1a\n binary");
    CHECK_FALSE(r.identity_known());
    CHECK(r.items().empty());
    CHECK_FALSE(r.load_issues().empty());
  }

  TEST_CASE("an empty input is reported") {
    CHECK(has_issue(build("  \n"), "is empty"));
  }

  TEST_CASE("a file that cannot be opened is reported with its name; other inputs still load") {
    RecordBuilder b;
    b.add_file("/nonexistent/gp.json");
    b.add(test::bundle({test::patient(), kCondition}), {"ok.json", {}});
    Record r = b.build();
    CHECK(r.find("Condition/c1"));
    CHECK(has_issue(r, "/nonexistent/gp.json"));
  }

  TEST_CASE("a 100 MB Bundle loads whole") {
    std::string big = R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":)" + test::patient() + "}";
    std::string obs = R"(,{"resource":{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/joe"},"code":{"coding":[{"system":"http://loinc.org","code":"718-7","display":"Haemoglobin"}]},"valueQuantity":{"value":132,"unit":"g/L"},"note":[{"text":")" +
                      std::string(300, 'n') + R"("}],"id":")";
    size_t n = 0;
    while (big.size() < 100u * 1024 * 1024) big += obs + std::to_string(n++) + "\"}}";
    big += "]}";
    Record r = build(big, "big.json");
    CHECK(r.items().size() == n);
    CHECK(r.load_issues().empty());
  }

  TEST_CASE("too many problems are counted, not all listed: the issue list stays bounded") {
    std::vector<std::string> resources;
    for (int i = 0; i < 2000; ++i)
      resources.push_back(R"({"resourceType":"Condition","id":"c)" + std::to_string(i) + R"(","subject":{"reference":"Patient/joe"},"onsetDateTime":"bad"})");
    Record r = test::record_of(resources);
    CHECK(r.load_issues().size() == RecordBuilder::kMaxIssues + 1);
    CHECK(has_issue(r, "more problems were found and not listed"));
    CHECK(r.items().size() == 2000);
  }
}

TEST_SUITE("the data in shared/data") {
  TEST_CASE("every file loads without a crash, and every item is placed, kept as other, or reported with a reason") {
    namespace fs = std::filesystem;
    int files = 0;
    for (const auto& dir : fs::directory_iterator(shared_data(""))) {
      if (!dir.is_directory() || dir.path().filename() == "codelists") continue;  // code lists, not records
      for (const auto& file : fs::directory_iterator(dir.path())) {
        std::string name = file.path().filename().string();
        if (name.find("package.json") != std::string::npos) continue;
        CAPTURE(name);
        ++files;
        RecordBuilder b;
        b.add_file(file.path().string());
        Record r = b.build();
        for (const auto& item : r.items()) {
          bool explained = item.segment != Segment::none || item.rule == "other" || item.rule == "reference-data" ||
                           item.rule == "consent-directive" || item.rule == "entered-in-error" || has_issue(r, item.key);
          CAPTURE(item.key);
          CHECK(explained);
        }
      }
    }
    CHECK(files == 70);
  }

  TEST_CASE("a Synthea patient loaded with its organisation and practitioner files has its conditional references resolved") {
    RecordBuilder b;
    b.add_file(shared_data("synthea/8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json"));
    b.add_file(shared_data("synthea/0-hospitalInformation1625911868739.json"));
    b.add_file(shared_data("synthea/0-practitionerInformation1625911868739.json"));
    Record r = b.build();
    CHECK_FALSE(has_issue(r, "Organization?identifier"));
    CHECK_FALSE(has_issue(r, "Practitioner?identifier"));
    int encounters_with_source = 0;
    for (const auto& item : r.items())
      if (item.kind == "Encounter" && !item.source.name.empty()) ++encounters_with_source;
    CHECK(encounters_with_source > 0);
  }
}
