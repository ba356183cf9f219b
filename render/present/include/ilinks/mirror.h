// ilinks/mirror.h: the accessible text mirror of the record.
//
// A canvas is invisible to screen readers. The mirror is the same screen as
// structured text, made from the same words the widget draws (the banner, the
// notices, the alert strip, the open tab's TabLayout, an open dialog), so
// assistive technology reads what a sighted user sees, and nothing else. The
// browser widget turns it into hidden DOM with ARIA roles; native hosts read
// it through the C ABI; `ilinks-render --out x.txt` writes it.
//
// There is one builder, mirror_of_screen() (ilinks/mirror_screen.h): the
// widget (RecordWidget::mirror, hence the C ABI) and mirror_of_view() both go
// through it.
#pragma once
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/view.h"
#include "ilinks/view_export.h"

namespace ilinks {

struct MirrorNode {
  // An ARIA role: "region", "banner", "heading", "status", "alert", "note",
  // "list", "listitem", "tablist", "tab", "tabpanel", "table", "row",
  // "columnheader", "cell", "img" (a trend plot, described in words),
  // "search", "searchbox", "textbox", "combobox", "button", "dialog",
  // "radiogroup", "radio", "document".
  std::string role;
  std::string text;      // the node's own words: a heading, a cell, a label
  int level = 0;         // headings: 1 (the person), 2 (a section), 3 (a group)
  bool selected = false; // the open tab
  // A windowed long table (ilinks/mirror_window.h): the table's rows in all
  // (its header row counted, as aria-rowcount), and each row's place among
  // them (1-based, the header row 1, as aria-rowindex). 0: not windowed.
  int rowcount = 0;
  int rowindex = 0;
  // Where a control (tab, button, text box) is, in device pixels from the
  // widget's top-left corner; zero size when it is not a control or not on
  // screen. Hosts can put their own focusable elements over the canvas there.
  float x = 0, y = 0, width = 0, height = 0;
  std::vector<MirrorNode> children;
};

// Reading order, one line per node with words, indented by depth:
// "heading 2: Current medication". A windowed table says which of its rows
// follow: "table: Results (rows 412 to 531 of 10001)".
std::string mirror_as_text(const MirrorNode& root);
// {"role": ..., "text": ..., "level": ..., "selected": ..., "rowcount": ..., "rowindex": ...,
//  "bounds": [x, y, w, h], "children": [...]}
// (members with default values left out).
std::string mirror_as_json(const MirrorNode& root);

// The mirror of the whole View: every tab in turn, unfiltered, every row
// (never windowed), as `ilinks-render --out x.txt` writes it. No controls:
// nothing is drawn.
MirrorNode mirror_of_view(const View& view, const Date& today, const Timestamp& now);
// The same with one tab's panel only (Timestamp::now() for an override's time left).
MirrorNode mirror_of_view(const View& view, Tab tab, const Date& today);
}  // namespace ilinks
