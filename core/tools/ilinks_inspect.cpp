// ilinks-inspect: how a record was read and placed, as JSON, for integration
// teams ("why does this item show at tier 2?").
//
//   ilinks-inspect --record gp.json --source N81001 --record tie/a01.hl7 [--patient 9434765919]
//                  [--rules DIR] [--terminology URL [--terminology-cache DIR]] [--show-content]
//
// --source applies to the --record before it. --rules reads a deployment's
// classification.json, policy.json (its exclusions, with the code list files
// it names beside it) and participants.json from DIR. --terminology expands the
// policy's code lists that name a ValueSet on that FHIR terminology server
// (ValueSet/$expand), keeping each expansion in the cache directory.
// Item text is left out unless --show-content is given: codes and placement
// are enough to answer "why", and the output may end up in a ticket.
// Exit: 0 record read (problems, if any, are in "problems"); 1 bad arguments;
// 2 rules files invalid.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/policy.h"
#include "ilinks/record_builder.h"

namespace {

using nlohmann::json;

int usage(const char* why) {
  std::fprintf(stderr,
               "ilinks-inspect: %s\n"
               "usage: ilinks-inspect --record FILE [--source ODS] [--record FILE ...] [--patient NHS_NUMBER|ID]\n"
               "                      [--rules DIR] [--terminology URL [--terminology-cache DIR]] [--show-content]\n",
               why);
  return 1;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ilinks::PolicyFileError(path + ": cannot be opened for reading");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json codings_json(const std::vector<ilinks::Coding>& codings) {
  json out = json::array();
  for (const auto& c : codings) out.push_back({{"system", c.system}, {"code", c.code}});
  return out;
}

std::string date_text(const std::optional<ilinks::Date>& d) { return d ? ilinks::format_date(*d) : ""; }

}  // namespace

int main(int argc, char** argv) {
  struct Input { std::string path, ods; };
  std::vector<Input> inputs;
  std::string patient, rules_dir;
  ilinks::PolicySources sources;
  bool show_content = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--record") {
      const char* v = next();
      if (!v) return usage("--record needs a file");
      inputs.push_back({v, {}});
    } else if (arg == "--source") {
      const char* v = next();
      if (!v || inputs.empty()) return usage("--source needs an ODS code and follows a --record");
      inputs.back().ods = v;
    } else if (arg == "--patient") {
      const char* v = next();
      if (!v) return usage("--patient needs an NHS number or Patient id");
      patient = v;
    } else if (arg == "--rules") {
      const char* v = next();
      if (!v) return usage("--rules needs a directory");
      rules_dir = v;
    } else if (arg == "--terminology" || arg == "--terminology-cache") {
      const char* v = next();
      if (!v) return usage((arg + " needs a value").c_str());
      if (!sources.terminology) sources.terminology = ilinks::TerminologyServer{};
      (arg == "--terminology" ? sources.terminology->base_url : sources.terminology->cache_dir) = v;
    } else if (arg == "--show-content") {
      show_content = true;
    } else {
      return usage(("unknown argument " + arg).c_str());
    }
  }
  if (inputs.empty()) return usage("give at least one --record");

  if (sources.terminology && sources.terminology->base_url.empty()) return usage("--terminology-cache needs --terminology");
  std::optional<ilinks::Classification> custom;
  std::optional<ilinks::Policy> loaded;
  try {
    if (!rules_dir.empty())
      custom = ilinks::Classification::from_json(slurp(rules_dir + "/classification.json"), slurp(rules_dir + "/participants.json"));
    if (!rules_dir.empty()) loaded = ilinks::Policy::from_file(rules_dir + "/policy.json", sources);
    else if (sources.terminology) loaded = ilinks::Policy::builtin(sources);
    if (loaded)
      for (const auto& note : loaded->load_notes()) std::fprintf(stderr, "ilinks-inspect: note: %s\n", note.c_str());
  } catch (const ilinks::Error& e) {  // a data file (PolicyFileError), or one that cannot be opened
    std::fprintf(stderr, "ilinks-inspect: %s\n", e.what());
    return 2;
  }
  const ilinks::Policy& policy = loaded ? *loaded : ilinks::Policy::builtin();
  ilinks::RecordBuilder builder(custom ? *custom : ilinks::Classification::builtin());
  for (const auto& in : inputs) builder.add_file(in.path, in.ods);
  if (!patient.empty()) builder.choose_person(patient);
  ilinks::Record record = builder.build();
  // The exclusions as the policy marks them when it makes a View.
  std::vector<ilinks::Item> marked = record.items();
  policy.exclusions().mark(marked);

  json out;
  out["inputs"] = record.inputs();
  out["classification"] = record.classification_version();
  const auto& p = record.patient();
  out["person"] = {{"identity_known", record.identity_known()}, {"resource_id", p.resource_id}, {"nhs_number", p.nhs_number}};
  json items = json::array();
  std::map<std::string, int> placed;
  for (const auto& item : marked) {
    json j = {{"type", item.kind}, {"id", item.source_id}, {"key", item.key}, {"input", item.input},
              {"segment", ilinks::segment_letter(item.segment)}, {"tier", item.tier}, {"rule", item.rule},
              {"setting", ilinks::care_setting_id(item.source.setting)}, {"setting_found_by", item.source.setting_found_by},
              {"source", {{"ods", item.source.ods_code}, {"name", item.source.name}, {"found_by", item.source.found_by}}},
              {"codes", codings_json(item.codings)}, {"status", item.status}, {"date", date_text(item.date)}};
    if (item.exclusion)
      j["exclusion"] = {{"category", item.exclusion->category}, {"matched", item.exclusion->matched}, {"through", item.exclusion->through}};
    if (!item.sensitive_test.empty()) j["sensitive_test"] = item.sensitive_test;
    if (item.directive) {  // a consent directive, as the policy will apply it
      json parts = json::array();
      for (const auto& part : item.directive->parts)
        parts.push_back({{"deny", part.deny}, {"organisations", part.organisations}, {"items", part.items},
                         {"security_labels", part.security_labels}, {"unreadable", part.unreadable}});
      j["directive"] = {{"base_deny", item.directive->base_deny}, {"parts", parts}};
    }
    if (!item.links.empty()) {
      json links = json::array();
      for (const auto& l : item.links) links.push_back({{"relation", l.relation}, {"target", l.target}});
      j["links"] = links;
    }
    if (show_content) {
      j["display"] = item.display;
      if (!item.text.empty()) j["text"] = item.text;
    }
    if (item.segment != ilinks::Segment::none)
      ++placed[std::string(ilinks::segment_letter(item.segment)) + std::to_string(item.tier)];
    items.push_back(std::move(j));
  }
  out["items"] = std::move(items);
  out["placed"] = placed;
  out["other"] = record.other_counts();
  json problems = json::array();
  for (const auto& issue : record.load_issues()) problems.push_back({{"where", issue.where}, {"what", issue.what}});
  out["problems"] = std::move(problems);
  std::cout << out.dump(1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}
