// Wider access on an individual case basis (section 7.2: Community tier 3,
// Policy::record_case_access): the words the Community tab's notice, its
// button and the dialog say, in one place. The layout (record_layout.cpp),
// the widget and the text mirror all read them from here.
#pragma once
#include "ilinks/view_export.h"

namespace ilinks {

// The tab whose segment the policy holds back for individual cases.
inline constexpr Tab kCaseAccessTab = Tab::community;

// Above the Community tab's lists while the viewer may ask for it.
inline constexpr const char* kCaseAccessNotice =
    "Any free text and documents from community services (the wider community record, tier 3) are not shown: they are "
    "shared case by case. Record why you need them for this person to see them.";
inline constexpr const char* kCaseAccessButton = "Record why you need it...";

// The dialog.
inline constexpr const char* kCaseAccessTitle = "Wider community record";
inline constexpr const char* kCaseAccessExplanation =
    "Free text and documents from community services (tier 3) are shared only when you say why you need them for this "
    "person. Your reason is recorded under your name in the audit log. Access is for you alone, until the time shown once it is recorded.";
inline constexpr const char* kCaseAccessReason = "Reason";
inline constexpr const char* kCaseAccessWhy = "Why do you need it? (in your own words)";
inline constexpr const char* kCaseAccessWhyShort = "Why do you need it?";  // the text box's name in the mirror
inline constexpr const char* kCaseAccessConfirm = "Record";

}  // namespace ilinks
