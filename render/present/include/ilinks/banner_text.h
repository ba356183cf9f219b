// ilinks/banner_text.h: the patient banner's words.
//
// After the NHS Common User Interface: name, birth date and age, gender, NHS
// number in that order, then address, registered GP and preferred name.
// Missing values read "Not Known". The widget draws these words
// (render/draw/src/banner.cpp) and the text mirror reads them.
#pragma once
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/view.h"

namespace ilinks {

struct BannerText {
  struct Field {
    std::string label, value;
  };
  std::string name;             // "BRADSHAW, Joseph Edward (Mr)"
  bool deceased = false;
  std::vector<Field> identity;  // Born, [Died], Gender, NHS No.
  std::vector<Field> contact;   // Address, Registered GP, [Preferred name]
};
BannerText banner_text(const Patient& patient, const Date& today);

}  // namespace ilinks
