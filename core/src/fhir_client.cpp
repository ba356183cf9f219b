#include "ilinks/fhir_client.h"

#include <chrono>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/record_builder.h"

#if defined(ILINKS_HAVE_CURL)
#include <curl/curl.h>
#endif

namespace ilinks {
namespace {

using nlohmann::json;

// The kinds searched when a server has no $everything.
const char* const kSearchedKinds[] = {
    "AllergyIntolerance", "Condition", "MedicationStatement", "MedicationRequest", "MedicationAdministration",
    "Observation", "DiagnosticReport", "Procedure", "Immunization", "Encounter", "EpisodeOfCare", "CarePlan",
    "CareTeam", "Goal", "Appointment", "DocumentReference", "Composition", "Flag", "Consent", "RelatedPerson"};

struct Response {
  long status = 0;
  std::string body;
  long retry_after_s = -1;
  std::string transport_error;  // libcurl's words when no complete answer came
  bool timed_out = false;
};

// The server's own words from an OperationOutcome body, if it sent one.
std::string outcome_text(const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object() || doc.value("resourceType", "") != "OperationOutcome") return {};
  std::string out;
  if (auto issues = doc.find("issue"); issues != doc.end() && issues->is_array())
    for (const auto& i : *issues) {
      std::string text = i.value("diagnostics", "");
      if (text.empty()) text = i.contains("details") && i["details"].is_object() ? i["details"].value("text", "") : "";
      if (!text.empty()) out += (out.empty() ? "" : "; ") + text;
    }
  return out;
}

// What a failed answer means, for the person waiting for the record.
std::string explain(const Response& r, const std::string& what, int attempts) {
  if (r.timed_out) return what + ": the FHIR server did not answer in time (tried " + std::to_string(attempts) + " times)";
  if (!r.transport_error.empty())
    return what + ": the FHIR server could not be reached or its answer was cut short (" + r.transport_error + ")";
  std::string server = outcome_text(r.body);
  std::string said = server.empty() ? "" : "; the server said: " + server;
  switch (r.status) {
    case 401: return what + ": the FHIR server did not accept the sign-in (401 Unauthorized); sign in again" + said;
    case 403: return what + ": you are not allowed to read this record on the FHIR server (403 Forbidden)" + said;
    case 404: return what + ": the FHIR server has no such patient (404 Not Found)" + said;
    case 429: return what + ": the FHIR server is too busy (429) after " + std::to_string(attempts) + " tries" + said;
    default: break;
  }
  if (r.status >= 500)
    return what + ": the FHIR server failed (" + std::to_string(r.status) + ") after " + std::to_string(attempts) + " tries" + said;
  return what + ": the FHIR server answered " + std::to_string(r.status) + said;
}

#if defined(ILINKS_HAVE_CURL)
size_t append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t header_line(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  std::string lower = line;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("retry-after:", 0) == 0) {
    try {
      *static_cast<long*>(out) = std::stol(line.substr(12));
    } catch (...) {
      // an HTTP-date: use our own backoff
    }
  }
  return size * count;
}

Response get_once(const FhirServer& s, const std::string& url) {
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  Response r;
  if (!curl_ready) {
    r.transport_error = "the HTTP library could not start";
    return r;
  }
  CURL* curl = curl_easy_init();
  if (!curl) {
    r.transport_error = "the HTTP library could not start";
    return r;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/fhir+json");
  if (!s.bearer_token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + s.bearer_token).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_line);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.retry_after_s);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  if (rc != CURLE_OK) {
    r.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    r.transport_error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}
#else
Response get_once(const FhirServer&, const std::string&) {
  Response r;
  r.transport_error = "fetching over HTTP is not available in this build; the host fetches and calls load";
  return r;
}
#endif

// One GET, tried again on 429, 5xx and timeouts, waiting longer each time.
Response get(const FhirServer& s, const std::string& url, int& attempts_made) {
  long wait_ms = s.backoff_ms;
  Response r;
  for (attempts_made = 1;; ++attempts_made) {
    r = get_once(s, url);
    bool again = r.timed_out || r.status == 429 || (r.status >= 500 && r.transport_error.empty());
    if (!again || attempts_made >= std::max(1, s.attempts)) return r;
    long ms = r.retry_after_s >= 0 ? std::min(r.retry_after_s, 30L) * 1000 : wait_ms;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    wait_ms *= 2;
  }
}

std::string join_url(const std::string& base, const std::string& path) {
  return base + (base.empty() || base.back() != '/' ? "/" : "") + path;
}

// Reads a search or operation and every page after it.
void read_pages(const FhirServer& s, std::string url, const std::string& what, FetchedPages& out) {
  std::set<std::string> seen;
  for (int page = 0; !url.empty(); ++page) {
    if (page >= s.max_pages) throw InputError(what + ": more than " + std::to_string(s.max_pages) + " pages; stopped");
    if (!seen.insert(url).second) throw InputError(what + ": the server's pages lead back to one already read; stopped");
    int attempts = 0;
    Response r = get(s, url, attempts);
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
    read_pages(s, join_url(s.base_url, "Patient/" + patient_id + "/$everything"), what, out);
    return out;
  } catch (const InputError& e) {
    // Only a server without the operation is worth asking again, kind by kind.
    std::string m = e.what();
    bool no_operation = m.find("(404") != std::string::npos || m.find("answered 405") != std::string::npos ||
                        m.find("(501") != std::string::npos || m.find("answered 501") != std::string::npos;
    if (!no_operation) throw;
  }
  out = {};
  read_pages(s, join_url(s.base_url, "Patient/" + patient_id), "Patient/" + patient_id, out);  // 404 here: no such patient
  for (const char* kind : kSearchedKinds)
    read_pages(s, join_url(s.base_url, std::string(kind) + "?patient=" + patient_id), std::string(kind) + " search", out);
  return out;
}

Record fetch_record(const FhirServer& server, const std::string& patient_id) {
  FetchedPages pages = fetch_patient(server, patient_id);
  RecordBuilder builder;
  for (size_t i = 0; i < pages.bodies.size(); ++i) builder.add(pages.bodies[i], InputOptions{pages.urls[i], {}});
  return builder.build();
}

}  // namespace ilinks
