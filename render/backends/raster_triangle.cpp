#include "raster_triangle.h"

#include <algorithm>
#include <cmath>

namespace ilinks::raster {
namespace {

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

// Narrows [x0, x1] on the row at `py` to where edge (a, b) can be inside,
// give or take a pixel: the exact test per pixel still decides. False when
// no pixel of the row can be.
bool narrow_to_edge(const Vertex& a, const Vertex& b, float py, int& x0, int& x1) {
  const float dy = b.y - a.y;
  if (dy == 0) return edge(a, b, a.x, py) >= 0;  // the same on the whole row
  // Where the edge crosses the row, in pixel-centre terms, kept finite.
  float cross = a.x + (b.x - a.x) * (py - a.y) / dy - 0.5f;
  cross = std::clamp(cross, static_cast<float>(x0) - 2.0f, static_cast<float>(x1) + 2.0f);
  if (dy < 0) x0 = std::max(x0, static_cast<int>(std::ceil(cross)) - 1);  // inside to the right
  else x1 = std::min(x1, static_cast<int>(std::floor(cross)) + 1);        // inside to the left
  return x0 <= x1;
}

}  // namespace

void draw_triangle(Vertex a, Vertex b, Vertex c, const PixelRect& clip, const RgbaTexture& tex, RgbaImage& img,
                   Coverage coverage) {
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
    int x0 = min_x, x1 = max_x;
    if (coverage == Coverage::spans &&
        !(narrow_to_edge(b, c, py, x0, x1) && narrow_to_edge(c, a, py, x0, x1) && narrow_to_edge(a, b, py, x0, x1)))
      continue;
    unsigned char* row = pixel_at(img, 0, y);
    for (int x = x0; x <= x1; ++x) {
      float px = static_cast<float>(x) + 0.5f;
      float w0 = edge(b, c, px, py), w1 = edge(c, a, px, py), w2 = edge(a, b, px, py);
      if (w0 < 0 || w1 < 0 || w2 < 0) continue;
      if ((w0 == 0 && !own_bc) || (w1 == 0 && !own_ca) || (w2 == 0 && !own_ab)) continue;
      if (flat) {
        blend_pixel(row + x * 4, flat_colour.r, flat_colour.g, flat_colour.b, flat_colour.a);
        continue;
      }
      float l0 = w0 * inv_area, l1 = w1 * inv_area, l2 = w2 * inv_area;
      Sample t = sample_bilinear(tex, a.u * l0 + b.u * l1 + c.u * l2, a.v * l0 + b.v * l1 + c.v * l2);
      float sa = (a.a * l0 + b.a * l1 + c.a * l2) * t.a;
      if (sa <= 0) continue;
      blend_pixel(row + x * 4, (a.r * l0 + b.r * l1 + c.r * l2) * t.r, (a.g * l0 + b.g * l1 + c.g * l2) * t.g,
                  (a.b * l0 + b.b * l1 + c.b * l2) * t.b, sa);
    }
  }
}

}  // namespace ilinks::raster
