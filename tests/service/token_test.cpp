// Context tokens (ilinks/context_token.h): the sharing service believes who
// is looking only when the host's back end has signed it. What it accepts,
// and each way a token is refused, with the HTTP status it earns: 401 for a
// token that proves nothing, 403 for a proven token meant for another service.
#include <doctest/doctest.h>

#include <vector>

#include "ilinks/context_token.h"
#include "token_test_keys.h"

using namespace ilinks;
using nlohmann::json;

namespace {

const std::string kIssuer = "https://epr.southport.nhs.uk";
const std::string kAudience = "https://ilinks.north-mersey.nhs.uk/api";
const std::string kPatient = "9434765919";
const Timestamp kNow{1795000000, 60};  // the service's clock

TokenSettings settings_trusting(const std::string& algorithm, const std::string& public_pem, const std::string& kid = "") {
  TokenSettings s;
  s.issuers.push_back({kIssuer, algorithm, public_pem, kid});
  s.audience = kAudience;
  return s;
}
TokenSettings es256() { return settings_trusting("ES256", test::ec_key().public_pem); }

// Every claim a host sends, issued a minute ago for five minutes.
json claims(int64_t iat = kNow.utc_seconds - 60, int64_t lifetime = 300) {
  return {{"iss", kIssuer},
          {"aud", kAudience},
          {"sub", "u-4471"},
          {"jti", "7f3c1e0a-token-1"},
          {"iat", iat},
          {"exp", iat + lifetime},
          {"name", "Dr Alice Barnes"},
          {"profile", "2a"},
          {"organisation", {{"ods", "N84011"}, {"name", "Ainsdale Medical Centre"}}},
          {"patient", kPatient},
          {"relationship", true},
          {"family_name", "Barnes"},
          {"postcode", "PR8 2AB"},
          {"team", "Southport A&E"},
          {"device", "EMIS Web at N84011"}};
}

json header(const std::string& alg = "ES256") { return {{"alg", alg}, {"typ", "JWT"}}; }

std::string es256_token(const json& c = claims(), const json& h = header()) {
  return test::jws(h, c, test::ec_key().private_pem);
}

// The refusal `jwt` earns, or none.
struct Refusal {
  int status = 0;
  std::string why;
};
Refusal refusal(const std::string& jwt, const TokenSettings& s = es256(), const Timestamp& now = kNow) {
  try {
    verify_context_token(jwt, s, now);
  } catch (const TokenRefused& e) {
    return {e.status(), e.what()};
  }
  return {};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The three parts of a token, to alter one.
std::vector<std::string> parts(const std::string& jwt) {
  std::vector<std::string> out(1);
  for (char c : jwt) {
    if (c == '.') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

TEST_SUITE("context tokens") {
  TEST_CASE("a token a trusted issuer signed with ES256 is accepted, and says who is looking at whom") {
    ContextToken t = verify_context_token(es256_token(), es256(), kNow);
    CHECK(t.issuer == kIssuer);
    CHECK(t.audience == kAudience);
    CHECK(t.jti == "7f3c1e0a-token-1");
    CHECK(t.issued_at.utc_seconds == kNow.utc_seconds - 60);
    CHECK(t.expires.utc_seconds == kNow.utc_seconds + 240);
    CHECK(t.expires.offset_minutes == kNow.offset_minutes);
    CHECK(t.viewer.user_id == "u-4471");
    CHECK(t.viewer.user_name == "Dr Alice Barnes");
    CHECK(t.viewer.profile == "2a");
    CHECK(t.viewer.organisation_ods == "N84011");
    CHECK(t.viewer.organisation_name == "Ainsdale Medical Centre");
    CHECK(t.viewer.family_name == "Barnes");
    CHECK(t.viewer.postcode == "PR8 2AB");
    CHECK(t.viewer.team == "Southport A&E");
    CHECK(t.viewer.device == "EMIS Web at N84011");
    CHECK(t.patient_nhs_number == kPatient);
    CHECK(t.legitimate_relationship);
  }

  TEST_CASE("a token a trusted issuer signed with RS256 is accepted") {
    std::string jwt = test::jws(header("RS256"), claims(), test::rsa_key().private_pem);
    ContextToken t = verify_context_token(jwt, settings_trusting("RS256", test::rsa_key().public_pem), kNow);
    CHECK(t.viewer.user_id == "u-4471");
  }

  TEST_CASE("the optional claims may be left out: name, team, device, the user's own family name and postcode") {
    json c = claims();
    for (const char* name : {"name", "family_name", "postcode", "team", "device"}) c.erase(name);
    c["organisation"].erase("name");
    ContextToken t = verify_context_token(es256_token(c), es256(), kNow);
    CHECK(t.viewer.user_name.empty());
    CHECK(t.viewer.team.empty());
    CHECK(t.viewer.organisation_name.empty());
  }

  TEST_CASE("a host that asserts no legitimate relationship is heard saying so") {
    json c = claims();
    c["relationship"] = false;
    CHECK_FALSE(verify_context_token(es256_token(c), es256(), kNow).legitimate_relationship);
  }

  TEST_CASE("whether the profile exists is the policy's question: the token carries whatever profile the host sent") {
    json c = claims();
    c["profile"] = "PO";
    CHECK(verify_context_token(es256_token(c), es256(), kNow).viewer.profile == "PO");
  }

  TEST_CASE("tokens signed by sign_context_token, ES256 and RS256, are accepted with every claim kept") {
    ContextToken t;
    t.issuer = kIssuer;
    t.audience = kAudience;
    t.jti = random_token_id();
    t.issued_at = {kNow.utc_seconds - 10, 0};
    t.expires = {kNow.utc_seconds + 290, 0};
    t.viewer.user_id = "u-9";
    t.viewer.user_name = "Nurse Ng";
    t.viewer.profile = "3";
    t.viewer.organisation_ods = "RVY02";
    t.viewer.organisation_name = "Southport and Ormskirk Hospital NHS Trust";
    t.viewer.team = "Ward 14";
    t.patient_nhs_number = kPatient;
    t.legitimate_relationship = true;

    ContextToken e = verify_context_token(sign_context_token(t, "ES256", test::ec_key().private_pem), es256(), kNow);
    CHECK(e.jti == t.jti);
    CHECK(e.viewer.organisation_name == t.viewer.organisation_name);
    CHECK(e.viewer.team == "Ward 14");
    CHECK(e.issued_at.utc_seconds == t.issued_at.utc_seconds);
    // An ES256 signature is R || S: 64 bytes.
    CHECK(test::b64url_decode(parts(sign_context_token(t, "ES256", test::ec_key().private_pem))[2]).size() == 64);

    ContextToken r = verify_context_token(sign_context_token(t, "RS256", test::rsa_key().private_pem),
                                          settings_trusting("RS256", test::rsa_key().public_pem), kNow);
    CHECK(r.viewer.user_name == "Nurse Ng");
  }

  TEST_CASE("the ES256 signature of RFC 7515's worked example (appendix A.3) verifies") {
    // The RFC's public key, as SubjectPublicKeyInfo: the fixed P-256 prefix,
    // then the uncompressed point 04 || x || y.
    std::string spki = test::b64url_decode("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE") +
                       test::b64url_decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU") +
                       test::b64url_decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
    std::string b64 = test::b64url(spki);
    for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (b64.size() % 4) b64 += '=';
    std::string pem = "-----BEGIN PUBLIC KEY-----\n" + b64.substr(0, 64) + "\n" + b64.substr(64) + "\n-----END PUBLIC KEY-----\n";
    TokenSettings s;
    s.issuers.push_back({"joe", "ES256", pem, ""});
    s.audience = kAudience;
    std::string rfc =
        "eyJhbGciOiJFUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    // Its signature is good; its claims are not a context token's.
    Refusal r = refusal(rfc, s);
    CHECK(r.status == 401);
    CHECK(has(r.why, "\"sub\""));
    CHECK_FALSE(has(r.why, "signature"));
    // One bit changed in S, and the signature no longer verifies.
    std::string altered = rfc;
    altered[altered.size() - 2] = altered[altered.size() - 2] == 'U' ? 'V' : 'U';
    CHECK(has(refusal(altered, s).why, "signature that does not verify"));
  }

  TEST_CASE("a token signed by an issuer the service does not trust is refused") {
    json c = claims();
    c["iss"] = "https://epr.elsewhere.example";
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 401);
    CHECK(has(r.why, "issuer (\"iss\") the service does not trust"));
    CHECK_FALSE(has(r.why, "elsewhere"));
  }

  TEST_CASE("a token without an issuer is refused") {
    json c = claims();
    c.erase("iss");
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 401);
    CHECK(has(r.why, "no \"iss\" claim"));
  }

  TEST_CASE("a token signed with the right algorithm but another key is refused") {
    Refusal r = refusal(test::jws(header(), claims(), test::other_ec_key().private_pem));
    CHECK(r.status == 401);
    CHECK(has(r.why, "signature that does not verify with its issuer's key"));
  }

  TEST_CASE("a token whose header says HS256, made with the issuer's public key as the HMAC secret, is refused") {
    // The classic attack on verifiers that take the algorithm from the token:
    // the public key, which anyone may read, used as a shared secret.
    const std::string& secret = test::ec_key().public_pem;
    std::string text = test::b64url(header("HS256").dump()) + "." + test::b64url(claims().dump());
    std::string forged = text + "." + test::b64url(test::hmac_sha256(text, secret));
    Refusal r = refusal(forged);
    CHECK(r.status == 401);
    CHECK(has(r.why, "shared secret (HMAC)"));
    // Nor with an RS256 issuer's key.
    std::string rsa_forged = text + "." + test::b64url(test::hmac_sha256(text, test::rsa_key().public_pem));
    CHECK(refusal(rsa_forged, settings_trusting("RS256", test::rsa_key().public_pem)).status == 401);
  }

  TEST_CASE("an unsigned token (alg none) is refused, however it is spelt") {
    for (const char* none : {"none", "None", "NONE", ""}) {
      CAPTURE(none);
      std::string text = test::b64url(header(none).dump()) + "." + test::b64url(claims().dump());
      Refusal r = refusal(text + ".");
      CHECK(r.status == 401);
      CHECK(has(r.why, "unsigned"));
      // A signature part tacked on changes nothing.
      CHECK(refusal(text + "." + parts(es256_token())[2]).status == 401);
    }
  }

  TEST_CASE("a token with no algorithm in its header is refused") {
    Refusal r = refusal(es256_token(claims(), json{{"typ", "JWT"}}));
    CHECK(r.status == 401);
    CHECK(has(r.why, "no signing algorithm"));
  }

  TEST_CASE("a token signed with an algorithm other than its issuer's is refused") {
    // The issuer signs with ES256; this token is RS256, signed with an RSA
    // key, so that only the header's word would let it through.
    Refusal r = refusal(test::jws(header("RS256"), claims(), test::rsa_key().private_pem));
    CHECK(r.status == 401);
    CHECK(has(r.why, "another algorithm than the one its issuer is trusted for (ES256)"));
  }

  TEST_CASE("algorithms other than ES256 and RS256 are refused") {
    for (const char* alg : {"ES384", "ES512", "PS256", "RS512", "EdDSA"}) {
      CAPTURE(alg);
      Refusal r = refusal(es256_token(claims(), header(alg)));
      CHECK(r.status == 401);
      CHECK(has(r.why, "only ES256 and RS256"));
    }
  }

  TEST_CASE("a claim altered after signing is refused") {
    auto p = parts(es256_token());
    json c = json::parse(test::b64url_decode(p[1]));
    c["patient"] = "4010232137";  // another person, valid check digit
    Refusal r = refusal(p[0] + "." + test::b64url(c.dump()) + "." + p[2]);
    CHECK(r.status == 401);
    CHECK(has(r.why, "signature that does not verify"));
  }

  TEST_CASE("a header altered after signing is refused") {
    auto p = parts(es256_token());
    json h = header();
    h["kid"] = "added-later";
    CHECK(refusal(test::b64url(h.dump()) + "." + p[1] + "." + p[2]).status == 401);
  }

  TEST_CASE("a signature altered by one bit is refused") {
    auto p = parts(es256_token());
    std::string sig = test::b64url_decode(p[2]);
    sig[10] = static_cast<char>(sig[10] ^ 0x01);
    Refusal r = refusal(p[0] + "." + p[1] + "." + test::b64url(sig));
    CHECK(r.status == 401);
    CHECK(has(r.why, "signature that does not verify"));
  }

  TEST_CASE("an ES256 signature written in DER, not R || S as JWS asks, is refused") {
    std::string text = test::b64url(header().dump()) + "." + test::b64url(claims().dump());
    std::string der = test::signature(text, test::ec_key().private_pem, true);
    CHECK(refusal(text + "." + test::b64url(der)).status == 401);
  }

  TEST_CASE("a token that is not three dot-separated parts is refused") {
    std::string good = es256_token();
    auto p = parts(good);
    for (const std::string& bad : {std::string(), p[0] + "." + p[1], good + ".", p[0] + "." + p[1] + "." + p[2] + ".x",
                                   std::string("not a token")}) {
      CAPTURE(bad.size());
      Refusal r = refusal(bad);
      CHECK(r.status == 401);
      CHECK(has(r.why, "is not a JSON Web Token"));
    }
  }

  TEST_CASE("a part that is not strict base64url is refused: padding, + and /, spaces, stray bits") {
    auto p = parts(es256_token());
    std::string sig = p[2];
    std::vector<std::string> bad = {
        p[0] + "=." + p[1] + "." + sig,                          // padding
        p[0] + "." + p[1] + "." + sig + "==",                    // padding on the signature
        p[0] + "." + p[1] + "." + sig.substr(0, 10) + "+" + sig.substr(11),  // base64's +, not base64url's -
        p[0] + "." + p[1] + "." + sig.substr(0, 10) + "/" + sig.substr(11),
        p[0] + "." + p[1] + " ." + sig,                          // a space
        p[0] + "." + p[1] + "." + sig + "AAA",                   // a length no bytes encode to
    };
    // The last character of a 64-byte signature carries 2 bits the encoder
    // leaves at zero: setting one writes the same bytes another way.
    std::string stray = sig;
    stray.back() = stray.back() == 'A' ? 'B' : static_cast<char>(stray.back() + 1);
    bad.push_back(p[0] + "." + p[1] + "." + stray);
    for (size_t i = 0; i < bad.size(); ++i) {
      CAPTURE(i);
      Refusal r = refusal(bad[i]);
      CHECK(r.status == 401);
      CHECK(has(r.why, "not base64url"));
    }
  }

  TEST_CASE("a header or claims part that is not a JSON object is refused") {
    const std::string& key = test::ec_key().private_pem;
    Refusal not_json = refusal(test::jws(header().dump(), "{\"sub\": ", key));
    CHECK(not_json.status == 401);
    CHECK(has(not_json.why, "claims that are not a JSON object"));
    CHECK(refusal(test::jws(header().dump(), "[1, 2]", key)).status == 401);
    CHECK(refusal(test::jws(header().dump(), "\"text\"", key)).status == 401);
    Refusal bad_header = refusal(test::jws("[\"ES256\"]", claims().dump(), key));
    CHECK(bad_header.status == 401);
    CHECK(has(bad_header.why, "header"));
  }

  TEST_CASE("claims that name a member twice are refused: two readers could see two different users") {
    std::string c = claims().dump();
    c.insert(1, "\"sub\":\"someone-else\",");
    Refusal r = refusal(test::jws(header().dump(), c, test::ec_key().private_pem));
    CHECK(r.status == 401);
    CHECK(has(r.why, "name a member twice"));
  }

  TEST_CASE("a token larger than the service reads is refused before it is read") {
    json c = claims();
    c["padding"] = std::string(9000, 'x');
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 401);
    CHECK(has(r.why, "larger than the 8192 bytes"));
    TokenSettings roomy = es256();
    roomy.max_token_bytes = 20000;
    CHECK(refusal(es256_token(c), roomy).status == 0);
  }

  TEST_CASE("a header that asks for extensions the service does not understand (crit) is refused") {
    json h = header();
    h["crit"] = {"exp-by-phase-of-moon"};
    h["exp-by-phase-of-moon"] = true;
    Refusal r = refusal(es256_token(claims(), h));
    CHECK(r.status == 401);
    CHECK(has(r.why, "crit"));
  }

  TEST_CASE("a header that says it is not a JWT is refused") {
    json h = header();
    h["typ"] = "at+jwt";
    CHECK(refusal(es256_token(claims(), h)).status == 401);
  }

  TEST_CASE("an issuer with two keys, named by kid, has each token checked with the key it names") {
    TokenSettings s = es256();
    s.issuers[0].key_id = "2026-01";
    s.issuers.push_back({kIssuer, "ES256", test::other_ec_key().public_pem, "2026-07"});
    json h = header();
    h["kid"] = "2026-07";
    CHECK(refusal(test::jws(h, claims(), test::other_ec_key().private_pem), s).status == 0);
    h["kid"] = "2026-01";
    CHECK(refusal(test::jws(h, claims(), test::ec_key().private_pem), s).status == 0);
    // The right key under the other key's name does not pass.
    CHECK(refusal(test::jws(h, claims(), test::other_ec_key().private_pem), s).status == 401);
  }

  TEST_CASE("a token naming a key (kid) its issuer is not trusted with is refused") {
    TokenSettings s = settings_trusting("ES256", test::ec_key().public_pem, "2026-01");
    json h = header();
    h["kid"] = "1999-retired";
    Refusal r = refusal(es256_token(claims(), h), s);
    CHECK(r.status == 401);
    CHECK(has(r.why, "names a signing key (\"kid\") its issuer is not trusted with"));
  }

  TEST_CASE("an issuer configured without key ids accepts its tokens with or without a kid") {
    json h = header();
    h["kid"] = "anything";
    CHECK(refusal(es256_token(claims(), h)).status == 0);
    CHECK(refusal(es256_token(claims(), json{{"alg", "ES256"}})).status == 0);
  }

  TEST_CASE("a token missing any required claim is refused, naming the claim") {
    for (const char* name : {"sub", "jti", "iat", "exp", "aud", "profile", "organisation", "relationship"}) {
      CAPTURE(name);
      json c = claims();
      c.erase(name);
      Refusal r = refusal(es256_token(c));
      CHECK(r.status == 401);
      CHECK(has(r.why, std::string("\"") + name + "\""));
    }
  }

  TEST_CASE("a token may name no person (a privacy officer reading alerts); the routes about a person refuse it") {
    json c = claims();
    c.erase("patient");
    CHECK(refusal(es256_token(c)).status == 0);
  }

  TEST_CASE("a token whose organisation has no ODS code is refused") {
    json c = claims();
    c["organisation"].erase("ods");
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 401);
    CHECK(has(r.why, "ODS code"));
  }

  TEST_CASE("a claim of the wrong type is refused, naming the claim") {
    std::vector<std::pair<std::string, json>> wrong = {
        {"sub", 4471},         {"sub", ""},           {"jti", json::array()},      {"iat", "1795000000"},
        {"exp", true},         {"iat", -5},           {"exp", 1e300},              {"nbf", "soon"},
        {"aud", 7},            {"aud", json::array()}, {"aud", json::array({1})},  {"profile", 2},
        {"organisation", "N84011"}, {"relationship", "yes"}, {"relationship", 1}, {"patient", 9434765919LL},
        {"name", 12},          {"team", nullptr},     {"postcode", json::object()}};
    for (const auto& claim : wrong) {
      const std::string& name = claim.first;
      const json& value = claim.second;
      CAPTURE(name);
      CAPTURE(value.dump());
      json c = claims();
      c[name] = value;
      Refusal r = refusal(es256_token(c));
      CHECK(r.status == 401);
      CHECK(has(r.why, "\"" + name + "\""));
    }
  }

  TEST_CASE("a patient claim that is not a valid NHS number is refused, and the number is not repeated") {
    for (const char* bad : {"9434765918", "943 476 5919", "943476591", "94347659190", "943476591X"}) {
      CAPTURE(bad);
      json c = claims();
      c["patient"] = bad;
      Refusal r = refusal(es256_token(c));
      CHECK(r.status == 401);
      CHECK(has(r.why, "not a valid NHS number"));
      CHECK_FALSE(has(r.why, bad));
    }
  }

  TEST_CASE("a token that lives longer than the service allows is refused; exactly the limit is accepted") {
    CHECK(refusal(es256_token(claims(kNow.utc_seconds - 60, 300))).status == 0);
    Refusal r = refusal(es256_token(claims(kNow.utc_seconds - 60, 301)));
    CHECK(r.status == 401);
    CHECK(has(r.why, "lives 301 s"));
    CHECK(has(r.why, "longer than the 300 s"));
  }

  TEST_CASE("a token that expires before it was issued is refused") {
    Refusal r = refusal(es256_token(claims(kNow.utc_seconds, -10)));
    CHECK(r.status == 401);
    CHECK(has(r.why, "no later than it was issued"));
  }

  TEST_CASE("an expired token is accepted within the clock skew and refused one second beyond it") {
    // exp = kNow - 30 - 0: expired just as long ago as clocks may differ.
    json c = claims(kNow.utc_seconds - 330, 300);
    CHECK(refusal(es256_token(c)).status == 0);
    c = claims(kNow.utc_seconds - 331, 300);
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 401);
    CHECK(has(r.why, "has expired (31 s ago)"));
  }

  TEST_CASE("a token issued in the future is accepted within the clock skew and refused beyond it") {
    CHECK(refusal(es256_token(claims(kNow.utc_seconds + 30))).status == 0);
    Refusal r = refusal(es256_token(claims(kNow.utc_seconds + 31)));
    CHECK(r.status == 401);
    CHECK(has(r.why, "issued in the future"));
  }

  TEST_CASE("a token not valid yet (nbf) is accepted within the clock skew and refused beyond it") {
    json c = claims();
    c["nbf"] = kNow.utc_seconds + 30;
    CHECK(refusal(es256_token(c)).status == 0);
    c["nbf"] = kNow.utc_seconds + 31;
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 401);
    CHECK(has(r.why, "not valid yet"));
  }

  TEST_CASE("a service configured with no clock skew allows none") {
    TokenSettings strict = es256();
    strict.clock_skew_seconds = 0;
    CHECK(refusal(es256_token(claims(kNow.utc_seconds - 300, 300)), strict).status == 0);
    CHECK(refusal(es256_token(claims(kNow.utc_seconds - 301, 300)), strict).status == 401);
  }

  TEST_CASE("times written with a fraction of a second are read to the second") {
    json c = claims();
    c["iat"] = static_cast<double>(kNow.utc_seconds) - 59.75;
    c["exp"] = static_cast<double>(kNow.utc_seconds) + 200.5;
    ContextToken t = verify_context_token(es256_token(c), es256(), kNow);
    CHECK(t.issued_at.utc_seconds == kNow.utc_seconds - 60);
    CHECK(t.expires.utc_seconds == kNow.utc_seconds + 200);
  }

  TEST_CASE("a proven token meant for another service is refused as forbidden (403)") {
    json c = claims();
    c["aud"] = "https://another-service.nhs.uk/api";
    Refusal r = refusal(es256_token(c));
    CHECK(r.status == 403);
    CHECK(has(r.why, "meant for another service"));
    CHECK_FALSE(has(r.why, "another-service"));
  }

  TEST_CASE("an audience list that includes the service is accepted; one that does not is forbidden") {
    json c = claims();
    c["aud"] = {"https://another-service.nhs.uk/api", kAudience};
    CHECK(refusal(es256_token(c)).status == 0);
    c["aud"] = {"https://another-service.nhs.uk/api"};
    CHECK(refusal(es256_token(c)).status == 403);
  }

  TEST_CASE("an expired token meant for another service is refused as unproven (401), not forbidden") {
    json c = claims(kNow.utc_seconds - 1000, 300);
    c["aud"] = "https://another-service.nhs.uk/api";
    CHECK(refusal(es256_token(c)).status == 401);
  }

  TEST_CASE("no refusal repeats the token or what it claims: names and NHS numbers stay out of the logs") {
    std::string jwt = es256_token();
    auto p = parts(jwt);
    std::vector<std::string> refused;
    json c = claims();
    c["aud"] = "elsewhere";
    refused.push_back(refusal(es256_token(c)).why);
    c = claims(kNow.utc_seconds - 1000);
    refused.push_back(refusal(es256_token(c)).why);
    c = claims();
    c["iss"] = "https://issuer-unknown";
    refused.push_back(refusal(es256_token(c)).why);
    refused.push_back(refusal(test::jws(header(), claims(), test::other_ec_key().private_pem)).why);
    refused.push_back(refusal(jwt.substr(0, jwt.size() - 1) + "=").why);
    refused.push_back(refusal(p[0] + "." + p[1]).why);
    c = claims();
    c["relationship"] = "Dr Alice Barnes";
    refused.push_back(refusal(es256_token(c)).why);
    for (const auto& why : refused) {
      CAPTURE(why);
      CHECK_FALSE(why.empty());
      for (const std::string& secret : {kPatient, std::string("Alice"), std::string("u-4471"), std::string("7f3c1e0a"),
                                        std::string("Barnes"), std::string("PR8"), std::string("issuer-unknown"),
                                        std::string("elsewhere"), p[1].substr(0, 12), p[2].substr(0, 12)})
        CHECK_FALSE(has(why, secret));
    }
  }

  TEST_CASE("an issuer key must suit its algorithm: P-256 for ES256, RSA of 2048 bits or more for RS256") {
    CHECK_NOTHROW(check_issuer_key("ES256", test::ec_key().public_pem));
    CHECK_NOTHROW(check_issuer_key("RS256", test::rsa_key().public_pem));
    CHECK_THROWS_WITH_AS(check_issuer_key("RS256", test::rsa_1024_key().public_pem),
                         "the key is an RSA key of 1024 bits: RS256 keys must have 2048 bits or more", InputError);
    CHECK_THROWS_WITH_AS(check_issuer_key("ES256", test::rsa_key().public_pem),
                         "the key is not an EC P-256 key, which ES256 needs", InputError);
    CHECK_THROWS_WITH_AS(check_issuer_key("ES256", test::p384_key().public_pem),
                         "the key is not an EC P-256 key, which ES256 needs", InputError);
    CHECK_THROWS_WITH_AS(check_issuer_key("RS256", test::ec_key().public_pem),
                         "the key is not an RSA key, which RS256 needs", InputError);
    CHECK_THROWS_AS(check_issuer_key("HS256", test::ec_key().public_pem), InputError);
    CHECK_THROWS_AS(check_issuer_key("ES256", "not a key"), InputError);
  }

  TEST_CASE("a private key given where the issuer's public key belongs is refused") {
    CHECK_THROWS_WITH_AS(check_issuer_key("ES256", test::ec_key().private_pem),
                         "the key is not a PEM public key (\"-----BEGIN PUBLIC KEY-----\")", InputError);
  }

  TEST_CASE("a token signed with a short RSA key is refused, and none is signed with one") {
    TokenSettings s = settings_trusting("RS256", test::rsa_1024_key().public_pem);
    CHECK_THROWS_AS(verify_context_token(test::jws(header("RS256"), claims(), test::rsa_1024_key().private_pem), s, kNow),
                    InputError);
    ContextToken t = verify_context_token(es256_token(), es256(), kNow);
    CHECK_THROWS_AS(sign_context_token(t, "RS256", test::rsa_1024_key().private_pem), InputError);
    CHECK_THROWS_AS(sign_context_token(t, "ES256", test::rsa_key().private_pem), InputError);
    CHECK_THROWS_AS(sign_context_token(t, "HS256", test::ec_key().private_pem), InputError);
  }

  TEST_CASE("keys made by generate_signing_key sign tokens their public half verifies") {
    for (const char* alg : {"ES256", "RS256"}) {
      CAPTURE(alg);
      SigningKeyPair pair = generate_signing_key(alg);
      CHECK(has(pair.private_key_pem, "-----BEGIN PRIVATE KEY-----"));
      CHECK_NOTHROW(check_issuer_key(alg, pair.public_key_pem));
      ContextToken t = verify_context_token(es256_token(), es256(), kNow);
      std::string jwt = sign_context_token(t, alg, pair.private_key_pem, "k1");
      CHECK(verify_context_token(jwt, settings_trusting(alg, pair.public_key_pem, "k1"), kNow).jti == t.jti);
    }
  }

  TEST_CASE("token ids are random: no two alike") {
    std::string a = random_token_id(), b = random_token_id();
    CHECK(a.size() == 32);
    CHECK(a != b);
  }
}
