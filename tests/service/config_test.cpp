// The sharing service's configuration file (ilinks/service_config.h): read
// whole before anything starts, and every fault named by the file, the place
// in it (a JSON pointer) and the reason, so whoever deploys the service can
// mend it without guessing. A misspelt member is a fault, never a default.
#include <doctest/doctest.h>

#include <filesystem>

#include "ilinks/service_config.h"
#include "token_test_keys.h"

using namespace ilinks;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char kBearer[] = "s3cr3t-bearer-Xq9";
const char kDbPassword[] = "pg-pa55word-Zk2";

// A deployment's folder: its configuration, keys, TLS files and policy,
// written under ILINKS_TEST_OUTPUT/service-config/<name>.
struct Deployment {
  fs::path dir;
  json config;

  explicit Deployment(const std::string& name) : dir(test::output_dir("service-config/" + name)) {
    test::write_file(dir / "keys/epr.pem", test::ec_key().public_pem);
    test::write_file(dir / "keys/acute.pem", test::rsa_key().public_pem);
    // Only the PEM labels are read here; TLS itself is the server's.
    test::write_file(dir / "tls/cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    test::write_file(dir / "tls/key.pem", test::ec_key().private_pem);
    test::write_file(dir / "policy/north-mersey.json", "{}");
    fs::create_directories(dir / "data");
    config = {
        {"format", "ilinks-service/1"},
        {"listen", {{"address", "0.0.0.0"}, {"port", 9443}}},
        {"tls", {{"certificate", "tls/cert.pem"}, {"private_key", "tls/key.pem"}}},
        {"audience", "https://ilinks.north-mersey.nhs.uk/api"},
        {"issuers",
         {{{"issuer", "https://epr.southport.nhs.uk"}, {"algorithm", "ES256"}, {"public_key", "keys/epr.pem"}},
          {{"issuer", "https://pas.aintree.nhs.uk"}, {"algorithm", "RS256"}, {"public_key", "keys/acute.pem"},
           {"key_id", "2026-01"}}}},
        {"policy", {{"deployment", "tranche-1"}}},
        {"organisations",
         {{{"ods", "N84011"},
           {"name", "Ainsdale Medical Centre"},
           {"fhir", {{"base_url", "https://fhir.ainsdale.example/R4"}, {"bearer_token", kBearer}, {"timeout_ms", 8000},
                     {"attempts", 2}}}},
          {{"ods", "RVY02"},
           {"name", "Southport and Ormskirk Hospital NHS Trust"},
           {"fhir", {{"base_url", "http://127.0.0.1:8081/fhir"}}}}}},
        {"explanations_to", {{"N84011", {{"base_url", "https://fhir.ainsdale.example/R4"}, {"bearer_token", kBearer}}}}},
        {"store", {{"kind", "sqlite"}, {"path", "data/store.db"}}},
        {"mllp", {{"address", "127.0.0.1"}, {"port", 2575}}},
        {"browser_origins", {"https://epr.southport.nhs.uk", "http://127.0.0.1:8080", "http://[::1]:8080"}},
        {"limits",
         {{"max_body_bytes", 131072}, {"max_header_bytes", 16384}, {"requests_per_user_per_minute", 60},
          {"max_concurrent_requests", 8}, {"request_timeout_ms", 15000}, {"fetch_deadline_ms", 9000},
          {"record_cache_seconds", 0}, {"max_token_lifetime_seconds", 120}, {"token_clock_skew_seconds", 10},
          {"max_token_bytes", 4096}}}};
  }

  fs::path file() const { return dir / "service.json"; }

  // Read as the service reads it, from its file.
  ServiceConfig read() const {
    test::write_file(file(), config.dump(2));
    return read_service_config(file().string());
  }

  // The complaint, naming the file "service.json" as the examples do; empty when none.
  std::string fault(const std::string& text) const {
    try {
      service_config_from_json(text, "service.json", dir.string());
    } catch (const PolicyFileError& e) {
      return e.what();
    }
    return "";
  }
  std::string fault() const { return fault(config.dump(2)); }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The least a service needs: one issuer, one organisation, a store.
json minimal() {
  return {{"format", "ilinks-service/1"},
          {"audience", "svc"},
          {"issuers", {{{"issuer", "epr"}, {"algorithm", "ES256"}, {"public_key", "keys/epr.pem"}}}},
          {"organisations", {{{"ods", "N84011"}, {"name", "Ainsdale"}, {"fhir", {{"base_url", "https://gp.example"}}}}}},
          {"store", {{"kind", "sqlite"}, {"path", "store.db"}}}};
}

}  // namespace

TEST_SUITE("service configuration") {
  TEST_CASE("a complete configuration file is read whole") {
    Deployment d("complete");
    ServiceConfig c = d.read();
    const std::string dir = d.dir.lexically_normal().string();
    CHECK(c.file == d.file().string());
    CHECK(c.listen_address == "0.0.0.0");
    CHECK(c.listen_port == 9443);
    CHECK(c.tls_certificate_path == dir + "/tls/cert.pem");
    CHECK(c.tls_private_key_path == dir + "/tls/key.pem");
    CHECK(c.tokens.audience == "https://ilinks.north-mersey.nhs.uk/api");
    REQUIRE(c.tokens.issuers.size() == 2);
    CHECK(c.tokens.issuers[0].issuer == "https://epr.southport.nhs.uk");
    CHECK(c.tokens.issuers[0].algorithm == "ES256");
    CHECK(c.tokens.issuers[0].public_key_pem == test::ec_key().public_pem);
    CHECK(c.tokens.issuers[0].key_id.empty());
    CHECK(c.tokens.issuers[1].algorithm == "RS256");
    CHECK(c.tokens.issuers[1].key_id == "2026-01");
    CHECK(c.tokens.max_lifetime_seconds == 120);
    CHECK(c.tokens.clock_skew_seconds == 10);
    CHECK(c.tokens.max_token_bytes == 4096);
    CHECK(c.policy == "deployment:tranche-1");
    REQUIRE(c.organisations.size() == 2);
    CHECK(c.organisations[0].ods == "N84011");
    CHECK(c.organisations[0].name == "Ainsdale Medical Centre");
    CHECK(c.organisations[0].fhir.base_url == "https://fhir.ainsdale.example/R4");
    CHECK(c.organisations[0].fhir.bearer_token == kBearer);
    CHECK(c.organisations[0].fhir.timeout_ms == 8000);
    CHECK(c.organisations[0].fhir.attempts == 2);
    CHECK(c.organisations[1].fhir.bearer_token.empty());
    CHECK(c.organisations[1].fhir.attempts == FhirServer{}.attempts);
    REQUIRE(c.explanations_to.count("N84011") == 1);
    CHECK(c.explanations_to.at("N84011").bearer_token == kBearer);
    CHECK(c.store.kind == StoreSettings::Kind::sqlite);
    CHECK(c.store.location == dir + "/data/store.db");
    CHECK(c.mllp_address == "127.0.0.1");
    CHECK(c.mllp_port == 2575);
    CHECK(c.limits.max_body_bytes == 131072);
    CHECK(c.limits.max_header_bytes == 16384);
    CHECK(c.limits.requests_per_user_per_minute == 60);
    CHECK(c.limits.max_concurrent_requests == 8);
    CHECK(c.limits.request_timeout_ms == 15000);
    CHECK(c.limits.fetch_deadline_ms == 9000);
    CHECK(c.limits.record_cache_seconds == 0);
    CHECK(c.browser_origins == std::vector<std::string>{"https://epr.southport.nhs.uk", "http://127.0.0.1:8080", "http://[::1]:8080"});
  }

  TEST_CASE("a minimal file takes the defaults: plain HTTP on 127.0.0.1:8443, the built-in policy, no MLLP") {
    Deployment d("minimal");
    d.config = minimal();
    ServiceConfig c = d.read();
    CHECK(c.listen_address == "127.0.0.1");
    CHECK(c.listen_port == 8443);
    CHECK(c.tls_certificate_path.empty());
    CHECK(c.tls_private_key_path.empty());
    CHECK(c.policy == "builtin");
    CHECK(c.mllp_address.empty());
    CHECK(c.explanations_to.empty());
    CHECK(c.limits.max_body_bytes == ServiceLimits{}.max_body_bytes);
    CHECK(c.tokens.max_lifetime_seconds == 300);
    CHECK(c.tokens.clock_skew_seconds == 30);
    CHECK(c.browser_origins.empty());  // no web page on another origin may call the API
  }

  TEST_CASE("paths are read relative to the configuration file's own folder, wherever the service starts") {
    Deployment d("relative");
    d.config = minimal();
    d.config["policy"] = {{"file", "policy/../policy/north-mersey.json"}};
    test::write_file(d.file(), d.config.dump());
    // Started from elsewhere, with the file named relative to there.
    fs::path before = fs::current_path();
    fs::current_path(d.dir.parent_path());
    ServiceConfig c = read_service_config("relative/service.json");
    fs::current_path(before);
    const std::string dir = fs::absolute(d.dir).lexically_normal().string();
    CHECK(c.store.location == dir + "/store.db");
    CHECK(c.policy == "file:" + dir + "/policy/north-mersey.json");
    CHECK(c.tokens.issuers[0].public_key_pem == test::ec_key().public_pem);
    CHECK(fs::path(c.store.location).is_absolute());
  }

  TEST_CASE("an absolute path is kept as it is") {
    Deployment d("absolute");
    d.config = minimal();
    d.config["store"]["path"] = (d.dir / "data/elsewhere.db").string();
    CHECK(d.read().store.location == (d.dir / "data/elsewhere.db").string());
  }

  TEST_CASE("a fault names the file, the place and the reason") {
    Deployment d("named-fault");
    d.config["organisations"][1]["fhir"]["base_url"] = "ftp://fhir.example";
    CHECK(d.fault() == "service.json /organisations/1/fhir/base_url: must start with https:// or http://");
  }

  TEST_CASE("a misspelt member is refused with its place, never taken as a default") {
    Deployment d("misspelt");
    d.config["organisations"][0]["fhir"]["timeout_msec"] = 3000;
    std::string why = d.fault();
    CHECK(has(why, "service.json /organisations/0/fhir/timeout_msec: is not a member this place has (a misspelling?)"));
    CHECK(has(why, "timeout_ms"));
    d.config = minimal();
    d.config["audiance"] = "svc";
    CHECK(has(d.fault(), "service.json /audiance: is not a member"));
    d.config = minimal();
    d.config["limits"] = {{"max_body_byte", 1}};
    CHECK(has(d.fault(), "/limits/max_body_byte: is not a member"));
  }

  TEST_CASE("a member given twice in one object is refused with its place") {
    Deployment d("twice");
    std::string text = minimal().dump();
    // The second "path" in the store: one reader would take the first, another the last.
    text.replace(text.find("\"path\":\"store.db\""), 17, "\"path\":\"store.db\",\"path\":\"other.db\"");
    CHECK(d.fault(text) == "service.json /store/path: is given twice in the same object");
  }

  TEST_CASE("a file that is not JSON is refused as a whole") {
    Deployment d("not-json");
    std::string why = d.fault("{\"format\": \"ilinks-service/1\",");
    CHECK(has(why, "service.json: is not valid JSON"));
    CHECK(d.fault("[1]") == "service.json: must be a JSON object");
  }

  TEST_CASE("a file of another format, or of none, is refused") {
    Deployment d("format");
    d.config = minimal();
    d.config["format"] = "ilinks-service/2";
    CHECK(d.fault() == "service.json /format: must be \"ilinks-service/1\"");
    d.config.erase("format");
    CHECK(d.fault() == "service.json /format: is missing");
  }

  TEST_CASE("each required member is named when missing: audience, issuers, organisations, store") {
    Deployment d("required");
    for (const char* name : {"audience", "issuers", "organisations", "store"}) {
      CAPTURE(name);
      d.config = minimal();
      d.config.erase(name);
      CHECK(d.fault() == std::string("service.json /") + name + ": is missing");
    }
  }

  TEST_CASE("a service with no trusted issuer, or no organisation, is refused") {
    Deployment d("empty-lists");
    d.config = minimal();
    d.config["issuers"] = json::array();
    CHECK(has(d.fault(), "/issuers: must name at least one issuer"));
    d.config = minimal();
    d.config["organisations"] = json::array();
    CHECK(has(d.fault(), "/organisations: must name at least one organisation"));
  }

  TEST_CASE("a member of the wrong type is refused, saying what it must be") {
    Deployment d("types");
    d.config["listen"]["port"] = "8443";
    CHECK(d.fault() == "service.json /listen/port: must be a whole number from 0 to 65535, not a text");
    d = Deployment("types");
    d.config["issuers"] = {{"issuer", "x"}};
    CHECK(has(d.fault(), "/issuers: must be a list"));
    d = Deployment("types");
    d.config["audience"] = "";
    CHECK(d.fault() == "service.json /audience: must be a non-empty text, not an empty one");
    d = Deployment("types");
    d.config["store"] = "sqlite";
    CHECK(d.fault() == "service.json /store: must be an object, not a text");
  }

  TEST_CASE("ports are 0 to 65535") {
    Deployment d("ports");
    d.config["listen"]["port"] = 65536;
    CHECK(d.fault() == "service.json /listen/port: must be a whole number from 0 to 65535");
    d.config["listen"]["port"] = -1;
    CHECK(has(d.fault(), "/listen/port"));
    d.config["listen"]["port"] = 0;  // any free port, as the tests ask
    d.config["mllp"]["port"] = 99999;
    CHECK(has(d.fault(), "/mllp/port: must be a whole number from 0 to 65535"));
    d.config["mllp"].erase("port");
    CHECK(d.fault() == "service.json /mllp/port: is missing");
  }

  TEST_CASE("limits must be positive; the record cache may be switched off with 0") {
    Deployment d("limits");
    d.config["limits"]["max_body_bytes"] = 0;
    CHECK(d.fault() == "service.json /limits/max_body_bytes: must be a whole number from 1 to 2147483647");
    d = Deployment("limits");
    d.config["limits"]["requests_per_user_per_minute"] = -5;
    CHECK(has(d.fault(), "/limits/requests_per_user_per_minute"));
    d = Deployment("limits");
    d.config["limits"]["fetch_deadline_ms"] = 1.5;
    CHECK(has(d.fault(), "/limits/fetch_deadline_ms: must be a whole number"));
    d = Deployment("limits");
    d.config["limits"]["max_token_lifetime_seconds"] = 100000;
    CHECK(has(d.fault(), "/limits/max_token_lifetime_seconds: must be a whole number from 1 to 86400"));
    d = Deployment("limits");
    d.config["organisations"][0]["fhir"]["attempts"] = 0;
    CHECK(has(d.fault(), "/organisations/0/fhir/attempts"));
  }

  TEST_CASE("an issuer whose public key file is missing is refused at its place") {
    Deployment d("key-missing");
    d.config["issuers"][1]["public_key"] = "keys/nowhere.pem";
    CHECK(d.fault() == "service.json /issuers/1/public_key: " + (d.dir / "keys/nowhere.pem").string() + " does not exist");
  }

  TEST_CASE("an issuer's key that does not suit its algorithm is refused: wrong type, short RSA, not a public key") {
    Deployment d("key-unfit");
    d.config["issuers"][0]["algorithm"] = "RS256";  // keys/epr.pem is an EC key
    CHECK(has(d.fault(), "/issuers/0/public_key: " + (d.dir / "keys/epr.pem").string() + ": the key is not an RSA key"));
    d = Deployment("key-unfit");
    test::write_file(d.dir / "keys/short.pem", test::rsa_1024_key().public_pem);
    d.config["issuers"][1]["public_key"] = "keys/short.pem";
    CHECK(has(d.fault(), "/issuers/1/public_key: " + (d.dir / "keys/short.pem").string() + ": the key is an RSA key of 1024 bits"));
    d = Deployment("key-unfit");
    d.config["issuers"][0]["public_key"] = "tls/key.pem";  // the private key
    CHECK(has(d.fault(), "/issuers/0/public_key: "));
    CHECK(has(d.fault(), "is not a PEM public key"));
    CHECK_FALSE(has(d.fault(), "PRIVATE KEY-----\n"));
  }

  TEST_CASE("an issuer trusted with HMAC, or an algorithm the service does not know, is refused") {
    Deployment d("hmac");
    d.config["issuers"][0]["algorithm"] = "HS256";
    CHECK(d.fault() == "service.json /issuers/0/algorithm: must be ES256 or RS256: HMAC (a shared secret) is never accepted");
    d.config["issuers"][0]["algorithm"] = "none";
    CHECK(d.fault() == "service.json /issuers/0/algorithm: must be ES256 or RS256");
  }

  TEST_CASE("TLS needs both a certificate and its private key, each readable and of its kind") {
    Deployment d("tls");
    d.config["tls"].erase("private_key");
    CHECK(d.fault() == "service.json /tls/private_key: is missing: TLS needs a certificate and its private key");
    d = Deployment("tls");
    d.config["tls"].erase("certificate");
    CHECK(has(d.fault(), "/tls/certificate: is missing"));
    d = Deployment("tls");
    d.config["tls"]["certificate"] = "tls/none.pem";
    CHECK(has(d.fault(), "/tls/certificate: " + (d.dir / "tls/none.pem").string() + " does not exist"));
    d = Deployment("tls");
    d.config["tls"] = {{"certificate", "tls/key.pem"}, {"private_key", "tls/cert.pem"}};  // the wrong way round
    CHECK(has(d.fault(), "/tls/certificate: " + (d.dir / "tls/key.pem").string() + " does not hold a certificate"));
    d = Deployment("tls");
    d.config["tls"]["private_key"] = "tls";
    CHECK(has(d.fault(), "/tls/private_key: " + (d.dir / "tls").string() + " is not a file"));
  }

  TEST_CASE("a file the service may not read is named as unreadable") {
    Deployment d("unreadable");
    fs::permissions(d.dir / "tls/key.pem", fs::perms::none);
    bool root_reads_anything = static_cast<bool>(std::ifstream(d.dir / "tls/key.pem"));
    if (!root_reads_anything) CHECK(has(d.fault(), "/tls/private_key: " + (d.dir / "tls/key.pem").string() + " cannot be opened"));
    fs::permissions(d.dir / "tls/key.pem", fs::perms::owner_read | fs::perms::owner_write);
  }

  TEST_CASE("the policy is the built-in one, a named deployment's, or a file; nothing else") {
    Deployment d("policy");
    d.config["policy"] = "builtin";
    CHECK(d.read().policy == "builtin");
    d.config["policy"] = {{"deployment", "tranche-1"}};
    CHECK(d.read().policy == "deployment:tranche-1");
    d.config["policy"] = {{"file", "policy/north-mersey.json"}};
    CHECK(d.read().policy == "file:" + (d.dir / "policy/north-mersey.json").lexically_normal().string());

    d.config["policy"] = "tranche-1";
    CHECK(d.fault() == "service.json /policy: must be \"builtin\", {\"deployment\": NAME} or {\"file\": PATH}");
    d.config["policy"] = {{"deployment", "x"}, {"file", "y"}};
    CHECK(has(d.fault(), "/policy: must be"));
    d.config["policy"] = {{"deployment", "../../etc/passwd"}};
    CHECK(has(d.fault(), "/policy/deployment: must be a deployment's name"));
    d.config["policy"] = {{"file", "policy/missing.json"}};
    CHECK(has(d.fault(), "/policy/file: " + (d.dir / "policy/missing.json").string() + " does not exist"));
    d.config["policy"] = {{"deploymnet", "tranche-1"}};
    CHECK(has(d.fault(), "/policy/deploymnet: is not a member"));
  }

  TEST_CASE("a PostgreSQL store needs its connection string, which no complaint repeats") {
    Deployment d("postgres");
    std::string connection = std::string("host=/tmp/pg dbname=ilinks user=ilinks password=") + kDbPassword;
    d.config["store"] = {{"kind", "postgresql"}, {"connection", connection}, {"connections", 8}};
    ServiceConfig c = d.read();
    CHECK(c.store.kind == StoreSettings::Kind::postgresql);
    CHECK(c.store.location == connection);
    CHECK(c.store.connections == 8);

    d.config["store"]["connections"] = 0;
    CHECK(has(d.fault(), "/store/connections"));
    CHECK_FALSE(has(d.fault(), kDbPassword));
    d.config["store"] = {{"kind", "postgresql"}, {"connection", ""}};
    CHECK(has(d.fault(), "/store/connection: must be a non-empty text"));
    d.config["store"] = {{"kind", "postgresql"}};
    CHECK(d.fault() == "service.json /store/connection: is missing");
    d.config["store"] = {{"kind", "postgresql"}, {"path", "store.db"}, {"connection", connection}};
    CHECK(has(d.fault(), "/store/path: is not a member"));
  }

  TEST_CASE("a store of an unknown kind, or a SQLite file in a folder that does not exist, is refused") {
    Deployment d("store");
    d.config["store"] = {{"kind", "mysql"}};
    CHECK(d.fault() == "service.json /store/kind: must be \"sqlite\" or \"postgresql\"");
    d.config["store"] = {{"kind", "sqlite"}, {"path", "nowhere/store.db"}};
    CHECK(d.fault() == "service.json /store/path: the folder " + (d.dir / "nowhere").string() + " does not exist");
    d.config["store"] = {{"kind", "sqlite"}, {"path", "data"}};
    CHECK(has(d.fault(), "is a folder, not a database file"));
  }

  TEST_CASE("a bearer token is checked but never appears in a complaint") {
    Deployment d("secrets");
    d.config["organisations"][0]["fhir"]["bearer_token"] = std::string(kBearer) + " extra";
    std::string why = d.fault();
    CHECK(why == "service.json /organisations/0/fhir/bearer_token: must not contain spaces or line breaks");
    d = Deployment("secrets");
    d.config["organisations"][0]["fhir"]["timeout_ms"] = -1;
    CHECK_FALSE(has(d.fault(), kBearer));
    d = Deployment("secrets");
    d.config["explanations_to"]["N84011"]["bearer_tokn"] = kBearer;
    CHECK(has(d.fault(), "/explanations_to/N84011/bearer_tokn: is not a member"));
    CHECK_FALSE(has(d.fault(), kBearer));
    d = Deployment("secrets");
    d.config["organisations"][0]["fhir"]["bearer_token"] = 42;
    CHECK(d.fault() == "service.json /organisations/0/fhir/bearer_token: must be a text");
  }

  TEST_CASE("organisations are named by distinct ODS codes, written as ODS writes them") {
    Deployment d("ods");
    d.config["organisations"][1]["ods"] = "N84011";
    CHECK(d.fault() == "service.json /organisations/1/ods: N84011 is already /organisations/0");
    d = Deployment("ods");
    d.config["organisations"][0]["ods"] = "n84011";
    CHECK(has(d.fault(), "/organisations/0/ods: must be an ODS code"));
    d = Deployment("ods");
    d.config["explanations_to"]["gp practice"] = {{"base_url", "https://x"}};
    CHECK(has(d.fault(), "/explanations_to/gp practice: must be an ODS code"));
  }

  TEST_CASE("an organisation without a FHIR endpoint, or with an incomplete one, is refused") {
    Deployment d("endpoint");
    d.config["organisations"][0].erase("fhir");
    CHECK(d.fault() == "service.json /organisations/0/fhir: is missing");
    d = Deployment("endpoint");
    d.config["organisations"][0]["fhir"] = {{"bearer_token", kBearer}};
    CHECK(d.fault() == "service.json /organisations/0/fhir/base_url: is missing");
    d = Deployment("endpoint");
    d.config["organisations"][0]["fhir"]["base_url"] = "https://";
    CHECK(has(d.fault(), "/organisations/0/fhir/base_url: must be a whole URL"));
  }

  TEST_CASE("a place whose member names hold / or ~ is written as JSON pointers escape them") {
    Deployment d("escaped");
    d.config["limits"]["a/b~c"] = 1;
    CHECK(has(d.fault(), "service.json /limits/a~1b~0c: is not a member"));
  }

  TEST_CASE("browser origins are named one by one, as a browser writes them; never * or null") {
    Deployment d("origins");
    for (const char* wildcard : {"*", "null"}) {
      CAPTURE(wildcard);
      d.config["browser_origins"] = {"https://epr.example.nhs.uk", wildcard};
      CHECK(has(d.fault(), "service.json /browser_origins/1: must name one web EPR's origin"));
      CHECK(has(d.fault(), "would let any page call the API"));
    }
    // Forms a browser never sends in Origin would never match: refused, not ignored.
    for (const char* bad : {"https://epr.example.nhs.uk/", "https://epr.example.nhs.uk/epr", "HTTPS://epr.example.nhs.uk",
                            "https://EPR.example.nhs.uk", "epr.example.nhs.uk", "ftp://epr.example.nhs.uk", "https://",
                            "https://epr.example.nhs.uk:", "https://epr.example.nhs.uk:99999", "https://:8080",
                            "https://epr example"}) {
      CAPTURE(bad);
      d.config["browser_origins"] = {bad};
      CHECK(has(d.fault(), "service.json /browser_origins/0: must be an origin as a browser sends it"));
    }
    d.config["browser_origins"] = {"http://127.0.0.1:8080", "http://127.0.0.1:8080"};
    CHECK(d.fault() == "service.json /browser_origins/1: http://127.0.0.1:8080 is already /browser_origins/0");
    d.config["browser_origins"] = {8080};
    CHECK(has(d.fault(), "service.json /browser_origins/0: must be a text"));
    d.config["browser_origins"] = "http://127.0.0.1:8080";
    CHECK(has(d.fault(), "service.json /browser_origins: must be a list"));
  }

  TEST_CASE("a configuration file that cannot be opened is named") {
    CHECK_THROWS_WITH_AS(read_service_config("/nonexistent/service.json"), "/nonexistent/service.json: cannot be opened for reading",
                         PolicyFileError);
  }
}
