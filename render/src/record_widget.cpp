#include "ilinks/record_widget.h"

#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <string>

#include <imgui.h>

#include "banner.h"
#include "dialogs.h"
#include "fonts.h"
#include "mirror_parts.h"
#include "strips.h"
#include "tab_body.h"
#include "theme.h"

namespace ilinks {
namespace {

// Frames to draw after anything changes: ImGui settles layout (item sizes,
// hover state) over a frame or two; after that an unchanged record is idle.
constexpr int kSettleFrames = 2;
constexpr Tab kTabs[] = {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline};

void apply_style(ImGuiStyle& style, float scale) {
  style = ImGuiStyle();
  style.WindowPadding = ImVec2(theme::gap, theme::gap * 0.75f);  // tooltips and popups; the record's own windows use none
  style.WindowBorderSize = 0;
  style.WindowRounding = 0;
  style.PopupRounding = 4;
  style.FrameRounding = 3;
  style.FramePadding = ImVec2(theme::gap, theme::gap * 0.5f);
  style.FrameBorderSize = 1;
  style.ItemSpacing = ImVec2(theme::gap, theme::gap * 0.5f);
  style.ScrollbarSize = 14;
  auto set = [&style](ImGuiCol c, ImU32 v) { style.Colors[c] = ImGui::ColorConvertU32ToFloat4(v); };
  set(ImGuiCol_WindowBg, theme::page);
  set(ImGuiCol_ChildBg, theme::page);
  set(ImGuiCol_PopupBg, theme::surface);
  set(ImGuiCol_Text, theme::text);
  set(ImGuiCol_TextDisabled, theme::text_secondary);
  set(ImGuiCol_Border, theme::border);
  set(ImGuiCol_FrameBg, theme::surface);
  set(ImGuiCol_FrameBgHovered, theme::surface);
  set(ImGuiCol_FrameBgActive, theme::surface);
  set(ImGuiCol_Button, theme::quiet_fill);
  set(ImGuiCol_ButtonHovered, theme::row_hover);
  set(ImGuiCol_ButtonActive, theme::row_hover);
  set(ImGuiCol_Header, theme::row_hover);
  set(ImGuiCol_HeaderHovered, theme::row_hover);
  set(ImGuiCol_HeaderActive, theme::row_hover);
  set(ImGuiCol_CheckMark, theme::accent);
  set(ImGuiCol_TitleBg, theme::accent);
  set(ImGuiCol_TitleBgActive, theme::accent);
  set(ImGuiCol_ScrollbarBg, theme::page);
  set(ImGuiCol_ScrollbarGrab, theme::border);
  set(ImGuiCol_NavHighlight, theme::focus_ring);
  set(ImGuiCol_ModalWindowDimBg, IM_COL32(0x21, 0x2B, 0x32, 0x80));
  style.ScaleAllSizes(scale);
}

// The input a host sends between frames. ImGui 1.86 reads input as state, so a
// press and release that arrive together are split over two frames.
struct InputEvent {
  enum class Type { move, leave, button, wheel, key, text, focus } type;
  float x = 0, y = 0;
  int code = 0;  // button or key
  bool down = false;
  int modifiers = 0;
  std::string text;
};

}  // namespace

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
  ListFilter filter;
  char search[256] = {}, from[32] = {}, to[32] = {};
  bool from_bad = false, to_bad = false;
  ConsentOptions options;
  std::function<void(const ConsentOutcome&)> on_outcome;
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
    io.Fonts->TexID = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1));  // backends sample the one atlas
    // Our Key values are ImGui's key indices.
    const std::pair<ImGuiKey_, Key> keys[] = {
        {ImGuiKey_Tab, Key::tab}, {ImGuiKey_LeftArrow, Key::left}, {ImGuiKey_RightArrow, Key::right},
        {ImGuiKey_UpArrow, Key::up}, {ImGuiKey_DownArrow, Key::down}, {ImGuiKey_PageUp, Key::page_up},
        {ImGuiKey_PageDown, Key::page_down}, {ImGuiKey_Home, Key::home}, {ImGuiKey_End, Key::end},
        {ImGuiKey_Insert, Key::insert}, {ImGuiKey_Delete, Key::del}, {ImGuiKey_Backspace, Key::backspace},
        {ImGuiKey_Space, Key::space}, {ImGuiKey_Enter, Key::enter}, {ImGuiKey_Escape, Key::escape},
        {ImGuiKey_KeyPadEnter, Key::enter}, {ImGuiKey_A, Key::a}, {ImGuiKey_C, Key::c}, {ImGuiKey_V, Key::v},
        {ImGuiKey_X, Key::x}, {ImGuiKey_Y, Key::y}, {ImGuiKey_Z, Key::z}};
    for (const auto& [imgui, ours] : keys) io.KeyMap[imgui] = static_cast<int>(ours);
    ImGui::SetCurrentContext(previous);
  }
  ~Impl() { ImGui::DestroyContext(context); }

  void changed() { frames_to_draw = kSettleFrames; }
  void relayout() {
    layout_stale = true;
    changed();
  }
  Date today() const { return fixed_today ? *fixed_today : Date::today(); }
  Timestamp now() const { return fixed_now ? *fixed_now : Timestamp::now(); }
  bool override_running() const { return view && view->basis() == Basis::override_; }

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
    banner = banner_text(view->patient(), today());
    alerts = Layout::builtin().alert_strip(*view);
    body.set(Layout::builtin().lay_out(*view, tab, filter, today()), scale);
  }

  void apply_input();
  void draw_tabs();
  void draw_toolbar();
  void draw_consent_actions();
  void draw_footer();
};

void RecordWidget::Impl::apply_input() {
  ImGuiIO& io = ImGui::GetIO();
  bool button_changed[5] = {}, key_changed[32] = {};
  while (!input.empty()) {
    InputEvent& e = input.front();
    if (e.type == InputEvent::Type::button) {
      if (e.code < 0 || e.code >= 5) { input.pop_front(); continue; }
      if (button_changed[e.code]) break;  // the rest waits for the next frame
      button_changed[e.code] = true;
      io.MouseDown[e.code] = e.down;
    } else if (e.type == InputEvent::Type::key) {
      if (e.code <= 0 || e.code >= 32) { input.pop_front(); continue; }
      if (key_changed[e.code]) break;
      key_changed[e.code] = true;
      io.KeysDown[e.code] = e.down;
      io.KeyCtrl = e.modifiers & modifier_ctrl;
      io.KeyShift = e.modifiers & modifier_shift;
      io.KeyAlt = e.modifiers & modifier_alt;
      io.KeySuper = e.modifiers & modifier_super;
      if (e.down && (e.modifiers & modifier_ctrl)) {
        // Ctrl+PageUp / PageDown switch tab (as browsers do); Ctrl+F goes to the search box.
        int i = static_cast<int>(tab);
        if (e.code == static_cast<int>(Key::page_down)) tab = kTabs[(i + 1) % 5], relayout();
        if (e.code == static_cast<int>(Key::page_up)) tab = kTabs[(i + 4) % 5], relayout();
        if (e.code == static_cast<int>(Key::f)) focus_search = true;
      }
    } else if (e.type == InputEvent::Type::move) {
      io.MousePos = ImVec2(e.x, e.y);
    } else if (e.type == InputEvent::Type::leave) {
      io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    } else if (e.type == InputEvent::Type::wheel) {
      io.MouseWheel += e.y;
      io.MouseWheelH += e.x;
    } else if (e.type == InputEvent::Type::text) {
      // Typed text comes without Ctrl or Cmd (hosts send shortcuts as keys).
      // Hosts do not report a modifier's own release, so a Ctrl+F leaves Ctrl
      // looking held, and ImGui would then ignore the typing.
      io.KeyCtrl = io.KeySuper = false;
      io.AddInputCharactersUTF8(e.text.c_str());
    } else if (e.type == InputEvent::Type::focus) {
      io.AddFocusEvent(e.down);
    }
    input.pop_front();
  }
}

void RecordWidget::Impl::draw_tabs() {
  const float pad = theme::padding * scale;
  ImGui::Dummy(ImVec2(0, theme::gap * scale));
  ImGui::SetCursorPosX(pad);
  ImGui::PushFont(fonts.body_bold);
  ImGui::PushStyleColor(ImGuiCol_Button, 0);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  for (Tab t : kTabs) {
    Segment seg = tab_segment(t);
    bool available = seg == Segment::none || view->tier(seg) > 0;
    ImGui::PushStyleColor(ImGuiCol_Text, t == tab ? theme::accent : available ? theme::text : theme::text_secondary);
    if (ImGui::Button(tab_title(t)) && t != tab) tab = t, relayout();
    note_control(controls, std::string("tab:") + tab_id(t));
    ImGui::PopStyleColor();
    if (t == tab) {
      ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(min.x, max.y - 3 * scale), ImVec2(max.x, max.y), theme::accent);
    }
    ImGui::SameLine(0, theme::gap * scale);
  }
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::NewLine();
  ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, at.y - theme::gap * 0.5f * scale),
                                      ImVec2(at.x + ImGui::GetWindowWidth(), at.y - theme::gap * 0.5f * scale), theme::border);
}

void RecordWidget::Impl::draw_toolbar() {
  const float pad = theme::padding * scale;
  ImGui::PushFont(fonts.body);
  ImGui::SetCursorPosX(pad);
  if (focus_search) ImGui::SetKeyboardFocusHere(), focus_search = false;
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetWindowWidth() * 0.28f));
  if (ImGui::InputTextWithHint("##search", "Search this tab", search, sizeof search)) filter.search = search, relayout();
  note_control(controls, "search");
  auto date_field = [&](const char* id, const char* hint, char* buf, size_t size, std::optional<Date>& into, bool& bad) {
    const char* key = id + 2;  // "##from" -> "from"
    ImGui::SameLine();
    ImGui::SetNextItemWidth(theme::toolbar_field * scale);
    const bool shown_bad = bad;  // the push and pop must pair even when this frame's edit changes it
    if (shown_bad) ImGui::PushStyleColor(ImGuiCol_Border, theme::abnormal_text);
    if (ImGui::InputTextWithHint(id, hint, buf, size)) {
      into = parse_user_date(buf);
      bad = buf[0] && !into;
      relayout();
    }
    note_control(controls, key);
    if (shown_bad) ImGui::PopStyleColor();
  };
  date_field("##from", "From dd-Mmm-yyyy", from, sizeof from, filter.from, from_bad);
  date_field("##to", "To dd-Mmm-yyyy", to, sizeof to, filter.to, to_bad);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(130 * scale);
  if (ImGui::BeginCombo("##sort", sort_order_title(filter.sort))) {
    for (SortOrder o : {SortOrder::newest_first, SortOrder::oldest_first, SortOrder::a_to_z})
      if (ImGui::Selectable(sort_order_title(o), o == filter.sort)) filter.sort = o, relayout();
    ImGui::EndCombo();
  }
  note_control(controls, "sort");
  if (tab == Tab::diagnostics) {
    ImGui::SameLine();
    if (ImGui::Button(filter.results_by_panel ? "Group by test" : "Group by panel"))
      filter.results_by_panel = !filter.results_by_panel, relayout();
    note_control(controls, "group");
  }
  const TabLayout& l = body.layout();
  std::string count;
  if (from_bad || to_bad) count = "Dates: use dd-Mmm-yyyy";
  else if (filter.narrows()) count = "Showing " + std::to_string(l.entries_shown) + " of " + std::to_string(l.entries_total);
  if (!count.empty()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, from_bad || to_bad ? theme::abnormal_text : theme::text_secondary);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(count.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopFont();
}

void RecordWidget::Impl::draw_consent_actions() {
  if (!view || view->basis() != Basis::consent_required) return;
  ImGui::Dummy(ImVec2(0, theme::gap * scale));
  ImGui::SetCursorPosX(theme::padding * scale);
  ImGui::PushFont(fonts.body_bold);
  if (ImGui::Button("Record consent...", ImVec2(0, theme::row_height * scale))) dialogs.show(Dialogs::Open::consent);
  note_control(controls, "button:Record consent...");
  if (options.may_override) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Button, theme::override_fill);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::abnormal_text);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::override_text);
    if (ImGui::Button("Emergency override...", ImVec2(0, theme::row_height * scale))) dialogs.show(Dialogs::Open::override_);
    note_control(controls, "button:Emergency override...");
    ImGui::PopStyleColor(3);
  }
  ImGui::PopFont();
}

void RecordWidget::Impl::draw_footer() {
  std::string text = view ? view->notice() : "";
  if (view && !view->opt_out_notice().empty()) text = view->opt_out_notice() + " " + text;
  ImGui::SetCursorPosX(theme::padding * scale);
  ImGui::PushFont(fonts.small);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::text_secondary);
  ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - theme::padding * scale);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

ConsentOptions consent_options(const Policy& policy, const std::string& profile_id) {
  ConsentOptions o;
  const Profile* profile = policy.profile(profile_id);
  o.may_override = profile && profile->may_override;
  for (const auto& r : policy.override_reasons()) o.override_reasons.push_back({r.code, r.display});
  return o;
}

RecordWidget::RecordWidget() : impl_(std::make_unique<Impl>()) {}
RecordWidget::~RecordWidget() = default;

void RecordWidget::show(View view) {
  impl_->view = std::move(view);
  impl_->dialogs.open = Dialogs::Open::none;  // a reader must not outlive the View it reads from
  impl_->dialogs.reading = nullptr;
  impl_->relayout();
}

void RecordWidget::clear() {
  impl_->view.reset();
  impl_->dialogs.open = Dialogs::Open::none;
  impl_->dialogs.reading = nullptr;
  impl_->relayout();
}

void RecordWidget::set_tab(Tab tab) {
  impl_->tab = tab;
  impl_->relayout();
}
Tab RecordWidget::tab() const { return impl_->tab; }

void RecordWidget::set_filter(const ListFilter& filter) {
  Impl& w = *impl_;
  w.filter = filter;
  std::snprintf(w.search, sizeof w.search, "%s", filter.search.c_str());
  std::snprintf(w.from, sizeof w.from, "%s", filter.from ? format_date(*filter.from).c_str() : "");
  std::snprintf(w.to, sizeof w.to, "%s", filter.to ? format_date(*filter.to).c_str() : "");
  w.from_bad = w.to_bad = false;
  w.relayout();
}
const ListFilter& RecordWidget::filter() const { return impl_->filter; }

void RecordWidget::set_consent_options(ConsentOptions options) {
  impl_->options = std::move(options);
  impl_->changed();
}
void RecordWidget::on_consent_outcome(std::function<void(const ConsentOutcome&)> handler) { impl_->on_outcome = std::move(handler); }
void RecordWidget::open_consent_dialog() {
  impl_->dialogs.show(Dialogs::Open::consent);
  impl_->changed();
}
void RecordWidget::open_override_dialog() {
  impl_->dialogs.show(Dialogs::Open::override_);
  impl_->changed();
}

void RecordWidget::set_size(int width_px, int height_px, float scale) {
  if (width_px == impl_->width && height_px == impl_->height && scale == impl_->scale) return;
  impl_->width = width_px;
  impl_->height = height_px;
  if (scale != impl_->scale) impl_->layout_stale = true;
  impl_->scale = scale;
  impl_->changed();
}

int RecordWidget::width() const { return impl_->width; }
int RecordWidget::height() const { return impl_->height; }

void RecordWidget::set_today(const Date& today) {
  impl_->fixed_today = today;
  impl_->relayout();
}
void RecordWidget::set_now(const Timestamp& now) {
  impl_->fixed_now = now;
  impl_->changed();
}

void RecordWidget::mouse_move(float x, float y) { impl_->input.push_back({InputEvent::Type::move, x, y, 0, false, 0, {}}); }
void RecordWidget::mouse_leave() { impl_->input.push_back({InputEvent::Type::leave, 0, 0, 0, false, 0, {}}); }
void RecordWidget::mouse_button(int button, bool down) {
  impl_->input.push_back({InputEvent::Type::button, 0, 0, button, down, 0, {}});
}
void RecordWidget::mouse_wheel(float dx, float dy) { impl_->input.push_back({InputEvent::Type::wheel, dx, dy, 0, false, 0, {}}); }
void RecordWidget::key(Key key, bool down, int modifiers) {
  impl_->input.push_back({InputEvent::Type::key, 0, 0, static_cast<int>(key), down, modifiers, {}});
}
void RecordWidget::text_input(const std::string& utf8) { impl_->input.push_back({InputEvent::Type::text, 0, 0, 0, false, 0, utf8}); }
void RecordWidget::focus(bool focused) { impl_->input.push_back({InputEvent::Type::focus, 0, 0, 0, focused, 0, {}}); }

bool RecordWidget::needs_redraw() const {
  const Impl& w = *impl_;
  if (w.frames_to_draw > 0 || !w.input.empty()) return true;
  // While an override runs, its time left changes once a minute.
  return w.override_running() && w.now().utc_seconds / 60 != w.drawn_minute;
}

unsigned long RecordWidget::frames_drawn() const { return impl_->frames; }

const ImDrawData& RecordWidget::draw_frame() {
  Impl& w = *impl_;
  ImGui::SetCurrentContext(w.context);
  w.ensure_fonts();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(w.width), static_cast<float>(w.height));
  io.DisplayFramebufferScale = ImVec2(1, 1);  // sizes are device pixels already
  io.DeltaTime = 1.0f / 60.0f;
  bool had_input = !w.input.empty();
  w.apply_input();
  w.ensure_layout();
  Timestamp now = w.now();
  w.drawn_minute = now.utc_seconds / 60;

  w.controls.clear();
  std::optional<ConsentOutcome> outcome;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##ilinks-record", nullptr, flags);
  ImGui::PopStyleVar();
  if (w.view) {
    draw_patient_banner(*w.banner, w.fonts, w.scale);
    if (w.view->incomplete()) draw_incomplete_notice(w.fonts, w.scale);
    draw_basis_strip(*w.view, now, w.fonts, w.scale);
    draw_alert_strip(w.alerts, w.fonts, w.scale);
    w.draw_consent_actions();
    if (w.view->shows_record()) {
      w.draw_tabs();
      w.draw_toolbar();
    }
    // The list fills what is left above the footer, and scrolls.
    ImGui::PushFont(w.fonts.small);
    float footer = ImGui::GetTextLineHeightWithSpacing() * 2 + theme::gap * w.scale;
    ImGui::PopFont();
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("##body", ImVec2(0, -footer), false);
    ImGui::PopStyleVar();
    if (w.view->shows_record()) {
      TabBodyAction a = w.body.draw(w.fonts, w.scale, w.filter.sort, w.controls);
      if (a.read) w.dialogs.show(Dialogs::Open::reader, a.read);
      if (a.sort) w.filter.sort = *a.sort, w.relayout();
      if (ImGui::IsWindowFocused() && !io.WantTextInput) {
        // Page keys scroll the list.
        float page = ImGui::GetWindowHeight() * 0.9f;
        if (ImGui::IsKeyPressed(static_cast<int>(Key::page_down)) && !io.KeyCtrl) ImGui::SetScrollY(ImGui::GetScrollY() + page);
        if (ImGui::IsKeyPressed(static_cast<int>(Key::page_up)) && !io.KeyCtrl) ImGui::SetScrollY(ImGui::GetScrollY() - page);
        if (ImGui::IsKeyPressed(static_cast<int>(Key::home))) ImGui::SetScrollY(0);
        if (ImGui::IsKeyPressed(static_cast<int>(Key::end))) ImGui::SetScrollY(ImGui::GetScrollMaxY());
      }
    }
    ImGui::EndChild();
    w.draw_footer();
    outcome = w.dialogs.draw(w.options, w.fonts, w.scale, w.controls);
  } else {
    ImGui::Dummy(ImVec2(0, theme::padding * w.scale));
    ImGui::SetCursorPosX(theme::padding * w.scale);
    ImGui::PushFont(w.fonts.body);
    ImGui::TextUnformatted("No record loaded.");
    ImGui::PopFont();
  }
  ImGui::End();
  ImGui::Render();
  ++w.frames;
  std::string key = std::to_string(static_cast<int>(w.dialogs.open)) + "|" + std::to_string(w.dialogs.method) + "|" +
                    std::to_string(w.dialogs.given_by) + "|" + std::to_string(w.dialogs.reason) + "|" + w.dialogs.text + "|" +
                    std::to_string(w.drawn_minute) + "|" + std::to_string(static_cast<int>(w.tab)) + "|" + w.search + "|" +
                    w.from + "|" + w.to;
  if (key != w.mirror_key || w.controls != w.previous_controls) {
    w.mirror_key = std::move(key);
    w.previous_controls = w.controls;
    ++w.mirror_version;
  }
  // After the frame: the host may show a new View in answer, which the frame
  // just drawn must not be reading from.
  if (outcome && w.on_outcome) w.on_outcome(*outcome);
  if (had_input) w.changed();  // what input changed settles over the next frames
  else if (w.frames_to_draw > 0) --w.frames_to_draw;
  return *ImGui::GetDrawData();
}

RgbaTexture RecordWidget::font_texture() const {
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(impl_->context);
  impl_->ensure_fonts();
  ImGui::SetCurrentContext(previous);
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  impl_->atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
  return {pixels, width, height};
}

unsigned RecordWidget::font_generation() const { return impl_->font_generation; }

unsigned long RecordWidget::mirror_version() const { return impl_->mirror_version; }

MirrorNode RecordWidget::mirror() const {
  const Impl& w = *impl_;
  MirrorNode root;
  root.role = "region";
  root.text = "Shared care record";
  if (!w.view) {
    MirrorNode none;
    none.role = "status";
    none.text = "No record loaded.";
    root.children.push_back(none);
    return root;
  }
  // The mirror follows what was last laid out; before the first frame, lay out now.
  const_cast<Impl&>(w).ensure_layout();
  root.children.push_back(mirror_banner(*w.banner));
  mirror_strips(*w.view, w.alerts, w.now(), root);
  if (w.view->basis() == Basis::consent_required) {
    root.children.push_back(control_node("button", "Record consent...", "button:Record consent...", &w.controls));
    if (w.options.may_override)
      root.children.push_back(control_node("button", "Emergency override...", "button:Emergency override...", &w.controls));
  }
  if (w.view->shows_record()) {
    root.children.push_back(mirror_tab_list(w.tab, &w.controls));
    MirrorNode tools;
    tools.role = "search";
    tools.text = "Search and filter";
    tools.children.push_back(control_node("searchbox", "Search this tab: " + w.filter.search, "search", &w.controls));
    tools.children.push_back(control_node("textbox", std::string("From date: ") + (w.from[0] ? w.from : "none") + (w.from_bad ? " (not understood: use dd-Mmm-yyyy)" : ""), "from", &w.controls));
    tools.children.push_back(control_node("textbox", std::string("To date: ") + (w.to[0] ? w.to : "none") + (w.to_bad ? " (not understood: use dd-Mmm-yyyy)" : ""), "to", &w.controls));
    tools.children.push_back(control_node("combobox", std::string("Sort: ") + sort_order_title(w.filter.sort), "sort", &w.controls));
    if (w.tab == Tab::diagnostics)
      tools.children.push_back(control_node("button", w.filter.results_by_panel ? "Group by test" : "Group by panel", "group", &w.controls));
    root.children.push_back(std::move(tools));
    root.children.push_back(mirror_tab_panel(w.body.layout(), w.filter, &w.controls));
  }
  MirrorNode notice;
  notice.role = "note";
  notice.text = w.view->notice();
  root.children.push_back(notice);
  MirrorNode dialog = w.dialogs.mirror(w.options, &w.controls);
  if (!dialog.role.empty()) root.children.push_back(dialog);
  return root;
}

}  // namespace ilinks
