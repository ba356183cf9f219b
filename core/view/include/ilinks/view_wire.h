// ilinks/view_wire.h: the View on the wire, from a sharing service to a viewer.
//
// A sharing service applies the policy where the data lives and sends each
// viewer only the View made for them, as JSON "ilinks-view/1". The viewer
// reads it into a ServiceView: a distinct type that only this reader makes,
// from those bytes only. It is read strictly (the View's schema, nothing
// else), so a host cannot pass a record, a FHIR Bundle or a hand-made
// object for a View, and what it holds is exactly what the policy let
// through. Every member of every shown item is carried, so a viewer draws
// the same screen from it as from the View itself.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "ilinks/view.h"

namespace ilinks {

// The format member every View on the wire starts with.
inline constexpr const char* kViewWireFormat = "ilinks-view/1";
// More than this is refused unread: a View of a 20-year record is ~10 MB.
inline constexpr size_t kViewWireMaxBytes = 64u * 1024u * 1024u;
// Arrays and objects nest this deep at most in a View (an item's consent
// directive's parts' lists are the deepest, at 6).
inline constexpr int kViewWireMaxDepth = 12;

// The View as "ilinks-view/1" JSON, compact; members at their defaults are
// left out. Malformed UTF-8 in the record's text is replaced, never dropped.
std::string view_to_wire(const View& view);

// A View a sharing service made, read from its JSON.
class ServiceView {
 public:
  // Reads `json` (from `source`, named in errors: "the sharing service at
  // https://..."). Throws InputError saying what, where (a JSON pointer) and
  // why for anything that is not such a View: too large, not JSON, another
  // format, an unknown member, a value of the wrong type or out of range, an
  // item that links to an item not shown, items in a View that shows no record.
  static ServiceView read(std::string_view json, const std::string& source);

  const View& view() const { return view_; }

 private:
  explicit ServiceView(View view) : view_(std::move(view)) {}
  View view_;
};

}  // namespace ilinks
