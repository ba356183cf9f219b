// A CPU rasterizer for ImGui draw data: triangles with per-vertex colour and a
// texture, scissored, alpha-blended. It follows the GPU's rules (pixel centres
// at +0.5, top-left fill rule, bilinear sampling with clamp-to-edge, blend
// SRC_ALPHA / ONE_MINUS_SRC_ALPHA) so it matches the GL backend pixel for pixel
// but for rounding.
#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "ilinks/backends.h"
#include "scissor.h"

namespace ilinks {
namespace {

struct Vertex {
  float x, y, u, v;
  float r, g, b, a;  // 0..1
};

Vertex to_vertex(const ImDrawVert& v, ImVec2 origin, ImVec2 scale) {
  auto channel = [&](int shift) { return static_cast<float>((v.col >> shift) & 0xFF) / 255.0f; };
  return {(v.pos.x - origin.x) * scale.x, (v.pos.y - origin.y) * scale.y, v.uv.x, v.uv.y,
          channel(IM_COL32_R_SHIFT), channel(IM_COL32_G_SHIFT), channel(IM_COL32_B_SHIFT), channel(IM_COL32_A_SHIFT)};
}

// Twice the signed area of (a, b, p); positive when p is on the inner side.
inline float edge(const Vertex& a, const Vertex& b, float px, float py) {
  return (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x);
}

// Top-left rule for the orientation used below: an edge owns the pixels exactly
// on it when it is a top edge (horizontal, going right) or a left edge (going up).
inline bool owns_boundary(const Vertex& a, const Vertex& b) {
  float dx = b.x - a.x, dy = b.y - a.y;
  return (dy == 0 && dx > 0) || dy < 0;
}

struct Sample {
  float r, g, b, a;
};

Sample sample_bilinear(const RgbaTexture& t, float u, float v) {
  float tx = u * static_cast<float>(t.width) - 0.5f;
  float ty = v * static_cast<float>(t.height) - 0.5f;
  float fx0 = std::floor(tx), fy0 = std::floor(ty);
  float fx = tx - fx0, fy = ty - fy0;
  int x0 = static_cast<int>(fx0), y0 = static_cast<int>(fy0);
  auto clamp_x = [&](int x) { return std::clamp(x, 0, t.width - 1); };
  auto clamp_y = [&](int y) { return std::clamp(y, 0, t.height - 1); };
  const unsigned char* p00 = t.pixels + (clamp_y(y0) * t.width + clamp_x(x0)) * 4;
  const unsigned char* p10 = t.pixels + (clamp_y(y0) * t.width + clamp_x(x0 + 1)) * 4;
  const unsigned char* p01 = t.pixels + (clamp_y(y0 + 1) * t.width + clamp_x(x0)) * 4;
  const unsigned char* p11 = t.pixels + (clamp_y(y0 + 1) * t.width + clamp_x(x0 + 1)) * 4;
  float c[4];
  for (int i = 0; i < 4; ++i) {
    float top = p00[i] + (p10[i] - p00[i]) * fx;
    float bottom = p01[i] + (p11[i] - p01[i]) * fx;
    c[i] = (top + (bottom - top) * fy) / 255.0f;
  }
  return {c[0], c[1], c[2], c[3]};
}

// Rounds to nearest (halves up): the value is never negative, so adding a
// half and truncating does what std::lround does, without its library call
// (a fifth of a frame's time).
inline unsigned char to_byte(float v) {
  return static_cast<unsigned char>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
}

void draw_triangle(Vertex a, Vertex b, Vertex c, const PixelRect& clip, const RgbaTexture& tex, RgbaImage& img) {
  float area = edge(a, b, c.x, c.y);
  if (area == 0) return;
  if (area < 0) { std::swap(b, c); area = -area; }
  int min_x = std::max(clip.x0, static_cast<int>(std::floor(std::min({a.x, b.x, c.x}))));
  int max_x = std::min(clip.x1 - 1, static_cast<int>(std::ceil(std::max({a.x, b.x, c.x}))));
  int min_y = std::max(clip.y0, static_cast<int>(std::floor(std::min({a.y, b.y, c.y}))));
  int max_y = std::min(clip.y1 - 1, static_cast<int>(std::ceil(std::max({a.y, b.y, c.y}))));
  const bool own_bc = owns_boundary(b, c), own_ca = owns_boundary(c, a), own_ab = owns_boundary(a, b);
  const float inv_area = 1.0f / area;
  // Most of a frame is flat colour (backgrounds, rows, bars): one texel and one
  // colour for the whole triangle, so sample and shade once, not per pixel.
  const bool flat = a.u == b.u && a.u == c.u && a.v == b.v && a.v == c.v && a.r == b.r && a.r == c.r && a.g == b.g &&
                    a.g == c.g && a.b == b.b && a.b == c.b && a.a == b.a && a.a == c.a;
  Sample flat_colour{};
  if (flat) {
    Sample t = sample_bilinear(tex, a.u, a.v);
    flat_colour = {a.r * t.r, a.g * t.g, a.b * t.b, a.a * t.a};
    if (flat_colour.a <= 0) return;
  }
  for (int y = min_y; y <= max_y; ++y) {
    float py = static_cast<float>(y) + 0.5f;
    unsigned char* row = img.pixels + static_cast<size_t>(y) * static_cast<size_t>(img.stride);
    for (int x = min_x; x <= max_x; ++x) {
      float px = static_cast<float>(x) + 0.5f;
      float w0 = edge(b, c, px, py), w1 = edge(c, a, px, py), w2 = edge(a, b, px, py);
      if (w0 < 0 || w1 < 0 || w2 < 0) continue;
      if ((w0 == 0 && !own_bc) || (w1 == 0 && !own_ca) || (w2 == 0 && !own_ab)) continue;
      float sr, sg, sb, sa;
      if (flat) {
        sr = flat_colour.r, sg = flat_colour.g, sb = flat_colour.b, sa = flat_colour.a;
      } else {
        float l0 = w0 * inv_area, l1 = w1 * inv_area, l2 = w2 * inv_area;
        Sample t = sample_bilinear(tex, a.u * l0 + b.u * l1 + c.u * l2, a.v * l0 + b.v * l1 + c.v * l2);
        sr = (a.r * l0 + b.r * l1 + c.r * l2) * t.r;
        sg = (a.g * l0 + b.g * l1 + c.g * l2) * t.g;
        sb = (a.b * l0 + b.b * l1 + c.b * l2) * t.b;
        sa = (a.a * l0 + b.a * l1 + c.a * l2) * t.a;
        if (sa <= 0) continue;
      }
      unsigned char* d = row + x * 4;
      if (sa >= 1.0f) {  // opaque: what was there does not show through
        d[0] = to_byte(sr), d[1] = to_byte(sg), d[2] = to_byte(sb), d[3] = 255;
        continue;
      }
      float keep = 1.0f - sa;
      d[0] = to_byte(sr * sa + d[0] / 255.0f * keep);
      d[1] = to_byte(sg * sa + d[1] / 255.0f * keep);
      d[2] = to_byte(sb * sa + d[2] / 255.0f * keep);
      d[3] = to_byte(sa + d[3] / 255.0f * keep);
    }
  }
}

}  // namespace

void rasterize(const ImDrawData& data, const RgbaTexture& font, RgbaImage target) {
  if (!target.pixels || target.width <= 0 || target.height <= 0 || !font.pixels) return;
  const ImVec2 origin = data.DisplayPos, scale = data.FramebufferScale;
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList* list = data.CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) continue;  // the widget registers none
      PixelRect clip = scissor_of(cmd, data, target.width, target.height);
      if (clip.empty()) continue;
      for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset + i;
        const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
        draw_triangle(to_vertex(v[idx[0]], origin, scale), to_vertex(v[idx[1]], origin, scale),
                      to_vertex(v[idx[2]], origin, scale), clip, font, target);
      }
    }
  }
}

}  // namespace ilinks
