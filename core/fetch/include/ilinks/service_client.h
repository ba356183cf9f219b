// ilinks/service_client.h: a viewer's client of the sharing service.
//
// Hosts outside the data holders' boundary never hold a record: they ask the
// sharing service (service/, README "The sharing service") for the View made
// for their signed-in user, proven by a context token the host signs, and
// send it what the user records (consent, an override, wider access, an
// opt-out). Native builds use libcurl; the browser widget uses fetch().
#pragma once
#include <functional>
#include <string>

#include "ilinks/errors.h"
#include "ilinks/view_wire.h"

namespace ilinks {

struct ServiceSettings {
  std::string base_url;     // "https://ilinks.north-mersey.nhs.uk"; the API is under /v1/
  long timeout_ms = 15000;  // for each request, start to end
};

// A fresh context token for each request (the service accepts each once).
// `expired`: the last one was refused as expired. Empty: there is none.
using TokenSource = std::function<std::string(bool expired)>;

class ServiceClient {
 public:
  ServiceClient(ServiceSettings settings, TokenSource tokens);

  // GET /v1/view: the View of the person in the token, for its user.
  ServiceView view();
  // POST /v1/{route} ("consent", "override", "case-access", "consent/withdraw")
  // with a JSON object body: the View the service answers with.
  ServiceView post_for_view(const std::string& route, const std::string& json_body);
  // POST /v1/{route} whose answer is not a View ("opt-outs").
  void post(const std::string& route, const std::string& json_body);

  const ServiceSettings& settings() const { return settings_; }

  // Each call throws, with the service's own words:
  //   Refused      it refused (400, 401, 403, 404, 429: the token, the policy, a bad value)
  //   Unavailable  no answer in time, no connection, or it cannot answer now (5xx)
  //   InputError   it answered with something that is not a View
 private:
  std::string exchange(const std::string& method, const std::string& route, const std::string& body);
  ServiceSettings settings_;
  TokenSource tokens_;
};

}  // namespace ilinks
