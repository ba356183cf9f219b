// ilinks/service_config.h: the sharing service's one configuration file,
// checked whole before anything starts, like the policy files: every fault
// names the file, the place (a JSON pointer, "/organisations/2/fhir/base_url")
// and the reason. Paths in it are relative to the file's own directory.
//
// {
//   "format": "ilinks-service/1",
//   "listen": {"address": "127.0.0.1", "port": 8443},
//   "tls": {"certificate": "tls/cert.pem", "private_key": "tls/key.pem"},          (optional: plain HTTP)
//   "audience": "https://ilinks.north-mersey.nhs.uk/api",
//   "issuers": [{"issuer": "https://epr.example.nhs.uk", "algorithm": "ES256", "public_key": "keys/epr.pem"}],
//   "policy": "builtin" | {"deployment": "tranche-1"} | {"file": "policy.json"},
//   "organisations": [{"ods": "N84011", "name": "...", "fhir": {"base_url": "https://...", "bearer_token": "...",
//                      "timeout_ms": 8000, "attempts": 2}}],
//   "explanations_to": {"N84011": {"base_url": "...", "bearer_token": "..."}},    (optional: GP practices' endpoints)
//   "store": {"kind": "sqlite", "path": "store.db"} | {"kind": "postgresql", "connection": "host=... dbname=..."},
//   "mllp": {"address": "127.0.0.1", "port": 2575},                                 (optional)
//   "limits": {"max_body_bytes": 65536, "max_header_bytes": 8192, "requests_per_user_per_minute": 120,
//              "max_concurrent_requests": 16, "request_timeout_ms": 20000, "fetch_deadline_ms": 10000,
//              "record_cache_seconds": 60}
// }
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ilinks/context_token.h"
#include "ilinks/errors.h"
#include "ilinks/sources.h"
#include "ilinks/store.h"

namespace ilinks {

struct ServiceLimits {
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 8 * 1024;
  int requests_per_user_per_minute = 120;
  int max_concurrent_requests = 16;
  long request_timeout_ms = 20000;
  long fetch_deadline_ms = 10000;
  int record_cache_seconds = 60;     // 0: fetch for every view
};

struct ServiceConfig {
  std::string file;                  // where it was read from
  std::string listen_address = "127.0.0.1";
  int listen_port = 8443;            // 0: any free port (tests)
  std::string tls_certificate_path, tls_private_key_path;   // both empty: plain HTTP
  TokenSettings tokens;              // issuers (keys read), audience
  // "builtin"; "deployment:<name>" (core/data/deployments); or "file:<absolute path>".
  std::string policy = "builtin";
  std::vector<ParticipatingOrganisation> organisations;
  std::map<std::string, FhirServer> explanations_to;    // GP practice ODS -> its endpoint
  StoreSettings store;               // sqlite path made absolute
  std::string mllp_address;          // empty: no MLLP listener
  int mllp_port = 0;
  ServiceLimits limits;
};

// Reads and checks the whole file. Throws PolicyFileError ("service.json
// /organisations/1/fhir/base_url: must start with https:// or http://")
// naming the first fault found; nothing is started from a half-read file.
ServiceConfig read_service_config(const std::string& path);
ServiceConfig service_config_from_json(const std::string& text, const std::string& file_name, const std::string& base_dir);

}  // namespace ilinks
