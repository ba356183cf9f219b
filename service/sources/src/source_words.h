// source_words.h (internal): why an organisation's record is missing, in
// words for the people who look at the record and those who run the
// servers. Never the patient's id, NHS number or anything from the record,
// never the bearer token, never the server's own words (an OperationOutcome
// can quote the record).
#pragma once
#include <string>

#include "ilinks/fhir_client.h"

namespace ilinks::detail {

// "8 s", "2.5 s".
std::string seconds_in_words(long ms);

// A request that failed: "the server refused the service's credentials
// (401)", "could not be reached: connection refused", "no answer within 8 s".
// `timeout_ms` is the organisation's own limit on each request.
std::string why_fetch_failed(const FetchFailure& e, long timeout_ms);

// Asked nothing, or its answer could not be used: "could not be asked: ...".
std::string why_not_asked(const InputError& e);

}  // namespace ilinks::detail
