// Consent and opt-outs as FHIR R4 Consent resources (scope patient-privacy),
// out of the store and into it. Opt-outs are written the way the record
// reader reads a source's directives (deny provisions by actor organisation,
// data reference or security label; the whole record as a deny at the top),
// so an exported opt-out means the same wherever it is read. Segment and
// setting opt-outs use provision.class with this service's code systems:
// another reader that cannot apply them must withhold more, never less (the
// record reader here does exactly that).
#pragma once
#include <string>

#include "api.h"

namespace ilinks {

// Every consent and opt-out in force for the person, as a FHIR Bundle (collection).
std::string consents_as_fhir(Store& store, const std::string& nhs_number);

struct ImportedConsents {
  int consents = 0, opt_outs = 0;
};
// Reads a Bundle of Consent resources (or one Consent) about the caller's
// person and records each, audited as if the caller recorded it. Throws
// InputError naming the entry and the reason; nothing is recorded from a
// Bundle that has a bad entry.
ImportedConsents import_fhir_consents(SharingService& service, const api::Caller& caller, const std::string& body);

}  // namespace ilinks
