#include "jws_crypto.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <climits>
#include <cstring>

#include "ilinks/errors.h"

namespace ilinks::detail {

void KeyFree::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

namespace {

// The two coordinates of a P-256 signature are 32 bytes each.
constexpr int kP256Bytes = 32;
constexpr int kMinRsaBits = 2048;

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };
struct SigFree { void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); } };
struct BnFree { void operator()(BIGNUM* b) const { BN_free(b); } };
using Bio = std::unique_ptr<BIO, BioFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Sig = std::unique_ptr<ECDSA_SIG, SigFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// OpenSSL keeps its complaints on a per-thread queue; ours are in words, so
// theirs are dropped rather than left for the next caller to misread.
struct ForgetOpenSslErrors {
  ~ForgetOpenSslErrors() { ERR_clear_error(); }
};

Bio memory_bio(const std::string& text) {
  if (text.size() > INT_MAX) throw InputError("a key text is too large to be a key");
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

bool is_p256(EVP_PKEY* key) {
  if (!EVP_PKEY_is_a(key, "EC")) return false;
  char group[64] = {0};
  size_t length = 0;
  if (!EVP_PKEY_get_group_name(key, group, sizeof group, &length)) return false;
  return std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0;
}

// Why `key` cannot serve `algorithm`; empty when it can.
std::string unfit_for(const std::string& algorithm, EVP_PKEY* key) {
  if (algorithm == "ES256") {
    if (!is_p256(key)) return "is not an EC P-256 key, which ES256 needs";
    return "";
  }
  if (algorithm == "RS256") {
    // "RSA" only: an RSA-PSS key is bound to another padding.
    if (!EVP_PKEY_is_a(key, "RSA")) return "is not an RSA key, which RS256 needs";
    int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinRsaBits)
      return "is an RSA key of " + std::to_string(bits) + " bits: RS256 keys must have " +
             std::to_string(kMinRsaBits) + " bits or more";
    return "";
  }
  return "cannot be used: \"" + algorithm + "\" is not ES256 or RS256";
}

Key checked(Key key, const std::string& algorithm) {
  std::string why = unfit_for(algorithm, key.get());
  if (!why.empty()) throw InputError("the key " + why);
  return key;
}

// JWS writes an ECDSA signature as R || S; OpenSSL reads and writes DER.
std::string der_from_raw(const std::string& raw) {
  Sig sig(ECDSA_SIG_new());
  Bn r(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), kP256Bytes, nullptr));
  Bn s(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + kP256Bytes, kP256Bytes, nullptr));
  if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r.get(), s.get())) return "";
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  int n = i2d_ECDSA_SIG(sig.get(), &der);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string raw_from_der(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  Sig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) throw InputError("OpenSSL made an ECDSA signature it cannot read back");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kP256Bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kP256Bytes) != kP256Bytes || BN_bn2binpad(s, out + kP256Bytes, kP256Bytes) != kP256Bytes)
    throw InputError("OpenSSL made an ECDSA signature longer than P-256 allows");
  return raw;
}

// EVP_DigestVerifyInit/SignInit with SHA-256, and PKCS #1 v1.5 padding for RSA
// said outright rather than left to a default.
bool init_digest(EVP_MD_CTX* ctx, const std::string& algorithm, EVP_PKEY* key, bool signing) {
  EVP_PKEY_CTX* pctx = nullptr;
  int ok = signing ? EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key)
                   : EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, key);
  if (ok != 1) return false;
  if (algorithm == "RS256" && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
  return true;
}

}  // namespace

bool is_signature_algorithm(const std::string& algorithm) { return algorithm == "ES256" || algorithm == "RS256"; }

Key public_key_for(const std::string& algorithm, const std::string& pem) {
  ForgetOpenSslErrors forget;
  if (!is_signature_algorithm(algorithm)) throw InputError("\"" + algorithm + "\" is not ES256 or RS256");
  Bio bio = memory_bio(pem);
  Key key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw InputError("the key is not a PEM public key (\"-----BEGIN PUBLIC KEY-----\")");
  return checked(std::move(key), algorithm);
}

Key private_key_for(const std::string& algorithm, const std::string& pem) {
  ForgetOpenSslErrors forget;
  if (!is_signature_algorithm(algorithm)) throw InputError("\"" + algorithm + "\" is not ES256 or RS256");
  Bio bio = memory_bio(pem);
  // No passphrase callback: an encrypted key is refused, not prompted for.
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) throw InputError("the key is not an unencrypted PEM private key (\"-----BEGIN PRIVATE KEY-----\")");
  return checked(std::move(key), algorithm);
}

bool signature_verifies(const std::string& algorithm, EVP_PKEY* key, const std::string& signed_text,
                        const std::string& signature) {
  ForgetOpenSslErrors forget;
  std::string der;
  if (algorithm == "ES256") {
    // Exactly R || S: a DER signature, or any other length, is not JWS.
    if (signature.size() != 2 * kP256Bytes) return false;
    der = der_from_raw(signature);
    if (der.empty()) return false;
  } else if (algorithm == "RS256") {
    if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(key))) return false;
    der = signature;
  } else {
    return false;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || !init_digest(ctx.get(), algorithm, key, false)) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                          reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size()) == 1;
}

std::string sign_text(const std::string& algorithm, EVP_PKEY* key, const std::string& signed_text) {
  ForgetOpenSslErrors forget;
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || !init_digest(ctx.get(), algorithm, key, true)) throw InputError("OpenSSL cannot sign with this key");
  const auto* data = reinterpret_cast<const unsigned char*>(signed_text.data());
  size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, data, signed_text.size()) != 1)
    throw InputError("OpenSSL cannot sign with this key");
  std::string out(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, data, signed_text.size()) != 1)
    throw InputError("OpenSSL failed to sign");
  out.resize(length);
  return algorithm == "ES256" ? raw_from_der(out) : out;
}

Key generate_key(const std::string& algorithm) {
  ForgetOpenSslErrors forget;
  EVP_PKEY* key = nullptr;
  if (algorithm == "ES256") {
    key = EVP_EC_gen("P-256");
  } else if (algorithm == "RS256") {
    // 3072 bits: what NIST SP 800-57 asks of RSA keys used beyond 2030.
    key = EVP_RSA_gen(3072);
  } else {
    throw InputError("\"" + algorithm + "\" is not ES256 or RS256");
  }
  if (!key) throw InputError("OpenSSL could not make a " + algorithm + " key");
  return Key(key);
}

std::string private_key_pem(EVP_PKEY* key) {
  ForgetOpenSslErrors forget;
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw InputError("OpenSSL could not write the private key");
  return bio_text(bio.get());
}

std::string public_key_pem(EVP_PKEY* key) {
  ForgetOpenSslErrors forget;
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) throw InputError("OpenSSL could not write the public key");
  return bio_text(bio.get());
}

std::string random_bytes(size_t bytes) {
  std::string out(bytes, '\0');
  if (bytes > INT_MAX || RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(bytes)) != 1)
    throw InputError("the operating system's random number generator could not be read");
  return out;
}

}  // namespace ilinks::detail
