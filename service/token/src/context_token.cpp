// Verifying and signing context tokens (ilinks/context_token.h).
//
// The order matters: the token's shape and its header first, then its issuer
// and signature, and only then what it claims. Nothing a token says is
// believed, or even reported, before its signature is proven; and no refusal
// repeats what the token holds (it names claims, never their values), because
// refusals are logged and a token carries an NHS number and a user's name.
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "base64url.h"
#include "ilinks/context_token.h"
#include "ilinks/nhs_number.h"
#include "jws_crypto.h"

namespace ilinks {

namespace {

using nlohmann::json;

// The latest instant a time claim may name: 9999-12-31T23:59:59Z. Beyond it a
// "time" is a mistake or an attempt to overflow the arithmetic below.
constexpr int64_t kLastSecond = 253402300799;

[[noreturn]] void unproven(const std::string& why) { throw TokenRefused(401, "the context token " + why); }
[[noreturn]] void not_for_us(const std::string& why) { throw TokenRefused(403, "the context token " + why); }

// The three parts, split at exactly two dots.
std::vector<std::string> parts_of(const std::string& jwt) {
  std::vector<std::string> parts(1);
  for (char c : jwt) {
    if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  if (parts.size() != 3) unproven("is not a JSON Web Token (three base64url parts separated by dots)");
  return parts;
}

std::string decoded(const std::string& part, const char* what) {
  auto bytes = detail::base64url_decode(part);
  if (!bytes) unproven(std::string("has a ") + what + " that is not base64url (unpadded, A-Z a-z 0-9 - _)");
  return *bytes;
}

// A JSON object in which no object names a member twice: a parser that kept
// the first and one that kept the last would read two different tokens.
json object_of(const std::string& text, const char* what) {
  std::vector<std::set<std::string>> open;
  bool repeated = false;
  json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open.emplace_back();
    } else if (event == json::parse_event_t::key && !open.empty()) {
      if (!open.back().insert(parsed.get<std::string>()).second) repeated = true;
    } else if (event == json::parse_event_t::object_end && !open.empty()) {
      open.pop_back();
    }
    return true;
  };
  json j = json::parse(text, watch, false);
  if (j.is_discarded() || !j.is_object()) unproven(std::string("has ") + what + " that are not a JSON object");
  if (repeated) unproven(std::string("has ") + what + " that name a member twice");
  return j;
}

const json* member(const json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string quoted(const char* name) { return std::string("\"") + name + "\""; }

std::string required_text(const json& claims, const char* name) {
  const json* v = member(claims, name);
  if (!v) unproven("has no " + quoted(name) + " claim");
  if (!v->is_string() || v->get<std::string>().empty())
    unproven("has a " + quoted(name) + " claim that is not a non-empty text");
  return v->get<std::string>();
}

std::string optional_text(const json& claims, const char* name) {
  const json* v = member(claims, name);
  if (!v) return "";
  if (!v->is_string()) unproven("has a " + quoted(name) + " claim that is not a text");
  return v->get<std::string>();
}

// A NumericDate (RFC 7519): seconds since 1970, possibly with a fraction,
// which is dropped (a second either way is within any clock skew).
std::optional<int64_t> time_claim(const json& claims, const char* name, bool required) {
  const json* v = member(claims, name);
  if (!v) {
    if (required) unproven("has no " + quoted(name) + " claim (a time, seconds since 1970)");
    return std::nullopt;
  }
  std::optional<int64_t> seconds;
  if (v->is_number_unsigned()) {
    if (v->get<uint64_t>() <= static_cast<uint64_t>(kLastSecond)) seconds = static_cast<int64_t>(v->get<uint64_t>());
  } else if (v->is_number_integer()) {
    seconds = v->get<int64_t>();
  } else if (v->is_number_float()) {
    double d = v->get<double>();
    if (std::isfinite(d) && d >= 0 && d <= static_cast<double>(kLastSecond)) seconds = static_cast<int64_t>(std::floor(d));
  }
  if (!seconds || *seconds < 0 || *seconds > kLastSecond)
    unproven("has a " + quoted(name) + " claim that is not a time (seconds since 1970)");
  return seconds;
}

// The algorithm the header names, refused unless it is one a trusted issuer
// could have used. "none" and HMAC are named outright: they are the classic
// ways to pass a token off without the issuer's private key.
std::string header_algorithm(const json& header) {
  const json* alg = member(header, "alg");
  if (!alg || !alg->is_string()) unproven("has no signing algorithm (\"alg\") in its header");
  std::string name = alg->get<std::string>();
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "none" || lower.empty()) unproven("is unsigned (alg \"none\"): an unsigned token proves nothing");
  if (lower.rfind("hs", 0) == 0)
    unproven("is signed with a shared secret (HMAC), which the service never accepts: only ES256 or RS256 signatures");
  if (!detail::is_signature_algorithm(name))
    unproven("is signed with an algorithm the service does not accept (only ES256 and RS256)");
  // A header extension the signer says must be understood: none is.
  if (member(header, "crit")) unproven("asks for header extensions (\"crit\") the service does not understand");
  if (const json* typ = member(header, "typ")) {
    if (!typ->is_string() || (typ->get<std::string>() != "JWT" && typ->get<std::string>() != "jwt"))
      unproven("says in its header (\"typ\") that it is not a JWT");
  }
  return name;
}

// The keys that may have signed a token of `issuer`, with header kid `kid`,
// by `algorithm`. Each step that finds none says which step.
std::vector<const TrustedIssuer*> keys_for(const TokenSettings& settings, const std::string& issuer,
                                           const json& header, const std::string& algorithm) {
  std::vector<const TrustedIssuer*> of_issuer;
  for (const auto& t : settings.issuers)
    if (t.issuer == issuer) of_issuer.push_back(&t);
  if (of_issuer.empty()) unproven("is from an issuer (\"iss\") the service does not trust");

  std::vector<const TrustedIssuer*> named = of_issuer;
  if (const json* kid = member(header, "kid")) {
    if (!kid->is_string()) unproven("names its signing key (\"kid\") with something other than a text");
    named.clear();
    for (const auto* t : of_issuer)
      if (t->key_id.empty() || t->key_id == kid->get<std::string>()) named.push_back(t);
    if (named.empty()) unproven("names a signing key (\"kid\") its issuer is not trusted with");
  }

  std::vector<const TrustedIssuer*> fitting;
  std::string trusted_for;
  for (const auto* t : named) {
    if (t->algorithm == algorithm) fitting.push_back(t);
    if (trusted_for.find(t->algorithm) == std::string::npos) trusted_for += (trusted_for.empty() ? "" : ", ") + t->algorithm;
  }
  if (fitting.empty())
    unproven("is signed with another algorithm than the one its issuer is trusted for (" + trusted_for + ")");
  return fitting;
}

std::vector<std::string> audiences(const json& claims) {
  const json* aud = member(claims, "aud");
  if (!aud) unproven("has no \"aud\" claim (the service it is meant for)");
  std::vector<std::string> out;
  if (aud->is_string()) {
    out.push_back(aud->get<std::string>());
  } else if (aud->is_array() && !aud->empty()) {
    for (const auto& a : *aud) {
      if (!a.is_string()) unproven("has an \"aud\" claim that is not a text or a list of texts");
      out.push_back(a.get<std::string>());
    }
  } else {
    unproven("has an \"aud\" claim that is not a text or a list of texts");
  }
  return out;
}

// What the token says about the user and the person, each claim's type checked.
void read_claims(const json& claims, ContextToken& token) {
  Viewer& v = token.viewer;
  v.user_id = required_text(claims, "sub");
  token.jti = required_text(claims, "jti");
  v.user_name = optional_text(claims, "name");
  v.profile = required_text(claims, "profile");

  const json* org = member(claims, "organisation");
  if (!org) unproven("has no \"organisation\" claim");
  if (!org->is_object()) unproven("has an \"organisation\" claim that is not an object ({\"ods\": ..., \"name\": ...})");
  const json* ods = member(*org, "ods");
  if (!ods || !ods->is_string() || ods->get<std::string>().empty())
    unproven("has an \"organisation\" claim without an ODS code (\"ods\", a non-empty text)");
  v.organisation_ods = ods->get<std::string>();
  if (const json* name = member(*org, "name")) {
    if (!name->is_string()) unproven("has an \"organisation\" claim whose \"name\" is not a text");
    v.organisation_name = name->get<std::string>();
  }

  // Optional: a privacy officer reading alerts has no person open. Every
  // route about a person refuses a token without one. When present: exactly
  // ten digits with a good check digit: a number the host mistyped or padded
  // must not open someone else's record.
  token.patient_nhs_number = optional_text(claims, "patient");
  if (member(claims, "patient") && !is_valid_nhs_number(token.patient_nhs_number))
    unproven("has a \"patient\" claim that is not a valid NHS number (ten digits, the last a correct check digit)");

  const json* relationship = member(claims, "relationship");
  if (!relationship) unproven("has no \"relationship\" claim (true or false: does the host assert a legitimate relationship)");
  if (!relationship->is_boolean()) unproven("has a \"relationship\" claim that is not true or false");
  token.legitimate_relationship = relationship->get<bool>();

  v.family_name = optional_text(claims, "family_name");
  v.postcode = optional_text(claims, "postcode");
  v.team = optional_text(claims, "team");
  v.device = optional_text(claims, "device");
}

void check_times(int64_t iat, int64_t exp, std::optional<int64_t> nbf, const TokenSettings& settings,
                 const Timestamp& now) {
  const int64_t allowed = std::max(0, settings.clock_skew_seconds);
  const std::string allowance = " (" + std::to_string(allowed) + " s are allowed for clocks that differ)";
  if (exp <= iat) unproven("expires (\"exp\") no later than it was issued (\"iat\")");
  if (exp - iat > settings.max_lifetime_seconds)
    unproven("lives " + std::to_string(exp - iat) + " s from \"iat\" to \"exp\", longer than the " +
             std::to_string(settings.max_lifetime_seconds) + " s the service allows");
  if (now.utc_seconds > exp + allowed)
    unproven("has expired (" + std::to_string(now.utc_seconds - exp) + " s ago)" + allowance);
  if (iat > now.utc_seconds + allowed)
    unproven("was issued in the future (\"iat\" " + std::to_string(iat - now.utc_seconds) +
             " s ahead of this service's clock)" + allowance);
  // Without "nbf" a token is valid from its "iat", checked above.
  const int64_t not_before = nbf.value_or(iat);
  if (not_before > now.utc_seconds + allowed)
    unproven("is not valid yet (\"nbf\" " + std::to_string(not_before - now.utc_seconds) +
             " s ahead of this service's clock)" + allowance);
}

json claims_of(const ContextToken& token) {
  const Viewer& v = token.viewer;
  json organisation = {{"ods", v.organisation_ods}};
  if (!v.organisation_name.empty()) organisation["name"] = v.organisation_name;
  json claims = {{"iss", token.issuer},   {"aud", token.audience},         {"sub", v.user_id},
                 {"jti", token.jti},      {"iat", token.issued_at.utc_seconds}, {"exp", token.expires.utc_seconds},
                 {"profile", v.profile},  {"organisation", organisation},
                 {"relationship", token.legitimate_relationship}};
  auto optional = [&](const char* name, const std::string& value) {
    if (!value.empty()) claims[name] = value;
  };
  optional("patient", token.patient_nhs_number);  // none: a token that names no person
  optional("name", v.user_name);
  optional("family_name", v.family_name);
  optional("postcode", v.postcode);
  optional("team", v.team);
  optional("device", v.device);
  return claims;
}

}  // namespace

ContextToken verify_context_token(const std::string& jwt, const TokenSettings& settings, const Timestamp& now) {
  // Before anything else: a large token costs work to refuse.
  if (jwt.size() > settings.max_token_bytes)
    unproven("is larger than the " + std::to_string(settings.max_token_bytes) + " bytes the service reads");
  auto parts = parts_of(jwt);
  json header = object_of(decoded(parts[0], "header"), "a header whose contents");
  json claims = object_of(decoded(parts[1], "claims part"), "claims");
  std::string signature = decoded(parts[2], "signature");

  std::string algorithm = header_algorithm(header);
  std::string issuer = required_text(claims, "iss");
  bool proven = false;
  for (const TrustedIssuer* key : keys_for(settings, issuer, header, algorithm)) {
    detail::Key public_key;
    try {
      public_key = detail::public_key_for(algorithm, key->public_key_pem);
    } catch (const InputError& e) {
      // The service's own settings are wrong, not the token: not a 401.
      throw InputError("a trusted issuer's key cannot be used (" + std::string(e.what()) + ")");
    }
    // The signed text is the two parts exactly as sent, not as re-encoded.
    if (detail::signature_verifies(algorithm, public_key.get(), parts[0] + "." + parts[1], signature)) {
      proven = true;
      break;
    }
  }
  if (!proven) unproven("has a signature that does not verify with its issuer's key");

  // Proven: now what it claims.
  ContextToken token;
  token.issuer = issuer;
  read_claims(claims, token);
  std::vector<std::string> aud = audiences(claims);
  int64_t iat = *time_claim(claims, "iat", true);
  int64_t exp = *time_claim(claims, "exp", true);
  std::optional<int64_t> nbf = time_claim(claims, "nbf", false);
  check_times(iat, exp, nbf, settings, now);

  if (settings.audience.empty() || std::find(aud.begin(), aud.end(), settings.audience) == aud.end())
    not_for_us("is meant for another service: its audience (\"aud\") is not this service");
  token.audience = settings.audience;
  token.issued_at = {iat, now.offset_minutes};
  token.expires = {exp, now.offset_minutes};
  return token;
}

std::string sign_context_token(const ContextToken& token, const std::string& algorithm, const std::string& private_key_pem) {
  return sign_context_token(token, algorithm, private_key_pem, "");
}

std::string sign_context_token(const ContextToken& token, const std::string& algorithm, const std::string& private_key_pem,
                               const std::string& key_id) {
  detail::Key key = detail::private_key_for(algorithm, private_key_pem);
  json header = {{"alg", algorithm}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = key_id;
  std::string signed_text;
  try {
    signed_text = detail::base64url_encode(header.dump()) + "." + detail::base64url_encode(claims_of(token).dump());
  } catch (const json::exception&) {
    throw InputError("a claim of the token is not valid UTF-8 text");
  }
  return signed_text + "." + detail::base64url_encode(detail::sign_text(algorithm, key.get(), signed_text));
}

void check_issuer_key(const std::string& algorithm, const std::string& public_key_pem) {
  detail::public_key_for(algorithm, public_key_pem);
}

SigningKeyPair generate_signing_key(const std::string& algorithm) {
  detail::Key key = detail::generate_key(algorithm);
  return {detail::private_key_pem(key.get()), detail::public_key_pem(key.get())};
}

std::string random_token_id() {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : detail::random_bytes(16)) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

}  // namespace ilinks
