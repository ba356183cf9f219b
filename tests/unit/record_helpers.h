// Small builders for records in tests: a person, resources around them, and
// the item a test is about.
#pragma once
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ilinks/policy.h"
#include "ilinks/record_builder.h"
#include "test_data.h"

namespace test {

// Joe's NHS number (valid modulus-11), as a Patient resource.
inline std::string patient(const std::string& id = "joe", const std::string& nhs = "9434765919") {
  return R"({"resourceType":"Patient","id":")" + id +
         R"(","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":")" + nhs +
         R"("}],"name":[{"family":"Bloggs","given":["Joe"]}]})";
}

// A collection Bundle of the given resources (each a JSON object text).
inline std::string bundle(const std::vector<std::string>& resources) {
  std::string out = R"({"resourceType":"Bundle","type":"collection","entry":[)";
  for (size_t i = 0; i < resources.size(); ++i) out += std::string(i ? "," : "") + R"({"resource":)" + resources[i] + "}";
  return out + "]}";
}

// Joe's record from one bundle holding him and `resources`.
inline ilinks::Record record_of(const std::vector<std::string>& resources, const std::string& source_ods = "") {
  std::vector<std::string> all{patient()};
  all.insert(all.end(), resources.begin(), resources.end());
  ilinks::RecordBuilder builder;
  builder.add(bundle(all), {"test.json", source_ods});
  return builder.build();
}

inline const ilinks::Item& item(const ilinks::Record& r, const std::string& key) {
  const ilinks::Item* found = r.find(key);
  if (!found) FAIL("no item " << key);
  return *found;
}

// The record's items as the policy marks them when it makes a View (a record
// as read carries no exclusion marks: the policy marks, once).
inline std::vector<ilinks::Item> marked_items(const ilinks::Record& r, const ilinks::Policy& policy = ilinks::Policy::builtin()) {
  std::vector<ilinks::Item> items = r.items();
  policy.exclusions().mark(items);
  return items;
}
inline ilinks::Item marked(const ilinks::Record& r, const std::string& key) {
  for (auto& i : marked_items(r))
    if (i.key == key) return i;
  FAIL("no item " << key);
  return {};
}

// True when some load issue mentions `text` in where or what.
inline bool has_issue(const ilinks::Record& r, const std::string& text) {
  for (const auto& i : r.load_issues())
    if (i.where.find(text) != std::string::npos || i.what.find(text) != std::string::npos) return true;
  return false;
}

inline std::string placed(const ilinks::Item& i) { return std::string(ilinks::segment_letter(i.segment)) + std::to_string(i.tier); }

// An organisation with an ODS code, for "performer"/"serviceProvider" references.
inline std::string organisation(const std::string& id, const std::string& ods, const std::string& name) {
  return R"({"resourceType":"Organization","id":")" + id +
         R"(","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":")" + ods + R"("}],"name":")" +
         name + R"("})";
}

// A demo patient's record: their bundle and their HL7 v2 ADT files.
inline ilinks::Record demo_record(const std::string& name) {
  ilinks::RecordBuilder b;
  b.add_file(demo_patient(name + ".json"));
  for (const auto& f : std::filesystem::directory_iterator(demo_patient("adt")))
    if (f.path().filename().string().rfind(name, 0) == 0) b.add_file(f.path().string());
  return b.build();
}

}  // namespace test
