// ilinks/context_token.h: who is looking, proven. The host EPR's back end
// signs a short-lived JSON Web Token for each request (as NHS GP Connect
// asks of its consumers); the sharing service verifies it with OpenSSL and
// believes nothing a browser says on its own.
//
//   ContextToken who = verify_context_token(jwt, settings, Timestamp::now());
//   if (!store.use_token_once(who.issuer, who.jti, who.expires)) -> 401 replayed
//
// Claims (JSON names):
//   iss, aud, sub (user id), jti, iat, exp, nbf (optional)
//   name                 the user's name, as audit reports show it
//   profile              the role profile ("1a" ... "7", or an audit role such as "PO")
//   organisation         {"ods": "N84011", "name": "Ainsdale Medical Centre"}
//   patient              the NHS number of the person open in the host (10 digits, valid check digit)
//   relationship         true when the host asserts a legitimate relationship
//   family_name, postcode   the user's own, for the own-record alert (optional)
//   team, device         the user's named team, the host system (optional)
#pragma once
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/errors.h"
#include "ilinks/policy.h"

namespace ilinks {

// A token that may not be used. `status` is the HTTP status it deserves:
// 401 for a token that proves nothing (unsigned, wrongly signed, expired, not
// yet valid, malformed, from an unknown issuer, replayed), 403 for a proven
// token that asks for what it may not (wrong audience, unknown profile).
class TokenRefused : public Refused {
 public:
  TokenRefused(int status, const std::string& why) : Refused(why), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// An issuer the service trusts: its name (iss) and public key.
struct TrustedIssuer {
  std::string issuer;               // "https://epr.southport.nhs.uk"
  std::string algorithm;            // "ES256" (P-256) or "RS256" (RSA, 2048 bits or more)
  std::string public_key_pem;       // the key itself, PEM ("-----BEGIN PUBLIC KEY-----")
  // The header's "kid" this key answers to; empty: any token of this issuer,
  // with or without a kid. An issuer may be listed once per key (rotation).
  std::string key_id;
};

struct TokenSettings {
  std::vector<TrustedIssuer> issuers;
  std::string audience;             // the service's own name; a token for anyone else is refused
  int max_lifetime_seconds = 300;   // exp - iat at most this
  int clock_skew_seconds = 30;      // allowed for iat, nbf and exp
  size_t max_token_bytes = 8192;
};

struct ContextToken {
  std::string issuer, audience, jti;
  Timestamp issued_at, expires;
  Viewer viewer;                    // user_id (sub), user_name, profile, organisation, family_name, postcode, team, device
  std::string patient_nhs_number;
  bool legitimate_relationship = false;
};

// Checks the signature (the header's alg must be the issuer's; "none" and
// HMAC are refused), the times, the audience and every claim's type. Throws
// TokenRefused saying what is wrong, never echoing the token. Replay and
// whether the profile exists are the caller's checks (the store, the policy).
// Throws InputError (not a refusal: the service's fault, not the token's) when
// a trusted issuer's key in `settings` cannot be used; read_service_config has
// checked them all. Keeps no state: any thread may call it.
ContextToken verify_context_token(const std::string& jwt, const TokenSettings& settings, const Timestamp& now);

// Signs `token` with `private_key_pem` (ES256 or RS256): for host back ends,
// the demo and the tests. Throws InputError when the key cannot be used.
std::string sign_context_token(const ContextToken& token, const std::string& algorithm, const std::string& private_key_pem);
// The same, naming the key in the header ("kid"): for issuers with more than one key.
std::string sign_context_token(const ContextToken& token, const std::string& algorithm, const std::string& private_key_pem,
                               const std::string& key_id);

// Throws InputError saying why `public_key_pem` cannot verify `algorithm`'s
// signatures: not a PEM public key, not P-256 for ES256, not RSA or under
// 2048 bits for RS256, or an algorithm other than those two. For the
// configuration, so that a wrong key stops the service before it starts.
void check_issuer_key(const std::string& algorithm, const std::string& public_key_pem);

// A new signing key for `algorithm` (ES256: P-256; RS256: RSA 3072 bits), for
// ilinks-token keygen and the demo. Throws InputError.
struct SigningKeyPair {
  std::string private_key_pem;      // PKCS #8, unencrypted: keep it where only the signer reads
  std::string public_key_pem;       // for the service's configuration
};
SigningKeyPair generate_signing_key(const std::string& algorithm);

// 128 random bits, as 32 hexadecimal digits: a jti no other token will have.
std::string random_token_id();

}  // namespace ilinks
