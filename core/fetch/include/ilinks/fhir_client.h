// ilinks/fhir_client.h: fetching one person's record from a FHIR R4 server.
//
// Native builds use libcurl (HTTPS, bearer token, timeouts, retries with
// backoff on 429 and 5xx, Bundle paging); the browser widget fetches with the
// page's fetch() instead. Errors are for the user to read: what failed, in
// plain words, with the server's own OperationOutcome text when it gave one.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ilinks/errors.h"
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

// What happened when a fetch failed, apart from the words, for callers that
// must say it their own way (the sharing service names the organisation and
// never the patient).
struct FetchFailure {
  std::string request;          // which request, naming no patient: "the Patient search", "the $everything request"
  std::string problem;          // the failure in words, without the request ("the FHIR server's answer is not JSON (page 2)")
  long status = 0;              // the HTTP status; 0: no answer (see timed_out, transport_words) or a bad answer
  bool timed_out = false;       // the last try ran out of time
  std::string transport_words;  // no complete answer: "connection refused", "its answer was cut short"
  int attempts = 0;             // tries made of the failing request
};

// A request of a fetch failed. what() is the sentence the viewers show.
class FetchError : public InputError {
 public:
  FetchError(const std::string& what, FetchFailure f) : InputError(what), failure(std::move(f)) {}
  FetchFailure failure;
};

// The ids of the Patients a server holds under one identifier, by search
// (Patient?identifier=system|value, every page), each id once; an entry the
// server only included (search.mode "include") is not a match. The search's
// pages are appended to `pages`, so the Patient resource is in the record.
// Throws FetchError (an InputError) saying what failed.
std::vector<std::string> find_patients(const FhirServer& server, const std::string& system, const std::string& value,
                                       FetchedPages& pages);

// Everything about one patient: Patient/{id}/$everything, following each
// Bundle's link "next". When the server has no $everything (404, 405, 501 for
// the operation while Patient/{id} exists) it reads Patient/{id} and searches
// the kinds the record uses, each with paging. Throws InputError saying what
// failed (a FetchError when a request failed). The pages are not read as
// FHIR here: see fetch_record.
FetchedPages fetch_patient(const FhirServer& server, const std::string& patient_id);

// fetch_patient, then each page read into one Record (RecordBuilder).
Record fetch_record(const FhirServer& server, const std::string& patient_id);

}  // namespace ilinks
