// The View's accessors: what one viewer may see, as the policy made it.
#include "ilinks/view.h"

#include "ilinks/errors.h"

namespace ilinks {

const char* error_kind_id(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::input: return "input";
    case ErrorKind::policy_file: return "policy-file";
    case ErrorKind::audit: return "audit";
    case ErrorKind::refused: return "refused";
    case ErrorKind::unavailable: return "unavailable";
  }
  return "";
}

const char* basis_id(Basis basis) {
  switch (basis) {
    case Basis::consent_required: return "consent-required";
    case Basis::opted_out: return "opted-out";
    case Basis::consent: return "consent";
    case Basis::override_: return "override";
  }
  return "";
}

int View::tier(Segment segment) const { return tiers_[static_cast<size_t>(segment)]; }

std::string View::tiers_shown() const {
  std::string out;
  if (!shows_record()) return out;
  for (Segment s : {Segment::summary, Segment::community, Segment::diagnostics, Segment::hospital})
    if (tier(s) > 0) out += (out.empty() ? "" : " ") + std::string(segment_letter(s)) + std::to_string(tier(s));
  return out;
}

std::vector<const Item*> View::items_in(Segment segment) const {
  std::vector<const Item*> out;
  for (const auto& item : items_)
    if (item.segment == segment) out.push_back(&item);
  return out;
}

const Item* View::find(const std::string& key) const {
  for (const auto& item : items_)
    if (item.key == key) return &item;
  return nullptr;
}

}  // namespace ilinks
