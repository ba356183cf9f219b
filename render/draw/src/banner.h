// The patient banner drawn with ImGui (its words: ilinks/banner_text.h).
#pragma once
#include "fonts.h"
#include "ilinks/banner_text.h"

namespace ilinks {

// Draws the banner across the current window at the cursor; returns its height.
float draw_patient_banner(const BannerText& banner, const Fonts& fonts, float scale);

}  // namespace ilinks
