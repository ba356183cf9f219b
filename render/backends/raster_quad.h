// The fast path for what ImGui draws most: axis-aligned rectangles (two
// triangles sharing a diagonal) of one colour, either flat (backgrounds, rows,
// bars: the uv on the atlas's white texel) or textured one texel per pixel
// (glyphs, baked on whole pixels). Their pixels are a half-open rectangle of
// pixel centres, filled row by row with no edge tests, and 1:1 texels are read
// directly, which is what bilinear sampling at texel centres gives.
#pragma once
#include "raster_pixels.h"

namespace ilinks::raster {

// Draws the quad v0 v1 v2 v3 (triangles v0 v1 v2 and v0 v2 v3) when it is such
// a rectangle, and returns true; otherwise draws nothing and returns false (the
// caller draws its two triangles).
bool draw_axis_aligned_quad(const Vertex (&v)[4], const PixelRect& clip, const RgbaTexture& tex, RgbaImage& img);

}  // namespace ilinks::raster
