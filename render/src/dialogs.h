// The widget's dialogs: recording consent, starting an emergency override,
// recording why wider community access is needed (Community tier 3), and the
// document reader. Each draws itself and says itself in the mirror.
#pragma once
#include <optional>
#include <string>

#include "controls.h"
#include "fonts.h"
#include "ilinks/mirror.h"
#include "ilinks/record_widget.h"

namespace ilinks {

struct Dialogs {
  enum class Open { none, consent, override_, case_access, reader };
  Open open = Open::none;
  bool opening = false;      // ImGui opens the popup on the next frame drawn
  int method = 0;            // index into ConsentOptions::methods
  int given_by = 0;          // 0 the person, 1 their representative
  int reason = 0;            // index into ConsentOptions::override_reasons or case_access_reasons
  char text[600] = {};       // the override's, or the wider access's, explanation
  const Item* reading = nullptr;  // the reader's document (lives in the shown View)
  bool copy_requested = false;    // the reader's "Copy text" was pressed this frame

  void show(Open which, const Item* item = nullptr);
  void close();

  // Draws the open dialog; an outcome when the viewer confirmed one.
  // Its controls are noted in `controls` as "dialog:<label>".
  std::optional<ConsentOutcome> draw(const ConsentOptions& options, const Fonts& fonts, float scale, ControlBounds& controls);
  MirrorNode mirror(const ConsentOptions& options, const ControlBounds* controls) const;
};

}  // namespace ilinks
