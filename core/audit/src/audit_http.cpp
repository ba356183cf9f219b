// The HTTP audit sink: each event POSTed as a FHIR AuditEvent. Native builds
// use libcurl; the WebAssembly build delivers through the host's callback.
#include "ilinks/audit.h"
#include "ilinks/errors.h"

#if defined(ILINKS_HAVE_CURL)
#include <curl/curl.h>
#endif

namespace ilinks {

#if defined(ILINKS_HAVE_CURL)
namespace {
size_t discard(char*, size_t size, size_t count, void*) { return size * count; }
}  // namespace

AuditSink audit_http_sink(const std::string& base_url, const std::string& bearer_token, long timeout_ms) {
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!curl_ready) throw AuditError("audit: the HTTP library could not start");
  std::string url = base_url + (base_url.empty() || base_url.back() != '/' ? "/" : "") + "AuditEvent";
  return [url, bearer_token, timeout_ms](const AuditEvent& event) {
    std::string body = to_fhir_audit_event(event);
    CURL* curl = curl_easy_init();
    if (!curl) return false;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/fhir+json");
    if (!bearer_token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer_token).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK && status >= 200 && status < 300;
  };
}
#else
AuditSink audit_http_sink(const std::string&, const std::string&, long) {
  throw AuditError("audit: the HTTP sink is not available in this build; deliver events through the host callback");
}
#endif

}  // namespace ilinks
