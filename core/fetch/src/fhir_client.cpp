#include "ilinks/fhir_client.h"

#include <algorithm>
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
std::string explain(const Response& r, int attempts) {
  static const std::map<long, std::string> known = {
      {401, "the FHIR server did not accept the sign-in (401 Unauthorized); sign in again"},
      {403, "you are not allowed to read this record on the FHIR server (403 Forbidden)"},
      {404, "the FHIR server has no such patient (404 Not Found)"}};
  return http::failure_words(r, "the FHIR server", attempts, known);
}

// `what` names the request for the user (with the patient's id); `request`
// names it without the patient, for FetchError.
[[noreturn]] void fail(const std::string& what, const std::string& request, const std::string& problem,
                       const Response* r = nullptr, int attempts = 0) {
  FetchFailure f{request, problem, 0, false, "", attempts};
  if (r && r->transport_error.empty()) f.status = r->status;
  if (r && !r->transport_error.empty()) f.transport_words = r->transport_words.empty() ? r->transport_error : r->transport_words;
  f.timed_out = r && r->timed_out;
  throw FetchError(what + ": " + problem, std::move(f));
}

// Reads a search or operation and every page after it.
void read_pages(const FhirServer& s, std::string url, const std::string& what, const std::string& request,
                FetchedPages& out) {
  std::set<std::string> seen;
  for (int page = 0; !url.empty(); ++page) {
    if (page >= s.max_pages) fail(what, request, "more than " + std::to_string(s.max_pages) + " pages; stopped");
    if (!seen.insert(url).second) fail(what, request, "the server's pages lead back to one already read; stopped");
    int attempts = 0;
    Response r = http::get(settings_of(s), url, attempts);
    if (!r.transport_error.empty() || r.status < 200 || r.status >= 300) fail(what, request, explain(r, attempts), &r, attempts);
    json doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object())
      fail(what, request, "the FHIR server's answer is not JSON (page " + std::to_string(page + 1) + ")");
    out.urls.push_back(url);
    out.bodies.push_back(std::move(r.body));
    url.clear();
    if (auto links = doc.find("link"); links != doc.end() && links->is_array())
      for (const auto& l : *links)
        if (l.is_object() && l.value("relation", "") == "next") url = l.value("url", "");
  }
}

void check_base_url(const FhirServer& s) {
  if (s.base_url.rfind("https://", 0) != 0 && s.base_url.rfind("http://", 0) != 0)
    throw InputError("FHIR server address '" + s.base_url + "' must start with https:// (or http:// for a local test server)");
}

}  // namespace

std::vector<std::string> find_patients(const FhirServer& s, const std::string& system, const std::string& value,
                                       FetchedPages& pages) {
  check_base_url(s);
  const std::string what = "Patient search by identifier", request = "the Patient search";
  FetchedPages found;
  read_pages(s, http::join_url(s.base_url, "Patient?identifier=" + http::query_escape(system + "|" + value)), what, request,
             found);
  std::vector<std::string> ids;
  for (const auto& body : found.bodies) {
    json doc = json::parse(body, nullptr, false);  // JSON: read_pages checked
    auto entries = doc.find("entry");
    if (entries == doc.end() || !entries->is_array()) continue;
    for (const auto& e : *entries) {
      if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) continue;
      const json& r = e["resource"];
      if (r.value("resourceType", "") != "Patient") continue;
      if (e.contains("search") && e["search"].is_object() && e["search"].value("mode", "match") == "include") continue;
      std::string id = r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : "";
      if (id.empty()) fail(what, request, "the server answered with a Patient that has no id, so its record cannot be asked for");
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  for (size_t i = 0; i < found.bodies.size(); ++i) {
    pages.urls.push_back(std::move(found.urls[i]));
    pages.bodies.push_back(std::move(found.bodies[i]));
  }
  return ids;
}

FetchedPages fetch_patient(const FhirServer& s, const std::string& patient_id) {
  check_base_url(s);
  if (patient_id.empty() || patient_id.find_first_of("/?#& ") != std::string::npos)
    throw InputError("patient id '" + patient_id + "' is not a FHIR id");
  FetchedPages out;
  std::string what = "Patient/" + patient_id + "/$everything";
  try {
    read_pages(s, http::join_url(s.base_url, "Patient/" + patient_id + "/$everything"), what, "the $everything request", out);
    return out;
  } catch (const FetchError& e) {
    // Only a server without the operation is worth asking again, kind by kind.
    long status = e.failure.status;
    bool no_operation = status == 404 || status == 405 || status == 501;
    if (!no_operation) throw;
  }
  out = {};
  read_pages(s, http::join_url(s.base_url, "Patient/" + patient_id), "Patient/" + patient_id, "the Patient read",
             out);  // 404 here: no such patient
  for (const char* kind : kSearchedKinds)
    read_pages(s, http::join_url(s.base_url, std::string(kind) + "?patient=" + patient_id), std::string(kind) + " search",
               "the " + std::string(kind) + " search", out);
  return out;
}

Record fetch_record(const FhirServer& server, const std::string& patient_id) {
  FetchedPages pages = fetch_patient(server, patient_id);
  RecordBuilder builder;
  for (size_t i = 0; i < pages.bodies.size(); ++i) builder.add(pages.bodies[i], InputOptions{pages.urls[i], {}});
  return builder.build();
}

}  // namespace ilinks
