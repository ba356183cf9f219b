// ilinks-render: renders a person's record to a PNG from the command line, with
// the CPU rasterizer: no GPU, no display. For printing, documents and tests.
//
//   ilinks-render --record bundle.json --out record.png
//                 [--width 1024] [--height 640] [--scale 1] [--today YYYY-MM-DD]
//                 [--source NAME]
//
// Exit status: 0 written; 1 the record could not be read; 2 bad usage; 3 the
// PNG could not be written.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "ilinks.h"

namespace {

int usage(const char* message) {
  std::fprintf(stderr,
               "ilinks-render: %s\n"
               "usage: ilinks-render --record FILE --out FILE.png [--width PX] [--height PX] [--scale S]\n"
               "                     [--today YYYY-MM-DD] [--source NAME]\n",
               message);
  return 2;
}

bool parse_int(const std::string& s, int& out) {
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string record_path, out_path, today, source;
  int width = 1024, height = 640;
  float scale = 1.0f;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") { usage("renders a FHIR R4 record to PNG"); return 0; }
    if (i + 1 >= argc) return usage(("missing value after " + arg).c_str());
    std::string value = argv[++i];
    if (arg == "--record") record_path = value;
    else if (arg == "--out") out_path = value;
    else if (arg == "--today") today = value;
    else if (arg == "--source") source = value;
    else if (arg == "--width") { if (!parse_int(value, width)) return usage("--width takes a whole number of pixels"); }
    else if (arg == "--height") { if (!parse_int(value, height)) return usage("--height takes a whole number of pixels"); }
    else if (arg == "--scale") {
      char* end = nullptr;
      scale = std::strtof(value.c_str(), &end);
      if (value.empty() || *end != '\0') return usage("--scale takes a number such as 1 or 2");
    } else return usage(("unknown option " + arg).c_str());
  }
  if (record_path.empty()) return usage("--record is required");
  if (out_path.empty()) return usage("--out is required");

  std::ifstream in(record_path, std::ios::binary);
  if (!in) { std::fprintf(stderr, "ilinks-render: %s: cannot be opened for reading\n", record_path.c_str()); return 1; }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();

  ilinks_viewer* viewer = nullptr;
  if (ilinks_viewer_create(&viewer) != ILINKS_OK) { std::fprintf(stderr, "ilinks-render: out of memory\n"); return 1; }
  auto fail = [&](int code) {
    std::fprintf(stderr, "ilinks-render: %s\n", ilinks_viewer_last_error(viewer));
    ilinks_viewer_destroy(viewer);
    return code;
  };
  if (ilinks_viewer_set_size(viewer, width, height, scale) != ILINKS_OK) return fail(2);
  if (!today.empty() && ilinks_viewer_set_today(viewer, today.c_str()) != ILINKS_OK) return fail(2);
  if (ilinks_viewer_load_fhir(viewer, bytes.data(), bytes.size(),
                              (source.empty() ? record_path : source).c_str()) != ILINKS_OK)
    return fail(1);

  const int stride = width * 4;
  std::vector<unsigned char> pixels(static_cast<size_t>(stride) * static_cast<size_t>(height));
  // Draw until the layout has settled (ImGui measures on the first frame).
  do {
    if (ilinks_viewer_render_rgba(viewer, pixels.data(), stride, pixels.size()) != ILINKS_OK) return fail(1);
  } while (ilinks_viewer_needs_redraw(viewer));
  ilinks_viewer_destroy(viewer);

  if (!stbi_write_png(out_path.c_str(), width, height, 4, pixels.data(), stride)) {
    std::fprintf(stderr, "ilinks-render: %s: the PNG could not be written\n", out_path.c_str());
    return 3;
  }
  return 0;
}
