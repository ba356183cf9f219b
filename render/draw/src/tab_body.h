// One tab's sections drawn as a scrolling list. Only the rows in sight are
// drawn: the work per frame does not grow with the record.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "controls.h"
#include "fonts.h"
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
};

}  // namespace ilinks
