#include "tab_candidates.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "ilinks/dialog_words.h"
#include "layout_items.h"

namespace ilinks::layout {
namespace {

using Rules = Layout::Rules;

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
      case Column::organisation: r.cells.push_back(p.organisation.empty() ? item_source_text(i) : p.organisation.str()); break;
      case Column::contact: r.cells.push_back(p.contact); break;
      default: r.cells.push_back(cell(c, i));
    }
  }
  return r;
}

// A result's point on its test's trend: "61 mmol/mol (H) on 30-Sep-2026" when hovered.
std::optional<TrendPoint> trend_point(const Item& i) {
  if (!i.value.number || !i.date) return std::nullopt;
  std::string flag = flag_text(i.interpretation);
  return TrendPoint{*i.date, *i.value.number, item_value_text(i) + (flag.empty() ? "" : " (" + flag + ")") + " on " + format_date(*i.date)};
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

std::string test_key(const Item& i) {
  for (const auto& c : i.codings) if (!c.code.empty()) return c.system + "|" + c.code;
  return "text|" + lower(i.display);
}

size_t what_column(const std::vector<Column>& columns) {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == Column::what || columns[i] == Column::person) return i;
  return 0;
}

// Builds the tab's rows, each once, with its search text.
class Builder {
 public:
  explicit Builder(std::vector<CandidateRow>& rows) : rows_(rows) {}

  size_t add(Row row, bool with_point = false) {
    CandidateRow c;
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (i > 0) c.haystack += '\0';
      c.haystack += lower(row.cells[i]);
    }
    if (with_point) c.point = trend_point(*row.item);
    c.row = std::move(row);
    rows_.push_back(std::move(c));
    return rows_.size() - 1;
  }

  // Stable, as the filter keeps a sorted list's order: sorting every row
  // once and filtering gives what filtering and then sorting gives.
  void sort(std::vector<size_t>& order, SortOrder by, size_t what) const {
    if (by == SortOrder::a_to_z) {
      std::vector<std::pair<std::string, size_t>> keyed;
      for (size_t i : order) keyed.emplace_back(lower(rows_[i].row.cells[what]), i);
      std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (size_t k = 0; k < keyed.size(); ++k) order[k] = keyed[k].second;
      return;
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      int da = ordinal(*rows_[a].row.item), db = ordinal(*rows_[b].row.item);
      if ((da < 0) != (db < 0)) return db < 0;  // undated last, either way
      return by == SortOrder::oldest_first ? da < db : da > db;
    });
  }

 private:
  std::vector<CandidateRow>& rows_;
};

CandidateGroup group(std::string heading, const Item* about, const char* noun) {
  CandidateGroup g;
  g.heading_lower = lower(heading);
  g.heading = std::move(heading);
  g.about = about;
  g.noun = noun;
  return g;
}

// Diagnostics: results grouped by test (with trends) or by panel.
void result_groups(const Rules::SectionRule& s, const std::vector<const Item*>& items, bool by_panel, SortOrder sort,
                   Builder& b, CandidateSection& out) {
  std::vector<const Item*> results, reports;
  for (const Item* i : items) (contains(s.panel_kinds, i->kind) ? reports : results).push_back(i);
  out.total = static_cast<int>(results.size() + reports.size());
  GroupRun run;
  if (by_panel) {
    std::map<std::string, size_t> panel_of;  // report key -> group
    for (const Item* rep : reports) {
      panel_of[rep->key] = run.groups.size();
      run.groups.push_back(group(rep->display + (rep->date ? ", " + format_date(*rep->date) : "") + ", " + item_source_text(*rep), rep, "result"));
    }
    CandidateGroup loose = group("Results not in a panel", nullptr, "result");
    for (const Item* i : results) {
      CandidateGroup* g = &loose;
      for (const auto& l : i->links)
        if (l.relation == "result of" && panel_of.count(l.target)) g = &run.groups[panel_of[l.target]];
      g->rows.push_back(b.add(entry(s, *i)));
    }
    // A report is an entry too: its heading stays while the report itself
    // passes the filter, even with no results under it (the last report of a key decides).
    for (const Item* rep : reports) run.groups[panel_of[rep->key]].keeper = b.add(entry(s, *rep));
    run.groups.push_back(std::move(loose));
    out.runs.push_back(std::move(run));
  } else {
    std::map<std::string, size_t> test_of;
    for (const Item* i : results) {
      auto [it, added] = test_of.emplace(test_key(*i), run.groups.size());
      if (added) run.groups.push_back(group(i->display.empty() ? kNotKnown : i->display, nullptr, "result"));
      run.groups[it->second].rows.push_back(b.add(entry(s, *i), true));
    }
    run.trends = true;
    out.runs.push_back(std::move(run));
    GroupRun panels;
    panels.groups.push_back(group("Reports", nullptr, "report"));
    for (const Item* rep : reports) panels.groups.front().rows.push_back(b.add(entry(s, *rep)));
    out.runs.push_back(std::move(panels));
  }
  for (auto& r : out.runs)
    for (auto& g : r.groups) b.sort(g.rows, sort == SortOrder::a_to_z ? SortOrder::newest_first : sort, 0);
}

}  // namespace

TabCandidates tab_candidates(const Rules& rules, const View& view, Tab tab, SortOrder sort, bool results_by_panel,
                             const Date& today) {
  TabCandidates out;
  out.sort = sort;
  TabLayout& head = out.head;
  head.tab = tab;
  Segment segment = tab_segment(tab);
  if (!view.shows_record() || (segment != Segment::none && view.tier(segment) == 0)) {
    head.available = false;
    head.unavailable_text = view.shows_record() ? "Not available for your role: " + view.profile_name()
                                                : "The shared record is not shown: " + std::string(basis_id(view.basis())) + ".";
    return out;
  }
  if (view.own_organisation_items_hidden() > 0)
    head.own_organisation_note = "Entries from your own organisation are not repeated here: see them in your own system.";
  if (tab == kCaseAccessTab) {
    if (!view.case_access_text().empty()) {
      head.case_access_note = view.case_access_text();
    } else if (view.case_access_available()) {
      head.case_access_note = kCaseAccessNotice;
      head.case_access_button = kCaseAccessButton;
    }
  }
  const auto& section_rules = rules.tabs[static_cast<size_t>(tab)];
  std::vector<std::vector<const Item*>> buckets(section_rules.size());
  for (const Item* i : tab_items(view, tab))
    for (size_t s = 0; s < section_rules.size(); ++s)
      if (matches(rules, section_rules[s], *i, today)) { buckets[s].push_back(i); break; }

  Builder b(out.rows);
  for (size_t s = 0; s < section_rules.size(); ++s) {
    const auto& rule = section_rules[s];
    CandidateSection section{rule.title, rule.columns, rule.empty, 0, {}, {}};
    switch (rule.rows) {
      case Rules::Rows::results:
        result_groups(rule, buckets[s], results_by_panel, sort, b, section);
        break;
      case Rules::Rows::participants:
        for (const Item* i : buckets[s]) {
          if (i->participants.empty()) section.rows.push_back(b.add(participant_row(rule, *i, Participant{})));
          for (const auto& p : i->participants) section.rows.push_back(b.add(participant_row(rule, *i, p)));
        }
        section.total = static_cast<int>(section.rows.size());
        b.sort(section.rows, sort, what_column(rule.columns));
        break;
      case Rules::Rows::items:
      case Rules::Rows::stay:
        for (const Item* i : buckets[s]) {
          Row r = entry(rule, *i);
          if (rule.rows == Rules::Rows::stay) fill_stay(rule, *i, view, today, r);
          section.rows.push_back(b.add(std::move(r)));
        }
        section.total = static_cast<int>(section.rows.size());
        b.sort(section.rows, sort, what_column(rule.columns));
        break;
    }
    out.sections.push_back(std::move(section));
  }
  return out;
}

bool row_matches(const CandidateRow& c, const std::string& needle, const ListFilter& f) {
  const Item* item = c.row.item;
  if ((f.from || f.to) && item) {
    if (!item->date) return false;
    int d = ordinal(*item->date);
    if (f.from && d < ordinal(*f.from)) return false;
    if (f.to && d > ordinal(*f.to)) return false;
  }
  if (needle.empty()) return true;
  if (needle.find('\0') == std::string::npos) return c.haystack.find(needle) != std::string::npos;
  for (const auto& cell : c.row.cells)  // a search with a NUL in it: cell by cell, as the haystack's joins would mislead
    if (lower(cell).find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace ilinks::layout
