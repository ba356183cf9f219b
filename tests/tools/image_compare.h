// Comparing two RGBA images the way the image tests state their tolerance:
// a pixel differs when any channel differs by more than `channel_tolerance`;
// images match when at most `max_differing_fraction` of pixels differ.
#pragma once
#include <string>
#include <vector>

namespace ilinks::test {

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;  // tightly packed
};

struct Tolerance {
  int channel_tolerance = 0;
  double max_differing_fraction = 0.0;
};

struct Comparison {
  bool same_size = false;
  long total_pixels = 0;
  long differing_pixels = 0;
  int max_channel_difference = 0;
  double mean_channel_difference = 0;
  double differing_fraction() const;
  bool within(const Tolerance& t) const;
  std::string describe() const;  // one line for test logs
};

Comparison compare(const Image& a, const Image& b, int channel_tolerance);

bool load_png(const std::string& path, Image& out, std::string& error);
bool save_png(const std::string& path, const Image& image);
// An image whose pixels are |a - b| scaled up, to see where two renders differ.
Image difference_image(const Image& a, const Image& b);

}  // namespace ilinks::test
