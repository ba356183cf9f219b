#include "ilinks/view_export.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

#include "ilinks/nhs_number.h"

namespace ilinks {

using nlohmann::json;

namespace {

const char* kNotKnown = "Not Known";
const Tab kTabs[] = {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline};

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string date_key(const Item& i) {
  if (!i.date) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", i.date->year, i.date->month, i.date->day);
  return buf;
}

}  // namespace

std::string format_number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

std::string item_value_text(const Item& i) {
  std::string v = i.value.text;
  if (v.empty() && i.value.number) v = format_number(*i.value.number);
  if (!v.empty() && !i.value.unit.empty()) v = i.value.comparator + v + " " + i.value.unit;
  for (const auto& c : i.components) {
    std::string part = c.value.text.empty() ? "" : c.name + " " + c.value.text + (c.value.unit.empty() ? "" : " " + c.value.unit);
    if (!part.empty()) v += (v.empty() ? "" : "; ") + part;
  }
  return v;
}

std::string item_range_text(const Item& i) {
  std::vector<std::string> out;
  for (const auto& r : i.ranges) out.push_back(r.text);
  return join(out, ", ");
}

std::string item_source_text(const Item& i) {
  return i.source.name.empty() ? (i.source.ods_code.empty() ? "Source not known" : i.source.ods_code) : i.source.name;
}

namespace {

json item_json(const Item& i) {
  json codes = json::array();
  for (const auto& c : i.codings) codes.push_back({{"system", c.system}, {"code", c.code}, {"display", c.display}});
  json links = json::array();
  for (const auto& l : i.links) links.push_back({{"relation", l.relation}, {"target", l.target}});
  json out = {{"resource_type", i.kind},       {"id", i.source_id},
              {"key", i.key},                  {"display", i.display},
              {"segment", segment_letter(i.segment)}, {"tier", i.tier},
              {"date", i.date ? format_date(*i.date) : ""}, {"status", i.status},
              {"value", item_value_text(i)},        {"reference_range", item_range_text(i)},
              {"interpretation", i.interpretation}, {"codes", codes},
              {"source", {{"ods", i.source.ods_code}, {"name", i.source.name}, {"setting", care_setting_id(i.source.setting)}}},
              {"links", links}};
  if (!i.text.empty()) out["text"] = i.text;
  return out;
}

}  // namespace

const char* tab_id(Tab tab) {
  static const char* const ids[] = {"summary", "community", "diagnostics", "hospital", "timeline"};
  return ids[static_cast<int>(tab)];
}
const char* tab_title(Tab tab) {
  static const char* const titles[] = {"Summary", "Community", "Diagnostics", "Hospital", "Timeline"};
  return titles[static_cast<int>(tab)];
}
bool tab_from_id(const std::string& id, Tab& out) {
  for (Tab t : kTabs)
    if (id == tab_id(t)) return out = t, true;
  return false;
}
Segment tab_segment(Tab tab) {
  switch (tab) {
    case Tab::summary: return Segment::summary;
    case Tab::community: return Segment::community;
    case Tab::diagnostics: return Segment::diagnostics;
    case Tab::hospital: return Segment::hospital;
    case Tab::timeline: break;
  }
  return Segment::none;
}

std::vector<const Item*> tab_items(const View& view, Tab tab) {
  std::vector<const Item*> out;
  for (const auto& i : view.items())
    if (tab == Tab::timeline || i.segment == tab_segment(tab)) out.push_back(&i);
  // Each item's key made once, not at every comparison (a long record's
  // timeline spent half its layout formatting dates for the sort).
  std::vector<std::pair<std::string, const Item*>> keyed;
  keyed.reserve(out.size());
  for (const Item* i : out) keyed.emplace_back(date_key(*i), i);
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; k < keyed.size(); ++k) out[k] = keyed[k].second;
  return out;
}

const char* gender_text(Gender g) {
  switch (g) {
    case Gender::male: return "Male";
    case Gender::female: return "Female";
    case Gender::other: return "Other";
    case Gender::unknown: return "Unknown";
    case Gender::not_recorded: break;
  }
  return kNotKnown;
}

std::string address_text(const std::optional<Address>& a) {
  if (!a) return kNotKnown;
  std::vector<std::string> parts = a->lines;
  parts.push_back(a->city);
  parts.push_back(a->district);
  parts.push_back(a->postal_code);
  std::string s = join(parts, ", ");
  return s.empty() ? kNotKnown : s;
}

// Upper case for the letters the widget's font draws (Basic Latin, Latin-1,
// Latin Extended-A): "Öztürk" -> "ÖZTÜRK", "Łukasz" -> "ŁUKASZ". Other text,
// and malformed UTF-8, is left as it is.
std::string upper_case(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(std::toupper(c));
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      if ((cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)) cp -= 0x20;                      // à-þ, not ÷
      else if (cp == 0xFF) cp = 0x178;                                               // ÿ -> Ÿ
      else if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) cp &= ~1u;  // pairs: upper even
      else if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) cp -= (cp % 2 == 0) ? 1 : 0;  // pairs: upper odd
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
      i += 2;
      continue;
    }
    out += static_cast<char>(c);  // other scripts and malformed bytes: unchanged
    ++i;
  }
  return out;
}

std::string display_name(const PersonName& n) {
  std::string family = upper_case(n.family);
  std::string given = join(n.given, " ");
  std::string s;
  if (!family.empty() && !given.empty()) s = family + ", " + given;
  else if (!family.empty()) s = family;
  else if (!given.empty()) s = given;
  else s = n.text;
  if (s.empty()) return kNotKnown;
  if (!n.prefix.empty() && !n.prefix.front().empty()) s += " (" + n.prefix.front() + ")";
  return s;
}

std::string view_as_json(const View& view, const Date& today) {
  const Patient& p = view.patient();
  json patient = {{"name", display_name(p.name)},
                  {"born", p.birth_date ? format_date(*p.birth_date) : kNotKnown},
                  {"age", p.birth_date ? format_age(*p.birth_date, today) : ""},
                  {"gender", gender_text(p.gender)},
                  {"nhs_number", p.nhs_number.size() == 10 ? format_nhs_number(p.nhs_number) : kNotKnown},
                  {"address", address_text(p.address)},
                  {"registered_gp", p.registered_gp.empty() ? kNotKnown : p.registered_gp},
                  {"deceased", p.deceased}};
  if (p.preferred_name) patient["preferred_name"] = *p.preferred_name;
  if (p.deceased_date) patient["died"] = format_date(*p.deceased_date);
  json tabs = json::array();
  for (Tab t : kTabs) {
    json tab = {{"tab", tab_id(t)}, {"title", tab_title(t)}};
    Segment s = tab_segment(t);
    if (s != Segment::none) {
      tab["segment"] = segment_letter(s);
      tab["tier"] = view.tier(s);
      if (view.tier(s) == 0) tab["not_available"] = "Not available for your role: " + view.profile_name();
    }
    json items = json::array();
    for (const Item* i : tab_items(view, t)) items.push_back(item_json(*i));
    tab["items"] = items;
    tabs.push_back(tab);
  }
  json out = {{"patient", patient},
              {"basis", basis_id(view.basis())},
              {"basis_text", view.basis_text()},
              {"shows_record", view.shows_record()},
              {"profile", {{"id", view.profile_id()}, {"name", view.profile_name()}}},
              {"tiers_shown", view.tiers_shown()},
              {"notice", view.notice()},
              {"incomplete", view.incomplete()},
              {"own_organisation_items_hidden", view.own_organisation_items_hidden()},
              {"policy_version", view.policy_version()},
              {"tabs", tabs}};
  if (!view.opt_out_notice().empty()) out["opt_out_notice"] = view.opt_out_notice();
  if (view.shows_record() && !view.unavailable_sources().empty()) out["unavailable_sources"] = view.unavailable_sources();
  if (view.override_ends()) out["override_ends"] = view.override_ends()->iso();
  if (view.case_access_available()) out["case_access_available"] = true;
  if (!view.case_access_text().empty()) out["case_access_text"] = view.case_access_text();
  return out.dump(1, ' ', false, json::error_handler_t::replace);  // a bad byte never stops the export
}

}  // namespace ilinks
