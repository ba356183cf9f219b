#include "http_get.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#if defined(ILINKS_HAVE_CURL)
#include <curl/curl.h>
#endif

namespace ilinks::http {
namespace {

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

// What a transfer that got no complete answer means, for someone who runs
// the servers: "connection refused" rather than libcurl's own phrasing.
std::string transport_words(CURLcode rc, long os_errno) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "its name could not be found";
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED) return "connection refused";
      if (os_errno == EHOSTUNREACH || os_errno == ENETUNREACH) return "no route to it on the network";
      return "no connection could be made";
    case CURLE_OPERATION_TIMEDOUT:
      return "no answer in time";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return "the secure connection (TLS) failed or its certificate was not accepted";
    case CURLE_GOT_NOTHING:
      return "it closed the connection without answering";
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return "its answer was cut short";
    default:
      return curl_easy_strerror(rc);
  }
}
#endif

}  // namespace

#if defined(ILINKS_HAVE_CURL)
Response exchange_once(const Settings& s, const Exchange& x) {
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
  curl_slist* headers = curl_slist_append(nullptr, ("Accept: " + x.accept).c_str());
  if (!s.bearer_token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + s.bearer_token).c_str());
  if (x.method == "POST") {
    headers = curl_slist_append(headers, ("Content-Type: " + x.content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, x.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(x.body.size()));
  } else if (x.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, x.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, x.url.c_str());
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
    long os_errno = 0;  // why the connection failed, when it did
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    r.transport_words = transport_words(rc, os_errno);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}
#else
Response exchange_once(const Settings&, const Exchange&) {
  Response r;
  r.transport_error = "fetching over HTTP is not available in this build; the host fetches and calls load";
  r.transport_words = r.transport_error;
  return r;
}
#endif

Response get_once(const Settings& s, const std::string& url) {
  Exchange x;
  x.url = url;
  return exchange_once(s, x);
}

Response get(const Settings& s, const std::string& url, int& attempts_made) {
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

std::string outcome_text(const std::string& body) {
  using nlohmann::json;
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object() || doc.value("resourceType", "") != "OperationOutcome") return {};
  std::string out;
  if (auto issues = doc.find("issue"); issues != doc.end() && issues->is_array())
    for (const auto& i : *issues) {
      if (!i.is_object()) continue;
      std::string text = i.contains("diagnostics") && i["diagnostics"].is_string() ? i["diagnostics"].get<std::string>() : "";
      if (text.empty() && i.contains("details") && i["details"].is_object() && i["details"].contains("text") &&
          i["details"]["text"].is_string())
        text = i["details"]["text"].get<std::string>();
      if (!text.empty()) out += (out.empty() ? "" : "; ") + text;
    }
  return out;
}

std::string failure_words(const Response& r, const std::string& server, int attempts, const std::map<long, std::string>& known) {
  if (r.timed_out) return server + " did not answer in time (tried " + std::to_string(attempts) + " times)";
  if (!r.transport_error.empty())
    return server + " could not be reached or its answer was cut short (" + r.transport_error + ")";
  std::string said = outcome_text(r.body);
  if (!said.empty()) said = "; the server said: " + said;
  if (auto k = known.find(r.status); k != known.end()) return k->second + said;
  if (r.status == 429) return server + " is too busy (429) after " + std::to_string(attempts) + " tries" + said;
  if (r.status >= 500)
    return server + " failed (" + std::to_string(r.status) + ") after " + std::to_string(attempts) + " tries" + said;
  return server + " answered " + std::to_string(r.status) + said;
}

std::string join_url(const std::string& base, const std::string& path) {
  return base + (base.empty() || base.back() != '/' ? "/" : "") + path;
}

std::string query_escape(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~';  // not isalnum: a host's locale must not change a URL
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace ilinks::http
