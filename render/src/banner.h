// The patient banner, after the NHS Common User Interface: name, birth date and
// age, gender, NHS number in that order, then address, registered GP and
// preferred name. Missing values read "Not Known".
#pragma once
#include "fonts.h"
#include "ilinks/date.h"
#include "ilinks/record.h"

namespace ilinks {

// Draws the banner across the current window at the cursor; returns its height.
float draw_patient_banner(const Patient& patient, const Date& today, const Fonts& fonts, float scale);

}  // namespace ilinks
