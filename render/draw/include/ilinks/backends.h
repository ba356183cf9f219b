// ilinks/backends.h: turning a frame's draw data into pixels.
//
// Two backends draw the same draw data to the same pixels (within the small
// differences of GPU rasterisation):
//   - rasterize(): the CPU, into an RGBA buffer. No GPU, no display: headless
//     rendering, remote desktops, and pixel-exact tests.
//   - GlRenderer: OpenGL 3.2 core (desktop) or OpenGL ES 3 / WebGL2 (browser).
#pragma once
#include <string>

#include "ilinks/record_widget.h"

struct ImDrawData;

namespace ilinks {

// --- CPU rasterizer

// A caller-owned 8-bit RGBA image; `stride` is bytes per row.
struct RgbaImage {
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;
};

// How rasterize() finds a triangle's pixels. Both give the same image: `fast`
// fills rectangles row by row and reads 1:1 glyph texels directly; `reference`
// tests every pixel of every triangle's bounding box and samples bilinearly
// everywhere (slow; what the fast paths are tested against).
enum class RasterPath { fast, reference };

// Draws `data` over what is in `target` (the widget paints its own background),
// sampling `font` bilinearly and blending as the GL backend does.
void rasterize(const ImDrawData& data, const RgbaTexture& font, RgbaImage target, RasterPath path = RasterPath::fast);

// --- OpenGL 3 / WebGL2

class GlRenderer {
 public:
  // `restore_host_state`: put back every GL state the renderer changes (a host's
  // own context). The browser widget owns its canvas and skips it: saving and
  // restoring state costs tens of milliseconds a frame under WebGL.
  explicit GlRenderer(bool restore_host_state);
  ~GlRenderer();
  GlRenderer(const GlRenderer&) = delete;
  GlRenderer& operator=(const GlRenderer&) = delete;

  // Compiles shaders in the current context. False, with `error` set, when the
  // context cannot run them (no GL 3.2 / ES 3).
  bool init(std::string& error);
  // Draws into the current framebuffer of `framebuffer_width` x `framebuffer_height`.
  void render(const ImDrawData& data, const RgbaTexture& font, unsigned font_generation,
              int framebuffer_width, int framebuffer_height);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace ilinks
