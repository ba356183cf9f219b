// What every ingest fuzz target does with its bytes: read them as a record,
// ask the policy for a consented doctor's view, and write that view out, as
// a viewer would. Bad input must end in load issues or a refusal, never in a
// crash, a hang, a leak or undefined behaviour (the sanitizers watch).
#pragma once
#include <string_view>

#include "../tools/consented_request.h"
#include "ilinks/audit.h"
#include "ilinks/mirror.h"
#include "ilinks/policy.h"
#include "ilinks/record_builder.h"
#include "ilinks/view_export.h"

namespace fuzz {

inline void ingest_and_view(std::string_view bytes, const char* name) {
  ilinks::RecordBuilder builder;
  builder.add(bytes, {name, ""});
  ilinks::Record record = builder.build();

  const ilinks::Policy& policy = ilinks::Policy::builtin();
  ilinks::AuditTrail audit(policy);  // in memory
  // A fixed "now": the same input always takes the same path.
  ilinks::Request request = ilinks::test::consented_request(record, "fuzz", *ilinks::Timestamp::parse("2026-11-22T10:30:00+00:00"));
  ilinks::Decision decision = policy.view_for(record, request, audit);
  if (!decision.view) return;
  ilinks::Date today = request.now.local_date();
  (void)ilinks::view_as_json(*decision.view, today);
  (void)ilinks::mirror_as_text(ilinks::mirror_of_view(*decision.view, today, request.now));
}

}  // namespace fuzz
