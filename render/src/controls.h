// Where each control was drawn in the last frame, by a stable key ("tab:summary",
// "button:Record consent"), so the text mirror can say where it is.
#pragma once
#include <array>
#include <map>
#include <string>

#include <imgui.h>

#include "ilinks/mirror.h"

namespace ilinks {

using ControlBounds = std::map<std::string, std::array<float, 4>>;

// Call right after drawing the control: records ImGui's last item rectangle.
inline void note_control(ControlBounds& controls, const std::string& key) {
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  controls[key] = {min.x, min.y, max.x - min.x, max.y - min.y};
}

// A mirror node for a control, placed where it was drawn (if it was).
inline MirrorNode control_node(const std::string& role, const std::string& text, const std::string& key,
                               const ControlBounds* controls) {
  MirrorNode n;
  n.role = role;
  n.text = text;
  if (controls) {
    auto it = controls->find(key);
    if (it != controls->end()) n.x = it->second[0], n.y = it->second[1], n.width = it->second[2], n.height = it->second[3];
  }
  return n;
}

}  // namespace ilinks
