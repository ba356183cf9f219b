// Loading and applying core/data/{classification,participants}.json: where
// each item sits in the sharing model, and what it means clinically (tags).
// A file is checked as a whole before it is used: an unknown condition or a
// misspelt setting would silently widen a rule, so it is refused instead.
#include "ilinks/classification.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "data_file.h"
#include "embedded_data.h"

namespace ilinks {

using detail::json;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}


}  // namespace

struct Classification::Data {
  using CodeList = std::unordered_map<std::string, std::string>;  // "system|code" -> group
  struct Rule {
    Text id;  // shared with each item it places
    std::string why;
    Segment segment = Segment::none;
    int tier = 0;
    std::vector<std::string> kind, category, not_category, status, code_list, code_system;
    std::vector<const CodeList*> lists;  // code_list's lists, found once when loaded
    std::vector<CareSetting> setting;
  };
  std::string version;
  std::vector<std::pair<std::string, CareSetting>> keywords;
  std::map<std::string, CareSetting> encounter_class;
  std::map<std::string, std::pair<CareSetting, std::string>> participant_by_ods, participant_by_name;
  std::map<std::string, CodeList> code_lists;  // by list name (a map: the rules and tags point into it)
  std::vector<Rule> rules;
  struct Tag {
    Text id;  // shared with each item it tags
    std::vector<std::string> kinds;
    std::set<std::string> codes;  // "system|code"
    std::string code_list, group;  // a list of code_lists, or one group of it
    const CodeList* list = nullptr;  // code_list's list, found once when loaded
    std::vector<std::string> words;  // lower case, found anywhere in the display
  };
  std::vector<Tag> tags;
};

namespace {


void load_rules(const detail::DataFile& f, Classification::Data& d) {
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
    for (const auto& list : rule.code_list) {
      auto found = d.code_lists.find(list);
      if (found == d.code_lists.end()) f.fail(ww + "code_list", "names \"" + list + "\", which is not in code_lists");
      rule.lists.push_back(&found->second);
    }
    d.rules.push_back(std::move(rule));
  }
}

// What items mean clinically, for the layout: "allergy", "resuscitation-decision", ...
void load_tags(const detail::DataFile& f, Classification::Data& d) {
  const json& root = f.root();
  if (!root.contains("tags")) return;
  if (!root["tags"].is_object()) f.fail("tags", "must be an object of tag -> {kinds, codings, code_list, group, words}");
  for (auto it = root["tags"].begin(); it != root["tags"].end(); ++it) {
    std::string where = "tags." + it.key() + ".";
    if (!it->is_object()) f.fail("tags." + it.key(), "must be an object");
    Classification::Data::Tag tag;
    tag.id = it.key();
    for (auto mem = it->begin(); mem != it->end(); ++mem)
      if (mem.key() != "kinds" && mem.key() != "codings" && mem.key() != "code_list" && mem.key() != "group" && mem.key() != "words")
        f.fail(where + mem.key(), "is not a known member (kinds, codings, code_list, group, words)");
    if (it->contains("kinds")) tag.kinds = f.texts_at(*it, "kinds", where);
    if (it->contains("codings")) {
      const json& codings = f.list_at(*it, "codings", where);
      for (size_t i = 0; i < codings.size(); ++i) {
        std::string at = where + "codings[" + std::to_string(i) + "].";
        std::string system = f.text_at(codings[i], "system", at);
        for (const auto& code : f.texts_at(codings[i], "codes", at)) tag.codes.insert(system + "|" + code);
      }
    }
    if (it->contains("code_list")) {
      tag.code_list = f.text_at(*it, "code_list", where);
      auto found = d.code_lists.find(tag.code_list);
      if (found == d.code_lists.end()) f.fail(where + "code_list", "names \"" + tag.code_list + "\", which is not in code_lists");
      tag.list = &found->second;
    }
    if (it->contains("group")) {
      tag.group = f.text_at(*it, "group", where);
      auto list = d.code_lists.find(tag.code_list);
      bool found = list != d.code_lists.end() &&
                   std::any_of(list->second.begin(), list->second.end(), [&](const auto& e) { return e.second == tag.group; });
      if (!found) f.fail(where + "group", "\"" + tag.group + "\" is not a group of the tag's code_list");
    }
    if (it->contains("words")) for (const auto& w : f.texts_at(*it, "words", where)) tag.words.push_back(lower(w));
    if (tag.kinds.empty() && tag.codes.empty() && tag.code_list.empty() && tag.words.empty())
      f.fail("tags." + it.key(), "says nothing to match (kinds, codings, code_list or words)");
    d.tags.push_back(std::move(tag));
  }
}

void load_participants(const detail::DataFile& f, Classification::Data& d) {
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

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "system|code", written into one buffer per thread: an item's codings are
// looked up in several lists, and a new string for each lookup was most of
// placing a long record (issue 18).
const std::string& system_and_code(const Coding& c) {
  thread_local std::string key;
  key.assign(c.system.str()).append(1, '|').append(c.code.str());
  return key;
}

// The group of the first of `codings` on `list`, or null.
const std::string* group_in(const Classification::Data::CodeList& list, const std::vector<Coding>& codings) {
  for (const auto& c : codings) {
    auto hit = list.find(system_and_code(c));
    if (hit != list.end()) return &hit->second;
  }
  return nullptr;
}

}  // namespace

Classification Classification::from_json(std::string_view classification, std::string_view participants) {
  auto d = std::make_shared<Data>();
  detail::DataFile c(classification, "classification.json", "ilinks-classification/1");
  detail::DataFile p(participants, "participants.json", "ilinks-participants/1");
  load_rules(c, *d);
  load_tags(c, *d);
  load_participants(p, *d);
  d->version = "classification " + c.version() + ", participants " + p.version();
  return Classification(std::move(d));
}

const Classification& Classification::builtin() {
  static const Classification instance = from_json(detail::embedded_classification(), detail::embedded_participants());
  return instance;
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
  const std::string* group = it == data_->code_lists.end() ? nullptr : group_in(it->second, codings);
  return group ? *group : std::string();
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
    if (!rule.lists.empty()) {
      bool found = false;
      auto in = [](const Data::CodeList& list, const std::vector<Coding>& codings) {
        const std::string* group = group_in(list, codings);
        return group && !group->empty();
      };
      for (const auto* list : rule.lists) found = found || in(*list, item.codings) || in(*list, report_codings);
      if (!found) continue;
    }
    return {rule.segment, rule.tier, rule.id, rule.why};
  }
  return {};
}

std::vector<Text> Classification::tags_of(const Item& item) const {
  std::vector<Text> out;
  std::string display;
  for (const auto& tag : data_->tags) {
    if (!tag.kinds.empty() && !contains(tag.kinds, item.kind)) continue;
    bool by_content = !tag.codes.empty() || !tag.code_list.empty() || !tag.words.empty();
    bool hit = !by_content;
    for (size_t i = 0; !hit && !tag.codes.empty() && i < item.codings.size(); ++i) hit = tag.codes.count(system_and_code(item.codings[i])) > 0;
    if (!hit && tag.list) {
      const std::string* group = group_in(*tag.list, item.codings);
      hit = group && !group->empty() && (tag.group.empty() || *group == tag.group);
    }
    if (!hit && !tag.words.empty()) {
      if (display.empty()) display = lower(item.display);
      for (const auto& w : tag.words) hit = hit || display.find(w) != std::string::npos;
    }
    if (hit) out.push_back(tag.id);
  }
  return out;
}

Text Classification::sensitive_test_group(const Item& item) const {
  auto list = data_->code_lists.find("sensitive_tests");
  if (list == data_->code_lists.end()) return {};
  const std::string* group = group_in(list->second, item.codings);
  for (size_t i = 0; (!group || group->empty()) && i < item.components.size(); ++i)
    group = group_in(list->second, item.components[i].codings);
  return group ? Text(*group) : Text();
}

}  // namespace ilinks
