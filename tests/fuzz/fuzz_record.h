// What every ingest fuzz target does with its bytes: read them as a record,
// ask the policy for a consented doctor's view, and write that view out, as
// a viewer would. Bad input must end in load issues or a refusal, never in a
// crash, a hang, a leak or undefined behaviour (the sanitizers watch).
#pragma once
#include <string_view>

#include "../tools/consented_view.h"
#include "ilinks/mirror.h"
#include "ilinks/record_builder.h"
#include "ilinks/view_export.h"

namespace fuzz {

inline void ingest_and_view(std::string_view bytes, const char* name) {
  ilinks::RecordBuilder builder;
  builder.add(bytes, {name, ""});
  ilinks::Record record = builder.build();

  // A fixed "now": the same input always takes the same path.
  ilinks::Timestamp now = *ilinks::Timestamp::parse("2026-11-22T10:30:00+00:00");
  std::optional<ilinks::View> view = ilinks::test::consented_view(std::move(record), "fuzz", now);
  if (!view) return;
  ilinks::Date today = now.local_date();
  (void)ilinks::view_as_json(*view, today);
  (void)ilinks::mirror_as_text(ilinks::mirror_of_view(*view, today, now));
}

}  // namespace fuzz
