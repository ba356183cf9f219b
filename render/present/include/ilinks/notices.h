// ilinks/notices.h: what the screen tells the viewer about the View itself.
//
// The strips under the banner (part of the record could not be read; the
// basis: consent, override, a consent request, an opt-out), the open tab's
// notes (not available for the role; the viewer's own organisation's entries
// left out; wider community access) and the footer (a partial opt-out; the
// notice that some information is never shared).
//
// The drawing layer draws exactly these lists and the text mirror reads
// exactly these lists, so a screen-reader user is told everything a sighted
// user is (a test compares the two for every standing).
#pragma once
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/record_layout.h"
#include "ilinks/view.h"

namespace ilinks {

struct Notice {
  // How the drawing layer shows it; the words are the same whatever the look.
  enum class Look {
    warning,    // a strip on the notice colour: incomplete, consent required, opted out
    emergency,  // the override's strip
    basis,      // a quiet strip: how consent was given
    message,    // a line above the tab's lists
    inset,      // a panel above the tab's lists (wider community access)
    footer,     // small print at the foot of the record
  };
  Look look = Look::message;
  std::string role;  // the mirror's ARIA role: "alert", "status" or "note"
  std::string text;
};

// Always the same words: it must not hint at what was in the unreadable part.
extern const char* const kIncompleteNotice;

// The strips under the banner, top to bottom.
std::vector<Notice> strip_notices(const View& view, const Timestamp& now);
// Above the open tab's lists, top to bottom.
std::vector<Notice> tab_notices(const TabLayout& tab);
// At the foot of the record (drawn as one paragraph).
std::vector<Notice> footer_notices(const View& view);

// "Consent given ...", "EMERGENCY OVERRIDE: unconscious. Ends 14:05 (3 h 12 min left).", ...
std::string basis_strip_text(const View& view, const Timestamp& now);
// The alert strip's pills: "Known allergies: Penicillin", "Flag: ...", "Resuscitation: ...".
std::vector<std::string> alert_strip_lines(const AlertStrip& alerts);

}  // namespace ilinks
