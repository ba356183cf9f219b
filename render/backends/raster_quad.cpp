#include "raster_quad.h"

#include <cmath>
#include <cstring>

namespace ilinks::raster {
namespace {

bool same_colour(const Vertex& p, const Vertex& q) { return p.r == q.r && p.g == q.g && p.b == q.b && p.a == q.a; }

// Along each side of the rectangle one coordinate is fixed; the texture
// coordinate that goes with it must be fixed too, so that u follows x alone
// and v follows y alone (what both triangles interpolate then agrees).
bool side_is_axis_aligned(const Vertex& p, const Vertex& q) {
  if (p.x == q.x && p.y != q.y) return p.u == q.u;
  if (p.y == q.y && p.x != q.x) return p.v == q.v;
  return false;
}

// The pixels whose centres lie in [lo, hi): the top-left rule makes a
// rectangle's left and top edges its own, its right and bottom edges not.
void covered(float lo, float hi, int clip_lo, int clip_hi, int& first, int& end) {
  lo = std::clamp(lo, static_cast<float>(clip_lo) - 1.0f, static_cast<float>(clip_hi) + 1.0f);
  hi = std::clamp(hi, static_cast<float>(clip_lo) - 1.0f, static_cast<float>(clip_hi) + 1.0f);
  first = std::max(clip_lo, static_cast<int>(std::ceil(lo - 0.5f)));
  end = std::min(clip_hi, static_cast<int>(std::ceil(hi - 0.5f)));
}

// The texel offset from pixel to texel along one axis when the texture is laid
// one texel per pixel there (texel = pixel + offset at every pixel centre),
// exactly; false otherwise.
bool one_to_one(float lo, float hi, float t_lo, float t_hi, int size, int& offset) {
  float texels = static_cast<float>(size);
  if ((t_hi - t_lo) * texels != hi - lo) return false;
  float o = t_lo * texels - lo;
  if (o != std::floor(o) || std::fabs(o) > 1e6f) return false;
  offset = static_cast<int>(o);
  return true;
}

void fill_opaque(const RgbaImage& img, int x0, int x1, int y0, int y1, const Sample& c) {
  const unsigned char rgba[4] = {to_byte(c.r), to_byte(c.g), to_byte(c.b), 255};
  for (int y = y0; y < y1; ++y) {
    unsigned char* d = pixel_at(img, x0, y);
    for (int x = x0; x < x1; ++x, d += 4) std::memcpy(d, rgba, 4);
  }
}

// A translucent colour over many pixels: what each of the 256 values under it
// becomes is worked out once per channel, with the very expression the blend uses.
void fill_translucent(const RgbaImage& img, int x0, int x1, int y0, int y1, const Sample& c) {
  const float keep = 1.0f - c.a;
  const long pixels = static_cast<long>(x1 - x0) * (y1 - y0);
  if (pixels < 1024) {
    for (int y = y0; y < y1; ++y) {
      unsigned char* d = pixel_at(img, x0, y);
      for (int x = x0; x < x1; ++x, d += 4) blend_pixel(d, c.r, c.g, c.b, c.a);
    }
    return;
  }
  unsigned char table[4][256];
  const float source[4] = {c.r, c.g, c.b, 1.0f};
  for (int ch = 0; ch < 4; ++ch)
    for (int under = 0; under < 256; ++under)
      table[ch][under] = blend_channel(source[ch], c.a, static_cast<unsigned char>(under), keep);
  for (int y = y0; y < y1; ++y) {
    unsigned char* d = pixel_at(img, x0, y);
    for (int x = x0; x < x1; ++x, d += 4)
      d[0] = table[0][d[0]], d[1] = table[1][d[1]], d[2] = table[2][d[2]], d[3] = table[3][d[3]];
  }
}

}  // namespace

bool draw_axis_aligned_quad(const Vertex (&v)[4], const PixelRect& clip, const RgbaTexture& tex, RgbaImage& img) {
  for (int i = 0; i < 4; ++i)
    if (!side_is_axis_aligned(v[i], v[(i + 1) % 4]) || !same_colour(v[0], v[i])) return false;
  // v0 and v2 are opposite corners (the shared diagonal).
  if (v[0].x == v[2].x || v[0].y == v[2].y) return false;
  const Vertex& left = v[0].x < v[2].x ? v[0] : v[2];
  const Vertex& right = v[0].x < v[2].x ? v[2] : v[0];
  const Vertex& top = v[0].y < v[2].y ? v[0] : v[2];
  const Vertex& bottom = v[0].y < v[2].y ? v[2] : v[0];
  int x0, x1, y0, y1;
  covered(left.x, right.x, clip.x0, clip.x1, x0, x1);
  covered(top.y, bottom.y, clip.y0, clip.y1, y0, y1);

  const bool flat = v[0].u == v[2].u && v[0].v == v[2].v;
  if (flat) {
    Sample t = sample_bilinear(tex, v[0].u, v[0].v);
    Sample c{v[0].r * t.r, v[0].g * t.g, v[0].b * t.b, v[0].a * t.a};
    if (c.a <= 0 || x0 >= x1 || y0 >= y1) return true;
    if (c.a >= 1.0f) fill_opaque(img, x0, x1, y0, y1, c);
    else fill_translucent(img, x0, x1, y0, y1, c);
    return true;
  }

  int dx, dy;
  if (!one_to_one(left.x, right.x, left.u, right.u, tex.width, dx) || !one_to_one(top.y, bottom.y, top.v, bottom.v, tex.height, dy))
    return false;
  if (x0 >= x1 || y0 >= y1) return true;
  // Texels outside the texture would be clamped: leave that to the general path.
  if (x0 + dx < 0 || x1 - 1 + dx >= tex.width || y0 + dy < 0 || y1 - 1 + dy >= tex.height) return false;
  const Vertex& c = v[0];
  for (int y = y0; y < y1; ++y) {
    unsigned char* d = pixel_at(img, x0, y);
    const unsigned char* t = tex.pixels + (static_cast<size_t>(y + dy) * tex.width + (x0 + dx)) * 4;
    for (int x = x0; x < x1; ++x, d += 4, t += 4) {
      if (t[3] == 0) continue;  // a glyph's empty texel: nothing to draw
      float sa = c.a * (t[3] / 255.0f);
      if (sa <= 0) continue;
      blend_pixel(d, c.r * (t[0] / 255.0f), c.g * (t[1] / 255.0f), c.b * (t[2] / 255.0f), sa);
    }
  }
  return true;
}

}  // namespace ilinks::raster
