// Small questions the layout asks of items, shared by the tab's rows
// (tab_candidates.cpp) and the alert strip (record_layout.cpp).
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "layout_rules.h"

namespace ilinks::layout {

inline const char* const kNotKnown = "Not Known";

// Dates compare as yyyymmdd; a month or year date sorts at its start.
inline int ordinal(const Date& d) { return d.year * 10000 + d.month * 100 + d.day; }
inline int ordinal(const Item& i) { return i.date ? ordinal(*i.date) : -1; }

inline bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

inline bool has_tag(const Item& item, const std::string& tag) { return item.has_tag(tag); }
inline bool has_any_tag(const Item& item, const std::vector<std::string>& tags) {
  for (const auto& t : tags) if (has_tag(item, t)) return true;
  return false;
}

// The key preference an item records (resuscitation, capacity, ...): by the
// classification's tags, in the layout's order; null when none.
inline const Layout::Rules::Preference* preference_of(const Layout::Rules& rules, const Item& item) {
  for (const auto& p : rules.preferences) if (has_tag(item, p.tag)) return &p;
  return nullptr;
}

}  // namespace ilinks::layout
