#include "ilinks/incremental_layout.h"

#include "tab_candidates.h"

namespace ilinks {

struct IncrementalLayout::State {
  // What the rows were built for.
  const View* view = nullptr;
  Tab tab = Tab::summary;
  Date today;
  SortOrder sort = SortOrder::newest_first;
  bool results_by_panel = false;
  layout::TabCandidates candidates;
  // The last search and dates, and the rows they matched.
  bool filtered = false;
  std::string needle;
  std::optional<Date> from, to;
  std::vector<char> matched;
  std::vector<size_t> matches;
  size_t tested = 0;
};

IncrementalLayout::IncrementalLayout(const Layout& rules) : rules_(rules) {}
IncrementalLayout::~IncrementalLayout() = default;

void IncrementalLayout::forget() { state_.reset(); }

size_t IncrementalLayout::rows_tested() const { return state_ ? state_->tested : 0; }

TabLayout IncrementalLayout::lay_out(const View& view, Tab tab, const ListFilter& filter, const Date& today) {
  State* s = state_.get();
  if (!s || s->view != &view || s->tab != tab || !(s->today == today) || s->sort != filter.sort ||
      s->results_by_panel != filter.results_by_panel) {
    state_ = std::make_unique<State>();
    s = state_.get();
    s->view = &view;
    s->tab = tab;
    s->today = today;
    s->sort = filter.sort;
    s->results_by_panel = filter.results_by_panel;
    s->candidates = layout::tab_candidates(*rules_.rules_, view, tab, filter.sort, filter.results_by_panel, today);
  }
  const std::vector<layout::CandidateRow>& rows = s->candidates.rows;
  std::string needle = lower(filter.search);
  // Every row that matches a search also matches any part of it: with the
  // same dates, a longer search need only look at what the shorter one matched.
  const bool narrowing = s->filtered && s->from == filter.from && s->to == filter.to && needle.find(s->needle) != std::string::npos;
  std::vector<size_t> matches;
  if (narrowing) {
    s->tested = s->matches.size();
    for (size_t i : s->matches) {
      if (layout::row_matches(rows[i], needle, filter)) matches.push_back(i);
      else s->matched[i] = 0;
    }
  } else {
    s->tested = rows.size();
    s->matched.assign(rows.size(), 0);
    for (size_t i = 0; i < rows.size(); ++i)
      if (layout::row_matches(rows[i], needle, filter)) matches.push_back(i), s->matched[i] = 1;
  }
  s->matches = std::move(matches);
  s->filtered = true;
  s->needle = std::move(needle);
  s->from = filter.from;
  s->to = filter.to;
  return layout::assemble(s->candidates, s->matched);
}

}  // namespace ilinks
