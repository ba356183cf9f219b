#include "image_compare.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace ilinks::test {

double Comparison::differing_fraction() const {
  return total_pixels ? static_cast<double>(differing_pixels) / static_cast<double>(total_pixels) : 1.0;
}

bool Comparison::within(const Tolerance& t) const {
  return same_size && differing_fraction() <= t.max_differing_fraction;
}

std::string Comparison::describe() const {
  if (!same_size) return "the images differ in size";
  std::ostringstream s;
  s << differing_pixels << " of " << total_pixels << " pixels differ (" << differing_fraction() * 100.0
    << "%), largest channel difference " << max_channel_difference << ", mean " << mean_channel_difference;
  return s.str();
}

Comparison compare(const Image& a, const Image& b, int channel_tolerance) {
  Comparison c;
  c.same_size = a.width == b.width && a.height == b.height && a.rgba.size() == b.rgba.size();
  if (!c.same_size) return c;
  c.total_pixels = static_cast<long>(a.width) * a.height;
  double sum = 0;
  for (size_t i = 0; i < a.rgba.size(); i += 4) {
    int worst = 0;
    for (size_t k = 0; k < 4; ++k) {
      int d = std::abs(static_cast<int>(a.rgba[i + k]) - static_cast<int>(b.rgba[i + k]));
      worst = std::max(worst, d);
      sum += d;
    }
    c.max_channel_difference = std::max(c.max_channel_difference, worst);
    if (worst > channel_tolerance) ++c.differing_pixels;
  }
  c.mean_channel_difference = sum / static_cast<double>(a.rgba.size());
  return c;
}

bool load_png(const std::string& path, Image& out, std::string& error) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!data) {
    error = path + ": " + (stbi_failure_reason() ? stbi_failure_reason() : "cannot be read");
    return false;
  }
  out.width = w;
  out.height = h;
  out.rgba.assign(data, data + static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  stbi_image_free(data);
  return true;
}

bool save_png(const std::string& path, const Image& image) {
  return stbi_write_png(path.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4) != 0;
}

Image difference_image(const Image& a, const Image& b) {
  Image d{a.width, a.height, std::vector<unsigned char>(a.rgba.size(), 255)};
  if (a.rgba.size() != b.rgba.size()) return d;
  for (size_t i = 0; i < a.rgba.size(); i += 4)
    for (size_t k = 0; k < 3; ++k)
      d.rgba[i + k] = static_cast<unsigned char>(255 - std::min(255, 8 * std::abs(a.rgba[i + k] - b.rgba[i + k])));
  return d;
}

}  // namespace ilinks::test
