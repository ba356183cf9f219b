#include "ilinks/record_widget.h"

#include <cstdio>
#include <optional>
#include <string>

#include <imgui.h>

#include "banner.h"
#include "fonts.h"
#include "theme.h"

namespace ilinks {
namespace {

// Frames to draw after anything changes: ImGui settles layout (item sizes,
// hover state) over a frame or two; after that an unchanged record is idle.
constexpr int kSettleFrames = 2;

void apply_style(ImGuiStyle& style, float scale) {
  style = ImGuiStyle();
  style.WindowPadding = ImVec2(0, 0);
  style.WindowBorderSize = 0;
  style.WindowRounding = 0;
  style.ItemSpacing = ImVec2(theme::gap, theme::gap * 0.5f);
  style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(theme::page);
  style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(theme::text);
  style.Colors[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(theme::text_secondary);
  style.Colors[ImGuiCol_Border] = ImGui::ColorConvertU32ToFloat4(theme::border);
  style.ScaleAllSizes(scale);
}

// The strip that says part of the record could not be read. Always the same
// words: it must not hint at what was in the unreadable part.
void draw_incomplete_notice(const Fonts& fonts, float scale) {
  const float pad = theme::padding * scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 top = ImGui::GetCursorScreenPos();
  const char* text = "Part of this record could not be read. What is shown may be incomplete.";
  ImGui::PushFont(fonts.body_bold);
  float h = ImGui::GetTextLineHeight() + theme::gap * 2 * scale;
  ImVec2 max(top.x + ImGui::GetWindowWidth(), top.y + h);
  dl->AddRectFilled(top, max, theme::notice_fill);
  dl->AddRectFilled(top, ImVec2(top.x + theme::accent_bar * scale, max.y), theme::notice_edge);
  dl->AddText(ImVec2(top.x + pad + theme::accent_bar * scale, top.y + theme::gap * scale), theme::text, text);
  ImGui::PopFont();
  ImGui::SetCursorScreenPos(ImVec2(top.x, max.y));
  ImGui::Dummy(ImVec2(0, 0));
}

void draw_body_message(const Fonts& fonts, float scale, const char* message) {
  ImGui::Dummy(ImVec2(0, theme::padding * scale));
  ImGui::SetCursorPosX(theme::padding * scale);
  ImGui::PushFont(fonts.body);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::text_secondary);
  ImGui::TextUnformatted(message);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

// A full-width strip with a coloured edge: consent, override, notices.
void draw_strip(const Fonts& fonts, float scale, const std::string& text, ImU32 fill, ImU32 edge, ImU32 ink) {
  const float pad = theme::padding * scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 top = ImGui::GetCursorScreenPos();
  ImGui::PushFont(fonts.body_bold);
  float h = ImGui::GetTextLineHeight() + theme::gap * 2 * scale;
  ImVec2 max(top.x + ImGui::GetWindowWidth(), top.y + h);
  dl->AddRectFilled(top, max, fill);
  dl->AddRectFilled(top, ImVec2(top.x + theme::accent_bar * scale, max.y), edge);
  dl->AddText(ImVec2(top.x + pad + theme::accent_bar * scale, top.y + theme::gap * scale), ink, text.c_str());
  ImGui::PopFont();
  ImGui::SetCursorScreenPos(ImVec2(top.x, max.y));
  ImGui::Dummy(ImVec2(0, 0));
}

// The basis of the view: consent, an override (unmissable), or the request.
void draw_basis(const View& view, const Fonts& fonts, float scale) {
  switch (view.basis()) {
    case Basis::consent_required:
      draw_strip(fonts, scale, "Consent required: ask the person whether you may view their shared record.", theme::notice_fill,
                 theme::notice_edge, theme::text);
      break;
    case Basis::opted_out:
      draw_strip(fonts, scale, "The person has opted out of sharing their record.", theme::notice_fill, theme::notice_edge, theme::text);
      break;
    case Basis::override_:
    {
      int m = view.override_ends() ? view.override_ends()->local_minute_of_day() : 0;
      char ends[32];
      std::snprintf(ends, sizeof ends, "%02d:%02d", m / 60, m % 60);
      draw_strip(fonts, scale, "EMERGENCY OVERRIDE: " + view.override_reason() + ". Ends " + ends + ".", theme::override_fill,
                 theme::override_fill, theme::override_text);
    }
      break;
    case Basis::consent:
      draw_strip(fonts, scale, view.basis_text(), theme::surface, theme::accent, theme::text_secondary);
      break;
  }
}

// One tab of the record as a plain list (issue 5 brings the full layout).
void draw_tab(const View& view, Tab tab, const Fonts& fonts, float scale) {
  const float pad = theme::padding * scale;
  ImGui::Dummy(ImVec2(0, theme::gap * scale));
  ImGui::SetCursorPosX(pad);
  ImGui::PushFont(fonts.body_bold);
  for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline}) {
    ImGui::PushStyleColor(ImGuiCol_Text, t == tab ? theme::accent : theme::text_secondary);
    ImGui::TextUnformatted(tab_title(t));
    ImGui::PopStyleColor();
    if (t == tab) {
      ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(min.x, max.y + 1), ImVec2(max.x, max.y + 1 + 3 * scale), theme::accent);
    }
    ImGui::SameLine(0, theme::field_gap * scale);
  }
  ImGui::NewLine();
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, theme::gap * scale));
  ImGui::PushFont(fonts.body);
  Segment segment = tab_segment(tab);
  if (segment != Segment::none && view.tier(segment) == 0) {
    ImGui::SetCursorPosX(pad);
    ImGui::TextUnformatted(("Not available for your role: " + view.profile_name()).c_str());
  } else {
    auto items = tab_items(view, tab);
    if (items.empty()) {
      ImGui::SetCursorPosX(pad);
      ImGui::TextUnformatted("Nothing recorded.");
    }
    float date_width = 110 * scale, source_x = ImGui::GetWindowWidth() * 0.68f;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(items.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const Item& item = *items[static_cast<size_t>(i)];
        ImGui::SetCursorPosX(pad);
        ImGui::TextUnformatted(item.date ? format_date(*item.date).c_str() : "Not Known");
        ImGui::SameLine(pad + date_width);
        std::string what = item.display + (item.value.text.empty() ? "" : "  " + item.value.text + (item.value.unit.empty() ? "" : " " + item.value.unit));
        ImGui::TextUnformatted(what.c_str());
        ImGui::SameLine(source_x);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::text_secondary);
        ImGui::TextUnformatted(item.source.name.empty() ? "Source not known" : item.source.name.c_str());
        ImGui::PopStyleColor();
      }
  }
  ImGui::PopFont();
}

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
  Tab tab = Tab::summary;
  int frames_to_draw = kSettleFrames;

  Impl() {
    context = ImGui::CreateContext(&atlas);
    ImGuiContext* previous = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the host owns files: no imgui.ini, no log
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.Fonts->TexID = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1));  // backends sample the one atlas
    ImGui::SetCurrentContext(previous);
  }
  ~Impl() { ImGui::DestroyContext(context); }

  void changed() { frames_to_draw = kSettleFrames; }

  void ensure_fonts() {
    if (fonts_scale == scale) return;
    fonts = load_fonts(atlas, scale);
    fonts_scale = scale;
    ++font_generation;
    apply_style(ImGui::GetStyle(), scale);
  }
};

RecordWidget::RecordWidget() : impl_(std::make_unique<Impl>()) {}
RecordWidget::~RecordWidget() = default;

void RecordWidget::show(View view) {
  impl_->view = std::move(view);
  impl_->changed();
}

void RecordWidget::clear() {
  impl_->view.reset();
  impl_->changed();
}

void RecordWidget::set_tab(Tab tab) {
  impl_->tab = tab;
  impl_->changed();
}

void RecordWidget::set_size(int width_px, int height_px, float scale) {
  if (width_px == impl_->width && height_px == impl_->height && scale == impl_->scale) return;
  impl_->width = width_px;
  impl_->height = height_px;
  impl_->scale = scale;
  impl_->changed();
}

int RecordWidget::width() const { return impl_->width; }
int RecordWidget::height() const { return impl_->height; }

void RecordWidget::set_today(const Date& today) {
  impl_->fixed_today = today;
  impl_->changed();
}

bool RecordWidget::needs_redraw() const { return impl_->frames_to_draw > 0; }

const ImDrawData& RecordWidget::draw_frame() {
  Impl& w = *impl_;
  ImGui::SetCurrentContext(w.context);
  w.ensure_fonts();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(w.width), static_cast<float>(w.height));
  io.DisplayFramebufferScale = ImVec2(1, 1);  // sizes are device pixels already
  io.DeltaTime = 1.0f / 60.0f;

  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##ilinks-record", nullptr, flags);
  if (w.view) {
    Date today = w.fixed_today ? *w.fixed_today : Date::today();
    draw_patient_banner(w.view->patient(), today, w.fonts, w.scale);
    if (w.view->incomplete()) draw_incomplete_notice(w.fonts, w.scale);
    draw_basis(*w.view, w.fonts, w.scale);
    if (w.view->shows_record()) draw_tab(*w.view, w.tab, w.fonts, w.scale);
    draw_body_message(w.fonts, w.scale, w.view->notice().c_str());
  } else {
    draw_body_message(w.fonts, w.scale, "No record loaded.");
  }
  ImGui::End();
  ImGui::Render();
  if (w.frames_to_draw > 0) --w.frames_to_draw;
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

}  // namespace ilinks
