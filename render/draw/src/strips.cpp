#include "strips.h"

#include "text_fit.h"
#include "theme.h"

namespace ilinks {

namespace {

// A full-width strip with a coloured edge and one line of bold text.
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

struct Pill {
  std::string text;
  ImU32 fill, ink;
};

}  // namespace

void draw_strip_notices(const std::vector<Notice>& notices, const Fonts& fonts, float scale) {
  for (const Notice& n : notices) {
    switch (n.look) {
      case Notice::Look::emergency:
        draw_strip(fonts, scale, n.text, theme::override_fill, theme::override_fill, theme::override_text);
        break;
      case Notice::Look::basis:
        draw_strip(fonts, scale, n.text, theme::surface, theme::accent, theme::text_secondary);
        break;
      default:  // warning
        draw_strip(fonts, scale, n.text, theme::notice_fill, theme::notice_edge, theme::text);
        break;
    }
  }
}

void draw_alert_strip(const AlertStrip& a, const Fonts& fonts, float scale) {
  std::vector<std::string> lines = alert_strip_lines(a);
  std::vector<Pill> pills;
  ImU32 allergy_fill = a.allergy_state == AllergyState::known ? theme::alert_fill : theme::quiet_fill;
  ImU32 allergy_ink = a.allergy_state == AllergyState::known ? theme::alert_text : theme::text;
  pills.push_back({lines[0], allergy_fill, allergy_ink});
  size_t at = 1;
  for (size_t i = 0; i < a.flags.size(); ++i) pills.push_back({lines[at++], theme::notice_fill, theme::text});
  for (size_t i = 0; i < a.preferences.size(); ++i) pills.push_back({lines[at++], theme::preference_fill, theme::text});

  const float pad = theme::padding * scale, gap = theme::gap * scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 top = ImGui::GetCursorScreenPos();
  float width = ImGui::GetWindowWidth();
  dl->ChannelsSplit(2);
  dl->ChannelsSetCurrent(1);
  ImGui::PushFont(fonts.body_bold);
  float line_h = ImGui::GetTextLineHeight() + gap;
  float x = top.x + pad, y = top.y + gap;
  float right = top.x + width - pad;
  for (const auto& p : pills) {
    ImVec2 size = ImGui::CalcTextSize(p.text.c_str());
    float w = std::min(size.x + 2 * gap, right - (top.x + pad));
    if (x > top.x + pad && x + w > right) x = top.x + pad, y += line_h + gap * 0.5f;
    ImVec2 min(x, y), max(x + w, y + line_h);
    dl->AddRectFilled(min, max, p.fill, 3.0f * scale);
    // Too long for the strip: cut with an ellipsis (never a phrase that reads
    // as whole), and all of it on hover; the mirror always has all of it.
    std::string cut = cut_to_width(p.text, w - 2 * gap);
    const std::string& shown = cut.empty() ? p.text : cut;
    dl->PushClipRect(min, ImVec2(max.x - gap * 0.5f, max.y), true);
    dl->AddText(ImVec2(x + gap, y + gap * 0.5f), p.ink, shown.c_str());
    dl->PopClipRect();
    if (!cut.empty() && ImGui::IsMouseHoveringRect(min, max)) ImGui::SetTooltip("%s", p.text.c_str());
    x += w + gap;
  }
  ImGui::PopFont();
  float bottom = y + line_h + gap;
  dl->ChannelsSetCurrent(0);
  dl->AddRectFilled(top, ImVec2(top.x + width, bottom), theme::surface);
  dl->AddLine(ImVec2(top.x, bottom - 0.5f), ImVec2(top.x + width, bottom - 0.5f), theme::border, 1.0f);
  dl->ChannelsMerge();
  ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
  ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace ilinks
