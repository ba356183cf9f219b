// The sharing service's configuration file (ilinks/service_config.h), read
// whole and checked before anything starts. Every member is read here or
// refused as unknown; secrets (bearer tokens, the database connection) are
// checked but never repeated in a complaint, which ends up in logs.
#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "config_reader.h"
#include "ilinks/service_config.h"

namespace ilinks {

namespace {

using detail::ConfigReader;
using detail::json;
using detail::pointer_to;

constexpr int64_t kLargestPort = 65535;
constexpr int64_t kIntMax = INT_MAX;
constexpr int64_t kLongMax = LONG_MAX;

// ODS codes are capital letters and digits ("N84011", "RVY02"): a code
// written otherwise would never match the one a context token carries.
bool is_ods_code(const std::string& s) {
  if (s.size() < 3 || s.size() > 10) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

std::string ods_code(const ConfigReader& r, const std::string& code, const std::string& at) {
  if (!is_ods_code(code)) r.fail(at, "must be an ODS code: 3 to 10 capital letters and digits (\"N84011\")");
  return code;
}

// An address to listen on: a host name or IP address, one word.
std::string address(const ConfigReader& r, const json& object, const std::string& at, const std::string& fallback) {
  std::string a = r.text(object, at, "address", false, fallback);
  if (a.find_first_of(" \t") != std::string::npos) r.fail(pointer_to(at, "address"), "must be a host name or IP address");
  return a;
}

void read_listen(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* listen = r.object_member(root, "", "listen", false);
  if (!listen) return;
  r.only(*listen, "/listen", {"address", "port"});
  c.listen_address = address(r, *listen, "/listen", c.listen_address);
  c.listen_port = static_cast<int>(r.whole(*listen, "/listen", "port", 0, kLargestPort, c.listen_port));
}

// A PEM file whose kind is checked by its label, so that a certificate and a
// key given the wrong way round are named before TLS fails obscurely.
void check_pem_label(const ConfigReader& r, const std::string& path, const std::string& at, const std::string& label,
                     const std::string& what) {
  std::string contents = r.read_file(path, at);
  if (contents.find("-----BEGIN " + label) == std::string::npos)
    r.fail(at, path + " does not hold " + what + " (PEM \"-----BEGIN " + label + "\")");
}

void read_tls(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* tls = r.object_member(root, "", "tls", false);
  if (!tls) return;
  r.only(*tls, "/tls", {"certificate", "private_key"});
  // Both or neither: a certificate without its key cannot serve HTTPS, and
  // falling back to plain HTTP would be worse than not starting.
  if (!tls->contains("certificate")) r.fail("/tls/certificate", "is missing: TLS needs a certificate and its private key");
  if (!tls->contains("private_key")) r.fail("/tls/private_key", "is missing: TLS needs a certificate and its private key");
  c.tls_certificate_path = r.path(*tls, "/tls", "certificate");
  check_pem_label(r, c.tls_certificate_path, "/tls/certificate", "CERTIFICATE", "a certificate");
  c.tls_private_key_path = r.path(*tls, "/tls", "private_key");
  // "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY": any of them.
  std::string key = r.read_file(c.tls_private_key_path, "/tls/private_key");
  if (key.find("-----BEGIN ") == std::string::npos || key.find("PRIVATE KEY-----") == std::string::npos)
    r.fail("/tls/private_key", c.tls_private_key_path + " does not hold a private key (PEM \"-----BEGIN PRIVATE KEY-----\")");
}

void read_issuers(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* issuers = r.list_member(root, "", "issuers", true);
  if (issuers->empty()) r.fail("/issuers", "must name at least one issuer: without one, no token can be believed");
  for (size_t i = 0; i < issuers->size(); ++i) {
    const std::string at = pointer_to("/issuers", i);
    const json& entry = (*issuers)[i];
    if (!entry.is_object()) r.fail(at, "must be an object ({\"issuer\", \"algorithm\", \"public_key\"})");
    r.only(entry, at, {"issuer", "algorithm", "public_key", "key_id"});
    TrustedIssuer t;
    t.issuer = r.text(entry, at, "issuer", true);
    t.algorithm = r.text(entry, at, "algorithm", true);
    if (t.algorithm.rfind("HS", 0) == 0)
      r.fail(pointer_to(at, "algorithm"), "must be ES256 or RS256: HMAC (a shared secret) is never accepted");
    if (t.algorithm != "ES256" && t.algorithm != "RS256") r.fail(pointer_to(at, "algorithm"), "must be ES256 or RS256");
    t.key_id = r.text(entry, at, "key_id", false);
    std::string path = r.path(entry, at, "public_key");
    t.public_key_pem = r.read_file(path, pointer_to(at, "public_key"));
    try {
      check_issuer_key(t.algorithm, t.public_key_pem);
    } catch (const InputError& e) {
      r.fail(pointer_to(at, "public_key"), path + ": " + e.what());
    }
    c.tokens.issuers.push_back(std::move(t));
  }
}

void read_policy(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* policy = r.member(root, "", "policy", false);
  if (!policy) return;
  const char* forms = "must be \"builtin\", {\"deployment\": NAME} or {\"file\": PATH}";
  if (policy->is_string()) {
    if (policy->get<std::string>() != "builtin") r.fail("/policy", forms);
    c.policy = "builtin";
    return;
  }
  if (!policy->is_object() || policy->size() != 1) r.fail("/policy", forms);
  r.only(*policy, "/policy", {"deployment", "file"});
  if (policy->contains("deployment")) {
    // A name, not a path: one of core/data/deployments, resolved by the service.
    std::string name = r.text(*policy, "/policy", "deployment", true);
    bool plain = name.find("..") == std::string::npos && name.front() != '.';
    for (char c2 : name)
      plain = plain && ((c2 >= 'a' && c2 <= 'z') || (c2 >= 'A' && c2 <= 'Z') || (c2 >= '0' && c2 <= '9') || c2 == '-' ||
                        c2 == '_' || c2 == '.');
    if (!plain) r.fail("/policy/deployment", "must be a deployment's name (letters, digits, - _ .), such as \"tranche-1\"");
    c.policy = "deployment:" + name;
  } else {
    std::string path = r.path(*policy, "/policy", "file");
    r.read_file(path, "/policy/file");
    c.policy = "file:" + path;
  }
}

// A FHIR endpoint. The bearer token is a secret: checked, never quoted.
FhirServer read_endpoint(const ConfigReader& r, const json& object, const std::string& at) {
  r.only(object, at, {"base_url", "bearer_token", "timeout_ms", "attempts", "backoff_ms", "max_pages"});
  FhirServer s;
  s.base_url = r.text(object, at, "base_url", true);
  if (s.base_url.rfind("https://", 0) != 0 && s.base_url.rfind("http://", 0) != 0)
    r.fail(pointer_to(at, "base_url"), "must start with https:// or http://");
  if (s.base_url == "https://" || s.base_url == "http://" || s.base_url.find_first_of(" \t") != std::string::npos)
    r.fail(pointer_to(at, "base_url"), "must be a whole URL, without spaces");
  if (const json* token = r.member(object, at, "bearer_token", false)) {
    if (!token->is_string()) r.fail(pointer_to(at, "bearer_token"), "must be a text");
    s.bearer_token = token->get<std::string>();
    // It goes into an HTTP header as it is: a line break would split the header.
    if (s.bearer_token.find_first_of(" \t\r\n") != std::string::npos)
      r.fail(pointer_to(at, "bearer_token"), "must not contain spaces or line breaks");
  }
  s.timeout_ms = r.whole(object, at, "timeout_ms", 1, kLongMax, s.timeout_ms);
  s.attempts = static_cast<int>(r.whole(object, at, "attempts", 1, 100, s.attempts));
  s.backoff_ms = r.whole(object, at, "backoff_ms", 0, kLongMax, s.backoff_ms);
  s.max_pages = static_cast<int>(r.whole(object, at, "max_pages", 1, kIntMax, s.max_pages));
  return s;
}

void read_organisations(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* organisations = r.list_member(root, "", "organisations", true);
  // None would make a service that shows every person as having no record.
  if (organisations->empty()) r.fail("/organisations", "must name at least one organisation whose record is shared");
  for (size_t i = 0; i < organisations->size(); ++i) {
    const std::string at = pointer_to("/organisations", i);
    const json& entry = (*organisations)[i];
    if (!entry.is_object()) r.fail(at, "must be an object ({\"ods\", \"name\", \"fhir\"})");
    r.only(entry, at, {"ods", "name", "fhir"});
    ParticipatingOrganisation o;
    o.ods = ods_code(r, r.text(entry, at, "ods", true), pointer_to(at, "ods"));
    for (size_t j = 0; j < c.organisations.size(); ++j)
      if (c.organisations[j].ods == o.ods)
        r.fail(pointer_to(at, "ods"), o.ods + " is already /organisations/" + std::to_string(j));
    o.name = r.text(entry, at, "name", true);
    o.fhir = read_endpoint(r, *r.object_member(entry, at, "fhir", true), pointer_to(at, "fhir"));
    c.organisations.push_back(std::move(o));
  }
}

void read_explanations_to(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* practices = r.object_member(root, "", "explanations_to", false);
  if (!practices) return;
  for (auto it = practices->begin(); it != practices->end(); ++it) {
    const std::string at = pointer_to("/explanations_to", it.key());
    ods_code(r, it.key(), at);
    if (!it->is_object()) r.fail(at, "must be an object ({\"base_url\", \"bearer_token\"})");
    c.explanations_to[it.key()] = read_endpoint(r, *it, at);
  }
}

void read_store(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json& store = *r.object_member(root, "", "store", true);
  std::string kind = r.text(store, "/store", "kind", true);
  if (kind == "sqlite") {
    r.only(store, "/store", {"kind", "path", "busy_timeout_ms"});
    c.store.kind = StoreSettings::Kind::sqlite;
    c.store.location = r.path(store, "/store", "path");
    // The file is made when missing; its folder must be there already.
    std::error_code ec;
    auto folder = std::filesystem::path(c.store.location).parent_path();
    if (!std::filesystem::is_directory(folder, ec)) r.fail("/store/path", "the folder " + folder.string() + " does not exist");
    if (std::filesystem::is_directory(c.store.location, ec))
      r.fail("/store/path", c.store.location + " is a folder, not a database file");
  } else if (kind == "postgresql") {
    r.only(store, "/store", {"kind", "connection", "connections", "busy_timeout_ms"});
    c.store.kind = StoreSettings::Kind::postgresql;
    // May hold a password: checked for presence only, never quoted.
    const json* connection = r.member(store, "/store", "connection", true);
    if (!connection->is_string() || connection->get<std::string>().empty())
      r.fail("/store/connection", "must be a non-empty text (a libpq connection string, \"host=... dbname=...\")");
    c.store.location = connection->get<std::string>();
    c.store.connections = static_cast<int>(r.whole(store, "/store", "connections", 1, 1000, c.store.connections));
  } else {
    r.fail("/store/kind", "must be \"sqlite\" or \"postgresql\"");
  }
  c.store.busy_timeout_ms = static_cast<int>(r.whole(store, "/store", "busy_timeout_ms", 1, kIntMax, c.store.busy_timeout_ms));
}

void read_mllp(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* mllp = r.object_member(root, "", "mllp", false);
  if (!mllp) return;
  r.only(*mllp, "/mllp", {"address", "port"});
  c.mllp_address = address(r, *mllp, "/mllp", "127.0.0.1");
  c.mllp_port = static_cast<int>(r.whole(*mllp, "/mllp", "port", 0, kLargestPort, 0, true));
}

// An origin as a browser writes it in its Origin header: compared byte for
// byte, so a form a browser never sends ("HTTPS://EPR", a trailing "/", a
// path) would silently never match and is refused here instead.
bool is_origin(const std::string& o) {
  std::string rest;
  if (o.rfind("https://", 0) == 0) rest = o.substr(8);
  else if (o.rfind("http://", 0) == 0) rest = o.substr(7);
  else return false;
  if (rest.empty() || rest.front() == ':') return false;
  size_t colon = rest.rfind(':');
  bool bracketed = rest.front() == '[';  // an IPv6 literal: [::1]:8080
  if (bracketed && (colon == std::string::npos || colon < rest.find(']'))) colon = std::string::npos;
  std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535)
      return false;
  }
  for (char c : host)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
          (bracketed && (c == '[' || c == ']' || c == ':'))))
      return false;
  return !host.empty();
}

void read_browser_origins(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* origins = r.list_member(root, "", "browser_origins", false);
  if (!origins) return;
  for (size_t i = 0; i < origins->size(); ++i) {
    const std::string at = pointer_to("/browser_origins", i);
    const json& entry = (*origins)[i];
    if (!entry.is_string()) r.fail(at, "must be a text: an origin such as \"https://epr.example.nhs.uk\"");
    std::string origin = entry.get<std::string>();
    if (origin == "*" || origin == "null")
      r.fail(at, "must name one web EPR's origin: \"" + origin + "\" would let any page call the API");
    if (!is_origin(origin))
      r.fail(at, "must be an origin as a browser sends it: http(s)://host[:port] in lower case, with no path or "
                 "trailing slash (\"https://epr.example.nhs.uk\")");
    for (size_t j = 0; j < c.browser_origins.size(); ++j)
      if (c.browser_origins[j] == origin) r.fail(at, origin + " is already /browser_origins/" + std::to_string(j));
    c.browser_origins.push_back(origin);
  }
}

void read_limits(const ConfigReader& r, const json& root, ServiceConfig& c) {
  const json* limits = r.object_member(root, "", "limits", false);
  if (!limits) return;
  const std::string at = "/limits";
  r.only(*limits, at,
         {"max_body_bytes", "max_header_bytes", "requests_per_user_per_minute", "max_concurrent_requests",
          "request_timeout_ms", "fetch_deadline_ms", "record_cache_seconds", "max_token_lifetime_seconds",
          "token_clock_skew_seconds", "max_token_bytes"});
  ServiceLimits& l = c.limits;
  l.max_body_bytes = static_cast<size_t>(r.whole(*limits, at, "max_body_bytes", 1, kIntMax, static_cast<int64_t>(l.max_body_bytes)));
  l.max_header_bytes =
      static_cast<size_t>(r.whole(*limits, at, "max_header_bytes", 1, kIntMax, static_cast<int64_t>(l.max_header_bytes)));
  l.requests_per_user_per_minute =
      static_cast<int>(r.whole(*limits, at, "requests_per_user_per_minute", 1, kIntMax, l.requests_per_user_per_minute));
  l.max_concurrent_requests =
      static_cast<int>(r.whole(*limits, at, "max_concurrent_requests", 1, kIntMax, l.max_concurrent_requests));
  l.request_timeout_ms = r.whole(*limits, at, "request_timeout_ms", 1, kLongMax, l.request_timeout_ms);
  l.fetch_deadline_ms = r.whole(*limits, at, "fetch_deadline_ms", 1, kLongMax, l.fetch_deadline_ms);
  l.record_cache_seconds = static_cast<int>(r.whole(*limits, at, "record_cache_seconds", 0, kIntMax, l.record_cache_seconds));
  TokenSettings& t = c.tokens;
  t.max_lifetime_seconds =
      static_cast<int>(r.whole(*limits, at, "max_token_lifetime_seconds", 1, 86400, t.max_lifetime_seconds));
  t.clock_skew_seconds = static_cast<int>(r.whole(*limits, at, "token_clock_skew_seconds", 0, 3600, t.clock_skew_seconds));
  t.max_token_bytes =
      static_cast<size_t>(r.whole(*limits, at, "max_token_bytes", 1, kIntMax, static_cast<int64_t>(t.max_token_bytes)));
}

}  // namespace

ServiceConfig service_config_from_json(const std::string& text, const std::string& file_name, const std::string& base_dir) {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::absolute(base_dir.empty() ? "." : base_dir, ec);
  ConfigReader r(file_name, base.lexically_normal().string());
  json root = r.parse(text);
  if (!root.is_object()) r.fail("", "must be a JSON object");
  r.only(root, "",
         {"format", "listen", "tls", "audience", "issuers", "policy", "organisations", "explanations_to", "store", "mllp",
          "limits", "browser_origins"});
  const json* format = r.member(root, "", "format", true);
  if (!format->is_string() || format->get<std::string>() != "ilinks-service/1")
    r.fail("/format", "must be \"ilinks-service/1\"");

  ServiceConfig c;
  c.file = file_name;
  read_listen(r, root, c);
  read_tls(r, root, c);
  c.tokens.audience = r.text(root, "", "audience", true);
  read_issuers(r, root, c);
  read_policy(r, root, c);
  read_organisations(r, root, c);
  read_explanations_to(r, root, c);
  read_store(r, root, c);
  read_mllp(r, root, c);
  read_limits(r, root, c);
  read_browser_origins(r, root, c);
  return c;
}

ServiceConfig read_service_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) throw PolicyFileError(path + ": cannot be opened for reading");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto folder = std::filesystem::absolute(path, ec).parent_path();
  return service_config_from_json(text, path, folder.string());
}

}  // namespace ilinks
