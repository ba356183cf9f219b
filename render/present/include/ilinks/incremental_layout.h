// ilinks/incremental_layout.h: a tab laid out once, then narrowed as the
// user types.
//
// Layout::lay_out() builds every row of a tab afresh: on a long record tens of
// milliseconds, too slow for each keystroke in the search box. This keeps the
// tab's rows (each with its lower-cased text) between calls and only filters
// them when just the search or the dates change; a search that extends the
// previous one looks only at the rows the previous one matched. What it
// returns is always exactly what Layout::lay_out() returns.
#pragma once
#include <memory>

#include "ilinks/record_layout.h"

namespace ilinks {

class IncrementalLayout {
 public:
  explicit IncrementalLayout(const Layout& rules = Layout::builtin());
  ~IncrementalLayout();
  IncrementalLayout(const IncrementalLayout&) = delete;
  IncrementalLayout& operator=(const IncrementalLayout&) = delete;

  // Layout::lay_out(view, tab, filter, today). The tab's rows are built again
  // when the View (by address), the tab, the day, the sort or the grouping
  // changed since the last call, or after forget().
  TabLayout lay_out(const View& view, Tab tab, const ListFilter& filter, const Date& today);
  // A new View was shown (perhaps at the same address): build afresh next time.
  void forget();

  // How many rows the last lay_out() tested against the search and dates:
  // every row of the tab, or only the previous matches. For tests.
  size_t rows_tested() const;

 private:
  struct State;
  Layout rules_;
  std::unique_ptr<State> state_;
};

}  // namespace ilinks
