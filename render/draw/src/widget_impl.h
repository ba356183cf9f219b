// The widget's state between frames (record_widget.cpp draws it;
// widget_input.cpp feeds it input; widget_chrome.cpp draws the tab bar,
// toolbar, consent buttons, the wider-access notice and footer around the lists).
#pragma once
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include <imgui.h>

#include "banner.h"
#include "controls.h"
#include "dialogs.h"
#include "fonts.h"
#include "ilinks/incremental_layout.h"
#include "ilinks/record_widget.h"
#include "tab_body.h"

namespace ilinks {

// Frames to draw after anything changes: ImGui settles layout (item sizes,
// hover state) over a frame or two; after that an unchanged record is idle.
constexpr int kSettleFrames = 2;
constexpr Tab kTabs[] = {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline};

// The widget's look: ImGui's style from the theme, at a DPI scale.
void apply_style(ImGuiStyle& style, float scale);

// ImGui's key for ours. ilinks::Key (and the C ABI's ilinks_key) are the
// widget's own, stable whatever ImGui numbers its keys.
ImGuiKey imgui_key(Key key);

// The input a host sends between frames, applied at the start of the next
// frame. A press and release that arrive together are split over two frames,
// so a click or a key stroke is seen even when the host sends both at once.
struct InputEvent {
  enum class Type { move, leave, button, wheel, key, text, focus } type;
  float x = 0, y = 0;
  int code = 0;  // button or key
  bool down = false;
  int modifiers = 0;
  std::string text;
};

struct RecordWidget::Impl {
  ImFontAtlas atlas;
  ImGuiContext* context = nullptr;
  Fonts fonts;
  float fonts_scale = 0;  // the scale the atlas was built for
  unsigned font_generation = 0;
  std::optional<View> view;
  int width = 800, height = 600;
  float scale = 1.0f;
  std::optional<Date> fixed_today;
  std::optional<Timestamp> fixed_now;
  Tab tab = Tab::summary;
  bool banner_shown = true;
  ListFilter filter;
  char search[256] = {}, from[32] = {}, to[32] = {};
  bool from_bad = false, to_bad = false;
  std::function<void(const ConsentOutcome&)> on_outcome;
  std::function<bool(const Item&)> on_open_document;
  std::function<void(const std::string&)> on_copy;
  Dialogs dialogs;
  int frames_to_draw = kSettleFrames;
  unsigned long frames = 0;
  std::deque<InputEvent> input;
  bool focus_search = false;
  ControlBounds controls;  // where the last frame drew each control
  unsigned long mirror_version = 0;
  ControlBounds previous_controls;
  std::string mirror_key;  // what, besides the layout and the controls, the mirror reads
  // Cached between frames: rebuilt only when what they depend on changes.
  bool layout_stale = true;
  // The open tab's rows, kept while only the search or dates change: a
  // keystroke filters them instead of laying the tab out again.
  IncrementalLayout tab_layout;
  std::optional<Date> banner_day;  // the day the banner and alert strip were made for (ages)
  TabBody body;
  AlertStrip alerts;
  std::optional<BannerText> banner;
  int64_t drawn_minute = -1;  // an override's time left changes each minute

  Impl() {
    context = ImGui::CreateContext(&atlas);
    ImGuiContext* previous = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the host owns files: no imgui.ini, no log
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would redraw forever
    // apply_input() already spreads a press and its release over two frames;
    // ImGui's own trickling would hold back what follows a mouse move by a frame more.
    io.ConfigInputTrickleEventQueue = false;
    io.Fonts->TexID = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1));  // backends sample the one atlas
    ImGui::SetCurrentContext(previous);
  }
  ~Impl() { ImGui::DestroyContext(context); }

  void changed() { frames_to_draw = kSettleFrames; }
  // Another View (or none): nothing laid out for the last one is kept.
  void view_changed() {
    tab_layout.forget();
    banner_day.reset();
    relayout();
  }
  void relayout() {
    layout_stale = true;
    changed();
  }
  Date today() const { return fixed_today ? *fixed_today : Date::today(); }
  Timestamp now() const { return fixed_now ? *fixed_now : Timestamp::now(); }
  bool override_running() const { return view && view->basis() == Basis::override_; }
  // What the dialogs may offer this viewer: the policy says, in the View.
  const ConsentOptions& options() const {
    static const ConsentOptions none;
    return view ? view->consent_options() : none;
  }

  void ensure_fonts() {
    if (fonts_scale == scale) return;
    fonts = load_fonts(atlas, scale);
    fonts_scale = scale;
    ++font_generation;
    apply_style(ImGui::GetStyle(), scale);
    layout_stale = true;
  }

  void ensure_layout() {
    if (!layout_stale) return;
    layout_stale = false;
    ++mirror_version;
    if (!view) return;
    const Date day = today();
    if (!banner_day || !(*banner_day == day)) {
      banner = banner_text(view->patient(), day);
      alerts = Layout::builtin().alert_strip(*view);
      banner_day = day;
    }
    body.set(tab_layout.lay_out(*view, tab, filter, day), scale);
  }

  void apply_input();
  void draw_tabs();
  void draw_toolbar();
  void draw_consent_actions();
  void draw_case_access();  // the open tab's wider-access notice and button, or the grant
  void draw_footer();
  MirrorNode toolbar_mirror() const;  // the toolbar's controls, as the mirror reads them
};

}  // namespace ilinks
