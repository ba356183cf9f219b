// The embedded typeface (Liberation Sans, metric-compatible with Arial), baked
// into ImGui's atlas at the sizes of the type scale for one DPI scale.
#pragma once
#include <imgui.h>

namespace ilinks {

struct Fonts {
  ImFont* body = nullptr;
  ImFont* body_bold = nullptr;
  ImFont* small = nullptr;
  ImFont* heading = nullptr;  // section headings
  ImFont* name = nullptr;     // the patient's name in the banner
};

// Clears `atlas` and adds the typefaces at `scale`; builds the atlas.
Fonts load_fonts(ImFontAtlas& atlas, float scale);

}  // namespace ilinks
