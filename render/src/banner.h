// The patient banner, after the NHS Common User Interface: name, birth date and
// age, gender, NHS number in that order, then address, registered GP and
// preferred name. Missing values read "Not Known".
#pragma once
#include <string>
#include <vector>

#include "fonts.h"
#include "ilinks/date.h"
#include "ilinks/record.h"

namespace ilinks {

// The banner's words: what is drawn and what the text mirror reads.
struct BannerText {
  struct Field {
    std::string label, value;
  };
  std::string name;                    // "BRADSHAW, Joseph Edward (Mr)"
  bool deceased = false;
  std::vector<Field> identity;         // Born, [Died], Gender, NHS No.
  std::vector<Field> contact;          // Address, Registered GP, [Preferred name]
};
BannerText banner_text(const Patient& patient, const Date& today);

// Draws the banner across the current window at the cursor; returns its height.
float draw_patient_banner(const BannerText& banner, const Fonts& fonts, float scale);

}  // namespace ilinks
