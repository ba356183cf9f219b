// The two signatures the service accepts on a context token, with OpenSSL 3:
// ES256 (ECDSA on P-256 with SHA-256, written as R || S, 64 bytes) and RS256
// (RSASSA-PKCS1-v1_5 with SHA-256, keys of 2048 bits or more). Nothing else:
// no HMAC, whose "key" would be the public key anyone can read.
#pragma once
#include <memory>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace ilinks::detail {

struct KeyFree {
  void operator()(EVP_PKEY* key) const;
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

// True for "ES256" and "RS256".
bool is_signature_algorithm(const std::string& algorithm);

// The key in a PEM "PUBLIC KEY" (or, for signing, "PRIVATE KEY") text, checked
// to be one `algorithm` uses. Throw InputError saying what is wrong with it.
Key public_key_for(const std::string& algorithm, const std::string& pem);
Key private_key_for(const std::string& algorithm, const std::string& pem);

// True when `signature` (as the JWS carries it) signs `signed_text` under `key`.
bool signature_verifies(const std::string& algorithm, EVP_PKEY* key, const std::string& signed_text,
                        const std::string& signature);
// The JWS signature of `signed_text` (R || S for ES256). Throws InputError.
std::string sign_text(const std::string& algorithm, EVP_PKEY* key, const std::string& signed_text);

// A fresh private key for `algorithm` (P-256; RSA of 3072 bits), and PEM texts of it.
Key generate_key(const std::string& algorithm);
std::string private_key_pem(EVP_PKEY* key);   // PKCS#8, unencrypted
std::string public_key_pem(EVP_PKEY* key);    // SubjectPublicKeyInfo

// `bytes` random bytes from the operating system's generator.
std::string random_bytes(size_t bytes);

}  // namespace ilinks::detail
