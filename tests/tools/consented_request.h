// A request from a hospital doctor (1a) with a care relationship and the
// person's verbal consent: the widest ordinary view, for the benchmarks and
// fuzz targets that push whole records through the policy.
#pragma once
#include <string>

#include "ilinks/policy.h"

namespace ilinks::test {

inline Request consented_request(const Record& record, const std::string& user, const Timestamp& now = Timestamp::now()) {
  Request request;
  request.viewer.user_id = user;
  request.viewer.profile = "1a";
  request.viewer.organisation_ods = "ZZTEST";
  request.host_patient = record.patient();
  request.legitimate_relationship = true;
  request.now = now;
  request.consent = Consent{user, now, "verbal", "patient", std::nullopt};
  return request;
}

}  // namespace ilinks::test
