#include "ilinks/record_layout.h"

#include <algorithm>
#include <cstdio>

#include "layout_items.h"
#include "layout_rules.h"
#include "tab_candidates.h"

// Generated at build time from render/data/layout.json (render/present/CMakeLists.txt).
extern const unsigned char ilinks_layout_json[];
extern const unsigned int ilinks_layout_json_size;

namespace ilinks {

using Rules = Layout::Rules;
using layout::contains;
using layout::has_tag;
using layout::kNotKnown;
using layout::preference_of;

const char* sort_order_title(SortOrder order) {
  switch (order) {
    case SortOrder::newest_first: return "Newest first";
    case SortOrder::oldest_first: return "Oldest first";
    case SortOrder::a_to_z: return "A to Z";
  }
  return "";
}

const char* column_title(Column c) {
  switch (c) {
    case Column::date: return "Date";
    case Column::what: return "Entry";
    case Column::detail: return "Detail";
    case Column::status: return "Status";
    case Column::range: return "Range";
    case Column::flag: return "Flag";
    case Column::person: return "Name";
    case Column::role: return "Role";
    case Column::organisation: return "Organisation";
    case Column::contact: return "Contact";
    case Column::source: return "Source";
    case Column::stay_length: return "Length of stay";
    case Column::expected_discharge: return "Expected discharge";
  }
  return "";
}

const char* allergy_state_text(AllergyState s) {
  switch (s) {
    case AllergyState::known: return "Known allergies";
    case AllergyState::none_known: return "No known allergies";
    case AllergyState::not_recorded: return "Allergies not recorded";
    case AllergyState::unavailable: return "Allergies unavailable";
  }
  return "";
}

std::optional<Date> parse_user_date(const std::string& text) {
  if (auto d = Date::parse_iso_day(text)) return d;
  static const char* const months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  int day = 0, year = 0, month = 0;
  char word[8] = {};
  char tail = 0;
  if (std::sscanf(text.c_str(), "%2d-%3[A-Za-z]-%4d%c", &day, word, &year, &tail) == 3) {
    for (int m = 0; m < 12; ++m) if (lower(word) == months[m]) month = m + 1;
  } else if (std::sscanf(text.c_str(), "%2d/%2d/%4d%c", &day, &month, &year, &tail) != 3) {
    return std::nullopt;
  }
  if (month == 0 || year < 1000) return std::nullopt;
  char iso[40];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
  return Date::parse_iso_day(iso);  // refuses 31-Feb and the like
}

const Layout& Layout::builtin() {
  static const Layout layout = from_json(
      std::string(reinterpret_cast<const char*>(ilinks_layout_json), ilinks_layout_json_size), "layout.json (built in)");
  return layout;
}

Layout Layout::from_json(const std::string& text, const std::string& file) {
  return Layout(std::make_shared<const Rules>(Rules::parse(text, file)));
}

Segment Layout::allergy_segment() const { return rules_->allergy_segment; }
int Layout::allergy_tier() const { return rules_->allergy_tier; }

TabLayout Layout::lay_out(const View& view, Tab tab, const ListFilter& filter, const Date& today) const {
  layout::TabCandidates candidates = layout::tab_candidates(*rules_, view, tab, filter.sort, filter.results_by_panel, today);
  const std::string needle = lower(filter.search);
  std::vector<char> matched(candidates.rows.size());
  for (size_t i = 0; i < matched.size(); ++i) matched[i] = layout::row_matches(candidates.rows[i], needle, filter);
  return layout::assemble(candidates, matched);
}

AlertStrip Layout::alert_strip(const View& view) const {
  AlertStrip out;
  const Rules& r = *rules_;
  if (!view.shows_record() || view.tier(r.allergy_segment) < r.allergy_tier) {
    out.allergy_state = AllergyState::unavailable;
  } else {
    bool none_known = false;
    for (const Item& i : view.items()) {
      if (!has_tag(i, r.allergy_tag) || contains(r.allergy_not_current, i.status)) continue;
      if (has_tag(i, r.none_known_tag)) none_known = true;
      else out.allergies.push_back(i.display.empty() ? kNotKnown : i.display);
    }
    out.allergy_state = !out.allergies.empty() ? AllergyState::known
                        : none_known           ? AllergyState::none_known
                                               : AllergyState::not_recorded;
  }
  for (const Item& i : view.items()) {
    bool flag = contains(r.flag_kinds, i.kind);
    bool current = i.status.empty() || contains(r.flag_current, i.status);
    if (const Rules::Preference* p = preference_of(r, i)) {
      if (current || !flag) out.preferences.push_back({p->label, i.display});  // a flag says it only while current
    } else if (flag && current) {
      out.flags.push_back(i.display);
    }
  }
  return out;
}

}  // namespace ilinks
