// ilinks/policy.h: the only way from a Record to a View.
#pragma once
#include "ilinks/record.h"
#include "ilinks/view.h"

namespace ilinks {

class Policy {
 public:
  // The view of `record` this policy allows. In this version the policy passes
  // the person's identity only (demographics, tier S1, which every role profile
  // has) and nothing clinical. It does not yet check consent or a legitimate
  // relationship, nor audit the view: those arrive with the sharing model, and
  // until then the component must not be pointed at real records.
  View view_of(const Record& record) const;
};

}  // namespace ilinks
