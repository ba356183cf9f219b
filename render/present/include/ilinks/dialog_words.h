// ilinks/dialog_words.h: the widget's dialogs as words and state, with no
// drawing: recording consent, starting an emergency override, recording why
// wider community access is needed (Community tier 3), and the document
// reader. The drawing layer (render/draw/src/dialogs.cpp) draws them; the
// text mirror reads them through mirror_dialog().
#pragma once
#include <string>
#include <vector>

#include "ilinks/mirror_screen.h"
#include "ilinks/view.h"
#include "ilinks/view_export.h"

namespace ilinks {

// ---- Consent and override
inline constexpr const char* kConsentTitle = "Record consent";
inline constexpr const char* kConsentAsk =
    "Ask the person: may you look at their shared care record now? Record their answer only if they agree.";
inline constexpr const char* kConsentHow = "How was consent given?";
inline constexpr const char* kConsentWho = "Who gave it?";
inline constexpr const char* kGivenBy[] = {"The person", "Their representative"};
inline constexpr const char* kGivenById[] = {"patient", "representative"};  // ConsentOutcome::given_by
inline constexpr const char* kOverrideTitle = "Emergency override";
inline constexpr const char* kOverrideWarning =
    "Use only when the person cannot be asked and there is an urgent need to know. The override lasts a few hours, "
    "is recorded against your name and is reported to the privacy officer.";
inline constexpr const char* kOverrideWhy = "Why is the override needed? (in your own words)";
inline constexpr const char* kOverrideWhyShort = "Why is the override needed?";  // the text box's name in the mirror
inline constexpr const char* kOverrideConfirm = "Start override";

// ---- Wider access on an individual case basis (section 7.2: Community tier 3,
// Policy::record_case_access). The layout says the notice and the button
// (record_layout.cpp); the dialog says the rest.
inline constexpr Tab kCaseAccessTab = Tab::community;  // the tab whose segment is held back for individual cases
inline constexpr const char* kCaseAccessNotice =
    "Any free text and documents from community services (the wider community record, tier 3) are not shown: they are "
    "shared case by case. Record why you need them for this person to see them.";
inline constexpr const char* kCaseAccessButton = "Record why you need it...";
inline constexpr const char* kCaseAccessTitle = "Wider community record";
inline constexpr const char* kCaseAccessExplanation =
    "Free text and documents from community services (tier 3) are shared only when you say why you need them for this "
    "person. Your reason is recorded under your name in the audit log. Access is for you alone, until the time shown once it is recorded.";
inline constexpr const char* kCaseAccessReason = "Reason";
inline constexpr const char* kCaseAccessWhy = "Why do you need it? (in your own words)";
inline constexpr const char* kCaseAccessWhyShort = "Why do you need it?";
inline constexpr const char* kCaseAccessConfirm = "Record";

// Which dialog is open and what the viewer has chosen in it so far.
struct DialogState {
  enum class Open { none, consent, override_, case_access, reader };
  Open open = Open::none;
  int method = 0;            // index into ConsentOptions::methods
  int given_by = 0;          // 0 the person, 1 their representative
  int reason = 0;            // index into ConsentOptions::override_reasons or case_access_reasons (ilinks/view.h)
  char text[600] = {};       // the override's, or the wider access's, explanation
  const Item* reading = nullptr;  // the reader's document (lives in the shown View)

  const char* title() const;  // the open dialog's title
  // The reasons the open dialog offers (the override's or the wider access's).
  const std::vector<ConsentOptions::Reason>& reasons(const ConsentOptions& options) const;
};

// "Verbal" for "verbal".
std::string method_title(const std::string& method);
// Characters, not bytes, of UTF-8 text: what the minimum length counts.
int text_length(const char* utf8);

// The open dialog in the mirror (role empty when none is open). Controls are
// placed from `controls` under "dialog:<label>".
MirrorNode mirror_dialog(const DialogState& dialog, const ConsentOptions& options, const ControlBounds* controls);

}  // namespace ilinks
