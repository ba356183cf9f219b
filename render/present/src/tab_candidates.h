// A tab laid out before the search and dates narrow it: every row it can
// show, already in order, each with the lower-cased text the search looks in.
// Laying a tab out is then two steps: tab_candidates() once per View, tab,
// day, sort and grouping (the expensive part), and assemble() with the rows
// that match (cheap), so a keystroke in the search box costs only the second.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "layout_rules.h"

namespace ilinks::layout {

struct CandidateRow {
  Row row;
  std::string haystack;             // the cells, lower-cased, joined by '\0' (a search never spans cells)
  std::optional<TrendPoint> point;  // a result with a number and a date: its point on its test's trend
};

// A heading over rows (a test or a panel), its rows in the order they show.
struct CandidateGroup {
  std::string heading, heading_lower;
  const Item* about = nullptr;  // the panel's report
  const char* noun = "result";
  std::vector<size_t> rows;     // into TabCandidates::rows
  // By panel: the report's own entry; while it matches, the heading stays
  // even with no result under it.
  std::optional<size_t> keeper;
};

// Groups ordered among themselves, as one run (results by test, with trends; then reports).
struct GroupRun {
  std::vector<CandidateGroup> groups;
  bool trends = false;
};

struct CandidateSection {
  std::string title;
  std::vector<Column> columns;
  std::string empty_text;
  int total = 0;                // entries before the filter
  std::vector<size_t> rows;     // ungrouped sections: in the order they show
  std::vector<GroupRun> runs;   // grouped sections (results)
};

struct TabCandidates {
  TabLayout head;  // the tab's own fields (available, notes); no sections
  SortOrder sort = SortOrder::newest_first;
  std::vector<CandidateRow> rows;
  std::vector<CandidateSection> sections;
};

TabCandidates tab_candidates(const Layout::Rules& rules, const View& view, Tab tab, SortOrder sort, bool results_by_panel,
                             const Date& today);

// Whether a row passes the search (`needle`: the search, lower-cased) and the filter's dates.
bool row_matches(const CandidateRow& row, const std::string& needle, const ListFilter& filter);

// The tab as shown with the rows marked in `matched` (parallel to candidates.rows).
TabLayout assemble(const TabCandidates& candidates, const std::vector<char>& matched);

}  // namespace ilinks::layout
