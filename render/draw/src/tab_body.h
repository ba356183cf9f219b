// One tab's sections drawn as a scrolling list. Only the rows in sight are
// drawn: the work per frame does not grow with the record.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controls.h"
#include "fonts.h"
#include "ilinks/mirror_window.h"
#include "ilinks/record_layout.h"

namespace ilinks {

// What the user asked for while the list was drawn.
struct TabBodyAction {
  const Item* read = nullptr;       // open this item in the document reader
  std::optional<SortOrder> sort;    // a column heading was clicked
};

class TabBody {
 public:
  // Takes the layout to draw; row heights follow the scale.
  void set(TabLayout layout, float scale);
  const TabLayout& layout() const { return layout_; }
  // Draws into the current window (a scrolling child); `sort` marks the sorted column.
  // Readable rows in sight are noted in `controls` (ilinks/mirror.h row_key).
  TabBodyAction draw(const Fonts& fonts, float scale, SortOrder sort, ControlBounds& controls);
  float total_height() const { return total_; }
  // The rows the last draw put in sight, and the row with keyboard focus:
  // what the mirror's window of a long table is around.
  RowsInSight in_sight() const;

 private:
  struct Line {
    enum class Type { title, header, row, message, gap } type;
    size_t section = 0, row = 0;
    float y = 0, h = 0;
  };
  TabLayout layout_;
  std::vector<Line> lines_;
  std::vector<std::string> messages_;  // the tab's message notices (Line::row indexes them)
  float total_ = 0;
  std::vector<size_t> first_row_line_;  // per section: the line of its first row
  size_t sight_first_ = 0, sight_end_ = 0;  // the lines in sight when last drawn
  std::optional<std::pair<size_t, size_t>> focused_;  // (section, row) last seen focused
};

}  // namespace ilinks
