// png-compare: compares two PNGs with a stated tolerance (tests' shared judge).
//
//   png-compare ACTUAL.png EXPECTED.png --channel-tolerance N --max-differing-percent P [--diff OUT.png]
//
// Exit 0 when at most P% of pixels differ by more than N in any channel;
// 1 otherwise; 2 on bad usage or unreadable files. Prints one line of figures.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "image_compare.h"

using namespace ilinks::test;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: png-compare ACTUAL.png EXPECTED.png --channel-tolerance N --max-differing-percent P [--diff OUT.png]\n");
    return 2;
  }
  Tolerance tolerance;
  std::string diff_path;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--channel-tolerance") tolerance.channel_tolerance = std::atoi(argv[i + 1]);
    else if (arg == "--max-differing-percent") tolerance.max_differing_fraction = std::atof(argv[i + 1]) / 100.0;
    else if (arg == "--diff") diff_path = argv[i + 1];
    else { std::fprintf(stderr, "png-compare: unknown option %s\n", arg.c_str()); return 2; }
  }
  Image actual, expected;
  std::string error;
  if (!load_png(argv[1], actual, error) || !load_png(argv[2], expected, error)) {
    std::fprintf(stderr, "png-compare: %s\n", error.c_str());
    return 2;
  }
  Comparison c = compare(actual, expected, tolerance.channel_tolerance);
  std::printf("%s (%dx%d vs %dx%d)\n", c.describe().c_str(), actual.width, actual.height, expected.width, expected.height);
  if (!diff_path.empty() && c.same_size) save_png(diff_path, difference_image(actual, expected));
  return c.within(tolerance) ? 0 : 1;
}
