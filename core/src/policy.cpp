#include "ilinks/policy.h"

namespace ilinks {

View Policy::view_of(const Record& record) const {
  View view;
  view.patient_ = record.patient();
  view.incomplete_ = !record.load_issues().empty();
  return view;
}

}  // namespace ilinks
