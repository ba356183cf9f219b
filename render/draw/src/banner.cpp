#include "banner.h"

#include <cmath>

#include "theme.h"

namespace ilinks {
namespace {

using Field = BannerText::Field;

// Lays fields out left to right, wrapping to a new line when one does not fit.
class FieldRow {
 public:
  FieldRow(const Fonts& fonts, float scale, ImU32 label_colour, ImU32 value_colour)
      : fonts_(fonts), scale_(scale), label_colour_(label_colour), value_colour_(value_colour) {}

  void add(const Field& f) {
    ImGui::PushFont(fonts_.small);
    ImVec2 label = ImGui::CalcTextSize(f.label.c_str());
    ImGui::PopFont();
    ImGui::PushFont(fonts_.body_bold);
    ImVec2 value = ImGui::CalcTextSize(f.value.c_str());
    ImGui::PopFont();
    float inner = theme::gap * 0.75f * scale_;
    float width = label.x + inner + value.x;
    if (!first_) {
      float after = ImGui::GetItemRectMax().x + theme::field_gap * scale_;
      float limit = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - theme::padding * scale_;
      if (after + width <= limit) ImGui::SameLine(0, theme::field_gap * scale_);
    }
    first_ = false;
    // Label and value share a baseline although their sizes differ.
    float baseline_shift = std::floor(fonts_.body_bold->Ascent - fonts_.small->Ascent);
    ImGui::BeginGroup();
    ImVec2 start = ImGui::GetCursorPos();
    ImGui::SetCursorPos(ImVec2(start.x, start.y + baseline_shift));
    ImGui::PushFont(fonts_.small);
    ImGui::PushStyleColor(ImGuiCol_Text, label_colour_);
    ImGui::TextUnformatted(f.label.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SameLine(0, inner);
    ImGui::SetCursorPosY(start.y);
    ImGui::PushFont(fonts_.body_bold);
    ImGui::PushStyleColor(ImGuiCol_Text, value_colour_);
    ImGui::TextUnformatted(f.value.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::EndGroup();
  }

 private:
  const Fonts& fonts_;
  float scale_;
  ImU32 label_colour_, value_colour_;
  bool first_ = true;
};

void draw_hatch(ImDrawList* dl, ImVec2 min, ImVec2 max, float step, ImU32 colour, float thickness) {
  dl->PushClipRect(min, max, true);
  float height = max.y - min.y;
  for (float x = min.x - height; x < max.x; x += step)
    dl->AddLine(ImVec2(x, max.y), ImVec2(x + height, min.y), colour, thickness);
  dl->PopClipRect();
}

}  // namespace

float draw_patient_banner(const BannerText& b, const Fonts& fonts, float scale) {
  const bool deceased = b.deceased;
  const ImU32 value_colour = deceased ? theme::deceased_text : theme::text;
  const ImU32 label_colour = deceased ? theme::deceased_text : theme::text_secondary;
  const float pad = theme::padding * scale;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 top = ImGui::GetCursorScreenPos();
  float width = ImGui::GetWindowWidth();
  dl->ChannelsSplit(2);  // 0: background, drawn once the banner's height is known
  dl->ChannelsSetCurrent(1);

  ImGui::SetCursorScreenPos(ImVec2(top.x + pad + theme::accent_bar * scale, top.y + pad));
  ImGui::BeginGroup();
  ImGui::PushFont(fonts.name);
  ImGui::PushStyleColor(ImGuiCol_Text, value_colour);
  ImGui::TextUnformatted(b.name.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();

  ImGui::Dummy(ImVec2(0, theme::gap * 0.5f * scale));
  FieldRow row1(fonts, scale, label_colour, value_colour);
  for (const auto& f : b.identity) row1.add(f);

  ImGui::Dummy(ImVec2(0, theme::gap * 0.25f * scale));
  FieldRow row2(fonts, scale, label_colour, value_colour);
  for (const auto& f : b.contact) row2.add(f);
  ImGui::EndGroup();

  float bottom = ImGui::GetItemRectMax().y + pad;
  ImVec2 min = top, max(top.x + width, bottom);
  dl->ChannelsSetCurrent(0);
  dl->AddRectFilled(min, max, deceased ? theme::deceased_fill : theme::surface);
  if (deceased) draw_hatch(dl, min, max, theme::hatch_step * scale, theme::deceased_hatch, 3.0f * scale);
  dl->AddRectFilled(min, ImVec2(min.x + theme::accent_bar * scale, max.y),
                    deceased ? theme::deceased_text : theme::accent);
  dl->AddLine(ImVec2(min.x, max.y - 0.5f), ImVec2(max.x, max.y - 0.5f), theme::border, 1.0f);
  dl->ChannelsMerge();

  if (deceased) {
    // A word as well as a colour: the state must survive greyscale and colour blindness.
    ImGui::PushFont(fonts.body_bold);
    const char* tag = "DECEASED";
    ImVec2 size = ImGui::CalcTextSize(tag);
    ImVec2 at(max.x - pad - size.x - 2 * theme::gap * scale, top.y + pad);
    dl->AddRectFilled(at, ImVec2(at.x + size.x + 2 * theme::gap * scale, at.y + size.y + theme::gap * scale),
                      theme::deceased_text, 3.0f * scale);
    dl->AddText(ImVec2(at.x + theme::gap * scale, at.y + theme::gap * 0.5f * scale), theme::deceased_fill, tag);
    ImGui::PopFont();
  }

  ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
  ImGui::Dummy(ImVec2(width, 0));
  return bottom - top.y;
}

}  // namespace ilinks
