// Any triangle: edge functions with the top-left fill rule, colour and uv
// interpolated, bilinear sampling. The general path, and the reference the
// fast paths (raster_quad.h) are tested against.
#pragma once
#include "raster_pixels.h"

namespace ilinks::raster {

enum class Coverage {
  every_pixel,  // tests every pixel of the bounding box (the reference)
  spans,        // tests only each row's stretch between the edges: the same pixels, sooner
};

void draw_triangle(Vertex a, Vertex b, Vertex c, const PixelRect& clip, const RgbaTexture& tex, RgbaImage& img,
                   Coverage coverage);

}  // namespace ilinks::raster
