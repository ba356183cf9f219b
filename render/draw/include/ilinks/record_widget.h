// ilinks/record_widget.h: draws a View with Dear ImGui.
//
// The widget turns a View into ImGui draw data; a backend turns draw data into
// pixels (ilinks/backends.h). It knows nothing of FHIR and never sees a Record.
// What it shows is laid out by ilinks/record_layout.h and mirrored as text for
// assistive technology by ilinks/mirror.h.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/mirror.h"
#include "ilinks/record_layout.h"
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

// Keys the widget understands (hosts map their own key codes to these). The
// values are the widget's own and never change (the C ABI's ilinks_key equals
// them); the widget maps them to Dear ImGui's keys one by one.
enum class Key {
  tab = 1, left, right, up, down, page_up, page_down, home, end, insert, del, backspace, space, enter, escape,
  a, c, f, v, x, y, z
};
enum Modifier : int { modifier_none = 0, modifier_ctrl = 1, modifier_shift = 2, modifier_alt = 4, modifier_super = 8 };

// What the viewer chose in the widget's consent, override or wider-access
// dialog. The widget decides nothing: the host passes it to the policy
// (Policy::record_consent / start_override / record_case_access), which
// audits it, and shows the View that results.
struct ConsentOutcome {
  enum class Kind { consent, override_, case_access };
  Kind kind = Kind::consent;
  std::string method;       // consent: "verbal" or "written"
  std::string given_by;     // consent: "patient" or "representative"
  std::string reason_code;  // override: one of ConsentOptions::override_reasons;
                            // case_access: one of ConsentOptions::case_access_reasons
  std::string text;         // override, case_access: the viewer's own words
};

class RecordWidget {
 public:
  RecordWidget();
  ~RecordWidget();
  RecordWidget(const RecordWidget&) = delete;
  RecordWidget& operator=(const RecordWidget&) = delete;

  // --- What to show
  void show(View view);        // replaces what is shown (closes the document reader)
  void clear();                // shows nothing (no record loaded)
  void set_tab(Tab tab);       // which tab of the record is open
  Tab tab() const;
  void set_filter(const ListFilter& filter);  // the search, dates and sort (also set by the user)
  // Whether the widget draws its own patient banner (default true). A host
  // that already shows one (a SMART launch with need_patient_banner false)
  // turns it off; the person's name then still heads the text mirror.
  void set_banner(bool shown);
  const ListFilter& filter() const;

  // --- Consent and override
  // What the dialogs offer (methods, override, reasons) is the View's:
  // View::consent_options(), filled by the policy for the viewer's role.
  // Called once for each outcome the viewer confirms in a dialog.
  void on_consent_outcome(std::function<void(const ConsentOutcome&)> handler);
  void open_consent_dialog();   // as the "Record consent" button does
  void open_override_dialog();  // as the "Emergency override" button does
  void open_case_access_dialog();  // as the Community tab's "Record why you need it..." button does

  // --- Documents and the clipboard
  // Called when the viewer opens a letter, document or report. Return true
  // when the host shows it itself; false opens the widget's own reader.
  void on_open_document(std::function<bool(const Item& document)> handler);
  // Called with text the viewer copies (the reader's "Copy text", a text
  // field's Ctrl+C). Only text the View holds, or the viewer typed, is ever
  // copied. Without a handler nothing leaves the widget.
  void on_copy(std::function<void(const std::string& text)> handler);

  // --- Surface
  // Size in device pixels, and the DPI scale (device pixels per CSS pixel):
  // text is rasterised at this scale, so it is crisp on any screen.
  void set_size(int width_px, int height_px, float scale);
  int width() const;
  int height() const;
  // The date ages are counted to. Defaults to today; fixed for prints and tests.
  void set_today(const Date& today);
  // The clock an override's time left is counted on. Defaults to the machine's.
  void set_now(const Timestamp& now);

  // --- Input, in device pixels from the widget's top-left corner
  void mouse_move(float x, float y);
  void mouse_leave();
  void mouse_button(int button, bool down);  // 0 primary, 1 secondary, 2 middle
  void mouse_wheel(float dx, float dy);      // in lines; positive dy scrolls up
  void key(Key key, bool down, int modifiers = modifier_none);
  void text_input(const std::string& utf8);
  void focus(bool focused);

  // --- Frames
  // True when the next frame would differ from the last one drawn: hosts draw
  // only then, so an idle record costs no CPU.
  bool needs_redraw() const;
  // Lays out and draws one frame. The draw data is valid until the next call.
  const ImDrawData& draw_frame();
  // How many frames have been drawn (for tests that prove idleness).
  unsigned long frames_drawn() const;
  // The font atlas, which every backend samples. It changes with the scale;
  // font_generation() tells a backend when to upload it again.
  RgbaTexture font_texture() const;
  unsigned font_generation() const;

  // --- Accessibility
  // The screen as structured text: banner, strips, tabs, the open tab's lists
  // (as filtered), an open dialog. Follows the last frame drawn.
  MirrorNode mirror() const;
  // Changes whenever the mirror would read differently (content, tab, filter,
  // a dialog, a control's place): hosts rebuild their copy only then, since a
  // long record's mirror is large.
  unsigned long mirror_version() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ilinks
