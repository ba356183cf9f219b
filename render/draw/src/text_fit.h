// Text that does not fit its space: cut, with an ellipsis, so a reader never
// takes a shortened entry for a whole one (the full text goes in a tooltip).
#pragma once
#include <string>

namespace ilinks {

// `text` cut to fit `width` at ImGui's current font, ending in an ellipsis
// ("…") where it was cut; empty when it fits as it is. Cuts on a character,
// never inside one, drops the spaces before the ellipsis, and keeps at least
// one character (as ImGui's own clipped labels do).
std::string cut_to_width(const std::string& text, float width);

}  // namespace ilinks
