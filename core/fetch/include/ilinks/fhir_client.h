// ilinks/fhir_client.h: fetching one person's record from a FHIR R4 server.
//
// Native builds use libcurl (HTTPS, bearer token, timeouts, retries with
// backoff on 429 and 5xx, Bundle paging); the browser widget fetches with the
// page's fetch() instead. Errors are for the user to read: what failed, in
// plain words, with the server's own OperationOutcome text when it gave one.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "ilinks/record.h"

namespace ilinks {

struct FhirServer {
  std::string base_url;        // "https://fhir.example.nhs.uk/R4"
  std::string bearer_token;    // sent as "Authorization: Bearer ..."; empty: none
  long timeout_ms = 15000;     // for each request, start to end
  int attempts = 3;            // tries of a request answered 429 or 5xx, or timed out
  long backoff_ms = 500;       // the first wait between tries; doubles each time (Retry-After wins, up to 30 s)
  int max_pages = 1000;        // Bundle pages followed at most (a loop guard)
};

// The pages a fetch read, in order, as the server sent them.
struct FetchedPages {
  std::vector<std::string> urls;
  std::vector<std::string> bodies;
};

// Everything about one patient: Patient/{id}/$everything, following each
// Bundle's link "next". When the server has no $everything (404, 405, 501 for
// the operation while Patient/{id} exists) it reads Patient/{id} and searches
// the kinds the record uses, each with paging. Throws InputError saying what
// failed. The pages are not read as FHIR here: see fetch_record.
FetchedPages fetch_patient(const FhirServer& server, const std::string& patient_id);

// fetch_patient, then each page read into one Record (RecordBuilder).
Record fetch_record(const FhirServer& server, const std::string& patient_id);

}  // namespace ilinks
