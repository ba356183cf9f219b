// The widget's dialogs drawn with ImGui: recording consent, starting an
// emergency override, recording why wider community access is needed, and
// the document reader. Their words, state and mirror are the presentation
// layer's (ilinks/dialog_words.h).
#pragma once
#include <optional>

#include "controls.h"
#include "fonts.h"
#include "ilinks/dialog_words.h"
#include "ilinks/record_widget.h"

namespace ilinks {

struct Dialogs : DialogState {
  bool opening = false;         // ImGui opens the popup on the next frame drawn
  bool copy_requested = false;  // the reader's "Copy text" was pressed this frame

  void show(Open which, const Item* item = nullptr);
  void close();

  // Draws the open dialog; an outcome when the viewer confirmed one.
  // Its controls are noted in `controls` as "dialog:<label>".
  std::optional<ConsentOutcome> draw(const ConsentOptions& options, const Fonts& fonts, float scale, ControlBounds& controls);
};

}  // namespace ilinks
