// Noting where each control was drawn in the last frame (ControlBounds,
// ilinks/mirror.h), so the text mirror can say where it is.
#pragma once
#include <string>

#include <imgui.h>

#include "ilinks/mirror_screen.h"

namespace ilinks {

// Call right after drawing the control: records ImGui's last item rectangle.
inline void note_control(ControlBounds& controls, const std::string& key) {
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  controls[key] = {min.x, min.y, max.x - min.x, max.y - min.y};
}

}  // namespace ilinks
