#include "ilinks/record_layout.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "ilinks/dialog_words.h"
#include "layout_rules.h"

// Generated at build time from render/data/layout.json (render/present/CMakeLists.txt).
extern const unsigned char ilinks_layout_json[];
extern const unsigned int ilinks_layout_json_size;

namespace ilinks {
namespace {

using Rules = Layout::Rules;

const char* kNotKnown = "Not Known";

// Dates compare as yyyymmdd; a month or year date sorts at its start.
int ordinal(const Date& d) { return d.year * 10000 + d.month * 100 + d.day; }
int ordinal(const Item& i) { return i.date ? ordinal(*i.date) : -1; }

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// "in-progress" -> "In progress": status codes in words.
std::string status_text(const std::string& code) {
  if (code.empty()) return "";
  std::string s = code;
  for (auto& c : s) if (c == '-' || c == '_') c = ' ';
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// HL7 v2 / FHIR interpretation codes in words; empty for a normal result.
std::string flag_text(const std::string& code) {
  static const std::pair<const char*, const char*> words[] = {
      {"H", "High"}, {"L", "Low"}, {"HH", "Critically high"}, {"LL", "Critically low"}, {"A", "Abnormal"},
      {"AA", "Critically abnormal"}, {"HU", "Very high"}, {"LU", "Very low"}, {"POS", "Positive"}, {"DET", "Detected"}};
  if (code.empty() || code == "N" || lower(code) == "normal") return "";
  for (const auto& [c, w] : words) if (code == c) return w;
  return code;
}

bool has_tag(const Item& item, const std::string& tag) { return contains(item.tags, tag); }
bool has_any_tag(const Item& item, const std::vector<std::string>& tags) {
  for (const auto& t : tags) if (has_tag(item, t)) return true;
  return false;
}

// The key preference an item records (resuscitation, capacity, ...): by the
// classification's tags, in the layout's order; null when none.
const Rules::Preference* preference_of(const Rules& rules, const Item& item) {
  for (const auto& p : rules.preferences) if (has_tag(item, p.tag)) return &p;
  return nullptr;
}

bool matches(const Rules& rules, const Rules::Match& m, const Item& item, const Date& today) {
  if (!m.kinds.empty() && !contains(m.kinds, item.kind)) return false;
  if (!m.tags.empty() && !has_any_tag(item, m.tags)) return false;
  if (!m.status.empty() && !contains(m.status, item.status)) return false;
  if (contains(m.not_status, item.status)) return false;
  if (m.when == "future" && !(item.date && ordinal(*item.date) >= ordinal(today))) return false;
  if (m.when == "past" && item.date && ordinal(*item.date) >= ordinal(today)) return false;
  if (m.key_preference && !preference_of(rules, item)) return false;
  return true;
}

bool matches(const Rules& rules, const Rules::SectionRule& s, const Item& item, const Date& today) {
  if (s.any.empty()) return true;
  for (const auto& m : s.any) if (matches(rules, m, item, today)) return true;
  return false;
}

std::string cell(Column c, const Item& i) {
  switch (c) {
    case Column::date: return i.date ? format_date(*i.date) : "Date not known";
    case Column::what: return i.display.empty() ? kNotKnown : i.display;
    case Column::detail: return item_value_text(i);
    case Column::status: return status_text(i.status);
    case Column::range: return item_range_text(i);
    case Column::flag: return flag_text(i.interpretation);
    case Column::source: return item_source_text(i);
    case Column::person: return i.display;
    case Column::role: case Column::organisation: case Column::contact: return "";
    case Column::stay_length: case Column::expected_discharge: return "";  // filled in for the current stay
  }
  return "";
}

Row entry(const Rules::SectionRule& s, const Item& i) {
  Row r;
  r.item = &i;
  for (Column c : s.columns) r.cells.push_back(cell(c, i));
  r.abnormal = !flag_text(i.interpretation).empty();
  r.readable = s.reader && !i.text.empty();
  return r;
}

Row participant_row(const Rules::SectionRule& s, const Item& i, const Participant& p) {
  Row r;
  r.item = &i;
  for (Column c : s.columns) {
    switch (c) {
      case Column::person: r.cells.push_back(p.name.empty() ? kNotKnown : p.name); break;
      case Column::role: r.cells.push_back(p.role); break;
      case Column::organisation: r.cells.push_back(p.organisation.empty() ? item_source_text(i) : p.organisation); break;
      case Column::contact: r.cells.push_back(p.contact); break;
      default: r.cells.push_back(cell(c, i));
    }
  }
  return r;
}

// The filter: search text in any cell, and the date range.
struct Narrowing {
  const ListFilter& f;
  std::string needle = lower(f.search);

  bool keeps(const Row& r) const {
    if ((f.from || f.to) && r.item) {
      if (!r.item->date) return false;
      int d = ordinal(*r.item->date);
      if (f.from && d < ordinal(*f.from)) return false;
      if (f.to && d > ordinal(*f.to)) return false;
    }
    if (needle.empty()) return true;
    for (const auto& c : r.cells) if (lower(c).find(needle) != std::string::npos) return true;
    return false;
  }
};

void sort_rows(std::vector<Row>& rows, SortOrder order, size_t what_column) {
  auto by_date = [order](const Row& a, const Row& b) {
    int da = a.item ? ordinal(*a.item) : -1, db = b.item ? ordinal(*b.item) : -1;
    if ((da < 0) != (db < 0)) return db < 0;  // undated last, either way
    return order == SortOrder::oldest_first ? da < db : da > db;
  };
  if (order == SortOrder::a_to_z) {
    std::stable_sort(rows.begin(), rows.end(), [what_column](const Row& a, const Row& b) {
      return lower(a.cells[what_column]) < lower(b.cells[what_column]);
    });
  } else {
    std::stable_sort(rows.begin(), rows.end(), by_date);
  }
}

size_t what_column(const std::vector<Column>& columns) {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == Column::what || columns[i] == Column::person) return i;
  return 0;
}

// A group of rows under a heading (a test or a panel).
struct Group {
  std::string heading;
  const Item* about = nullptr;  // the panel's report, when the group is one
  std::vector<Row> rows;
  int newest = -1;
  bool keep_if_empty = false;
  const char* noun = "result";  // what the rows are, for the heading's count
};

// A plot of the group's numeric results, oldest first. Only results in the
// newest result's unit are plotted: a line across units would mislead.
void add_trend(Group& g, std::vector<Row>& out) {
  const Item* newest = nullptr;
  for (const auto& row : g.rows)
    if (row.item->value.number && (!newest || ordinal(*row.item) > ordinal(*newest))) newest = row.item;
  if (!newest) return;
  Row trend;
  trend.kind = Row::Kind::trend;
  trend.unit = newest->value.unit;
  for (const auto& row : g.rows) {
    const Item& i = *row.item;
    if (!i.value.number || !i.date || i.value.unit != trend.unit) continue;
    std::string flag = flag_text(i.interpretation);
    trend.trend.push_back({*i.date, *i.value.number,
                           item_value_text(i) + (flag.empty() ? "" : " (" + flag + ")") + " on " + format_date(*i.date)});
  }
  if (!newest->ranges.empty()) {
    trend.normal_low = newest->ranges.front().low;
    trend.normal_high = newest->ranges.front().high;
  }
  std::stable_sort(trend.trend.begin(), trend.trend.end(),
                   [](const TrendPoint& a, const TrendPoint& b) { return ordinal(a.date) < ordinal(b.date); });
  if (trend.trend.size() >= 2) out.push_back(std::move(trend));
}

void emit_groups(std::vector<Group>& groups, const ListFilter& f, bool trends, std::vector<Row>& out) {
  for (auto& g : groups)
    for (const auto& r : g.rows) g.newest = std::max(g.newest, r.item ? ordinal(*r.item) : -1);
  for (auto& g : groups)
    if (g.about) g.newest = std::max(g.newest, ordinal(*g.about));
  if (f.sort == SortOrder::a_to_z)
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return lower(a.heading) < lower(b.heading); });
  else
    std::stable_sort(groups.begin(), groups.end(), [&f](const Group& a, const Group& b) {
      return f.sort == SortOrder::oldest_first ? a.newest < b.newest : a.newest > b.newest;
    });
  for (auto& g : groups) {
    if (g.rows.empty() && !g.keep_if_empty) continue;
    Row heading;
    heading.kind = Row::Kind::group;
    heading.item = g.about;
    heading.readable = g.about && !g.about->text.empty();
    heading.cells = {g.heading + " (" + std::to_string(g.rows.size()) + " " + g.noun + (g.rows.size() == 1 ? ")" : "s)")};
    out.push_back(std::move(heading));
    sort_rows(g.rows, f.sort == SortOrder::a_to_z ? SortOrder::newest_first : f.sort, 0);
    if (trends) add_trend(g, out);
    for (auto& r : g.rows) out.push_back(std::move(r));
  }
}

std::string test_key(const Item& i) {
  for (const auto& c : i.codings) if (!c.code.empty()) return c.system + "|" + c.code;
  return "text|" + lower(i.display);
}

// Diagnostics: results grouped by test (with trends) or by panel.
int result_rows(const Rules::SectionRule& s, const std::vector<const Item*>& items, const Narrowing& n, std::vector<Row>& out) {
  int total = 0;
  std::vector<const Item*> results, reports;
  for (const Item* i : items) (contains(s.panel_kinds, i->kind) ? reports : results).push_back(i);
  std::vector<Group> groups;
  auto add = [&](Group& g, const Item& i) {
    ++total;
    Row r = entry(s, i);
    if (n.keeps(r)) g.rows.push_back(std::move(r));
  };
  if (n.f.results_by_panel) {
    std::map<std::string, size_t> panel_of;  // report key -> group
    for (const Item* rep : reports) {
      panel_of[rep->key] = groups.size();
      groups.push_back({rep->display + (rep->date ? ", " + format_date(*rep->date) : "") + ", " + item_source_text(*rep), rep, {}, -1, false, "result"});
    }
    Group loose{"Results not in a panel", nullptr, {}, -1, false, "result"};
    for (const Item* i : results) {
      Group* g = &loose;
      for (const auto& l : i->links)
        if (l.relation == "result of" && panel_of.count(l.target)) g = &groups[panel_of[l.target]];
      add(*g, *i);
    }
    // A report is an entry too: its heading stays while the report itself
    // passes the filter, even with no results under it.
    for (const Item* rep : reports) {
      ++total;
      Group& g = groups[panel_of[rep->key]];
      g.keep_if_empty = n.keeps(entry(s, *rep));
    }
    groups.push_back(std::move(loose));
    emit_groups(groups, n.f, false, out);
  } else {
    std::map<std::string, size_t> test_of;
    for (const Item* i : results) {
      auto [it, added] = test_of.emplace(test_key(*i), groups.size());
      if (added) groups.push_back({i->display.empty() ? kNotKnown : i->display, nullptr, {}, -1, false, "result"});
      add(groups[it->second], *i);
    }
    emit_groups(groups, n.f, true, out);
    std::vector<Group> panels{{"Reports", nullptr, {}, -1, false, "report"}};
    for (const Item* rep : reports) add(panels.front(), *rep);
    emit_groups(panels, n.f, false, out);
  }
  return total;
}

// The current stay's length and expected discharge. FHIR R4 Encounter has no
// expected discharge: it is the stay's own end date when that is still to
// come, else the latest one an event of the rule's discharge_kinds (an HL7 v2
// ADT event's PV2-9) from the same hospital gave on or after admission.
void fill_stay(const Rules::SectionRule& rule, const Item& stay, const View& view, const Date& today, Row& r) {
  std::string length = stay.date ? std::to_string(days_between(*stay.date, today)) + " days" : kNotKnown;
  std::optional<Date> expected;
  if (stay.end_date && ordinal(*stay.end_date) >= ordinal(today)) expected = stay.end_date;
  for (const Item& e : view.items()) {
    if (stay.end_date && expected) break;  // the stay's own date wins
    bool same_stay = contains(rule.discharge_kinds, e.kind) && e.source.ods_code == stay.source.ods_code && e.date && stay.date &&
                     ordinal(*e.date) >= ordinal(*stay.date);
    if (same_stay && e.end_date && ordinal(*e.end_date) >= ordinal(today) && (!expected || ordinal(*e.end_date) > ordinal(*expected)))
      expected = e.end_date;
  }
  for (size_t c = 0; c < rule.columns.size(); ++c) {
    if (rule.columns[c] == Column::stay_length) r.cells[c] = length;
    if (rule.columns[c] == Column::expected_discharge) r.cells[c] = expected ? format_date(*expected) : kNotKnown;
  }
}

}  // namespace

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
  TabLayout out;
  out.tab = tab;
  Segment segment = tab_segment(tab);
  if (!view.shows_record() || (segment != Segment::none && view.tier(segment) == 0)) {
    out.available = false;
    out.unavailable_text = view.shows_record() ? "Not available for your role: " + view.profile_name()
                                               : "The shared record is not shown: " + std::string(basis_id(view.basis())) + ".";
    return out;
  }
  if (view.own_organisation_items_hidden() > 0)
    out.own_organisation_note = "Entries from your own organisation are not repeated here: see them in your own system.";
  if (tab == kCaseAccessTab) {
    if (!view.case_access_text().empty()) {
      out.case_access_note = view.case_access_text();
    } else if (view.case_access_available()) {
      out.case_access_note = kCaseAccessNotice;
      out.case_access_button = kCaseAccessButton;
    }
  }
  const auto& rules = rules_->tabs[static_cast<size_t>(tab)];
  std::vector<std::vector<const Item*>> buckets(rules.size());
  for (const Item* i : tab_items(view, tab))
    for (size_t s = 0; s < rules.size(); ++s)
      if (matches(*rules_, rules[s], *i, today)) { buckets[s].push_back(i); break; }

  Narrowing n{filter};
  for (size_t s = 0; s < rules.size(); ++s) {
    const auto& rule = rules[s];
    Section section{rule.title, rule.columns, {}, rule.empty, 0};
    int total = 0;
    switch (rule.rows) {
      case Rules::Rows::results:
        total = result_rows(rule, buckets[s], n, section.rows);
        break;
      case Rules::Rows::participants:
        for (const Item* i : buckets[s]) {
          std::vector<Row> rows;
          for (const auto& p : i->participants) rows.push_back(participant_row(rule, *i, p));
          if (rows.empty()) rows.push_back(participant_row(rule, *i, Participant{}));
          for (auto& r : rows) {
            ++total;
            if (n.keeps(r)) section.rows.push_back(std::move(r));
          }
        }
        sort_rows(section.rows, filter.sort, what_column(rule.columns));
        break;
      case Rules::Rows::items:
      case Rules::Rows::stay:
        for (const Item* i : buckets[s]) {
          Row r = entry(rule, *i);
          if (rule.rows == Rules::Rows::stay) fill_stay(rule, *i, view, today, r);
          ++total;
          if (n.keeps(r)) section.rows.push_back(std::move(r));
        }
        sort_rows(section.rows, filter.sort, what_column(rule.columns));
        break;
    }
    section.entries_before_filter = total;
    out.entries_total += total;
    for (const auto& r : section.rows) out.entries_shown += r.kind == Row::Kind::entry || (r.kind == Row::Kind::group && r.item);
    // Sections with nothing to say are left out; a section with an "empty"
    // sentence says it (unless the filter emptied it: the count tells that).
    if (total == 0 && rule.empty.empty()) continue;
    if (!section.rows.empty() || total == 0) out.sections.push_back(std::move(section));
  }
  // Merge sections that share a title (several rules may feed one heading).
  std::vector<Section> merged;
  for (auto& s : out.sections) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const Section& m) { return m.title == s.title; });
    if (same == merged.end()) { merged.push_back(std::move(s)); continue; }
    for (auto& r : s.rows) same->rows.push_back(std::move(r));
    same->entries_before_filter += s.entries_before_filter;
  }
  out.sections = std::move(merged);
  return out;
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
