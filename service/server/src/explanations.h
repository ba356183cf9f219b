// An override's explanation, recorded "in the individual's record" (section
// 6.2 of the sharing framework): a FHIR R4 Communication about the person,
// with the reason and the professional's own words, for the person's
// registered GP practice. Kept in the store until the practice's endpoint
// (service.json "explanations_to") accepts it; tried again on every round;
// counted in /metrics while owed. Never dropped: a practice with no endpoint
// configured keeps it owed, with that said as its last error.
#pragma once
#include "api.h"
#include "ilinks/record.h"

namespace ilinks {

// Keeps the explanation of `override` owed to the person's practice.
void owe_explanation(SharingService& service, const api::Caller& caller, const Record& record, const Override& override);

// The FHIR Communication for an override (JSON).
std::string explanation_resource(const Viewer& viewer, const std::string& nhs_number, const std::string& practice_ods,
                                 const std::string& practice_name, const Override& override);

// POSTs `resource_json` to `server`/Communication; empty when accepted (2xx),
// otherwise what went wrong, in words.
std::string post_explanation(const FhirServer& server, const std::string& resource_json);

}  // namespace ilinks
