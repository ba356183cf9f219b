// http_get.h (internal): HTTP for the FHIR clients (fhir_client.cpp,
// terminology.cpp: GET, tried again on 429, 5xx and timeouts) and the sharing
// service's client (service_client.cpp: GET and POST, once).
//
// Native builds use libcurl; a build without it (WebAssembly: the host
// fetches) answers every request with a transport error in words.
#pragma once
#include <map>
#include <string>

namespace ilinks::http {

struct Settings {
  std::string bearer_token;  // sent as "Authorization: Bearer ..."; empty: none
  long timeout_ms = 15000;   // for each request, start to end
  int attempts = 3;          // tries of a request answered 429 or 5xx, or timed out
  long backoff_ms = 500;     // the first wait between tries; doubles each time (Retry-After wins, up to 30 s)
};

struct Response {
  long status = 0;
  std::string body;
  long retry_after_s = -1;      // Retry-After in seconds; -1: none (or an HTTP-date)
  std::string transport_error;  // libcurl's words when no complete answer came
  std::string transport_words;  // the same in plain words: "connection refused", "its answer was cut short"
  bool timed_out = false;

  // A complete 2xx answer.
  bool ok() const { return transport_error.empty() && status >= 200 && status < 300; }
};

// One request, once: GET by default; POST sends `body` as `content_type`.
struct Exchange {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::string content_type = "application/json";
  std::string accept = "application/fhir+json";
};
Response exchange_once(const Settings& settings, const Exchange& exchange);

// One GET of `url` (Accept: application/fhir+json), once.
Response get_once(const Settings& settings, const std::string& url);

// One GET, tried again on 429, 5xx and timeouts, waiting longer each time.
// `attempts_made` says how many tries it took.
Response get(const Settings& settings, const std::string& url, int& attempts_made);

// The server's own words from an OperationOutcome body, if it sent one
// (each issue's diagnostics, else its details.text, joined with "; ").
std::string outcome_text(const std::string& body);

// Why a failed answer failed, in words, naming the server ("the FHIR
// server"): a timeout, a transport error, 429, 5xx, else "answered N".
// `known` gives the whole words for statuses the caller knows better (401,
// 404, ...); the server's OperationOutcome text is added to any status.
std::string failure_words(const Response& r, const std::string& server, int attempts,
                          const std::map<long, std::string>& known = {});

// base + "/" + path, with one slash between them.
std::string join_url(const std::string& base, const std::string& path);

// `text` percent-encoded for a query parameter (RFC 3986 unreserved kept).
std::string query_escape(const std::string& text);

}  // namespace ilinks::http
