#include <doctest/doctest.h>

#include <imgui.h>

#include <vector>

#include "ilinks/backends.h"

using namespace ilinks;

namespace {

// A hand-built frame: one draw list, one command, exact vertices.
struct Frame {
  ImDrawList list{nullptr};
  ImDrawData data;

  Frame(int w, int h) {
    data.Valid = true;
    data.CmdLists.push_back(&list);
    data.CmdListsCount = 1;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    data.FramebufferScale = ImVec2(1, 1);
  }
  void vertex(float x, float y, ImU32 colour, float u = 0.5f, float v = 0.5f) {
    list.VtxBuffer.push_back(ImDrawVert{ImVec2(x, y), ImVec2(u, v), colour});
  }
  void triangle(int a, int b, int c) {
    list.IdxBuffer.push_back(static_cast<ImDrawIdx>(a));
    list.IdxBuffer.push_back(static_cast<ImDrawIdx>(b));
    list.IdxBuffer.push_back(static_cast<ImDrawIdx>(c));
  }
  void quad(float x0, float y0, float x1, float y1, ImU32 colour) {
    int base = list.VtxBuffer.Size;
    vertex(x0, y0, colour);
    vertex(x1, y0, colour);
    vertex(x1, y1, colour);
    vertex(x0, y1, colour);
    triangle(base, base + 1, base + 2);
    triangle(base, base + 2, base + 3);
  }
  void command(ImVec4 clip) {
    ImDrawCmd cmd;
    cmd.ClipRect = clip;
    cmd.ElemCount = static_cast<unsigned>(list.IdxBuffer.Size);
    list.CmdBuffer.push_back(cmd);
  }
};

struct Canvas {
  int width, height;
  std::vector<unsigned char> pixels;
  Canvas(int w, int h, unsigned char fill = 255) : width(w), height(h), pixels(static_cast<size_t>(w * h * 4), fill) {}
  RgbaImage image() { return {pixels.data(), width, height, width * 4}; }
  const unsigned char* at(int x, int y) const { return &pixels[static_cast<size_t>((y * width + x) * 4)]; }
};

const unsigned char kWhiteTexel[] = {255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
const RgbaTexture kWhite{kWhiteTexel, 2, 2};

}  // namespace

TEST_SUITE("CPU rasterizer") {
  TEST_CASE("an opaque rectangle covers exactly the pixels whose centres it contains") {
    Frame f(10, 10);
    f.quad(2, 2, 6, 5, IM_COL32(0, 0, 0, 255));
    f.command(ImVec4(0, 0, 10, 10));
    Canvas c(10, 10);
    rasterize(f.data, kWhite, c.image());
    for (int y = 0; y < 10; ++y)
      for (int x = 0; x < 10; ++x) {
        bool inside = x >= 2 && x < 6 && y >= 2 && y < 5;
        CAPTURE(x);
        CAPTURE(y);
        CHECK(c.at(x, y)[0] == (inside ? 0 : 255));
      }
  }

  TEST_CASE("two triangles sharing an edge blend it once, leaving no seam") {
    Frame f(8, 8);
    f.quad(0, 0, 8, 8, IM_COL32(0, 0, 0, 128));
    f.command(ImVec4(0, 0, 8, 8));
    Canvas c(8, 8);
    rasterize(f.data, kWhite, c.image());
    unsigned char first = c.at(0, 0)[0];
    CHECK(first == 127);  // 255 * (1 - 128/255), rounded
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) CHECK(c.at(x, y)[0] == first);
  }

  TEST_CASE("drawing is clipped to the command's scissor rectangle") {
    Frame f(10, 10);
    f.quad(0, 0, 10, 10, IM_COL32(0, 0, 0, 255));
    f.command(ImVec4(0, 0, 5, 4));
    Canvas c(10, 10);
    rasterize(f.data, kWhite, c.image());
    int covered = 0;
    for (int y = 0; y < 10; ++y)
      for (int x = 0; x < 10; ++x) covered += c.at(x, y)[0] == 0;
    CHECK(covered == 20);
    CHECK(c.at(4, 3)[0] == 0);
    CHECK(c.at(5, 3)[0] == 255);
  }

  TEST_CASE("the texture is sampled and tinted by the vertex colour") {
    const unsigned char red[] = {255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255};
    Frame f(4, 4);
    f.quad(0, 0, 4, 4, IM_COL32(255, 255, 255, 255));
    f.command(ImVec4(0, 0, 4, 4));
    Canvas c(4, 4, 0);
    rasterize(f.data, RgbaTexture{red, 2, 2}, c.image());
    CHECK(c.at(1, 1)[0] == 255);
    CHECK(c.at(1, 1)[1] == 0);
    CHECK(c.at(1, 1)[2] == 0);
    CHECK(c.at(1, 1)[3] == 255);
  }

  TEST_CASE("nothing is drawn outside the target, however large the geometry") {
    Frame f(4, 4);
    f.quad(-1000, -1000, 1000, 1000, IM_COL32(0, 0, 0, 255));
    f.command(ImVec4(-1000, -1000, 1000, 1000));
    std::vector<unsigned char> guarded(4 * 4 * 4 + 64, 7);
    rasterize(f.data, kWhite, RgbaImage{guarded.data(), 4, 4, 16});
    for (size_t i = 4 * 4 * 4; i < guarded.size(); ++i) CHECK(guarded[i] == 7);
  }
}
