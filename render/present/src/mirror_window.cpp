#include "ilinks/mirror_window.h"

#include <algorithm>

namespace ilinks {

std::vector<RowSpan> rows_to_mirror(const Section& section, size_t index, const RowsInSight* sight) {
  const size_t n = section.rows.size();
  if (!sight || n <= kLongTableRows) return {{0, n}};
  std::pair<size_t, size_t> seen{0, 0};  // not drawn yet: as if below the screen
  if (index < sight->sections.size()) seen = sight->sections[index];
  seen.first = std::min(seen.first, n), seen.second = std::min(std::max(seen.first, seen.second), n);
  // The margin either side, the edges snapped outwards to whole steps.
  size_t first = seen.first > kWindowMarginRows ? seen.first - kWindowMarginRows : 0;
  size_t end = seen.second + kWindowMarginRows;
  first -= first % kWindowStepRows;
  end += (kWindowStepRows - end % kWindowStepRows) % kWindowStepRows;
  end = std::min(end, n);
  std::vector<RowSpan> spans{{first, end}};
  if (sight->focused && sight->focused->first == index) {  // the focused row is always read
    size_t row = sight->focused->second;
    if (row < first) spans.insert(spans.begin(), {row, row + 1});
    else if (row >= end && row < n) spans.push_back({row, row + 1});
  }
  return spans;
}

std::string window_key(const TabLayout& layout, const RowsInSight& sight) {
  std::string key;
  for (size_t s = 0; s < layout.sections.size(); ++s) {
    if (layout.sections[s].rows.size() <= kLongTableRows) continue;
    for (const RowSpan& span : rows_to_mirror(layout.sections[s], s, &sight))
      key += std::to_string(s) + ":" + std::to_string(span.first) + "-" + std::to_string(span.end) + ";";
  }
  return key;
}

}  // namespace ilinks
