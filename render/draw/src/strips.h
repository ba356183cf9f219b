// The full-width strips between the banner and the tabs, drawn with ImGui:
// the notices (ilinks/notices.h: incomplete record, the basis of the view)
// and the alert strip (allergies, flags, key preferences).
#pragma once
#include <vector>

#include "fonts.h"
#include "ilinks/notices.h"
#include "ilinks/record_layout.h"

namespace ilinks {

// One strip for each notice, top to bottom.
void draw_strip_notices(const std::vector<Notice>& notices, const Fonts& fonts, float scale);
void draw_alert_strip(const AlertStrip& alerts, const Fonts& fonts, float scale);

}  // namespace ilinks
