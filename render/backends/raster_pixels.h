// What every path of the CPU rasterizer shares: vertices in pixels, texture
// sampling and the blend. Each path shades with these same expressions, so a
// fast path and the general one compute the same bytes.
#pragma once
#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "ilinks/backends.h"
#include "scissor.h"

namespace ilinks::raster {

struct Vertex {
  float x, y, u, v;
  float r, g, b, a;  // 0..1
};

inline Vertex to_vertex(const ImDrawVert& v, ImVec2 origin, ImVec2 scale) {
  auto channel = [&](int shift) { return static_cast<float>((v.col >> shift) & 0xFF) / 255.0f; };
  return {(v.pos.x - origin.x) * scale.x, (v.pos.y - origin.y) * scale.y, v.uv.x, v.uv.y,
          channel(IM_COL32_R_SHIFT), channel(IM_COL32_G_SHIFT), channel(IM_COL32_B_SHIFT), channel(IM_COL32_A_SHIFT)};
}

struct Sample {
  float r, g, b, a;
};

// GL's LINEAR filter with CLAMP_TO_EDGE: texel centres at +0.5.
inline Sample sample_bilinear(const RgbaTexture& t, float u, float v) {
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

// One texel exactly: what sample_bilinear gives at a texel's centre.
inline Sample texel(const RgbaTexture& t, int x, int y) {
  const unsigned char* p = t.pixels + (y * t.width + x) * 4;
  return {p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f, p[3] / 255.0f};
}

// Rounds to nearest (halves up): the value is never negative, so adding a
// half and truncating does what std::lround does, without its library call
// (a fifth of a frame's time).
inline unsigned char to_byte(float v) {
  return static_cast<unsigned char>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
}

// SRC_ALPHA / ONE_MINUS_SRC_ALPHA for one channel; `source` is the colour
// channel (or 1 for alpha), `keep` is 1 - alpha.
inline unsigned char blend_channel(float source, float alpha, unsigned char under, float keep) {
  return to_byte(source * alpha + under / 255.0f * keep);
}

// Writes a shaded pixel (colour already tinted by the texture) over `d`.
inline void blend_pixel(unsigned char* d, float sr, float sg, float sb, float sa) {
  if (sa >= 1.0f) {  // opaque: what was there does not show through
    d[0] = to_byte(sr), d[1] = to_byte(sg), d[2] = to_byte(sb), d[3] = 255;
    return;
  }
  float keep = 1.0f - sa;
  d[0] = blend_channel(sr, sa, d[0], keep);
  d[1] = blend_channel(sg, sa, d[1], keep);
  d[2] = blend_channel(sb, sa, d[2], keep);
  d[3] = blend_channel(1.0f, sa, d[3], keep);
}

inline unsigned char* pixel_at(const RgbaImage& img, int x, int y) {
  return img.pixels + static_cast<size_t>(y) * static_cast<size_t>(img.stride) + static_cast<size_t>(x) * 4;
}

}  // namespace ilinks::raster
