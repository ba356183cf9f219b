// The second step of laying a tab out (tab_candidates.h): the matching rows,
// already in order, put under their headings; groups ordered by their newest
// matching entry, headings counted, trends drawn from the matching results.
#include <algorithm>

#include "layout_items.h"
#include "tab_candidates.h"

namespace ilinks::layout {
namespace {

// A group as the filter leaves it.
struct Narrowed {
  const CandidateGroup* group;
  std::vector<size_t> rows;
  int newest = -1;
  bool keep_if_empty = false;
};

// A plot of the group's numeric results, oldest first. Only results in the
// newest result's unit are plotted: a line across units would mislead.
void add_trend(const TabCandidates& c, const Narrowed& g, std::vector<Row>& out) {
  const Item* newest = nullptr;
  for (size_t i : g.rows) {
    const Item* item = c.rows[i].row.item;
    if (item->value.number && (!newest || ordinal(*item) > ordinal(*newest))) newest = item;
  }
  if (!newest) return;
  Row trend;
  trend.kind = Row::Kind::trend;
  trend.unit = newest->value.unit;
  for (size_t i : g.rows) {
    const CandidateRow& row = c.rows[i];
    if (row.point && row.row.item->value.unit == trend.unit) trend.trend.push_back(*row.point);
  }
  if (!newest->ranges.empty()) {
    trend.normal_low = newest->ranges.front().low;
    trend.normal_high = newest->ranges.front().high;
  }
  std::stable_sort(trend.trend.begin(), trend.trend.end(),
                   [](const TrendPoint& a, const TrendPoint& b) { return ordinal(a.date) < ordinal(b.date); });
  if (trend.trend.size() >= 2) out.push_back(std::move(trend));
}

void emit_groups(const TabCandidates& c, const GroupRun& run, const std::vector<char>& matched, std::vector<Row>& out) {
  std::vector<Narrowed> groups;
  groups.reserve(run.groups.size());
  for (const CandidateGroup& g : run.groups) {
    Narrowed n{&g, {}, -1, g.keeper && matched[*g.keeper]};
    for (size_t i : g.rows)
      if (matched[i]) n.rows.push_back(i), n.newest = std::max(n.newest, ordinal(*c.rows[i].row.item));
    if (g.about) n.newest = std::max(n.newest, ordinal(*g.about));
    groups.push_back(std::move(n));
  }
  if (c.sort == SortOrder::a_to_z)
    std::stable_sort(groups.begin(), groups.end(),
                     [](const Narrowed& a, const Narrowed& b) { return a.group->heading_lower < b.group->heading_lower; });
  else
    std::stable_sort(groups.begin(), groups.end(), [&c](const Narrowed& a, const Narrowed& b) {
      return c.sort == SortOrder::oldest_first ? a.newest < b.newest : a.newest > b.newest;
    });
  for (const Narrowed& g : groups) {
    if (g.rows.empty() && !g.keep_if_empty) continue;
    const CandidateGroup& cg = *g.group;
    Row heading;
    heading.kind = Row::Kind::group;
    heading.item = cg.about;
    heading.readable = cg.about && !cg.about->text.empty();
    heading.cells = {cg.heading + " (" + std::to_string(g.rows.size()) + " " + cg.noun + (g.rows.size() == 1 ? ")" : "s)")};
    out.push_back(std::move(heading));
    if (run.trends) add_trend(c, g, out);
    for (size_t i : g.rows) out.push_back(c.rows[i].row);
  }
}

// The rows a section can show with these matches: entries, and a heading and trend per group.
size_t rows_at_most(const CandidateSection& cs, const std::vector<char>& matched) {
  size_t n = 0;
  for (size_t i : cs.rows) n += matched[i] != 0;
  for (const GroupRun& run : cs.runs)
    for (const CandidateGroup& g : run.groups) {
      n += 2;
      for (size_t i : g.rows) n += matched[i] != 0;
    }
  return n;
}

}  // namespace

TabLayout assemble(const TabCandidates& c, const std::vector<char>& matched) {
  TabLayout out = c.head;
  for (const CandidateSection& cs : c.sections) {
    Section section{cs.title, cs.columns, {}, cs.empty_text, cs.total};
    section.rows.reserve(rows_at_most(cs, matched));  // rows are large: copy each once
    for (size_t i : cs.rows)
      if (matched[i]) section.rows.push_back(c.rows[i].row);
    for (const GroupRun& run : cs.runs) emit_groups(c, run, matched, section.rows);
    out.entries_total += cs.total;
    for (const auto& r : section.rows) out.entries_shown += r.kind == Row::Kind::entry || (r.kind == Row::Kind::group && r.item);
    // Sections with nothing to say are left out; a section with an "empty"
    // sentence says it (unless the filter emptied it: the count tells that).
    if (cs.total == 0 && cs.empty_text.empty()) continue;
    if (!section.rows.empty() || cs.total == 0) out.sections.push_back(std::move(section));
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

}  // namespace ilinks::layout
