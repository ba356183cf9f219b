#include "layout_rules.h"

#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ilinks {
namespace {

using nlohmann::json;

// Reads one file, naming the file and the place of anything wrong in it.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw std::runtime_error(file_ + ": " + where + ": " + why);
  }
  void only(const json& object, const std::string& where, std::initializer_list<const char*> known) const {
    if (!object.is_object()) fail(where, "must be an object");
    for (const auto& [key, value] : object.items()) {
      bool ok = false;
      for (const char* k : known) ok = ok || key == k;
      if (!ok) fail(where + "." + key, "is not a member this format knows");
    }
  }
  std::string text(const json& object, const char* key, const std::string& where, bool required = false) const {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) fail(where + "." + key, "is required");
      return {};
    }
    if (!it->is_string()) fail(where + "." + key, "must be a string");
    return it->get<std::string>();
  }
  std::vector<std::string> texts(const json& object, const char* key, const std::string& where) const {
    std::vector<std::string> out;
    auto it = object.find(key);
    if (it == object.end()) return out;
    if (!it->is_array()) fail(where + "." + key, "must be a list of strings");
    for (const auto& v : *it) {
      if (!v.is_string()) fail(where + "." + key, "must be a list of strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
 private:
  std::string file_;
};

Column column_from(const std::string& id, const Reader& r, const std::string& where) {
  static const std::pair<const char*, Column> names[] = {
      {"date", Column::date},     {"what", Column::what},       {"detail", Column::detail},
      {"status", Column::status}, {"range", Column::range},     {"flag", Column::flag},
      {"person", Column::person}, {"role", Column::role},       {"organisation", Column::organisation},
      {"contact", Column::contact}, {"source", Column::source},
      {"stay_length", Column::stay_length}, {"expected_discharge", Column::expected_discharge}};
  for (const auto& [name, column] : names)
    if (id == name) return column;
  r.fail(where, "'" + id + "' is not a column (date, what, detail, status, range, flag, person, role, organisation, contact, source, stay_length, expected_discharge)");
}

Layout::Rules::Match match_from(const json& m, const Reader& r, const std::string& where) {
  r.only(m, where, {"kinds", "tags", "status", "not_status", "when", "key_preference"});
  Layout::Rules::Match out;
  out.kinds = r.texts(m, "kinds", where);
  out.tags = r.texts(m, "tags", where);
  out.status = r.texts(m, "status", where);
  out.not_status = r.texts(m, "not_status", where);
  out.when = r.text(m, "when", where);
  if (!out.when.empty() && out.when != "future" && out.when != "past") r.fail(where + ".when", "must be 'future' or 'past'");
  if (auto it = m.find("key_preference"); it != m.end()) {
    if (!it->is_boolean()) r.fail(where + ".key_preference", "must be true or false");
    out.key_preference = it->get<bool>();
  }
  return out;
}

Layout::Rules::SectionRule section_from(const json& s, const Reader& r, const std::string& where) {
  r.only(s, where, {"title", "match", "columns", "rows", "empty", "reader", "panel_kinds", "discharge_kinds"});
  Layout::Rules::SectionRule out;
  out.title = r.text(s, "title", where, true);
  auto match = s.find("match");
  if (match == s.end()) r.fail(where + ".match", "is required ({} matches everything)");
  if (match->is_array()) {
    for (size_t i = 0; i < match->size(); ++i) out.any.push_back(match_from((*match)[i], r, where + ".match[" + std::to_string(i) + "]"));
  } else if (!match->empty()) {
    out.any.push_back(match_from(*match, r, where + ".match"));
  }
  for (const auto& c : r.texts(s, "columns", where)) out.columns.push_back(column_from(c, r, where + ".columns"));
  if (out.columns.empty()) r.fail(where + ".columns", "must name at least one column");
  std::string rows = r.text(s, "rows", where);
  if (rows.empty() || rows == "items") out.rows = Layout::Rules::Rows::items;
  else if (rows == "participants") out.rows = Layout::Rules::Rows::participants;
  else if (rows == "results") out.rows = Layout::Rules::Rows::results;
  else if (rows == "stay") out.rows = Layout::Rules::Rows::stay;
  else r.fail(where + ".rows", "'" + rows + "' is not one of items, participants, results, stay");
  out.panel_kinds = r.texts(s, "panel_kinds", where);
  if (!out.panel_kinds.empty() && out.rows != Layout::Rules::Rows::results) r.fail(where + ".panel_kinds", "is for rows 'results' only");
  out.discharge_kinds = r.texts(s, "discharge_kinds", where);
  if (!out.discharge_kinds.empty() && out.rows != Layout::Rules::Rows::stay) r.fail(where + ".discharge_kinds", "is for rows 'stay' only");
  out.empty = r.text(s, "empty", where);
  if (auto it = s.find("reader"); it != s.end()) {
    if (!it->is_boolean()) r.fail(where + ".reader", "must be true or false");
    out.reader = it->get<bool>();
  }
  return out;
}

}  // namespace

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Layout::Rules Layout::Rules::parse(const std::string& text, const std::string& file) {
  Reader r(file);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    r.fail("byte " + std::to_string(e.byte), "is not JSON");
  } catch (const json::out_of_range&) {
    r.fail("(top)", "is not JSON this reader can hold: a number is too large");
  }
  r.only(doc, "(top)", {"format", "version", "notes", "allergies", "flags", "key_preferences", "tabs"});
  // Version 1 named clinical codes and words; version 2 names the classification's tags.
  if (r.text(doc, "format", "(top)", true) != "ilinks-layout/2") r.fail("format", "must be \"ilinks-layout/2\"");

  Rules out;
  auto allergies = doc.find("allergies");
  if (allergies == doc.end()) r.fail("allergies", "is required");
  r.only(*allergies, "allergies", {"tag", "none_known_tag", "segment", "tier", "not_current_status"});
  out.allergy_tag = r.text(*allergies, "tag", "allergies", true);
  out.none_known_tag = r.text(*allergies, "none_known_tag", "allergies", true);
  std::string seg = r.text(*allergies, "segment", "allergies", true);
  static const std::pair<const char*, Segment> segments[] = {
      {"S", Segment::summary}, {"C", Segment::community}, {"D", Segment::diagnostics}, {"H", Segment::hospital}};
  bool known = false;
  for (const auto& [letter, s] : segments)
    if (seg == letter) out.allergy_segment = s, known = true;
  if (!known) r.fail("allergies.segment", "must be S, C, D or H");
  auto tier = allergies->find("tier");
  if (tier == allergies->end() || !tier->is_number_integer() || tier->get<int>() < 1 || tier->get<int>() > 3)
    r.fail("allergies.tier", "must be 1, 2 or 3");
  out.allergy_tier = tier->get<int>();
  out.allergy_not_current = r.texts(*allergies, "not_current_status", "allergies");

  if (auto prefs = doc.find("key_preferences"); prefs != doc.end()) {
    if (!prefs->is_array()) r.fail("key_preferences", "must be a list");
    for (size_t i = 0; i < prefs->size(); ++i) {
      std::string where = "key_preferences[" + std::to_string(i) + "]";
      const json& p = (*prefs)[i];
      r.only(p, where, {"tag", "label"});
      out.preferences.push_back({r.text(p, "tag", where, true), r.text(p, "label", where, true)});
    }
  }

  if (auto flags = doc.find("flags"); flags != doc.end()) {
    r.only(*flags, "flags", {"kinds", "current_status"});
    out.flag_kinds = r.texts(*flags, "kinds", "flags");
    out.flag_current = r.texts(*flags, "current_status", "flags");
  }

  auto tabs = doc.find("tabs");
  if (tabs == doc.end()) r.fail("tabs", "is required");
  r.only(*tabs, "tabs", {"summary", "community", "diagnostics", "hospital", "timeline"});
  for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline}) {
    std::string where = std::string("tabs.") + tab_id(t);
    auto list = tabs->find(tab_id(t));
    if (list == tabs->end() || !list->is_array() || list->empty()) r.fail(where, "must be a list of sections");
    auto& sections = out.tabs[static_cast<size_t>(t)];
    for (size_t i = 0; i < list->size(); ++i)
      sections.push_back(section_from((*list)[i], r, where + "[" + std::to_string(i) + "]"));
    // Nothing the policy let through may fall off the screen.
    if (!sections.back().any.empty()) r.fail(where, "the last section must match everything (\"match\": {})");
  }
  return out;
}

}  // namespace ilinks
