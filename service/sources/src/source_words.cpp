#include "source_words.h"

#include <cstdio>

namespace ilinks::detail {

std::string seconds_in_words(long ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
  return text;
}

std::string why_fetch_failed(const FetchFailure& e, long timeout_ms) {
  std::string tries = e.attempts > 1 ? " (tried " + std::to_string(e.attempts) + " times)" : "";
  if (e.timed_out) return "no answer within " + seconds_in_words(timeout_ms) + tries;
  if (!e.transport_words.empty()) {
    // Words about an answer ("its answer was cut short") happened after the
    // connection was made; the rest mean the server was never reached.
    bool during_answer = e.transport_words.rfind("its ", 0) == 0 || e.transport_words.rfind("it ", 0) == 0;
    if (during_answer) return "the connection failed during " + e.request + ": " + e.transport_words;
    return "could not be reached: " + e.transport_words;
  }
  switch (e.status) {
    case 0: return "its answer to " + e.request + " could not be used: " + e.problem;
    case 401: return "the server refused the service's credentials (401)";
    case 403: return "the server refused the service access to this record (403)";
    case 404: return "the server answered 404 (not found) to " + e.request;
    case 429: return "the server is too busy (429)" + tries;
    default: break;
  }
  if (e.status >= 500) return "the server failed (" + std::to_string(e.status) + ") at " + e.request + tries;
  return "the server answered " + std::to_string(e.status) + " to " + e.request;
}

std::string why_not_asked(const InputError& e) { return std::string("could not be asked: ") + e.what(); }

}  // namespace ilinks::detail
