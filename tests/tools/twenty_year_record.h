// A generated 20-year record of a person with long-term conditions, at the size
// issue 5 names: 10,000 results (25 tests, monthly-ish), 1,000 encounters and
// 500 letters, from a GP practice, a hospital and a laboratory. FHIR R4 Bundle
// JSON; deterministic, so every run draws the same record.
#pragma once
#include <cstdio>
#include <string>

namespace ilinks::test {

inline std::string twenty_year_record(int results = 10000, int encounters = 1000, int letters = 500) {
  static const char* const tests[][4] = {
      {"4548-4", "HbA1c", "mmol/mol", "20|42"},      {"2345-7", "Glucose", "mmol/L", "3.5|7.8"},
      {"2160-0", "Creatinine", "umol/L", "59|104"}, {"3094-0", "Urea", "mmol/L", "2.5|7.8"},
      {"2951-2", "Sodium", "mmol/L", "133|146"},    {"2823-3", "Potassium", "mmol/L", "3.5|5.3"},
      {"718-7", "Haemoglobin", "g/L", "130|180"},   {"6690-2", "White cell count", "10*9/L", "4|11"},
      {"777-3", "Platelets", "10*9/L", "150|400"},  {"1742-6", "ALT", "U/L", "0|40"},
      {"1920-8", "AST", "U/L", "0|40"},             {"6768-6", "Alkaline phosphatase", "U/L", "30|130"},
      {"1975-2", "Bilirubin", "umol/L", "0|21"},    {"1751-7", "Albumin", "g/L", "35|50"},
      {"2093-3", "Cholesterol", "mmol/L", "0|5"},   {"2571-8", "Triglycerides", "mmol/L", "0|1.7"},
      {"2085-9", "HDL cholesterol", "mmol/L", "1|3"}, {"3016-3", "TSH", "mU/L", "0.3|4.2"},
      {"3024-7", "Free T4", "pmol/L", "9|25"},      {"33914-3", "eGFR", "mL/min/1.73m2", "60|120"},
      {"14959-1", "Urine ACR", "mg/mmol", "0|3"},   {"2276-4", "Ferritin", "ug/L", "30|400"},
      {"2132-9", "Vitamin B12", "ng/L", "200|900"}, {"1988-5", "CRP", "mg/L", "0|5"},
      {"8480-6", "Systolic blood pressure", "mm[Hg]", "90|140"}};
  auto date = [](int day) {  // days since 2006-01-01 as a FHIR date (360-day years keep it simple)
    char buf[32];
    int year = 2006 + day / 360, month = (day % 360) / 30 + 1, dom = day % 30 + 1;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, dom > 28 ? 28 : dom);
    return std::string(buf);
  };
  std::string out;
  out.reserve(static_cast<size_t>(results) * 700);
  out += R"({"resourceType":"Bundle","type":"collection","entry":[)";
  out += R"({"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}],"name":[{"family":"Longstaff","given":["Evelyn"],"prefix":["Mrs"]}],"gender":"female","birthDate":"1950-04-02"}})";
  out += R"(,{"fullUrl":"urn:uuid:gp","resource":{"resourceType":"Organization","id":"gp","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"ZZ0001"}],"name":"Test Practice"}})";
  out += R"(,{"fullUrl":"urn:uuid:lab","resource":{"resourceType":"Organization","id":"lab","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"LCL"}],"name":"Liverpool Clinical Laboratories"}})";
  out += R"(,{"fullUrl":"urn:uuid:rvy","resource":{"resourceType":"Organization","id":"rvy","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"RVY"}],"name":"Southport and Ormskirk Hospital NHS Trust"}})";
  const int span = 20 * 360;
  for (int i = 0; i < results; ++i) {
    const auto& t = tests[i % 25];
    std::string range = t[3];
    std::string low = range.substr(0, range.find('|')), high = range.substr(range.find('|') + 1);
    double lo = std::stod(low), hi = std::stod(high);
    double value = lo + (hi - lo) * (0.3 + 0.9 * ((i * 7919) % 100) / 100.0);
    char v[32];
    std::snprintf(v, sizeof v, "%.1f", value);
    std::string id = "o" + std::to_string(i);
    out += R"(,{"fullUrl":"urn:uuid:)" + id + R"(","resource":{"resourceType":"Observation","id":")" + id +
           R"(","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"subject":{"reference":"Patient/p"},"performer":[{"reference":"Organization/lab"}],"code":{"coding":[{"system":"http://loinc.org","code":")" +
           t[0] + R"(","display":")" + t[1] + R"("}]},"effectiveDateTime":")" + date((i / 25) * span / (results / 25 + 1)) +
           R"(","valueQuantity":{"value":)" + v + R"(,"unit":")" + t[2] + R"("},"referenceRange":[{"low":{"value":)" + low +
           R"(},"high":{"value":)" + high + R"(}}],"interpretation":[{"coding":[{"code":")" + (value > hi ? "H" : "N") + R"("}]}]}})";
  }
  for (int i = 0; i < encounters; ++i) {
    std::string id = "e" + std::to_string(i);
    bool hospital = i % 4 == 0;
    out += R"(,{"fullUrl":"urn:uuid:)" + id + R"(","resource":{"resourceType":"Encounter","id":")" + id +
           R"(","status":"finished","class":{"code":")" + (hospital ? "IMP" : "AMB") + R"("},"type":[{"text":")" +
           (hospital ? "Hospital admission" : "GP consultation") + R"("}],"subject":{"reference":"Patient/p"},"serviceProvider":{"reference":"Organization/)" +
           (hospital ? "rvy" : "gp") + R"("},"period":{"start":")" + date(i * span / encounters) + R"("}}})";
  }
  for (int i = 0; i < letters; ++i) {
    std::string id = "d" + std::to_string(i);
    std::string text = "Clinic letter " + std::to_string(i) + ". Reviewed in clinic; diabetes control discussed; medication unchanged; "
                       "blood tests requested before the next review in six months.";
    std::string b64;
    static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t k = 0; k < text.size(); k += 3) {
      unsigned n = static_cast<unsigned char>(text[k]) << 16;
      if (k + 1 < text.size()) n |= static_cast<unsigned char>(text[k + 1]) << 8;
      if (k + 2 < text.size()) n |= static_cast<unsigned char>(text[k + 2]);
      b64 += alphabet[(n >> 18) & 63];
      b64 += alphabet[(n >> 12) & 63];
      b64 += k + 1 < text.size() ? alphabet[(n >> 6) & 63] : '=';
      b64 += k + 2 < text.size() ? alphabet[n & 63] : '=';
    }
    out += R"(,{"fullUrl":"urn:uuid:)" + id + R"(","resource":{"resourceType":"DocumentReference","id":")" + id +
           R"(","status":"current","type":{"coding":[{"system":"http://snomed.info/sct","code":"371531000","display":"Report of clinical encounter"}],"text":"Outpatient letter"},"subject":{"reference":"Patient/p"},"custodian":{"reference":"Organization/rvy"},"date":")" +
           date(i * span / letters) + R"(T10:00:00Z","content":[{"attachment":{"contentType":"text/plain","data":")" + b64 + R"("}}]}})";
  }
  return out + "]}";
}

}  // namespace ilinks::test
