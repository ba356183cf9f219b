#include "ilinks/fhir_client.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/record_builder.h"
#include "http_get.h"

namespace ilinks {
namespace {

using http::Response;
using nlohmann::json;

// The kinds searched when a server has no $everything.
const char* const kSearchedKinds[] = {
    "AllergyIntolerance", "Condition", "MedicationStatement", "MedicationRequest", "MedicationAdministration",
    "Observation", "DiagnosticReport", "Procedure", "Immunization", "Encounter", "EpisodeOfCare", "CarePlan",
    "CareTeam", "Goal", "Appointment", "DocumentReference", "Composition", "Flag", "Consent", "RelatedPerson"};

http::Settings settings_of(const FhirServer& s) { return {s.bearer_token, s.timeout_ms, s.attempts, s.backoff_ms}; }

// What a failed answer means, for the person waiting for the record.
std::string explain(const Response& r, const std::string& what, int attempts) {
  static const std::map<long, std::string> known = {
      {401, "the FHIR server did not accept the sign-in (401 Unauthorized); sign in again"},
      {403, "you are not allowed to read this record on the FHIR server (403 Forbidden)"},
      {404, "the FHIR server has no such patient (404 Not Found)"}};
  return what + ": " + http::failure_words(r, "the FHIR server", attempts, known);
}

// Reads a search or operation and every page after it.
void read_pages(const FhirServer& s, std::string url, const std::string& what, FetchedPages& out) {
  std::set<std::string> seen;
  for (int page = 0; !url.empty(); ++page) {
    if (page >= s.max_pages) throw InputError(what + ": more than " + std::to_string(s.max_pages) + " pages; stopped");
    if (!seen.insert(url).second) throw InputError(what + ": the server's pages lead back to one already read; stopped");
    int attempts = 0;
    Response r = http::get(settings_of(s), url, attempts);
    if (!r.transport_error.empty() || r.status < 200 || r.status >= 300) throw InputError(explain(r, what, attempts));
    json doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object())
      throw InputError(what + ": the FHIR server's answer is not JSON (page " + std::to_string(page + 1) + ")");
    out.urls.push_back(url);
    out.bodies.push_back(std::move(r.body));
    url.clear();
    if (auto links = doc.find("link"); links != doc.end() && links->is_array())
      for (const auto& l : *links)
        if (l.is_object() && l.value("relation", "") == "next") url = l.value("url", "");
  }
}

}  // namespace

FetchedPages fetch_patient(const FhirServer& s, const std::string& patient_id) {
  if (s.base_url.rfind("https://", 0) != 0 && s.base_url.rfind("http://", 0) != 0)
    throw InputError("FHIR server address '" + s.base_url + "' must start with https:// (or http:// for a local test server)");
  if (patient_id.empty() || patient_id.find_first_of("/?#& ") != std::string::npos)
    throw InputError("patient id '" + patient_id + "' is not a FHIR id");
  FetchedPages out;
  std::string what = "Patient/" + patient_id + "/$everything";
  try {
    read_pages(s, http::join_url(s.base_url, "Patient/" + patient_id + "/$everything"), what, out);
    return out;
  } catch (const InputError& e) {
    // Only a server without the operation is worth asking again, kind by kind.
    std::string m = e.what();
    bool no_operation = m.find("(404") != std::string::npos || m.find("answered 405") != std::string::npos ||
                        m.find("(501") != std::string::npos || m.find("answered 501") != std::string::npos;
    if (!no_operation) throw;
  }
  out = {};
  read_pages(s, http::join_url(s.base_url, "Patient/" + patient_id), "Patient/" + patient_id, out);  // 404 here: no such patient
  for (const char* kind : kSearchedKinds)
    read_pages(s, http::join_url(s.base_url, std::string(kind) + "?patient=" + patient_id), std::string(kind) + " search", out);
  return out;
}

Record fetch_record(const FhirServer& server, const std::string& patient_id) {
  FetchedPages pages = fetch_patient(server, patient_id);
  RecordBuilder builder;
  for (size_t i = 0; i < pages.bodies.size(); ++i) builder.add(pages.bodies[i], InputOptions{pages.urls[i], {}});
  return builder.build();
}

}  // namespace ilinks
