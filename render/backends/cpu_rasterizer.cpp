// A CPU rasterizer for ImGui draw data: triangles with per-vertex colour and a
// texture, scissored, alpha-blended. It follows the GPU's rules (pixel centres
// at +0.5, top-left fill rule, bilinear sampling with clamp-to-edge, blend
// SRC_ALPHA / ONE_MINUS_SRC_ALPHA) so it matches the GL backend pixel for pixel
// but for rounding.
//
// Where the time goes (perf, 20-year record at 1280x800): testing every pixel
// of each triangle's bounding box against its edges, and bilinear sampling of
// glyphs that sit one texel per pixel. Most of a frame is rectangles (two
// triangles sharing a diagonal), so those are filled as rows (raster_quad.h);
// the other triangles test only each row's stretch between their edges.
#include <imgui.h>

#include "ilinks/backends.h"
#include "raster_quad.h"
#include "raster_triangle.h"
#include "scissor.h"

namespace ilinks {

void rasterize(const ImDrawData& data, const RgbaTexture& font, RgbaImage target, RasterPath path) {
  using namespace raster;
  if (!target.pixels || target.width <= 0 || target.height <= 0 || !font.pixels) return;
  const ImVec2 origin = data.DisplayPos, scale = data.FramebufferScale;
  const bool fast = path == RasterPath::fast;
  const Coverage coverage = fast ? Coverage::spans : Coverage::every_pixel;
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList* list = data.CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) continue;  // the widget registers none
      PixelRect clip = scissor_of(cmd, data, target.width, target.height);
      if (clip.empty()) continue;
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
      auto vertex = [&](unsigned int i) { return to_vertex(v[idx[i]], origin, scale); };
      for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
        // ImGui writes a rectangle as triangles (0 1 2) (0 2 3).
        if (fast && i + 5 < cmd.ElemCount && idx[i + 3] == idx[i] && idx[i + 4] == idx[i + 2]) {
          const Vertex quad[4] = {vertex(i), vertex(i + 1), vertex(i + 2), vertex(i + 5)};
          if (draw_axis_aligned_quad(quad, clip, font, target)) {
            i += 3;
            continue;
          }
        }
        draw_triangle(vertex(i), vertex(i + 1), vertex(i + 2), clip, font, target, coverage);
      }
    }
  }
}

}  // namespace ilinks
