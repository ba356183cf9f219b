// The CPU rasterizer's fast paths (rectangles filled as rows, 1:1 glyph texels
// read directly, triangles tested only between their edges) against the
// reference path, which tests every pixel of every bounding box and samples
// bilinearly everywhere: the same pixels, the same bytes.
#include <doctest/doctest.h>

#include <imgui.h>

#include <cstdlib>
#include <random>
#include <vector>

#include "../tools/consented_view.h"
#include "../tools/twenty_year_record.h"
#include "ilinks/backends.h"
#include "ilinks/record_builder.h"
#include "ilinks/record_widget.h"
#include "raster_test_frame.h"

using namespace ilinks;
using ilinks::test::Canvas;
using ilinks::test::Frame;

namespace {

// An 8x8 texture whose every texel differs, with a white texel at (0, 0)
// (as ImGui's atlas has) and an alpha ramp, so a wrong texel shows.
struct Texture {
  static constexpr int size = 8;
  std::vector<unsigned char> texels;
  Texture() : texels(size * size * 4) {
    for (int i = 0; i < size * size; ++i) {
      texels[i * 4 + 0] = static_cast<unsigned char>(255 - i * 3);
      texels[i * 4 + 1] = static_cast<unsigned char>(i * 4);
      texels[i * 4 + 2] = static_cast<unsigned char>((i * 37) % 256);
      texels[i * 4 + 3] = static_cast<unsigned char>(i % 5 == 0 ? 0 : i * 4 + 3);
    }
    for (int c = 0; c < 4; ++c) texels[c] = 255;
  }
  RgbaTexture texture() const { return {texels.data(), size, size}; }
  static float white_u() { return 0.5f / size; }
};

// Four corners (top-left, top-right, bottom-right, bottom-left), starting at
// `first` and going round either way, as triangles (0 1 2) (0 2 3) as ImGui writes them.
void quad(Frame& f, const ImVec2 (&pos)[4], const ImVec2 (&uv)[4], const ImU32 (&colour)[4], int first = 0, bool reversed = false) {
  int base = f.list.VtxBuffer.Size;
  for (int k = 0; k < 4; ++k) {
    int i = reversed ? (first - k + 8) % 4 : (first + k) % 4;
    f.vertex(pos[i].x, pos[i].y, colour[i], uv[i].x, uv[i].y);
  }
  f.triangle(base, base + 1, base + 2);
  f.triangle(base, base + 2, base + 3);
}

void flat_quad(Frame& f, float x0, float y0, float x1, float y1, ImU32 colour, int first = 0, bool reversed = false) {
  const float w = Texture::white_u();
  quad(f, {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {{w, w}, {w, w}, {w, w}, {w, w}}, {colour, colour, colour, colour}, first, reversed);
}

// A glyph-like quad: texels [tx, tx + w) x [ty, ty + h) of the texture at pixel (x, y), `scale` pixels per texel.
void textured_quad(Frame& f, float x, float y, int tx, int ty, int w, int h, ImU32 colour, float scale = 1.0f) {
  const float n = Texture::size;
  auto real = [](int i) { return static_cast<float>(i); };
  float u0 = real(tx) / n, v0 = real(ty) / n, u1 = real(tx + w) / n, v1 = real(ty + h) / n;
  float x1 = x + real(w) * scale, y1 = y + real(h) * scale;
  quad(f, {{x, y}, {x1, y}, {x1, y1}, {x, y1}}, {{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}}, {colour, colour, colour, colour});
}

// A background that is different under every pixel, so every blend shows.
Canvas background(int w, int h) {
  Canvas c(w, h);
  for (size_t i = 0; i < c.pixels.size(); ++i) c.pixels[i] = static_cast<unsigned char>((i * 7 + i / 4 * 13) % 256);
  return c;
}

struct Both {
  Canvas fast, reference;
};
Both draw_both(const Frame& f, const RgbaTexture& tex, int w, int h) {
  Both b{background(w, h), background(w, h)};
  rasterize(f.data, tex, b.fast.image(), RasterPath::fast);
  rasterize(f.data, tex, b.reference.image(), RasterPath::reference);
  return b;
}

// The largest difference in any channel of any pixel.
int largest_difference(const Canvas& a, const Canvas& b) {
  int most = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) most = std::max(most, std::abs(a.pixels[i] - b.pixels[i]));
  return most;
}

bool changed(const Canvas& c, int x, int y) {
  Canvas bg = background(c.width, c.height);
  for (int k = 0; k < 4; ++k)
    if (c.at(x, y)[k] != bg.at(x, y)[k]) return true;
  return false;
}

}  // namespace

TEST_SUITE("CPU rasterizer: fast paths") {
  TEST_CASE("a flat rectangle covers the pixels the reference covers, whatever its edges' fractions, corner order and winding") {
    Texture t;
    const float edges[] = {1.0f, 1.25f, 1.5f, 1.75f, 2.5f, 3.4999f, 3.5f, 3.5001f};
    for (float x0 : edges)
      for (float y0 : edges)
        for (int first = 0; first < 4; ++first)
          for (bool reversed : {false, true}) {
            CAPTURE(x0);
            CAPTURE(y0);
            CAPTURE(first);
            CAPTURE(reversed);
            Frame f(12, 12);
            flat_quad(f, x0, y0, x0 + 5.5f, y0 + 4.25f, IM_COL32(20, 40, 60, 255), first, reversed);
            f.command(ImVec4(0, 0, 12, 12));
            Both b = draw_both(f, t.texture(), 12, 12);
            CHECK(b.fast.pixels == b.reference.pixels);
          }
  }

  TEST_CASE("a translucent rectangle blends each pixel as the reference does, small or large (per-channel table)") {
    Texture t;
    for (int size : {3, 40, 200}) {
      CAPTURE(size);
      Frame f(size + 4, size + 4);
      flat_quad(f, 2, 1.5f, static_cast<float>(size + 2), static_cast<float>(size + 2), IM_COL32(200, 30, 90, 77));
      f.command(ImVec4(0, 0, static_cast<float>(size + 4), static_cast<float>(size + 4)));
      Both b = draw_both(f, t.texture(), size + 4, size + 4);
      CHECK(b.fast.pixels == b.reference.pixels);
      CHECK(changed(b.fast, 2, 2));
      CHECK_FALSE(changed(b.fast, 1, 2));
    }
  }

  TEST_CASE("translucent rectangles that share an edge blend it once: no seam, no double row") {
    Texture t;
    Frame f(12, 12);
    const ImU32 ink = IM_COL32(0, 0, 0, 128);
    flat_quad(f, 0, 0, 6, 12, ink);
    flat_quad(f, 6, 0, 12, 12, ink);
    f.command(ImVec4(0, 0, 12, 12));
    Canvas c(12, 12);
    rasterize(f.data, t.texture(), c.image());
    for (int y = 0; y < 12; ++y)
      for (int x = 0; x < 12; ++x) CHECK(c.at(x, y)[0] == 127);
    Both b = draw_both(f, t.texture(), 12, 12);
    CHECK(b.fast.pixels == b.reference.pixels);
  }

  TEST_CASE("the fast paths clip to the scissor exactly as the reference does") {
    Texture t;
    for (ImVec4 clip : {ImVec4(3, 2, 9, 7), ImVec4(3.5f, 2.25f, 8.75f, 7.5f), ImVec4(-5, -5, 30, 30), ImVec4(5, 5, 5, 9)}) {
      CAPTURE(clip.x);
      CAPTURE(clip.z);
      Frame f(12, 12);
      flat_quad(f, 1, 1, 11, 11, IM_COL32(0, 90, 0, 255));
      flat_quad(f, 0.5f, 3, 10.5f, 6, IM_COL32(90, 0, 0, 100));
      textured_quad(f, 2, 4, 1, 1, 6, 6, IM_COL32(255, 255, 255, 255));
      f.command(clip);
      Both b = draw_both(f, t.texture(), 12, 12);
      CHECK(b.fast.pixels == b.reference.pixels);
      if (clip.x > 2 || clip.z <= clip.x) CHECK_FALSE(changed(b.fast, 2, 1));  // left of the clip
    }
  }

  TEST_CASE("a glyph laid one texel per pixel draws each texel as bilinear sampling at texel centres does, tinted") {
    Texture t;
    for (ImU32 ink : {IM_COL32(255, 255, 255, 255), IM_COL32(30, 60, 200, 255), IM_COL32(30, 60, 200, 140)}) {
      Frame f(12, 12);
      textured_quad(f, 1, 2, 0, 0, 8, 8, ink);
      textured_quad(f, 7, 5, 3, 2, 4, 5, ink);  // over the first: blends over what is there
      f.command(ImVec4(0, 0, 12, 12));
      Both b = draw_both(f, t.texture(), 12, 12);
      CHECK(largest_difference(b.fast, b.reference) <= 1);  // the reference's interpolation rounds
      // Texel (2, 3) of the first glyph, drawn opaque in white, is that texel exactly.
      if (ink == IM_COL32(255, 255, 255, 255)) {
        const unsigned char* texel = &t.texels[(3 * Texture::size + 2) * 4];
        if (texel[3] == 255) CHECK(b.fast.at(3, 5)[0] == texel[0]);
        CHECK(b.fast.at(3, 5)[3] >= b.reference.at(3, 5)[3] - 1);
      }
    }
  }

  TEST_CASE("a textured quad that is not one texel per pixel (scaled, or off the texel grid) is still sampled bilinearly") {
    Texture t;
    for (float scale : {2.0f, 1.5f})
      for (float x : {1.0f, 1.5f}) {
        CAPTURE(scale);
        CAPTURE(x);
        Frame f(14, 14);
        textured_quad(f, x, 1, 1, 1, 4, 4, IM_COL32(255, 255, 255, 255), scale);
        f.command(ImVec4(0, 0, 14, 14));
        Both b = draw_both(f, t.texture(), 14, 14);
        CHECK(b.fast.pixels == b.reference.pixels);
      }
    // Stretched 4x, a two-texel ramp shows intermediate values between the texels, not steps.
    const unsigned char ramp[] = {0, 0, 0, 255, 200, 200, 200, 255};
    Frame f(8, 1);
    quad(f, {{0, 0}, {8, 0}, {8, 1}, {0, 1}}, {{0, 0}, {1, 0}, {1, 1}, {0, 1}},
         {IM_COL32_WHITE, IM_COL32_WHITE, IM_COL32_WHITE, IM_COL32_WHITE});
    f.command(ImVec4(0, 0, 8, 1));
    Canvas c(8, 1, 0);
    rasterize(f.data, RgbaTexture{ramp, 2, 1}, c.image());
    CHECK(c.at(3, 0)[0] > 0);
    CHECK(c.at(3, 0)[0] < c.at(4, 0)[0]);
    CHECK(c.at(4, 0)[0] < 200);
  }

  TEST_CASE("a quad whose corners differ in colour is shaded as the reference shades its triangles") {
    Texture t;
    Frame f(10, 10);
    const float w = Texture::white_u();
    quad(f, {{1, 1}, {9, 1}, {9, 9}, {1, 9}}, {{w, w}, {w, w}, {w, w}, {w, w}},
         {IM_COL32(255, 0, 0, 255), IM_COL32(0, 255, 0, 200), IM_COL32(0, 0, 255, 255), IM_COL32(0, 0, 0, 60)});
    f.command(ImVec4(0, 0, 10, 10));
    Both b = draw_both(f, t.texture(), 10, 10);
    CHECK(b.fast.pixels == b.reference.pixels);
  }

  TEST_CASE("thin and slanted triangles (lines, circles, fringes) cover with spans exactly the pixels the whole bounding box does") {
    Texture t;
    std::mt19937 random(18);
    std::uniform_real_distribution<float> at(-4.0f, 36.0f), alpha(0.0f, 1.0f);
    Frame f(32, 32);
    for (int k = 0; k < 300; ++k) {
      int base = f.list.VtxBuffer.Size;
      float x = at(random), y = at(random);
      bool thin = k % 2 == 0;  // a sliver such as a line's anti-aliased fringe
      for (int corner = 0; corner < 3; ++corner) {
        float cx = thin && corner == 2 ? x + 0.3f : at(random), cy = thin && corner == 2 ? y + 0.7f : at(random);
        if (thin && corner == 0) cx = x, cy = y;
        ImU32 ink = IM_COL32(random() % 256, random() % 256, random() % 256, static_cast<int>(alpha(random) * 255));
        f.vertex(cx, cy, ink, Texture::white_u(), Texture::white_u());
      }
      f.triangle(base, base + 1, base + 2);
    }
    f.command(ImVec4(0, 0, 32, 32));
    Both b = draw_both(f, t.texture(), 32, 32);
    CHECK(b.fast.pixels == b.reference.pixels);
  }

  TEST_CASE("the 20-year record's tabs, scrolled: the fast paths draw what the reference draws, within rounding (1 level)") {
    RecordBuilder builder;
    builder.add(test::twenty_year_record(600, 80, 40), {"generated.json", {}});
    View view = *test::consented_view(builder.build(), "fast-paths");
    RecordWidget w;
    const int width = 640, height = 400;
    w.set_size(width, height, 1.0f);
    w.set_today(*Date::parse_iso_day("2026-11-30"));
    w.show(view);
    w.mouse_move(300, 300);
    for (Tab tab : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline}) {
      CAPTURE(tab_id(tab));
      w.set_tab(tab);
      for (int frame = 0; frame < 4; ++frame) {
        w.mouse_wheel(0, -5);
        const ImDrawData& data = w.draw_frame();
        Canvas fast(width, height, 0), reference(width, height, 0);
        rasterize(data, w.font_texture(), fast.image(), RasterPath::fast);
        rasterize(data, w.font_texture(), reference.image(), RasterPath::reference);
        CHECK(largest_difference(fast, reference) <= 1);
      }
    }
  }
}
