#include <doctest/doctest.h>

#include <imgui.h>

#include <vector>

#include "ilinks/backends.h"
#include "raster_test_frame.h"

using namespace ilinks;
using ilinks::test::Canvas;
using ilinks::test::Frame;

namespace {

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
