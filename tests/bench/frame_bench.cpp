// Frame benchmark: the CPU cost of a frame for a 20-year record (10,000
// results, 1,000 encounters, 500 letters), while scrolling, on each tab; and
// the cost of laying a tab out again (a keystroke in the search box). Run by
// scripts/bench, never by scripts/test.
//
//   ilinks-bench-frame      prints a table, and JSON as its last line
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "../tools/consented_view.h"
#include "../tools/twenty_year_record.h"
#include "ilinks/backends.h"
#include "ilinks/mirror.h"
#include "ilinks/record_builder.h"
#include "ilinks/record_widget.h"

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  using namespace ilinks;
  std::string json = test::twenty_year_record();
  RecordBuilder builder;
  builder.add(json, {"twenty-years.json", {}});
  View view = *test::consented_view(builder.build(), "bench");

  const int width = 1280, height = 800;
  RecordWidget w;
  w.set_size(width, height, 1.0f);
  w.show(view);
  std::vector<unsigned char> pixels(static_cast<size_t>(width * height * 4));
  std::printf("20-year record: %zu items shown, %.1f MB of FHIR JSON; widget %dx%d\n", view.items().size(),
              static_cast<double>(json.size()) / 1048576.0, width, height);
  std::printf("%-12s %12s %17s %20s %10s %16s\n", "tab", "layout (ms)", "frame: draw (ms)", "frame: +raster (ms)", "vertices",
              "mirror JSON (ms)");
  std::string out = "{\"record_items\":" + std::to_string(view.items().size()) + ",\"tabs\":[";
  for (Tab tab : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline}) {
    auto start = Clock::now();
    w.set_tab(tab);
    w.draw_frame();  // lays the tab out: the cost of a keystroke in the search box
    double layout = ms_since(start);
    std::vector<double> draw, raster;
    int vertices = 0;
    w.mouse_move(600, 600);
    for (int frame = 0; frame < 60; ++frame) {
      w.mouse_wheel(0, -3);  // scrolling down, three lines a frame
      auto t = Clock::now();
      const ImDrawData& data = w.draw_frame();
      draw.push_back(ms_since(t));
      vertices = std::max(vertices, data.TotalVtxCount);
      std::fill(pixels.begin(), pixels.end(), 0);
      auto r = Clock::now();
      rasterize(data, w.font_texture(), {pixels.data(), width, height, width * 4});
      raster.push_back(draw.back() + ms_since(r));
    }
    // The accessible mirror as the browser widget reads it once a frame settles.
    auto m = Clock::now();
    size_t mirror_bytes = mirror_as_json(w.mirror()).size();
    double mirror_ms = ms_since(m);
    std::printf("%-12s %12.2f %17.3f %20.3f %10d %10.2f (%zu KB)\n", tab_id(tab), layout, median(draw), median(raster), vertices,
                mirror_ms, mirror_bytes / 1024);
    char row[320];
    std::snprintf(row, sizeof row,
                  "%s{\"tab\":\"%s\",\"layout_ms\":%.2f,\"frame_draw_ms\":%.3f,\"frame_with_cpu_raster_ms\":%.3f,\"vertices\":%d,"
                  "\"mirror_json_ms\":%.2f,\"mirror_json_bytes\":%zu}",
                  tab == Tab::summary ? "" : ",", tab_id(tab), layout, median(draw), median(raster), vertices, mirror_ms, mirror_bytes);
    out += row;
  }
  std::printf("%s]}\n", out.c_str());
  return 0;
}
