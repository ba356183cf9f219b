// The names of the sharing model's places, and item helpers.
#include "ilinks/item.h"

#include <algorithm>

namespace ilinks {

namespace {
const char* const kSettingIds[] = {"unknown", "primary_care", "community", "mental_health", "social_care", "acute_hospital", "diagnostics"};
}  // namespace

const char* care_setting_id(CareSetting s) { return kSettingIds[static_cast<int>(s)]; }

std::optional<CareSetting> care_setting_from_id(const std::string& id) {
  for (int i = 1; i < 7; ++i) if (id == kSettingIds[i]) return static_cast<CareSetting>(i);
  return std::nullopt;
}

const char* segment_letter(Segment s) {
  switch (s) {
    case Segment::summary: return "S";
    case Segment::community: return "C";
    case Segment::diagnostics: return "D";
    case Segment::hospital: return "H";
    default: return "-";
  }
}

const char* segment_name(Segment s) {
  switch (s) {
    case Segment::summary: return "Summary";
    case Segment::community: return "Community";
    case Segment::diagnostics: return "Diagnostics";
    case Segment::hospital: return "Hospitals";
    default: return "not shown as content";
  }
}

bool Item::has_tag(const std::string& tag) const { return std::find(tags.begin(), tags.end(), tag) != tags.end(); }

}  // namespace ilinks
