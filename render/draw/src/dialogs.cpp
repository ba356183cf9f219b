#include "dialogs.h"

#include <cstring>

#include <imgui.h>

#include "theme.h"

namespace ilinks {
namespace {

bool primary_button(const char* label, bool enabled, float scale) {
  if (!enabled) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.45f);
  ImGui::PushStyleColor(ImGuiCol_Button, theme::accent);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::accent_dark);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme::accent_dark);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::surface);
  bool pressed = ImGui::Button(label, ImVec2(0, theme::row_height * scale)) && enabled;
  ImGui::PopStyleColor(4);
  if (!enabled) ImGui::PopStyleVar();
  return pressed;
}

}  // namespace

void Dialogs::show(Open which, const Item* item) {
  open = which;
  opening = true;
  reading = item;
  if (which == Open::override_ || which == Open::case_access) {
    text[0] = 0;
    reason = 0;  // the two dialogs' lists differ: an index from one is no index into the other
  }
}

void Dialogs::close() {
  if (open != Open::none && !opening) ImGui::CloseCurrentPopup();
  open = Open::none;
  reading = nullptr;
}

std::optional<ConsentOutcome> Dialogs::draw(const ConsentOptions& options, const Fonts& fonts, float scale, ControlBounds& controls) {
  auto note = [&controls](const std::string& label) { note_control(controls, "dialog:" + label); };
  if (open == Open::none) return std::nullopt;
  const char* title = this->title();
  if (opening) {
    ImGui::OpenPopup(title);
    opening = false;
  }
  ImVec2 display = ImGui::GetIO().DisplaySize;
  ImVec2 size(std::min(display.x - 2 * theme::padding * scale, 640 * scale),
              open == Open::reader ? display.y * 0.8f : 0.0f);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  std::optional<ConsentOutcome> outcome;
  ImGui::PushFont(fonts.body);
  // The window's padding and its white title are set as it begins; its content uses the usual ink.
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::padding * scale, theme::padding * scale));
  ImGui::PushStyleColor(ImGuiCol_Text, theme::surface);
  bool visible = ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  if (!visible) {
    ImGui::PopFont();
    return std::nullopt;
  }
  bool close_now = ImGui::IsKeyPressed(ImGuiKey_Escape);
  if (open == Open::consent) {
    ImGui::TextWrapped("%s", kConsentAsk);
    ImGui::Spacing();
    ImGui::TextUnformatted(kConsentHow);
    for (size_t i = 0; i < options.methods.size(); ++i) {
      if (ImGui::RadioButton(method_title(options.methods[i]).c_str(), method == static_cast<int>(i))) method = static_cast<int>(i);
      note(method_title(options.methods[i]));
      ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::TextUnformatted(kConsentWho);
    for (int i = 0; i < 2; ++i) {
      if (ImGui::RadioButton(kGivenBy[i], given_by == i)) given_by = i;
      note(kGivenBy[i]);
      ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::Spacing();
    if (primary_button(kConsentTitle, !options.methods.empty(), scale)) {
      outcome = ConsentOutcome{ConsentOutcome::Kind::consent, options.methods[static_cast<size_t>(method)], kGivenById[given_by], {}, {}};
      close_now = true;
    }
    note(kConsentTitle);
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(0, theme::row_height * scale))) close_now = true;
    note("Cancel");
  } else if (open == Open::override_ || open == Open::case_access) {
    // A coded reason and the viewer's own words: the override, or wider access.
    bool wider = open == Open::case_access;
    const auto& reasons = this->reasons(options);
    if (reason >= static_cast<int>(reasons.size())) reason = 0;
    if (wider) {
      ImGui::TextWrapped("%s", kCaseAccessExplanation);
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, theme::abnormal_text);
      ImGui::PushFont(fonts.body_bold);
      ImGui::TextWrapped("%s", kOverrideWarning);
      ImGui::PopFont();
      ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    ImGui::TextUnformatted(kCaseAccessReason);
    const char* current = reasons.empty() ? "" : reasons[static_cast<size_t>(reason)].display.c_str();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##reason", current)) {
      for (size_t i = 0; i < reasons.size(); ++i)
        if (ImGui::Selectable(reasons[i].display.c_str(), reason == static_cast<int>(i))) reason = static_cast<int>(i);
      ImGui::EndCombo();
    }
    note("Reason");
    ImGui::TextUnformatted(wider ? kCaseAccessWhy : kOverrideWhy);
    ImGui::InputTextMultiline("##why", text, sizeof text, ImVec2(-1, 4 * ImGui::GetTextLineHeightWithSpacing()));
    note("Why");
    int have = text_length(text), need = wider ? options.case_access_text_min_characters : options.override_text_min_characters;
    ImGui::PushStyleColor(ImGuiCol_Text, have >= need ? theme::text_secondary : theme::abnormal_text);
    ImGui::Text("%d of at least %d characters", have, need);
    ImGui::PopStyleColor();
    ImGui::Spacing();
    bool ready = (wider || options.may_override) && !reasons.empty() && have >= need;
    const char* confirm = wider ? kCaseAccessConfirm : kOverrideConfirm;
    if (primary_button(confirm, ready, scale)) {
      outcome = ConsentOutcome{wider ? ConsentOutcome::Kind::case_access : ConsentOutcome::Kind::override_, {}, {},
                               reasons[static_cast<size_t>(reason)].code, text};
      close_now = true;
    }
    note(confirm);
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(0, theme::row_height * scale))) close_now = true;
    note("Cancel");
  } else if (reading) {
    ImGui::PushFont(fonts.heading);
    ImGui::TextWrapped("%s", reading->display.c_str());
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::text_secondary);
    ImGui::TextWrapped("%s, %s", reading->date ? format_date(*reading->date).c_str() : "Date not known", item_source_text(*reading).c_str());
    ImGui::PopStyleColor();
    ImGui::Separator();
    float footer = theme::row_height * scale + ImGui::GetStyle().ItemSpacing.y * 2;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, theme::surface);
    ImGui::BeginChild("##document", ImVec2(0, -footer), false);
    ImGui::TextWrapped("%s", reading->text.c_str());
    ImGui::EndChild();
    ImGui::PopStyleColor();
    if (ImGui::Button("Close", ImVec2(0, theme::row_height * scale))) close_now = true;
    note("Close");
    ImGui::SameLine();
    if (ImGui::Button("Copy text", ImVec2(0, theme::row_height * scale))) copy_requested = true;
    note("Copy text");
  }
  if (close_now) {
    ImGui::CloseCurrentPopup();
    open = Open::none;
    reading = nullptr;
  }
  ImGui::EndPopup();
  ImGui::PopFont();
  return outcome;
}

}  // namespace ilinks
