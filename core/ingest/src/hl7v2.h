// HL7 v2 ADT messages, as trust integration engines send them, read into
// hospital tier-1 events (AdtEvent items) and the person they are about.
#pragma once
#include <string_view>
#include <vector>

#include "fhir_resource.h"

namespace ilinks::detail {

// True when `text` starts (after an optional UTF-8 BOM and blank lines) with an MSH segment.
bool looks_like_hl7v2(std::string_view text);

// Reads every message in `text` (CR, LF or CRLF segment endings, optional BOM).
// Each ADT message gives one AdtEvent and, from PID, the Patient. A message
// that is not ADT, or is malformed, is reported and skipped.
std::vector<ReadResource> read_hl7v2(std::string_view text, const IssueFn& issue);

}  // namespace ilinks::detail
