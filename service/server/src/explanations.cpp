#include "explanations.h"

#include <curl/curl.h>

namespace ilinks {

using nlohmann::json;

std::string explanation_resource(const Viewer& v, const std::string& nhs_number, const std::string& practice_ods,
                                 const std::string& practice_name, const Override& o) {
  json practice = {{"identifier", {{"system", "https://fhir.nhs.uk/Id/ods-organization-code"}, {"value", practice_ods}}}};
  if (!practice_name.empty()) practice["display"] = practice_name;
  std::string words = "Emergency override of consent to view the integrated shared care record. Reason: " + o.reason +
                      ". In their words: \"" + o.text + "\". By " + (v.user_name.empty() ? v.user_id : v.user_name) +
                      " (" + v.profile + ") of " + (v.organisation_name.empty() ? v.organisation_ods : v.organisation_name) +
                      ", from " + o.started.iso() + " until " + o.ends.iso() + ".";
  json resource = {
      {"resourceType", "Communication"},
      {"status", "completed"},
      {"category", {{{"coding", {{{"system", "https://ilinks.nhs.uk/fhir/CodeSystem/communication-category"},
                                  {"code", "override-explanation"},
                                  {"display", "Explanation of an emergency override"}}}}}}},
      {"subject", {{"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", nhs_number}}}}},
      {"sent", o.started.iso()},
      {"recipient", {practice}},
      {"sender", {{"identifier", {{"system", "https://fhir.nhs.uk/Id/ods-organization-code"}, {"value", v.organisation_ods}}},
                  {"display", v.organisation_name.empty() ? v.organisation_ods : v.organisation_name}}},
      {"reasonCode", {{{"coding", {{{"system", "https://ilinks.nhs.uk/fhir/CodeSystem/override-reason"}, {"code", o.reason_code},
                                    {"display", o.reason}}}}}}},
      {"payload", {{{"contentString", words}}}}};
  return resource.dump();
}

void owe_explanation(SharingService& s, const api::Caller& c, const Record& record, const Override& o) {
  PendingExplanation e;
  e.nhs_number = c.token.patient_nhs_number;
  e.practice_ods = record.patient().registered_gp_ods;
  e.resource_json = explanation_resource(c.token.viewer, e.nhs_number, e.practice_ods, record.patient().registered_gp, o);
  e.created = Timestamp::now();
  if (e.practice_ods.empty()) e.last_error = "the record names no registered GP practice (ODS code)";
  s.store().add_explanation(e);
}

namespace {
size_t discard(char*, size_t size, size_t n, void*) { return size * n; }
}  // namespace

std::string post_explanation(const FhirServer& server, const std::string& resource_json) {
  CURL* curl = curl_easy_init();
  if (!curl) return "the HTTP client could not start";
  std::string url = server.base_url + (server.base_url.empty() || server.base_url.back() != '/' ? "/" : "") + "Communication";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/fhir+json");
  headers = curl_slist_append(headers, "Accept: application/fhir+json");
  std::string bearer = "Authorization: Bearer " + server.bearer_token;
  if (!server.bearer_token.empty()) headers = curl_slist_append(headers, bearer.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, resource_json.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(resource_json.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, server.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return std::string("the practice's endpoint could not be reached: ") + curl_easy_strerror(rc);
  if (status < 200 || status >= 300) return "the practice's endpoint answered HTTP " + std::to_string(status);
  return "";
}

void SharingService::deliver_explanations() {
  std::lock_guard<std::mutex> one_round(delivery_lock_);
  std::vector<PendingExplanation> owed;
  try {
    owed = store_->undelivered_explanations();
    for (const auto& e : owed) {
      auto endpoint = config_.explanations_to.find(e.practice_ods);
      std::string error = e.practice_ods.empty() ? "the record names no registered GP practice (ODS code)"
                          : endpoint == config_.explanations_to.end()
                              ? "no endpoint is configured for practice " + e.practice_ods + " (service.json explanations_to)"
                              : post_explanation(endpoint->second, e.resource_json);
      if (error.empty()) store_->explanation_delivered(e.id, Timestamp::now());
      else store_->explanation_attempted(e.id, error, Timestamp::now());
    }
    metrics_.set_explanations_owed(static_cast<int64_t>(store_->undelivered_explanations().size()));
  } catch (const StoreError&) {
    metrics_.store_error();  // tried again on the next round
  }
}

}  // namespace ilinks
