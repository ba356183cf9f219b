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
//   "issuers": [{"issuer": "https://epr.example.nhs.uk", "algorithm": "ES256", "public_key": "keys/epr.pem",
//                "key_id": "2026-01"}],                                          (key_id optional: the header's kid)
//   "policy": "builtin" | {"deployment": "tranche-1"} | {"file": "policy.json"},
//   "organisations": [{"ods": "N84011", "name": "...", "fhir": {"base_url": "https://...", "bearer_token": "...",
//                      "timeout_ms": 8000, "attempts": 2, "backoff_ms": 500, "max_pages": 1000}}],   (all but base_url optional)
//   "explanations_to": {"N84011": {"base_url": "...", "bearer_token": "..."}},    (optional: GP practices' endpoints)
//   "store": {"kind": "sqlite", "path": "store.db"} | {"kind": "postgresql", "connection": "host=... dbname=...",
//            "connections": 4},                                              (and "busy_timeout_ms" for either)
//   "mllp": {"address": "127.0.0.1", "port": 2575},                                 (optional; address defaults to 127.0.0.1)
//   "browser_origins": ["https://epr.southport.nhs.uk"],       (optional: web EPR pages whose widget may call the API)
//   "limits": {"max_body_bytes": 65536, "max_header_bytes": 8192, "requests_per_user_per_minute": 120,
//              "max_concurrent_requests": 16, "request_timeout_ms": 20000, "fetch_deadline_ms": 10000,
//              "record_cache_seconds": 60,
//              "max_token_lifetime_seconds": 300, "token_clock_skew_seconds": 30, "max_token_bytes": 8192}
// }
// Required: format, audience, issuers (at least one), organisations (at least
// one), store. The rest take the defaults below. A member not shown here is
// refused, as is one given twice. Each issuer's key is read and checked to
// suit its algorithm; TLS files, a policy file and a SQLite file's folder must
// exist. A deployment's name is checked to be a name only: the server finds
// it. ODS codes are capital letters and digits. Bearer tokens and the
// PostgreSQL connection are never repeated in a complaint. A browser origin is
// scheme://host[:port] exactly as a browser sends it in Origin (no path, no
// trailing slash, lower case); "*" and "null" are refused: the service names
// the EPR pages it trusts, one by one.
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
  // Origins answered with Access-Control-Allow-Origin (CORS), compared
  // exactly; empty: no browser page may call the API from another origin.
  std::vector<std::string> browser_origins;
};

// Reads and checks the whole file. Throws PolicyFileError ("service.json
// /organisations/1/fhir/base_url: must start with https:// or http://")
// naming the first fault found; nothing is started from a half-read file.
ServiceConfig read_service_config(const std::string& path);
ServiceConfig service_config_from_json(const std::string& text, const std::string& file_name, const std::string& base_dir);

}  // namespace ilinks
