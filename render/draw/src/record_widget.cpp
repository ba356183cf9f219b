#include "ilinks/record_widget.h"

#include <cstdio>
#include <optional>
#include <string>

#include <imgui.h>

#include "strips.h"
#include "theme.h"
#include "widget_impl.h"

namespace ilinks {

RecordWidget::RecordWidget() : impl_(std::make_unique<Impl>()) {
  // ImGui's clipboard (a text field's Ctrl+C / Ctrl+X) goes to the host's
  // handler; pasting comes from the host as typed text, never from ImGui.
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(impl_->context);
  ImGuiIO& io = ImGui::GetIO();
  io.ClipboardUserData = impl_.get();
  io.SetClipboardTextFn = [](void* user, const char* text) {
    auto* w = static_cast<Impl*>(user);
    if (w->on_copy && text) w->on_copy(text);
  };
  io.GetClipboardTextFn = [](void*) -> const char* { return ""; };
  ImGui::SetCurrentContext(previous);
}
RecordWidget::~RecordWidget() = default;

void RecordWidget::show(View view) {
  impl_->view = std::move(view);
  impl_->dialogs.open = Dialogs::Open::none;  // a reader must not outlive the View it reads from
  impl_->dialogs.reading = nullptr;
  impl_->view_changed();
}

void RecordWidget::clear() {
  impl_->view.reset();
  impl_->dialogs.open = Dialogs::Open::none;
  impl_->dialogs.reading = nullptr;
  impl_->view_changed();
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

void RecordWidget::on_consent_outcome(std::function<void(const ConsentOutcome&)> handler) { impl_->on_outcome = std::move(handler); }
void RecordWidget::set_banner(bool shown) {
  impl_->banner_shown = shown;
  impl_->changed();
  ++impl_->mirror_version;
}

void RecordWidget::on_open_document(std::function<bool(const Item&)> handler) { impl_->on_open_document = std::move(handler); }
void RecordWidget::on_copy(std::function<void(const std::string&)> handler) { impl_->on_copy = std::move(handler); }

void RecordWidget::open_consent_dialog() {
  impl_->dialogs.show(Dialogs::Open::consent);
  impl_->changed();
}
void RecordWidget::open_override_dialog() {
  impl_->dialogs.show(Dialogs::Open::override_);
  impl_->changed();
}
void RecordWidget::open_case_access_dialog() {
  impl_->dialogs.show(Dialogs::Open::case_access);
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
    if (w.banner_shown) draw_patient_banner(*w.banner, w.fonts, w.scale);
    draw_strip_notices(strip_notices(*w.view, now), w.fonts, w.scale);
    draw_alert_strip(w.alerts, w.fonts, w.scale);
    w.draw_consent_actions();
    if (w.view->shows_record()) {
      w.draw_tabs();
      w.draw_toolbar();
      w.draw_case_access();
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
      if (a.read && !(w.on_open_document && w.on_open_document(*a.read))) w.dialogs.show(Dialogs::Open::reader, a.read);
      if (a.sort) w.filter.sort = *a.sort, w.relayout();
      if (ImGui::IsWindowFocused() && !io.WantTextInput) {
        // Page keys scroll the list.
        float page = ImGui::GetWindowHeight() * 0.9f;
        if (ImGui::IsKeyPressed(ImGuiKey_PageDown) && !io.KeyCtrl) ImGui::SetScrollY(ImGui::GetScrollY() + page);
        if (ImGui::IsKeyPressed(ImGuiKey_PageUp) && !io.KeyCtrl) ImGui::SetScrollY(ImGui::GetScrollY() - page);
        if (ImGui::IsKeyPressed(ImGuiKey_Home)) ImGui::SetScrollY(0);
        if (ImGui::IsKeyPressed(ImGuiKey_End)) ImGui::SetScrollY(ImGui::GetScrollMaxY());
      }
    }
    ImGui::EndChild();
    w.draw_footer();
    outcome = w.dialogs.draw(w.options(), w.fonts, w.scale, w.controls);
    if (w.dialogs.copy_requested) {
      w.dialogs.copy_requested = false;
      if (w.on_copy && w.dialogs.reading) w.on_copy(w.dialogs.reading->text);
    }
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
  // Scrolling moves the window of a long table (ilinks/mirror_window.h).
  if (w.view && w.view->shows_record()) key += "|" + window_key(w.body.layout(), w.body.in_sight());
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
  Screen s;
  RowsInSight sight;
  if (w.view) {
    // The mirror follows what was last laid out; before the first frame, lay out now.
    const_cast<Impl&>(w).ensure_layout();
    s.view = &*w.view;
    s.today = w.today();
    s.now = w.now();
    s.panels.push_back(&w.body.layout());
    s.filter = w.filter;
    s.controls = true;
    s.open = w.tab;
    s.may_override = w.options().may_override;
    s.toolbar = w.toolbar_mirror();
    s.dialog = mirror_dialog(w.dialogs, w.options(), &w.controls);
    s.bounds = &w.controls;
    sight = w.body.in_sight();
    s.sight = &sight;
  }
  return mirror_of_screen(s);
}

}  // namespace ilinks
