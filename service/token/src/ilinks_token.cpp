// ilinks-token: signing keys and context tokens, for a host's back end being
// built, the demo and the tests. A host in service signs its own tokens; this
// shows what it must send.
//
//   ilinks-token keygen --alg ES256 --out key.pem --public pub.pem
//   ilinks-token sign --key key.pem --alg ES256 --iss ISSUER --aud AUDIENCE --sub USER --profile 2a
//                     --ods N84011 --patient 9434765919 [--name NAME] [--org-name NAME]
//                     [--relationship yes|no] [--lifetime 300] [--team T] [--device D]
//                     [--family-name F] [--postcode P] [--jti ID] [--kid K]
//   ilinks-token verify --public pub.pem --alg ES256 --iss ISSUER --aud AUDIENCE [--kid K] TOKEN
//
// keygen never overwrites a file, and writes the private key readable by its
// owner only. sign prints the token on standard output; verify prints what a
// good token says as JSON, or why it is refused.
// Exit: 0 done; 1 bad arguments; 2 a key or file that cannot be used, or a refused token.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ilinks/context_token.h"
#include "ilinks/nhs_number.h"

namespace {

const char kUsage[] =
    "usage: ilinks-token keygen --alg ES256|RS256 --out KEY.pem --public PUBLIC.pem\n"
    "       ilinks-token sign --key KEY.pem --alg ES256|RS256 --iss ISSUER --aud AUDIENCE --sub USER_ID\n"
    "                         --profile PROFILE --ods ODS --patient NHS_NUMBER [--name NAME] [--org-name NAME]\n"
    "                         [--relationship yes|no] [--lifetime SECONDS] [--team TEAM] [--device DEVICE]\n"
    "                         [--family-name NAME] [--postcode POSTCODE] [--jti ID] [--kid KEY_ID]\n"
    "       ilinks-token verify --public PUBLIC.pem --alg ES256|RS256 --iss ISSUER --aud AUDIENCE [--kid KEY_ID] TOKEN\n";

int usage(const std::string& why) {
  std::fprintf(stderr, "ilinks-token: %s\n%s", why.c_str(), kUsage);
  return 1;
}

int failed(const std::string& why) {
  std::fprintf(stderr, "ilinks-token: %s\n", why.c_str());
  return 2;
}

struct Unusable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Unusable(path + ": cannot be opened for reading");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Creates `path` (never replacing a file: a key overwritten is a key lost)
// with `mode`, and writes `text` to it.
void write_new(const std::string& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    throw Unusable(path + (errno == EEXIST ? ": already exists, and is not replaced" : ": cannot be created: " +
                                                                                         std::string(std::strerror(errno))));
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw Unusable(path + ": cannot be written");
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw Unusable(path + ": cannot be written");
}

// The options after the command: every one takes a value; the rest are operands.
struct Options {
  std::map<std::string, std::string> values;
  std::vector<std::string> operands;
  std::string get(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? "" : it->second;
  }
};

// Reads the options `known` allows; returns a reason when the arguments are wrong.
std::string read_options(int argc, char** argv, const std::vector<std::string>& known, Options& out) {
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      out.operands.push_back(arg);
      continue;
    }
    if (std::find(known.begin(), known.end(), arg) == known.end()) return "unknown option " + arg;
    if (i + 1 >= argc) return arg + " needs a value";
    if (out.values.count(arg)) return arg + " is given twice";
    out.values[arg] = argv[++i];
  }
  return "";
}

std::string missing(const Options& o, const std::vector<std::string>& required) {
  for (const auto& name : required)
    if (o.get(name).empty()) return name + " is required";
  return "";
}

int keygen(int argc, char** argv) {
  Options o;
  std::string why = read_options(argc, argv, {"--alg", "--out", "--public"}, o);
  if (why.empty()) why = missing(o, {"--alg", "--out", "--public"});
  if (why.empty() && !o.operands.empty()) why = "unexpected " + o.operands[0];
  if (why.empty() && o.get("--alg") != "ES256" && o.get("--alg") != "RS256") why = "--alg must be ES256 or RS256";
  if (why.empty() && o.get("--out") == o.get("--public")) why = "--out and --public must be different files";
  if (!why.empty()) return usage(why);
  try {
    ilinks::SigningKeyPair pair = ilinks::generate_signing_key(o.get("--alg"));
    write_new(o.get("--out"), pair.private_key_pem, 0600);
    write_new(o.get("--public"), pair.public_key_pem, 0644);
  } catch (const std::exception& e) {
    return failed(e.what());
  }
  return 0;
}

int sign(int argc, char** argv) {
  const std::vector<std::string> required = {"--key", "--alg", "--iss", "--aud", "--sub", "--profile", "--ods", "--patient"};
  std::vector<std::string> known = required;
  for (const char* extra : {"--name", "--org-name", "--relationship", "--lifetime", "--team", "--device", "--family-name",
                            "--postcode", "--jti", "--kid"})
    known.push_back(extra);
  Options o;
  std::string why = read_options(argc, argv, known, o);
  if (why.empty()) why = missing(o, required);
  if (why.empty() && !o.operands.empty()) why = "unexpected " + o.operands[0];
  if (!why.empty()) return usage(why);

  std::string relationship = o.values.count("--relationship") ? o.get("--relationship") : "no";
  if (relationship != "yes" && relationship != "no") return usage("--relationship must be yes or no");
  long lifetime = 300;
  if (o.values.count("--lifetime")) {
    char* end = nullptr;
    lifetime = std::strtol(o.get("--lifetime").c_str(), &end, 10);
    if (o.get("--lifetime").empty() || *end != '\0' || lifetime <= 0 || lifetime > 86400)
      return usage("--lifetime must be a number of seconds from 1 to 86400");
  }
  // The service would refuse the token; saying so here saves a round trip.
  if (!ilinks::is_valid_nhs_number(o.get("--patient")))
    return usage("--patient must be an NHS number: ten digits, the last a correct check digit, no spaces");

  ilinks::ContextToken t;
  t.issuer = o.get("--iss");
  t.audience = o.get("--aud");
  t.jti = o.values.count("--jti") ? o.get("--jti") : "";
  t.issued_at = ilinks::Timestamp::now();
  t.expires = {t.issued_at.utc_seconds + lifetime, t.issued_at.offset_minutes};
  t.viewer.user_id = o.get("--sub");
  t.viewer.user_name = o.get("--name");
  t.viewer.profile = o.get("--profile");
  t.viewer.organisation_ods = o.get("--ods");
  t.viewer.organisation_name = o.get("--org-name");
  t.viewer.team = o.get("--team");
  t.viewer.device = o.get("--device");
  t.viewer.family_name = o.get("--family-name");
  t.viewer.postcode = o.get("--postcode");
  t.patient_nhs_number = o.get("--patient");
  t.legitimate_relationship = relationship == "yes";
  std::string key;
  try {
    key = slurp(o.get("--key"));
  } catch (const Unusable& e) {
    return failed(e.what());
  }
  try {
    if (t.jti.empty()) t.jti = ilinks::random_token_id();
    std::cout << ilinks::sign_context_token(t, o.get("--alg"), key, o.get("--kid")) << "\n";
  } catch (const std::exception& e) {
    return failed("cannot sign with " + o.get("--key") + ": " + e.what());
  }
  return 0;
}

int verify(int argc, char** argv) {
  Options o;
  std::string why = read_options(argc, argv, {"--public", "--alg", "--iss", "--aud", "--kid"}, o);
  if (why.empty()) why = missing(o, {"--public", "--alg", "--iss", "--aud"});
  if (why.empty() && o.operands.size() != 1) why = "give exactly one TOKEN";
  if (!why.empty()) return usage(why);

  ilinks::TokenSettings settings;
  settings.audience = o.get("--aud");
  ilinks::ContextToken t;
  std::string pem;
  try {
    pem = slurp(o.get("--public"));
    ilinks::check_issuer_key(o.get("--alg"), pem);
  } catch (const Unusable& e) {
    return failed(e.what());
  } catch (const std::exception& e) {
    return failed(o.get("--public") + ": " + e.what());
  }
  settings.issuers.push_back({o.get("--iss"), o.get("--alg"), pem, o.get("--kid")});
  try {
    t = ilinks::verify_context_token(o.operands[0], settings, ilinks::Timestamp::now());
  } catch (const ilinks::TokenRefused& e) {
    return failed("refused (" + std::to_string(e.status()) + "): " + e.what());
  }
  nlohmann::json out = {{"issuer", t.issuer},
                        {"audience", t.audience},
                        {"jti", t.jti},
                        {"issued_at", t.issued_at.iso()},
                        {"expires", t.expires.iso()},
                        {"user_id", t.viewer.user_id},
                        {"user_name", t.viewer.user_name},
                        {"profile", t.viewer.profile},
                        {"organisation", {{"ods", t.viewer.organisation_ods}, {"name", t.viewer.organisation_name}}},
                        {"team", t.viewer.team},
                        {"patient", t.patient_nhs_number},
                        {"relationship", t.legitimate_relationship}};
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("give a command: keygen, sign or verify");
  std::string command = argv[1];
  if (command == "keygen") return keygen(argc, argv);
  if (command == "sign") return sign(argc, argv);
  if (command == "verify") return verify(argc, argv);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  return usage("unknown command " + command);
}
