// The full-width strips between the banner and the tabs: the notice that part
// of the record could not be read, the basis of the view (consent, override,
// consent request), and the alert strip (allergies, flags, key preferences).
// Each has its words as a function, read by the text mirror as well.
#pragma once
#include <string>
#include <vector>

#include "fonts.h"
#include "ilinks/date.h"
#include "ilinks/record_layout.h"
#include "ilinks/view.h"

namespace ilinks {

// Always the same words: it must not hint at what was in the unreadable part.
extern const char* const kIncompleteNotice;

// "Consent given ...", "EMERGENCY OVERRIDE: unconscious. Ends 14:05 (3 h 12 min left).", ...
std::string basis_strip_text(const View& view, const Timestamp& now);
// "Known allergies: Penicillin", "Flag: ...", "Resuscitation: ...".
std::vector<std::string> alert_strip_lines(const AlertStrip& alerts);

void draw_incomplete_notice(const Fonts& fonts, float scale);
void draw_basis_strip(const View& view, const Timestamp& now, const Fonts& fonts, float scale);
void draw_alert_strip(const AlertStrip& alerts, const Fonts& fonts, float scale);

}  // namespace ilinks
