// Loading and applying core/data/{classification,participants}.json and the
// exclusion code lists of core/data/policy.json.
// A file is checked as a whole before it is used: an unknown condition or a
// misspelt setting would silently widen a rule, so it is refused instead.
#include "ilinks/classification.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "embedded_data.h"
#include "ilinks/code_list.h"
#include "ilinks/fhir.h"
#include "ilinks/policy.h"


namespace ilinks {

using nlohmann::json;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const char* const kSettingIds[] = {"unknown", "primary_care", "community", "mental_health", "social_care", "acute_hospital", "diagnostics"};

// Reads one data file, with every complaint naming the file and the place in it.
class Checked {
 public:
  Checked(std::string_view text, std::string file, std::string format) : file_(std::move(file)) {
    try {
      root_ = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
      fail("", std::string("is not valid JSON: ") + e.what());
    }
    if (!root_.is_object()) fail("", "must be a JSON object");
    if (text_at(root_, "format", "") != format) fail("format", "must be \"" + format + "\"");
    version_ = text_at(root_, "version", "");
  }
  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw InputError(file_ + (where.empty() ? "" : ": " + where) + ": " + why);
  }
  const json& list_at(const json& object, const char* key, const std::string& where) const {
    auto it = object.find(key);
    if (it == object.end() || !it->is_array()) fail(where + key, "must be a list");
    return *it;
  }
  std::string text_at(const json& object, const char* key, const std::string& where) const {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
      fail(where + key, "must be a non-empty text");
    return it->get<std::string>();
  }
  std::vector<std::string> texts_at(const json& object, const char* key, const std::string& where) const {
    std::vector<std::string> out;
    const json& list = list_at(object, key, where);
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) fail(where + key + "[" + std::to_string(i) + "]", "must be a text");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  CareSetting setting(const std::string& id, const std::string& where) const {
    if (auto s = care_setting_from_id(id)) return *s;
    fail(where, "\"" + id + "\" is not a care setting (primary_care, community, mental_health, social_care, acute_hospital, diagnostics)");
  }
  const json& root() const { return root_; }
  const std::string& version() const { return version_; }

 private:
  std::string file_;
  json root_;
  std::string version_;
};

}  // namespace

struct Classification::Data {
  struct Rule {
    std::string id, why;
    Segment segment = Segment::none;
    int tier = 0;
    std::vector<std::string> kind, category, not_category, status, code_list, code_system;
    std::vector<CareSetting> setting;
  };
  struct ReadPattern {
    std::string prefix;  // padded to five characters unless hierarchical
    bool hierarchy = false;
    std::string printed, category;
  };
  std::string version;
  std::vector<std::pair<std::string, CareSetting>> keywords;
  std::map<std::string, CareSetting> encounter_class;
  std::map<std::string, std::pair<CareSetting, std::string>> participant_by_ods, participant_by_name;
  std::map<std::string, std::unordered_map<std::string, std::string>> code_lists;  // list -> "system|code" -> group
  std::vector<Rule> rules;
  std::vector<ReadPattern> read_patterns;
  struct Words {
    std::string category;
    std::vector<std::string> terms, not_when;  // normalised: " human immunodeficiency virus "
    std::vector<std::string> cased_terms;      // matched in their own case only: " AIDS " (not "hearing aids")
  };
  std::set<std::string> read_systems, emis_systems, snomed_systems, loinc_systems;
  std::unordered_map<std::string, std::pair<std::string, std::string>> emis, snomed, loinc;  // code -> category, what matched
  std::map<std::string, std::string> labels;  // "system|code" -> category
  std::vector<Words> words;
};

namespace {

bool is_read_pattern(const std::string& code) {
  if (code.empty() || code.size() > 6) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || (c == '%' && i + 1 == code.size());
    if (!ok) return false;
  }
  return code.back() == '%' ? code.size() <= 6 : code.size() <= 5;
}

// Words as the term safety net compares them: lower case, every run of
// anything but letters and digits one space, padded with spaces, so a term
// matches whole words only (" hiv " is not in " archive ").
std::string normalised_words(std::string_view text, bool keep_case = false) {
  std::string out = " ";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += keep_case ? c : static_cast<char>(std::tolower(u));
    else if (out.back() != ' ') out += ' ';
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

std::string pad_read(std::string_view code) {
  std::string out(code.substr(0, 5));
  while (out.size() < 5) out += '.';
  return out;
}

void load_rules(const Checked& f, Classification::Data& d) {
  const json& root = f.root();
  if (!root.contains("settings") || !root["settings"].is_object()) f.fail("settings", "must be an object");
  const json& settings = root["settings"];
  const json& keywords = f.list_at(settings, "keywords", "settings.");
  for (size_t i = 0; i < keywords.size(); ++i) {
    std::string where = "settings.keywords[" + std::to_string(i) + "]";
    if (!keywords[i].is_array() || keywords[i].size() != 2 || !keywords[i][0].is_string() || !keywords[i][1].is_string())
      f.fail(where, "must be [\"words\", \"setting\"]");
    d.keywords.emplace_back(lower(keywords[i][0].get<std::string>()), f.setting(keywords[i][1].get<std::string>(), where));
  }
  if (!settings.contains("encounter_class") || !settings["encounter_class"].is_object())
    f.fail("settings.encounter_class", "must be an object of class code -> setting");
  for (auto it = settings["encounter_class"].begin(); it != settings["encounter_class"].end(); ++it) {
    if (!it->is_string()) f.fail("settings.encounter_class." + it.key(), "must be a setting");
    d.encounter_class[it.key()] = f.setting(it->get<std::string>(), "settings.encounter_class." + it.key());
  }

  if (!root.contains("code_lists") || !root["code_lists"].is_object()) f.fail("code_lists", "must be an object");
  for (auto list = root["code_lists"].begin(); list != root["code_lists"].end(); ++list) {
    std::string where = "code_lists." + list.key() + ".";
    auto& entries = d.code_lists[list.key()];
    const json& groups = f.list_at(*list, "groups", where);
    for (size_t g = 0; g < groups.size(); ++g) {
      std::string gw = where + "groups[" + std::to_string(g) + "].";
      std::string group = f.text_at(groups[g], "name", gw);
      const json& codings = f.list_at(groups[g], "codings", gw);
      for (size_t c = 0; c < codings.size(); ++c) {
        std::string cw = gw + "codings[" + std::to_string(c) + "].";
        std::string system = f.text_at(codings[c], "system", cw);
        for (const auto& code : f.texts_at(codings[c], "codes", cw)) entries[system + "|" + code] = group;
      }
    }
  }

  static const std::set<std::string> known_conditions = {"kind", "setting", "category", "not_category", "status", "code_list", "code_system"};
  std::set<std::string> ids;
  const json& rules = f.list_at(root, "rules", "");
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string where = "rules[" + std::to_string(i) + "].";
    const json& r = rules[i];
    if (!r.is_object()) f.fail(where, "must be an object");
    Classification::Data::Rule rule;
    rule.id = f.text_at(r, "id", where);
    if (!ids.insert(rule.id).second) f.fail(where + "id", "\"" + rule.id + "\" is used twice");
    rule.why = f.text_at(r, "why", where);
    std::string segment = f.text_at(r, "segment", where);
    static const std::map<std::string, Segment> segments = {
        {"S", Segment::summary}, {"C", Segment::community}, {"D", Segment::diagnostics}, {"H", Segment::hospital}, {"none", Segment::none}};
    if (!segments.count(segment)) f.fail(where + "segment", "must be S, C, D, H or none");
    rule.segment = segments.at(segment);
    if (!r.contains("tier") || !r["tier"].is_number_integer()) f.fail(where + "tier", "must be a whole number");
    rule.tier = r["tier"].get<int>();
    if (rule.segment == Segment::none ? rule.tier != 0 : (rule.tier < 1 || rule.tier > 3))
      f.fail(where + "tier", "must be 1, 2 or 3 (0 with segment none)");
    if (!r.contains("when") || !r["when"].is_object()) f.fail(where + "when", "must be an object of conditions");
    const json& when = r["when"];
    for (auto it = when.begin(); it != when.end(); ++it)
      if (!known_conditions.count(it.key()))
        f.fail(where + "when." + it.key(), "is not a known condition (kind, setting, category, not_category, status, code_list, code_system)");
    std::string ww = where + "when.";
    auto texts = [&](const char* key) { return when.contains(key) ? f.texts_at(when, key, ww) : std::vector<std::string>{}; };
    rule.kind = texts("kind");
    rule.category = texts("category");
    rule.not_category = texts("not_category");
    rule.status = texts("status");
    rule.code_list = texts("code_list");
    rule.code_system = texts("code_system");
    for (const auto& s : texts("setting")) rule.setting.push_back(f.setting(s, ww + "setting"));
    for (const auto& list : rule.code_list)
      if (!d.code_lists.count(list)) f.fail(ww + "code_list", "names \"" + list + "\", which is not in code_lists");
    d.rules.push_back(std::move(rule));
  }
}

// The published lists (SNOMED CT, dm+d, LOINC), as the policy loader resolved
// them: each with its category, code system and codes.
void load_code_lists(const Checked& f, const std::set<std::string>& categories, Classification::Data& d) {
  const json& root = f.root();
  if (!root.contains("code_lists")) return;
  if (!root["code_lists"].is_object()) f.fail("code_lists", "must be an object of list id -> list");
  for (auto it = root["code_lists"].begin(); it != root["code_lists"].end(); ++it) {
    std::string where = "code_lists." + it.key() + ".";
    if (!it->is_object()) f.fail(where.substr(0, where.size() - 1), "must be an object");
    std::string category = f.text_at(*it, "category", where);
    if (!categories.count(category)) f.fail(where + "category", "\"" + category + "\" is not one of the categories");
    std::string system = f.text_at(*it, "system", where);
    if (system != "snomed_ct" && system != "dmd" && system != "loinc")
      f.fail(where + "system", "\"" + system + "\" must be snomed_ct, dmd or loinc");
    bool loinc = system == "loinc";
    auto& target = loinc ? d.loinc : d.snomed;
    const json& codes = f.list_at(*it, "codes", where);
    for (size_t k = 0; k < codes.size(); ++k) {
      std::string at = where + "codes[" + std::to_string(k) + "]";
      if (!codes[k].is_string()) f.fail(at, "must be a text");
      const std::string& code = codes[k].get_ref<const std::string&>();
      if (loinc ? !valid_loinc_code(code) : !valid_snomed_identifier(code)) f.fail(at, "\"" + code + "\" is not a valid " + system + " code");
      target.emplace(code, std::make_pair(category, std::string(loinc ? "LOINC " : "SNOMED CT ") + code + " (list " + it.key() + ")"));
    }
  }
}

// The term safety net: words that name a category unambiguously, and the
// phrases that look like them but are shared (alcohol abuse is not abuse by others).
void load_words(const Checked& f, const std::set<std::string>& categories, Classification::Data& d) {
  const json& root = f.root();
  if (!root.contains("terms")) return;
  if (!root["terms"].is_object()) f.fail("terms", "must be an object of category -> {words, not_when}");
  for (auto it = root["terms"].begin(); it != root["terms"].end(); ++it) {
    std::string where = "terms." + it.key() + ".";
    if (!categories.count(it.key())) f.fail("terms." + it.key(), "is not one of the categories");
    if (!it->is_object()) f.fail("terms." + it.key(), "must be an object");
    Classification::Data::Words w;
    w.category = it.key();
    auto phrases = [&](const char* key, std::vector<std::string>& out, bool keep_case = false) {
      if (!it->contains(key)) return;
      for (const auto& t : f.texts_at(*it, key, where)) {
        std::string n = normalised_words(t, keep_case);
        if (n.size() < 4) f.fail(where + key, "\"" + t + "\" has no letters or digits to match");
        out.push_back(std::move(n));
      }
    };
    phrases("words", w.terms);
    phrases("not_when", w.not_when);
    phrases("words_in_capitals", w.cased_terms, true);
    for (auto mem = it->begin(); mem != it->end(); ++mem)
      if (mem.key() != "words" && mem.key() != "not_when" && mem.key() != "words_in_capitals")
        f.fail(where + mem.key(), "is not a known member (words, words_in_capitals, not_when)");
    d.words.push_back(std::move(w));
  }
}

void load_exclusions(const Checked& f, Classification::Data& d) {
  const json& root = f.root();
  if (!root.contains("code_systems") || !root["code_systems"].is_object()) f.fail("code_systems", "must be an object");
  const json& systems = root["code_systems"];
  for (const auto& s : f.texts_at(systems, "read_v2", "code_systems.")) d.read_systems.insert(s);
  for (const auto& s : f.texts_at(systems, "emis_local", "code_systems.")) d.emis_systems.insert(s);
  for (const auto& s : f.texts_at(systems, "snomed_ct", "code_systems.")) d.snomed_systems.insert(s);
  // dm+d identifiers are SNOMED CT identifiers: one namespace, matched under either system.
  if (systems.contains("dmd")) for (const auto& s : f.texts_at(systems, "dmd", "code_systems.")) d.snomed_systems.insert(s);
  if (systems.contains("loinc")) for (const auto& s : f.texts_at(systems, "loinc", "code_systems.")) d.loinc_systems.insert(s);
  std::set<std::string> ids;
  const json& categories = f.list_at(root, "categories", "");
  for (size_t i = 0; i < categories.size(); ++i) {
    std::string where = "categories[" + std::to_string(i) + "].";
    const json& c = categories[i];
    std::string id = f.text_at(c, "id", where);
    if (!ids.insert(id).second) f.fail(where + "id", "\"" + id + "\" is used twice");
    f.text_at(c, "name", where);
    f.text_at(c, "reason", where);
    auto entries = [&](const char* key, auto&& add) {
      const json& list = f.list_at(c, key, where);
      for (size_t k = 0; k < list.size(); ++k) add(f.text_at(list[k], "code", where + key + "[" + std::to_string(k) + "]."),
                                                  where + key + "[" + std::to_string(k) + "]");
    };
    entries("read_v2", [&](const std::string& code, const std::string& at) {
      if (!is_read_pattern(code)) f.fail(at, "\"" + code + "\" is not a Read v2 code or pattern (up to five characters, optional trailing %)");
      Classification::Data::ReadPattern p;
      p.hierarchy = code.back() == '%';
      p.prefix = p.hierarchy ? code.substr(0, code.size() - 1) : pad_read(code);
      if (p.hierarchy) while (!p.prefix.empty() && p.prefix.back() == '.') p.prefix.pop_back();
      p.printed = code;
      p.category = id;
      d.read_patterns.push_back(std::move(p));
    });
    entries("emis_local", [&](const std::string& code, const std::string&) { d.emis[code] = {id, code}; });
    if (c.contains("snomed_ct"))  // a few concepts written in the policy itself; the lists are in code_lists
      entries("snomed_ct", [&](const std::string& code, const std::string& at) {
        if (!valid_snomed_identifier(code)) f.fail(at, "\"" + code + "\" is not a SNOMED CT identifier (digits with a valid check digit)");
        d.snomed[code] = {id, "SNOMED CT " + code};
      });
    const json& labels = f.list_at(c, "security_labels", where);
    for (size_t k = 0; k < labels.size(); ++k) {
      std::string at = where + "security_labels[" + std::to_string(k) + "].";
      d.labels[f.text_at(labels[k], "system", at) + "|" + f.text_at(labels[k], "code", at)] = id;
    }
  }
  load_code_lists(f, ids, d);
  load_words(f, ids, d);
}

void load_participants(const Checked& f, Classification::Data& d) {
  const json& list = f.list_at(f.root(), "participants", "");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "participants[" + std::to_string(i) + "].";
    const json& p = list[i];
    if (!p.is_object() || !p.contains("ods") || !p["ods"].is_string()) f.fail(where + "ods", "must be a text (empty when not yet known)");
    std::string ods = p["ods"].get<std::string>();
    std::string name = f.text_at(p, "name", where);
    CareSetting setting = f.setting(f.text_at(p, "setting", where), where + "setting");
    if (!ods.empty() && !d.participant_by_ods.emplace(ods, std::make_pair(setting, name)).second)
      f.fail(where + "ods", "\"" + ods + "\" is listed twice");
    d.participant_by_name[lower(name)] = {setting, name};
  }
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

const char* care_setting_id(CareSetting s) { return kSettingIds[static_cast<int>(s)]; }

std::optional<CareSetting> care_setting_from_id(const std::string& id) {
  for (int i = 1; i < 7; ++i) if (id == kSettingIds[i]) return static_cast<CareSetting>(i);
  return std::nullopt;
}

const char* segment_letter(Segment s) {
  switch (s) {
    case Segment::summary: return "S";
    case Segment::community: return "C";
    case Segment::diagnostics: return "D";
    case Segment::hospital: return "H";
    default: return "-";
  }
}

const char* segment_name(Segment s) {
  switch (s) {
    case Segment::summary: return "Summary";
    case Segment::community: return "Community";
    case Segment::diagnostics: return "Diagnostics";
    case Segment::hospital: return "Hospitals";
    default: return "not shown as content";
  }
}

bool read_v2_matches(std::string_view pattern, std::string_view code) {
  if (pattern.empty() || code.empty()) return false;
  std::string padded = pad_read(code);
  if (pattern.back() == '%') {
    std::string prefix(pattern.substr(0, pattern.size() - 1));
    while (!prefix.empty() && prefix.back() == '.') prefix.pop_back();
    return padded.compare(0, prefix.size(), prefix) == 0;
  }
  return padded == pad_read(pattern);
}

Classification Classification::from_json(std::string_view classification, std::string_view exclusions, std::string_view participants) {
  auto d = std::make_shared<Data>();
  Checked c(classification, "classification.json", "ilinks-classification/1");
  Checked e(exclusions, "policy exclusions", "ilinks-exclusions/1");
  Checked p(participants, "participants.json", "ilinks-participants/1");
  load_rules(c, *d);
  load_exclusions(e, *d);
  load_participants(p, *d);
  d->version = "classification " + c.version() + ", exclusions " + e.version() + ", participants " + p.version();
  return Classification(std::move(d));
}

const Classification& Classification::builtin() {
  // The exclusion code lists are part of the sharing policy (core/data/policy.json).
  static const Classification instance =
      from_json(detail::embedded_classification(), Policy::builtin().exclusions_json(), detail::embedded_participants());
  return instance;
}

Classification Classification::with_exclusions(std::string_view exclusions) {
  return from_json(detail::embedded_classification(), exclusions, detail::embedded_participants());
}

std::string Classification::version() const { return data_->version; }

bool Classification::has_rule(const std::string& id) const {
  return std::any_of(data_->rules.begin(), data_->rules.end(), [&](const Data::Rule& r) { return r.id == id; });
}

std::optional<CareSetting> Classification::participant_setting(const std::string& ods, const std::string& name,
                                                               std::string* canonical_name) const {
  auto hit = ods.empty() ? data_->participant_by_ods.end() : data_->participant_by_ods.find(ods);
  if (hit == data_->participant_by_ods.end() && !name.empty()) {
    auto by_name = data_->participant_by_name.find(lower(name));
    if (by_name != data_->participant_by_name.end()) {
      if (canonical_name) *canonical_name = by_name->second.second;
      return by_name->second.first;
    }
    return std::nullopt;
  }
  if (hit == data_->participant_by_ods.end()) return std::nullopt;
  if (canonical_name) *canonical_name = hit->second.second;
  return hit->second.first;
}

std::optional<CareSetting> Classification::setting_from_words(const std::string& text) const {
  std::string t = lower(text);
  for (const auto& [words, setting] : data_->keywords)
    if (t.find(words) != std::string::npos) return setting;
  return std::nullopt;
}

std::optional<CareSetting> Classification::setting_from_encounter_class(const std::string& code) const {
  auto it = data_->encounter_class.find(code);
  return it == data_->encounter_class.end() ? std::nullopt : std::optional<CareSetting>(it->second);
}

std::string Classification::code_list_group(const std::string& list, const std::vector<Coding>& codings) const {
  auto it = data_->code_lists.find(list);
  if (it == data_->code_lists.end()) return {};
  for (const auto& c : codings) {
    auto hit = it->second.find(c.system + "|" + c.code);
    if (hit != it->second.end()) return hit->second;
  }
  return {};
}

Placement Classification::place(const Item& item, const std::vector<Coding>& report_codings) const {
  auto any_category = [&](const std::vector<std::string>& list) {
    for (const auto& c : item.categories) if (contains(list, c.code)) return true;
    return false;
  };
  for (const auto& rule : data_->rules) {
    if (!rule.kind.empty() && !contains(rule.kind, item.kind)) continue;
    if (!rule.setting.empty() && std::find(rule.setting.begin(), rule.setting.end(), item.source.setting) == rule.setting.end()) continue;
    if (!rule.status.empty() && !contains(rule.status, item.status)) continue;
    if (!rule.category.empty() && !any_category(rule.category)) continue;
    if (!rule.not_category.empty() && any_category(rule.not_category)) continue;
    if (!rule.code_system.empty()) {
      bool found = false;
      for (const auto& c : item.codings) found |= contains(rule.code_system, c.system);
      if (!found) continue;
    }
    if (!rule.code_list.empty()) {
      bool found = false;
      for (const auto& list : rule.code_list)
        found |= !code_list_group(list, item.codings).empty() || !code_list_group(list, report_codings).empty();
      if (!found) continue;
    }
    return {rule.segment, rule.tier, rule.id, rule.why};
  }
  return {};
}

std::optional<ExclusionMark> Classification::exclusion_of(const Item& item) const {
  const Data& d = *data_;
  for (const auto& label : item.security_labels) {
    auto it = d.labels.find(label.system + "|" + label.code);
    if (it != d.labels.end()) return ExclusionMark{it->second, "security label " + label.code, {}};
  }
  auto check = [&](const Coding& c) -> std::optional<ExclusionMark> {
    if (d.read_systems.count(c.system)) {
      // EMIS and others send Read v2 with a two-character term code ("A788.00"): the concept is the first five.
      std::string_view code(c.code);
      if (code.size() == 7) code = code.substr(0, 5);
      for (const auto& p : d.read_patterns) {
        bool hit = p.hierarchy ? read_v2_matches(p.prefix + "%", code) : pad_read(code) == p.prefix;
        if (hit) return ExclusionMark{p.category, "Read v2 " + p.printed, {}};
      }
    }
    if (d.emis_systems.count("*") || d.emis_systems.count(c.system)) {
      auto it = d.emis.find(c.code);
      if (it != d.emis.end()) return ExclusionMark{it->second.first, "EMIS local code " + it->second.second, {}};
    }
    if (d.snomed_systems.count(c.system)) {
      auto it = d.snomed.find(c.code);
      if (it != d.snomed.end()) return ExclusionMark{it->second.first, it->second.second, {}};
    }
    if (d.loinc_systems.count(c.system)) {
      auto it = d.loinc.find(c.code);
      if (it != d.loinc.end()) return ExclusionMark{it->second.first, it->second.second, {}};
    }
    return std::nullopt;
  };
  // Every code the item carries: its own (with translations), categories,
  // a coded value, a coded reason, and each component's.
  for (const auto* codings : {&item.codings, &item.categories, &item.value.codings, &item.reasons})
    for (const auto& c : *codings) if (auto m = check(c)) return m;
  for (const auto& comp : item.components) {
    for (const auto& c : comp.codings) if (auto m = check(c)) return m;
    for (const auto& c : comp.value.codings) if (auto m = check(c)) return m;
  }
  // Last, the words, for a code on no list (no SNOMED CT release is shipped).
  if (d.words.empty()) return std::nullopt;
  return exclusion_by_words(words_of(item));
}

std::vector<std::string> Classification::label_categories(const Item& item) const {
  std::vector<std::string> out;
  for (const auto& label : item.security_labels) {
    auto it = data_->labels.find(label.system + "|" + label.code);
    if (it != data_->labels.end()) out.push_back(it->second);
  }
  return out;
}

std::string Classification::words_of(const Item& item) {
  std::string text = item.display;
  auto add = [&](const std::vector<Coding>& codings) {
    for (const auto& c : codings) text += " | " + c.display;
  };
  for (const auto* codings : {&item.codings, &item.value.codings, &item.reasons}) add(*codings);
  for (const auto& comp : item.components) text += " | " + comp.name, add(comp.codings), add(comp.value.codings);
  return text;
}

std::optional<ExclusionMark> Classification::exclusion_by_words(std::string_view text) const {
  std::string words = normalised_words(text), cased = normalised_words(text, true);
  for (const auto& w : data_->words) {
    std::string rest = words;
    for (const auto& phrase : w.not_when)
      for (size_t at; (at = rest.find(phrase)) != std::string::npos;) rest.replace(at, phrase.size(), " ");
    for (const auto& term : w.terms)
      if (rest.find(term) != std::string::npos)
        return ExclusionMark{w.category, "words \"" + term.substr(1, term.size() - 2) + "\"", {}};
    for (const auto& term : w.cased_terms)
      if (cased.find(term) != std::string::npos)
        return ExclusionMark{w.category, "words \"" + term.substr(1, term.size() - 2) + "\"", {}};
  }
  return std::nullopt;
}

void Classification::mark_exclusions(std::vector<Item>& items) const {
  for (auto& item : items)
    if (!item.exclusion) item.exclusion = exclusion_of(item);
  propagate_marks(items);
}

void Classification::propagate_marks(std::vector<Item>& items) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].key, i);
  auto find = [&](const std::string& key) -> Item* {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &items[it->second];
  };
  // Marks only ever get added, so this ends; each pass is linear.
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& item : items) {
      if (item.exclusion) continue;
      std::optional<ExclusionMark> through;
      size_t indications = 0, excluded_indications = 0;
      for (const auto& l : item.links) {
        const Item* t = find(l.target);
        if (!t) continue;
        if (l.relation == "indication") {
          ++indications;
          if (t->exclusion) ++excluded_indications, through = ExclusionMark{t->exclusion->category, "its only indication", t->key};
          continue;
        }
        if (t->exclusion && !through) through = ExclusionMark{t->exclusion->category, "depends on an excluded item (" + l.relation + ")", t->key};
      }
      if (indications && excluded_indications < indications && through && through->matched == "its only indication") through.reset();
      if (through) { item.exclusion = through; changed = true; }
    }
    // A report or panel with an excluded result is itself excluded: its
    // other results would show the gap.
    for (auto& item : items) {
      if (!item.exclusion) continue;
      for (const auto& l : item.links) {
        if (l.relation != "result of" && l.relation != "member of") continue;
        Item* report = find(l.target);
        if (!report || report->exclusion) continue;
        report->exclusion = ExclusionMark{item.exclusion->category, "holds an excluded result", item.key};
        changed = true;
      }
    }
  }
}

std::string Classification::sensitive_test_group(const Item& item) const {
  std::string group = code_list_group("sensitive_tests", item.codings);
  for (size_t i = 0; group.empty() && i < item.components.size(); ++i)
    group = code_list_group("sensitive_tests", item.components[i].codings);
  return group;
}

}  // namespace ilinks
