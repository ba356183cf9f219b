// ilinks/view.h: what one viewer may see of one person's record.
//
// A View is made only by the policy (ilinks/policy.h): it has no public
// constructor, so render/ and the bindings, which see Views only, cannot show
// anything the policy did not let through.
#pragma once
#include "ilinks/record.h"

namespace ilinks {

class View {
 public:
  // Who the person is, for the patient banner.
  const Patient& patient() const { return patient_; }
  // True when part of the record could not be read: the viewer must be told
  // that what they see may be incomplete.
  bool incomplete() const { return incomplete_; }

  View(const View&) = default;
  View(View&&) = default;
  View& operator=(const View&) = default;
  View& operator=(View&&) = default;

 private:
  friend class Policy;
  View() = default;
  Patient patient_;
  bool incomplete_ = false;
};

}  // namespace ilinks
