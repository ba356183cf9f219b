// Frame benchmark: the CPU cost of a frame for a 20-year record (10,000
// results, 1,000 encounters, 500 letters), while scrolling, on each tab; the
// cost of laying a tab out (opening it); and of a keystroke in the search box,
// typed through the widget's own input path ("hba1c" a letter at a time, then
// erased with Backspace): the frames from the key until the widget is idle
// again, without rasterizing; and the accessible mirror as the browser reads
// it after each change (a long table's rows windowed around the screen,
// ilinks/mirror_window.h): after a scroll and after a keystroke, median and
// worst. Run by scripts/bench, never by scripts/test.
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

// Sends one keystroke and draws until the widget is idle: the host's work for it.
template <typename Send>
double keystroke(ilinks::RecordWidget& w, Send send) {
  auto start = Clock::now();
  send();
  do w.draw_frame();
  while (w.needs_redraw());
  return ms_since(start);
}

void settle(ilinks::RecordWidget& w) {
  do w.draw_frame();
  while (w.needs_redraw());
}

// The mirror as JSON, as the browser widget takes it: its time, and its size.
double mirror_json_ms(const ilinks::RecordWidget& w, size_t& bytes) {
  auto start = Clock::now();
  bytes = std::max(bytes, ilinks::mirror_as_json(w.mirror()).size());
  return ms_since(start);
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
  struct Figures {
    double layout = 0, draw = 0, raster = 0, key_median = 0, key_worst = 0;
    double mirror_scroll = 0, mirror_scroll_worst = 0, mirror_key = 0, mirror_key_worst = 0;
    int vertices = 0;
    size_t mirror_bytes = 0;
  };
  const Tab tabs[] = {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline};
  std::vector<Figures> figures;
  for (Tab tab : tabs) {
    Figures f;
    auto start = Clock::now();
    w.set_tab(tab);
    w.draw_frame();  // lays the tab out: the cost of opening it
    f.layout = ms_since(start);
    std::vector<double> draw, raster;
    w.mouse_move(600, 600);
    for (int frame = 0; frame < 60; ++frame) {
      w.mouse_wheel(0, -3);  // scrolling down, three lines a frame
      auto t = Clock::now();
      const ImDrawData& data = w.draw_frame();
      draw.push_back(ms_since(t));
      f.vertices = std::max(f.vertices, data.TotalVtxCount);
      std::fill(pixels.begin(), pixels.end(), 0);
      auto r = Clock::now();
      rasterize(data, w.font_texture(), {pixels.data(), width, height, width * 4});
      raster.push_back(draw.back() + ms_since(r));
    }
    f.draw = median(draw);
    f.raster = median(raster);
    figures.push_back(f);
  }
  // Keystrokes after the frames, so that the focused search box is not in them.
  w.key(Key::f, true, modifier_ctrl);  // Ctrl+F: to the search box
  w.key(Key::f, false, modifier_ctrl);
  settle(w);
  for (size_t t = 0; t < figures.size(); ++t) {
    w.set_tab(tabs[t]);
    settle(w);
    std::vector<double> keys, mirrors;
    size_t bytes = 0;
    const std::string typed = "hba1c";
    for (char c : typed) {
      keys.push_back(keystroke(w, [&] { w.text_input(std::string(1, c)); }));
      mirrors.push_back(mirror_json_ms(w, bytes));
    }
    bool typed_ok = w.filter().search == typed;
    for (size_t i = 0; i < typed.size(); ++i) {
      keys.push_back(keystroke(w, [&] { w.key(Key::backspace, true), w.key(Key::backspace, false); }));
      mirrors.push_back(mirror_json_ms(w, bytes));
    }
    figures[t].mirror_key = median(mirrors);
    figures[t].mirror_key_worst = *std::max_element(mirrors.begin(), mirrors.end());
    figures[t].mirror_bytes = std::max(figures[t].mirror_bytes, bytes);
    if (!typed_ok || !w.filter().search.empty()) {
      std::fprintf(stderr, "the search box did not take the keystrokes (search \"%s\")\n", w.filter().search.c_str());
      return 1;
    }
    figures[t].key_median = median(keys);
    figures[t].key_worst = *std::max_element(keys.begin(), keys.end());
  }
  // The accessible mirror as the browser widget reads it once the frames
  // settle, after each of 30 scrolls of about a screenful (by wheel), last
  // so that the figures above are measured from where they always were.
  w.mouse_move(600, 600);
  for (size_t t = 0; t < figures.size(); ++t) {
    w.set_tab(tabs[t]);
    settle(w);
    std::vector<double> mirrors;
    for (int step = 0; step < 30; ++step) {
      w.mouse_wheel(0, -8);
      settle(w);
      mirrors.push_back(mirror_json_ms(w, figures[t].mirror_bytes));
    }
    figures[t].mirror_scroll = median(mirrors);
    figures[t].mirror_scroll_worst = *std::max_element(mirrors.begin(), mirrors.end());
  }

  std::printf("%-12s %12s %17s %20s %10s %22s %26s %26s\n", "tab", "layout (ms)", "frame: draw (ms)", "frame: +raster (ms)",
              "vertices", "keystroke (ms, worst)", "mirror: scroll (ms, worst)", "mirror: key (ms, worst, KB)");
  std::string out = "{\"record_items\":" + std::to_string(view.items().size()) + ",\"tabs\":[";
  for (size_t t = 0; t < figures.size(); ++t) {
    const Figures& f = figures[t];
    std::printf("%-12s %12.2f %17.3f %20.3f %10d %13.2f %7.2f %17.2f %7.2f %11.2f %7.2f %5zu\n", tab_id(tabs[t]), f.layout, f.draw,
                f.raster, f.vertices, f.key_median, f.key_worst, f.mirror_scroll, f.mirror_scroll_worst, f.mirror_key,
                f.mirror_key_worst, f.mirror_bytes / 1024);
    char row[600];
    std::snprintf(row, sizeof row,
                  "%s{\"tab\":\"%s\",\"layout_ms\":%.2f,\"frame_draw_ms\":%.3f,\"frame_with_cpu_raster_ms\":%.3f,\"vertices\":%d,"
                  "\"keystroke_ms\":%.2f,\"keystroke_worst_ms\":%.2f,\"mirror_scroll_ms\":%.2f,\"mirror_scroll_worst_ms\":%.2f,"
                  "\"mirror_key_ms\":%.2f,\"mirror_key_worst_ms\":%.2f,\"mirror_json_bytes\":%zu}",
                  t == 0 ? "" : ",", tab_id(tabs[t]), f.layout, f.draw, f.raster, f.vertices, f.key_median, f.key_worst,
                  f.mirror_scroll, f.mirror_scroll_worst, f.mirror_key, f.mirror_key_worst, f.mirror_bytes);
    out += row;
  }
  std::printf("%s]}\n", out.c_str());
  return 0;
}
