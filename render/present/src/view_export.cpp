#include "ilinks/view_export.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

#include "ilinks/json_writer.h"
#include "ilinks/nhs_number.h"

namespace ilinks {

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

// Each object's members in byte order (JsonWriter checks), as the json tree
// this replaced kept them: the export is the same, byte for byte.
void write_item(JsonWriter& w, const Item& i) {
  w.begin_object();
  w.key("codes");
  w.begin_array();
  for (const auto& c : i.codings) {
    w.begin_object();
    w.key("code"), w.string(c.code);
    w.key("display"), w.string(c.display);
    w.key("system"), w.string(c.system);
    w.end_object();
  }
  w.end_array();
  w.key("date"), w.string(i.date ? format_date(*i.date) : "");
  w.key("display"), w.string(i.display);
  w.key("id"), w.string(i.source_id);
  w.key("interpretation"), w.string(i.interpretation);
  w.key("key"), w.string(i.key);
  w.key("links");
  w.begin_array();
  for (const auto& l : i.links) {
    w.begin_object();
    w.key("relation"), w.string(l.relation);
    w.key("target"), w.string(l.target);
    w.end_object();
  }
  w.end_array();
  w.key("reference_range"), w.string(item_range_text(i));
  w.key("resource_type"), w.string(i.kind);
  w.key("segment"), w.string(segment_letter(i.segment));
  w.key("source");
  w.begin_object();
  w.key("name"), w.string(i.source.name);
  w.key("ods"), w.string(i.source.ods_code);
  w.key("setting"), w.string(care_setting_id(i.source.setting));
  w.end_object();
  w.key("status"), w.string(i.status);
  if (!i.text.empty()) w.key("text"), w.string(i.text);
  w.key("tier"), w.number(i.tier);
  w.key("value"), w.string(item_value_text(i));
  w.end_object();
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
  std::string out;
  out.reserve(4096 + view.items().size() * 2 * 1024);  // each item is in its tab and in the timeline
  JsonWriter w(out, 1);  // a bad byte never stops the export: it is written as U+FFFD
  w.begin_object();
  w.key("basis"), w.string(basis_id(view.basis()));
  w.key("basis_text"), w.string(view.basis_text());
  if (view.case_access_available()) w.key("case_access_available"), w.boolean(true);
  if (!view.case_access_text().empty()) w.key("case_access_text"), w.string(view.case_access_text());
  w.key("incomplete"), w.boolean(view.incomplete());
  w.key("notice"), w.string(view.notice());
  if (!view.opt_out_notice().empty()) w.key("opt_out_notice"), w.string(view.opt_out_notice());
  if (view.override_ends()) w.key("override_ends"), w.string(view.override_ends()->iso());
  w.key("own_organisation_items_hidden"), w.number(view.own_organisation_items_hidden());
  const Patient& p = view.patient();
  w.key("patient");
  w.begin_object();
  w.key("address"), w.string(address_text(p.address));
  w.key("age"), w.string(p.birth_date ? format_age(*p.birth_date, today) : "");
  w.key("born"), w.string(p.birth_date ? format_date(*p.birth_date) : kNotKnown);
  w.key("deceased"), w.boolean(p.deceased);
  if (p.deceased_date) w.key("died"), w.string(format_date(*p.deceased_date));
  w.key("gender"), w.string(gender_text(p.gender));
  w.key("name"), w.string(display_name(p.name));
  w.key("nhs_number"), w.string(p.nhs_number.size() == 10 ? format_nhs_number(p.nhs_number) : kNotKnown);
  if (p.preferred_name) w.key("preferred_name"), w.string(*p.preferred_name);
  w.key("registered_gp"), w.string(p.registered_gp.empty() ? kNotKnown : p.registered_gp);
  w.end_object();
  w.key("policy_version"), w.string(view.policy_version());
  w.key("profile");
  w.begin_object();
  w.key("id"), w.string(view.profile_id());
  w.key("name"), w.string(view.profile_name());
  w.end_object();
  w.key("shows_record"), w.boolean(view.shows_record());
  w.key("tabs");
  w.begin_array();
  for (Tab t : kTabs) {
    Segment s = tab_segment(t);
    w.begin_object();
    w.key("items");
    w.begin_array();
    for (const Item* i : tab_items(view, t)) write_item(w, *i);
    w.end_array();
    if (s != Segment::none && view.tier(s) == 0) w.key("not_available"), w.string("Not available for your role: " + view.profile_name());
    if (s != Segment::none) w.key("segment"), w.string(segment_letter(s));
    w.key("tab"), w.string(tab_id(t));
    if (s != Segment::none) w.key("tier"), w.number(view.tier(s));
    w.key("title"), w.string(tab_title(t));
    w.end_object();
  }
  w.end_array();
  w.key("tiers_shown"), w.string(view.tiers_shown());
  if (view.shows_record() && !view.unavailable_sources().empty()) {
    w.key("unavailable_sources");
    w.begin_array();
    for (const auto& source : view.unavailable_sources()) w.string(source);
    w.end_array();
  }
  w.end_object();
  return out;
}

}  // namespace ilinks
