// Around the lists: the tab bar, the toolbar (search, dates, sort), the
// consent buttons, the wider-access notice and the footer; and the style
// they are drawn in.
#include <cstdio>
#include <string>

#include "ilinks/notices.h"
#include "theme.h"
#include "widget_impl.h"

namespace ilinks {

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
  if (options().may_override) {
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

void RecordWidget::Impl::draw_case_access() {
  const TabLayout& l = body.layout();
  std::string note;
  for (const Notice& n : tab_notices(l))
    if (n.look == Notice::Look::inset) note += (note.empty() ? "" : " ") + n.text;
  if (note.empty()) return;
  // An inset panel above the lists: white, with an NHS blue edge, the words
  // wrapped to its width, and the button when the viewer may ask.
  const float pad = theme::padding * scale, gap = theme::gap * scale, bar = theme::accent_bar * scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::Dummy(ImVec2(0, gap * 0.5f));
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float left = top.x + pad, right = top.x + ImGui::GetWindowWidth() - pad;
  const float inner = left + bar + gap;
  dl->ChannelsSplit(2);
  dl->ChannelsSetCurrent(1);
  ImGui::PushFont(fonts.body);
  ImGui::SetCursorScreenPos(ImVec2(inner, top.y + gap));
  ImGui::PushTextWrapPos(right - gap - ImGui::GetWindowPos().x);
  ImGui::TextWrapped("%s", note.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  if (!l.case_access_button.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(inner, ImGui::GetCursorScreenPos().y + gap * 0.5f));
    ImGui::PushFont(fonts.body_bold);
    if (ImGui::Button(l.case_access_button.c_str(), ImVec2(0, theme::row_height * scale))) dialogs.show(Dialogs::Open::case_access);
    note_control(controls, "button:" + l.case_access_button);
    ImGui::PopFont();
  }
  const float bottom = ImGui::GetCursorScreenPos().y + gap * 0.5f;
  dl->ChannelsSetCurrent(0);
  dl->AddRectFilled(ImVec2(left, top.y), ImVec2(right, bottom), theme::surface);
  dl->AddRectFilled(ImVec2(left, top.y), ImVec2(left + bar, bottom), theme::accent);
  dl->ChannelsMerge();
  ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
  ImGui::Dummy(ImVec2(0, 0));
}

MirrorNode RecordWidget::Impl::toolbar_mirror() const {
  MirrorNode tools;
  tools.role = "search";
  tools.text = "Search and filter";
  const char* bad = " (not understood: use dd-Mmm-yyyy)";
  tools.children.push_back(control_node("searchbox", "Search this tab: " + filter.search, "search", &controls));
  tools.children.push_back(control_node("textbox", std::string("From date: ") + (from[0] ? from : "none") + (from_bad ? bad : ""), "from", &controls));
  tools.children.push_back(control_node("textbox", std::string("To date: ") + (to[0] ? to : "none") + (to_bad ? bad : ""), "to", &controls));
  tools.children.push_back(control_node("combobox", std::string("Sort: ") + sort_order_title(filter.sort), "sort", &controls));
  if (tab == Tab::diagnostics)
    tools.children.push_back(control_node("button", filter.results_by_panel ? "Group by test" : "Group by panel", "group", &controls));
  return tools;
}

void RecordWidget::Impl::draw_footer() {
  std::string text;  // the footer's notices as one paragraph
  if (view)
    for (const Notice& n : footer_notices(*view)) text += (text.empty() ? "" : " ") + n.text;
  ImGui::SetCursorPosX(theme::padding * scale);
  ImGui::PushFont(fonts.small);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::text_secondary);
  ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - theme::padding * scale);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

}  // namespace ilinks
