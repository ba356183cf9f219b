#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "ilinks.h"

namespace {

const char* kPatient = R"({"resourceType":"Patient","id":"p","name":[{"family":"Jones","given":["Ann"]}],
  "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]})";

struct Viewer {
  ilinks_viewer* v = nullptr;
  Viewer() { REQUIRE(ilinks_viewer_create(&v) == ILINKS_OK); }
  ~Viewer() { ilinks_viewer_destroy(v); }
  std::string error() const { return ilinks_viewer_last_error(v); }
  std::vector<unsigned char> frame(int w, int h) {
    std::vector<unsigned char> px(static_cast<size_t>(w * h * 4));
    ilinks_viewer_set_size(v, w, h, 1.0f);
    do {
      REQUIRE(ilinks_viewer_render_rgba(v, px.data(), w * 4, px.size()) == ILINKS_OK);
    } while (ilinks_viewer_needs_redraw(v));
    return px;
  }
};

// Pixels of the banner's white surface in a frame: none when no record is shown.
int white_pixels(const std::vector<unsigned char>& px) {
  int n = 0;
  for (size_t i = 0; i < px.size(); i += 4) n += px[i] == 255 && px[i + 1] == 255 && px[i + 2] == 255;
  return n;
}

}  // namespace

TEST_SUITE("C ABI") {
  TEST_CASE("the library reports the version of the header it was built with") {
    CHECK(std::string(ilinks_version()) == ILINKS_VERSION);
  }

  TEST_CASE("calls with a NULL viewer return an argument error and do not crash") {
    CHECK(ilinks_viewer_create(nullptr) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_load_fhir(nullptr, "{}", 2, "x") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_size(nullptr, 10, 10, 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_render_rgba(nullptr, nullptr, 0, 0) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_render_gl(nullptr) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_needs_redraw(nullptr) == 0);
    CHECK(std::string(ilinks_viewer_last_error(nullptr)).find("NULL") != std::string::npos);
    ilinks_viewer_destroy(nullptr);
  }

  TEST_CASE("a record that cannot be read is an input error that names the source and the reason") {
    Viewer viewer;
    const char bad[] = "{ not json";
    CHECK(ilinks_viewer_load_fhir(viewer.v, bad, sizeof bad - 1, "gp-feed.json") == ILINKS_ERROR_INPUT);
    CHECK(viewer.error().find("gp-feed.json") == 0);
    CHECK(viewer.error().find("not valid JSON") != std::string::npos);
    CHECK(ilinks_viewer_load_fhir(viewer.v, "", 0, "empty.json") == ILINKS_ERROR_INPUT);
    CHECK(viewer.error() == "empty.json: is empty");
  }

  TEST_CASE("a success clears the last error") {
    Viewer viewer;
    ilinks_viewer_load_fhir(viewer.v, "x", 1, "bad.json");
    REQUIRE_FALSE(viewer.error().empty());
    CHECK(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "good.json") == ILINKS_OK);
    CHECK(viewer.error().empty());
  }

  TEST_CASE("a failed load never leaves the previous person on screen") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(white_pixels(viewer.frame(400, 200)) > 400 * 50);  // the banner is there
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, "{}", 2, "next.json") == ILINKS_ERROR_INPUT);
    CHECK(white_pixels(viewer.frame(400, 200)) == 0);  // and now it is not
  }

  TEST_CASE("clearing the viewer takes the person off screen at once") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(white_pixels(viewer.frame(400, 200)) > 400 * 50);
    CHECK(ilinks_viewer_clear(viewer.v) == ILINKS_OK);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 1);
    CHECK(white_pixels(viewer.frame(400, 200)) == 0);
    CHECK(ilinks_viewer_clear(nullptr) == ILINKS_ERROR_ARGUMENT);
  }

  TEST_CASE("sizes and scales out of range are refused with the allowed range") {
    Viewer viewer;
    CHECK(ilinks_viewer_set_size(viewer.v, 0, 100, 1) == ILINKS_ERROR_ARGUMENT);
    CHECK(viewer.error().find("1..16384") != std::string::npos);
    CHECK(ilinks_viewer_set_size(viewer.v, 100, 100, 0.1f) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_size(viewer.v, 100, 100, 8.0f) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_today(viewer.v, "22/11/2026") == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_set_today(viewer.v, nullptr) == ILINKS_ERROR_ARGUMENT);
  }

  TEST_CASE("a buffer too small for the frame is refused and left untouched") {
    Viewer viewer;
    ilinks_viewer_set_size(viewer.v, 100, 50, 1);
    std::vector<unsigned char> px(100 * 50 * 4 - 1, 9);
    CHECK(ilinks_viewer_render_rgba(viewer.v, px.data(), 400, px.size()) == ILINKS_ERROR_ARGUMENT);
    CHECK(ilinks_viewer_render_rgba(viewer.v, px.data(), 399, px.size()) == ILINKS_ERROR_ARGUMENT);
    for (unsigned char c : px) REQUIRE(c == 9);
  }

  TEST_CASE("a wider stride leaves the padding bytes alone") {
    Viewer viewer;
    ilinks_viewer_set_size(viewer.v, 10, 4, 1);
    std::vector<unsigned char> px(64 * 4, 9);
    REQUIRE(ilinks_viewer_render_rgba(viewer.v, px.data(), 64, px.size()) == ILINKS_OK);
    for (int y = 0; y < 4; ++y)
      for (int x = 40; x < 64; ++x) CHECK(px[static_cast<size_t>(y * 64 + x)] == 9);
  }

  TEST_CASE("an idle viewer asks for no frames until something changes") {
    Viewer viewer;
    REQUIRE(ilinks_viewer_load_fhir(viewer.v, kPatient, std::strlen(kPatient), "ann.json") == ILINKS_OK);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 1);
    viewer.frame(300, 100);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 0);
    ilinks_viewer_set_size(viewer.v, 300, 100, 1);  // the same size: no change
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 0);
    ilinks_viewer_set_size(viewer.v, 320, 100, 1);
    CHECK(ilinks_viewer_needs_redraw(viewer.v) == 1);
  }

  TEST_CASE("drawing with OpenGL when no context is current is a graphics error, not a crash") {
    Viewer viewer;
    CHECK(ilinks_viewer_render_gl(viewer.v) == ILINKS_ERROR_GRAPHICS);
    CHECK_FALSE(viewer.error().empty());
  }
}
