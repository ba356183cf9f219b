// ilinks/mirror_window.h: which rows of a long table the accessible mirror
// carries.
//
// A tab of a long record holds thousands of rows; mirroring them all costs
// tens of milliseconds per change and megabytes of DOM. Screen readers expect
// long grids to be windowed: the rows around what is on screen, each with its
// place (aria-rowindex) and the table with its size (aria-rowcount), so "row
// 512 of 10,001" is still said. Scrolling the canvas moves the window.
//
// The window only ever narrows what the open tab shows (the View as laid out
// and filtered); mirror_of_view() (the text export) is never windowed.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ilinks/record_layout.h"

namespace ilinks {

// What the widget drew of one tab: per section (by index in
// TabLayout::sections), the rows [first, end) in sight. A section wholly
// below the screen is [0, 0); wholly above, [n, n) (n its rows).
struct RowsInSight {
  std::vector<std::pair<size_t, size_t>> sections;
  std::optional<std::pair<size_t, size_t>> focused;  // (section, row) with keyboard focus
};

// The rule. A section with more rows than this is a long table, windowed; a
// shorter one is mirrored whole.
constexpr size_t kLongTableRows = 200;
// Rows mirrored either side of those in sight: about two screenfuls at
// 1280x800, so reading on past the screen's edge does not run out at once.
constexpr size_t kWindowMarginRows = 50;
// The window's edges move in steps of this many rows, so scrolling a line
// does not change the mirror (and make a screen reader re-read it).
constexpr size_t kWindowStepRows = 25;

struct RowSpan {
  size_t first = 0, end = 0;
};
// The rows of `section` (at `index`) to mirror, in order, not overlapping:
// every row when `sight` is null or the section is short.
std::vector<RowSpan> rows_to_mirror(const Section& section, size_t index, const RowsInSight* sight);
// The windows of every long section of `layout`, as a key that changes when
// any of them moves (the widget's mirror version follows it).
std::string window_key(const TabLayout& layout, const RowsInSight& sight);

}  // namespace ilinks
