// ilinks/mirror_screen.h: the one builder of the text mirror (ilinks/mirror.h),
// for the drawing layer: the widget describes its screen (the View, the open
// tab as laid out, its controls and where they were drawn, an open dialog)
// and gets the mirror back. mirror_of_view() describes a screen with every
// tab and no controls.
#pragma once
#include <array>
#include <map>
#include <string>
#include <vector>

#include "ilinks/mirror.h"
#include "ilinks/mirror_window.h"
#include "ilinks/record_layout.h"

namespace ilinks {

// Where each control was drawn in the last frame, by a stable key
// ("tab:summary", "button:Record consent...", "row:0:3"), as x, y, width, height.
using ControlBounds = std::map<std::string, std::array<float, 4>>;
// A mirror node for a control, placed where it was drawn (if it was).
MirrorNode control_node(const std::string& role, const std::string& text, const std::string& key,
                        const ControlBounds* controls);
// The key under which a readable row's control is noted.
std::string row_key(size_t section, size_t row);

// What the widget shows around the View: its controls, and what it has laid out.
struct Screen {
  const View* view = nullptr;       // null: no record loaded
  Date today;
  Timestamp now;
  std::vector<const TabLayout*> panels;  // the tabs read in full (the open one; every one for mirror_of_view)
  ListFilter filter;                // what narrows the panels ("Showing n of m")
  bool controls = false;            // the widget's own controls: consent buttons, tab list, the toolbar
  Tab open = Tab::summary;          // with controls: the selected tab
  bool may_override = false;        // with controls: the override button is offered
  MirrorNode toolbar;               // with controls: the search and filter controls (role empty: none)
  MirrorNode dialog;                // an open dialog (role empty: none)
  const ControlBounds* bounds = nullptr;  // where the controls were drawn
  // With one panel: the rows the widget drew, around which its long tables
  // are windowed (ilinks/mirror_window.h). Null: every row.
  const RowsInSight* sight = nullptr;
};
// The one mirror builder. Reading order: banner, strip notices, alert strip,
// consent buttons, tab list, toolbar, panels (each with its tab notices),
// footer notices, dialog.
MirrorNode mirror_of_screen(const Screen& screen);

}  // namespace ilinks
