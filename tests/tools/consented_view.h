// A hospital doctor (1a) with a care relationship who has recorded the
// person's verbal consent: the widest ordinary view, through a Session as
// every front end gets it, for the benchmarks and fuzz targets that push
// whole records through the policy.
#pragma once
#include <optional>
#include <string>
#include <utility>

#include "ilinks/session.h"

namespace ilinks::test {

// The View, or nothing when the policy refuses (a record with no NHS number,
// say). Throws AuditError only if the in-memory audit trail fails.
inline std::optional<View> consented_view(Record record, const std::string& user, const Timestamp& now = Timestamp::now()) {
  Session session(Policy::builtin());
  session.set_clock([now] { return now; });
  session.load(std::move(record));
  Viewer viewer;
  viewer.user_id = user;
  viewer.profile = "1a";
  viewer.organisation_ods = "ZZTEST";
  session.set_viewer(viewer, true);
  session.record_consent("verbal", "patient");
  try {
    return session.view();
  } catch (const Refused&) {
    return std::nullopt;
  }
}

}  // namespace ilinks::test
