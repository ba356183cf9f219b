// ilinks/policy.h: the only way from a Record to a View.
#pragma once
#include "ilinks/record.h"
#include "ilinks/view.h"

namespace ilinks {

class Policy {
 public:
  // The view of `record` this policy allows. In this version the policy shares
  // the person's identity only (the patient banner): what every role profile
  // may see, before and without consent. Segments, tiers, consent, exclusions
  // and audit arrive with the sharing model.
  View view_of(const Record& record) const;
};

}  // namespace ilinks
