// ilinks/record_widget.h: draws a View with Dear ImGui.
//
// The widget turns a View into ImGui draw data; a backend turns draw data into
// pixels (ilinks/backends.h). It knows nothing of FHIR and never sees a Record.
#pragma once
#include <memory>

#include "ilinks/date.h"
#include "ilinks/view.h"
#include "ilinks/view_export.h"

struct ImDrawData;

namespace ilinks {

// Tightly packed 8-bit RGBA pixels that the widget owns (its font atlas).
struct RgbaTexture {
  const unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
};

class RecordWidget {
 public:
  RecordWidget();
  ~RecordWidget();
  RecordWidget(const RecordWidget&) = delete;
  RecordWidget& operator=(const RecordWidget&) = delete;

  // --- What to show
  void show(View view);        // replaces what is shown
  void clear();                // shows nothing (no record loaded)
  void set_tab(Tab tab);       // which tab of the record is open

  // --- Surface
  // Size in device pixels, and the DPI scale (device pixels per CSS pixel):
  // text is rasterised at this scale, so it is crisp on any screen.
  void set_size(int width_px, int height_px, float scale);
  int width() const;
  int height() const;
  // The date ages are counted to. Defaults to today; fixed for prints and tests.
  void set_today(const Date& today);

  // --- Frames
  // True when the next frame would differ from the last one drawn: hosts draw
  // only then, so an idle record costs no CPU.
  bool needs_redraw() const;
  // Lays out and draws one frame. The draw data is valid until the next call.
  const ImDrawData& draw_frame();
  // The font atlas, which every backend samples. It changes with the scale;
  // font_generation() tells a backend when to upload it again.
  RgbaTexture font_texture() const;
  unsigned font_generation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ilinks
