// Random records for property tests: every kind the sharing model places,
// every setting, excluded codes and sensitive tests sprinkled in. Every item
// carries a unique marker ("MARK-r12-") in its display, so a leak of a
// withheld item can be searched for in any output.
#pragma once
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilinks/policy.h"
#include "record_helpers.h"

namespace test {

struct Organisation {
  const char* id;
  const char* ods;
  const char* name;
};
inline const Organisation kOrganisations[] = {{"rvy", "RVY", "Southport and Ormskirk Hospital NHS Trust"},
                                       {"rem", "REM", "Aintree University Hospital NHS Foundation Trust"},
                                       {"rw4", "RW4", "Mersey Care NHS Foundation Trust"},
                                       {"ry1", "RY1", "Liverpool Community Health NHS Trust"},
                                       {"lcl", "LCL", "Liverpool Clinical Laboratories"},
                                       {"gp", "ZZ0001", "Test Practice"}};

// Random records: every kind the model places, every setting, excluded codes
// (Read v2, EMIS, SNOMED CT, labels) and sensitive tests sprinkled in. Every
// item carries a unique marker in its display, so a leak can be searched for.
class RecordMaker {
 public:
  explicit RecordMaker(unsigned seed) : random_(seed) {
    auto policy = nlohmann::json::parse(ilinks::Policy::builtin().exclusions_json());
    for (const auto& c : policy["categories"])
      for (const auto& code : c["read_v2"]) read_.push_back(code["code"].get<std::string>());
    for (const auto& list : policy["code_lists"])  // a few codes of each published SNOMED CT / dm+d list
      if (list["system"] != "loinc")
        for (size_t i = 0; i < list["codes"].size() && i < 20; ++i) snomed_.push_back(list["codes"][i].get<std::string>());
  }

  std::vector<std::string> make(int items) {
    std::vector<std::string> resources;
    for (const auto& o : kOrganisations) resources.push_back(test::organisation(o.id, o.ods, o.name));
    for (int i = 0; i < items; ++i) resources.push_back(resource(i));
    return resources;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  bool chance(int percent) { return pick(100) < percent; }

  std::string code() {
    if (chance(15) && !read_.empty()) return R"({"system":"http://read.info/readv2","code":")" + read_[size_t(pick(int(read_.size())))].substr(0, 5) + "\"}";
    if (chance(8) && !snomed_.empty()) return R"({"system":"http://snomed.info/sct","code":")" + snomed_[size_t(pick(int(snomed_.size())))] + "\"}";
    if (chance(5)) return R"({"system":"http://loinc.org","code":"7917-8"})";  // HIV antibody: a sensitive test
    static const char* const loinc[] = {"1742-6", "718-7", "2345-7", "4548-4", "21613-5", "2093-3"};
    if (chance(50)) return R"({"system":"http://loinc.org","code":")" + std::string(loinc[pick(6)]) + "\"}";
    return R"({"system":"http://snomed.info/sct","code":"38341003"})";
  }

  std::string resource(int n) {
    std::string id = "r" + std::to_string(n), mark = "MARK-" + id + "-";
    std::string org = std::string("{\"reference\":\"Organization/") + kOrganisations[pick(6)].id + "\"}";
    std::string subject = R"("subject":{"reference":"Patient/joe"},)";
    std::string label = chance(5) ? R"("meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HIV"}]},)" : "";
    std::string earlier = n > 0 ? "r" + std::to_string(pick(n)) : id;
    switch (pick(11)) {
      case 0: return R"({"resourceType":"Condition","id":")" + id + "\"," + label + subject + R"("asserter":)" + org +
                     R"(,"code":{"coding":[)" + code() + R"(],"text":")" + mark + "\"}}";
      case 1: return R"({"resourceType":"Observation","id":")" + id + "\"," + label + subject + R"("status":"final","performer":[)" + org +
                     R"(],"category":[{"coding":[{"code":")" + (chance(70) ? "laboratory" : "vital-signs") + R"("}]}],"code":{"coding":[)" +
                     code() + R"(],"text":")" + mark + R"("},"valueQuantity":{"value":)" + std::to_string(pick(200)) + "}}";
      case 2: return R"({"resourceType":"DiagnosticReport","id":")" + id + "\"," + subject + R"("status":"final","performer":[)" + org +
                     R"(],"category":[{"coding":[{"code":"LAB"}]}],"code":{"coding":[)" + code() + R"(],"text":")" + mark +
                     R"("},"result":[{"reference":"Observation/)" + earlier + "\"}]}";
      case 3: return R"({"resourceType":"MedicationStatement","id":")" + id + "\"," + subject + R"("status":"active","informationSource":)" +
                     org + R"(,"medicationCodeableConcept":{"text":")" + mark + R"("},"reasonReference":[{"reference":"Condition/)" + earlier + "\"}]}";
      case 4: return R"({"resourceType":"AllergyIntolerance","id":")" + id + "\"," + R"("patient":{"reference":"Patient/joe"},"recorder":)" + org +
                     R"(,"code":{"coding":[)" + code() + R"(],"text":")" + mark + "\"}}";
      case 5: return R"({"resourceType":"Encounter","id":")" + id + "\"," + subject + R"("status":"finished","serviceProvider":)" + org +
                     R"(,"class":{"code":")" + (chance(50) ? "IMP" : "AMB") + R"("},"type":[{"text":")" + mark +
                     R"("}],"period":{"start":"2026-10-01"},"reasonReference":[{"reference":"Condition/)" + earlier + "\"}]}";
      case 6: return R"({"resourceType":"DocumentReference","id":")" + id + "\"," + subject + R"("status":"current","custodian":)" + org +
                     R"(,"type":{"text":")" + mark + R"("},"context":{"related":[{"reference":"Condition/)" + earlier + "\"}]}}";
      case 7: return R"({"resourceType":"CarePlan","id":")" + id + "\"," + subject + R"("status":"active","intent":"plan","author":)" + org +
                     R"(,"title":")" + mark + "\"}";
      case 8: return R"({"resourceType":"Appointment","id":")" + id + R"(","status":"booked","participant":[{"actor":{"reference":"Patient/joe"}},{"actor":)" +
                     org + R"(}],"description":")" + mark + R"(","start":"2026-12-01T10:00:00Z"})";
      case 9: return R"({"resourceType":"Flag","id":")" + id + "\"," + subject + R"("status":"active","author":)" + org +
                     R"(,"code":{"text":")" + mark + "\"}}";
      default: return R"({"resourceType":"Procedure","id":")" + id + "\"," + label + subject + R"("status":"completed","performer":[{"actor":)" +
                      org + R"(}],"code":{"coding":[)" + code() + R"(],"text":")" + mark + "\"}}";
    }
  }

  std::mt19937 random_;
  std::vector<std::string> read_, snomed_;
};

}  // namespace test
