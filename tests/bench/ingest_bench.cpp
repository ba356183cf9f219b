// Ingest benchmark: how fast core turns FHIR JSON into a placed Record, and
// whether the time grows linearly with the input. Run by scripts/bench, never
// by scripts/test (timings on shared machines are noise, not pass/fail).
//
//   ilinks-bench-ingest FILE...   prints a table and writes JSON to stdout's last line
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ilinks/record_builder.h"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A year of a long-term condition patient, repeated: n Observations with notes.
std::string generated_record(size_t observations) {
  std::string out = R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}})";
  for (size_t i = 0; i < observations; ++i)
    out += R"(,{"fullUrl":"urn:uuid:obs-)" + std::to_string(i) +
           R"(","resource":{"resourceType":"Observation","id":"o)" + std::to_string(i) +
           R"(","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"subject":{"reference":"Patient/p"},"code":{"coding":[{"system":"http://loinc.org","code":"718-7","display":"Haemoglobin"}]},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":132,"unit":"g/L"},"referenceRange":[{"low":{"value":130},"high":{"value":180}}],"note":[{"text":"Routine review, no change."}]}})";
  return out + "]}";
}

struct Result { std::string name; double mb; double seconds; size_t items; };

Result measure(const std::string& name, const std::string& text) {
  double best = 1e9;
  size_t items = 0;
  for (int run = 0; run < 3; ++run) {
    auto start = std::chrono::steady_clock::now();
    ilinks::RecordBuilder b;
    b.add(text, {name, {}});
    ilinks::Record r = b.build();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    items = r.items().size();
  }
  return {name, static_cast<double>(text.size()) / (1024.0 * 1024.0), best, items};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Result> results;
  for (int i = 1; i < argc; ++i) {
    std::string text = slurp(argv[i]);
    std::string name = argv[i];
    results.push_back(measure(name.substr(name.rfind('/') + 1), text));
  }
  for (size_t n : {20000, 40000, 80000}) results.push_back(measure("generated " + std::to_string(n) + " results", generated_record(n)));

  std::printf("%-48s %9s %9s %9s %9s\n", "input", "MB", "seconds", "MB/s", "items");
  std::string json = "{\"ingest\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    std::printf("%-48s %9.1f %9.3f %9.1f %9zu\n", r.name.c_str(), r.mb, r.seconds, r.mb / r.seconds, r.items);
    char row[256];
    std::snprintf(row, sizeof row, "%s{\"input\":\"%s\",\"mb\":%.2f,\"seconds\":%.4f,\"mb_per_s\":%.1f,\"items\":%zu}", i ? "," : "",
                  r.name.c_str(), r.mb, r.seconds, r.mb / r.seconds, r.items);
    json += row;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory (resident): %.0f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("%s],\"peak_rss_mb\":%.0f}\n", json.c_str(), static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
