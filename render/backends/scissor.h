// The integer scissor rectangle of a draw command, shared by both backends so
// they clip to exactly the same pixels.
#pragma once
#include <algorithm>

#include <imgui.h>

namespace ilinks {

struct PixelRect {
  int x0, y0, x1, y1;  // [x0, x1) x [y0, y1), top-left origin
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

inline PixelRect scissor_of(const ImDrawCmd& cmd, const ImDrawData& data, int width, int height) {
  const ImVec2 o = data.DisplayPos, s = data.FramebufferScale;
  float cx0 = (cmd.ClipRect.x - o.x) * s.x, cy0 = (cmd.ClipRect.y - o.y) * s.y;
  float cx1 = (cmd.ClipRect.z - o.x) * s.x, cy1 = (cmd.ClipRect.w - o.y) * s.y;
  if (cx1 <= cx0 || cy1 <= cy0) return {0, 0, 0, 0};
  int x0 = static_cast<int>(cx0), y0 = static_cast<int>(cy0);
  return {std::max(x0, 0), std::max(y0, 0), std::min(x0 + static_cast<int>(cx1 - cx0), width),
          std::min(y0 + static_cast<int>(cy1 - cy0), height)};
}

}  // namespace ilinks
