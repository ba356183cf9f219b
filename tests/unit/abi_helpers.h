// What the C ABI's tests share: a viewer that is destroyed with the test, a
// frame drawn until it settles, the mirror read whole, and a control pressed
// where the mirror says it is (as a pointer would, through the ABI's input).
#pragma once
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilinks.h"

namespace {

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
inline int white_pixels(const std::vector<unsigned char>& px) {
  int n = 0;
  for (size_t i = 0; i < px.size(); i += 4) n += px[i] == 255 && px[i + 1] == 255 && px[i + 2] == 255;
  return n;
}

inline std::string mirror_of(ilinks_viewer* v, int format = 0) {
  size_t needed = 0;
  CHECK(ilinks_viewer_mirror(v, format, nullptr, 0, &needed) == ILINKS_ERROR_BUFFER);
  std::string text(needed, '\0');
  REQUIRE(ilinks_viewer_mirror(v, format, text.data(), text.size(), &needed) == ILINKS_OK);
  text.resize(needed - 1);
  return text;
}

// Presses a control where the mirror (JSON) says it is, through the ABI's input calls.
inline void press(Viewer& w, const std::string& role, const std::string& text) {
  auto m = nlohmann::json::parse(mirror_of(w.v, 1));
  std::vector<const nlohmann::json*> stack{&m};
  const nlohmann::json* hit = nullptr;
  while (!stack.empty() && !hit) {
    const nlohmann::json* n = stack.back();
    stack.pop_back();
    if (n->value("role", "") == role && n->value("text", "") == text && n->contains("bounds")) hit = n;
    if (n->contains("children"))
      for (const auto& c : (*n)["children"]) stack.push_back(&c);
  }
  REQUIRE_MESSAGE(hit, role << " '" << text << "' not found");
  const auto& b = (*hit)["bounds"];
  float x = b[0].get<float>() + b[2].get<float>() / 2, y = b[1].get<float>() + b[3].get<float>() / 2;
  CHECK(ilinks_viewer_mouse_move(w.v, x, y) == ILINKS_OK);
  CHECK(ilinks_viewer_mouse_button(w.v, 0, 1) == ILINKS_OK);
  CHECK(ilinks_viewer_mouse_button(w.v, 0, 0) == ILINKS_OK);
  w.frame(1000, 700);
}

}  // namespace
