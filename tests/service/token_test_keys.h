// Keys and tokens the tests make for themselves, with OpenSSL directly rather
// than through the code under test: an ES256 signature written here as R || S
// independently is one the service must read, and the forged tokens (HMAC
// with the public key, altered claims) are made as an attacker would.
#pragma once
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace test {

struct KeyPem {
  std::string private_pem, public_pem;
};

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

inline KeyPem pem_of(EVP_PKEY* key) {
  if (!key) throw std::runtime_error("OpenSSL made no key");
  KeyPem out;
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub, key);
  out.private_pem = bio_text(priv);
  out.public_pem = bio_text(pub);
  BIO_free(priv);
  BIO_free(pub);
  EVP_PKEY_free(key);
  return out;
}

// Made once per run: RSA key generation takes a while.
inline const KeyPem& ec_key() { static KeyPem k = pem_of(EVP_EC_gen("P-256")); return k; }
inline const KeyPem& other_ec_key() { static KeyPem k = pem_of(EVP_EC_gen("P-256")); return k; }
inline const KeyPem& p384_key() { static KeyPem k = pem_of(EVP_EC_gen("P-384")); return k; }
inline const KeyPem& rsa_key() { static KeyPem k = pem_of(EVP_RSA_gen(2048)); return k; }
inline const KeyPem& rsa_1024_key() { static KeyPem k = pem_of(EVP_RSA_gen(1024)); return k; }

inline std::string b64url(const std::string& bytes) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    out += a[v >> 18 & 63], out += a[v >> 12 & 63], out += a[v >> 6 & 63], out += a[v & 63];
  }
  if (bytes.size() - i == 1) {
    unsigned v = (unsigned char)bytes[i] << 16;
    out += a[v >> 18 & 63], out += a[v >> 12 & 63];
  } else if (bytes.size() - i == 2) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += a[v >> 18 & 63], out += a[v >> 12 & 63], out += a[v >> 6 & 63];
  }
  return out;
}

inline std::string b64url_decode(const std::string& text) {
  std::string out;
  unsigned bits = 0;
  int held = 0;
  for (char c : text) {
    int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52 : c == '-' ? 62 : 63;
    bits = bits << 6 | (unsigned)v;
    held += 6;
    if (held >= 8) held -= 8, out += (char)(bits >> held & 0xFF);
  }
  return out;
}

// The JWS signature of `text` with a private key, as JWS writes it: ECDSA
// as R || S (32 bytes each), RSA as it comes. `der` keeps ECDSA's DER form,
// which a JWS must not use.
inline std::string signature(const std::string& text, const std::string& private_pem, bool der = false) {
  BIO* bio = BIO_new_mem_buf(private_pem.data(), (int)private_pem.size());
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  size_t n = 0;
  EVP_DigestSign(ctx, nullptr, &n, (const unsigned char*)text.data(), text.size());
  std::string sig(n, '\0');
  EVP_DigestSign(ctx, (unsigned char*)sig.data(), &n, (const unsigned char*)text.data(), text.size());
  sig.resize(n);
  EVP_MD_CTX_free(ctx);
  bool ec = EVP_PKEY_is_a(key, "EC");
  EVP_PKEY_free(key);
  if (!ec || der) return sig;
  const unsigned char* p = (const unsigned char*)sig.data();
  ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, (long)sig.size());
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(s), (unsigned char*)raw.data(), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(s), (unsigned char*)raw.data() + 32, 32);
  ECDSA_SIG_free(s);
  return raw;
}

// HMAC-SHA-256 of `text` with `secret`: the forger's "signature".
inline std::string hmac_sha256(const std::string& text, const std::string& secret) {
  unsigned char out[64];
  size_t n = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(), (const unsigned char*)text.data(),
            text.size(), out, sizeof out, &n);
  return std::string((const char*)out, n);
}

// A compact JWS of exactly these header and claims texts.
inline std::string jws(const std::string& header, const std::string& claims, const std::string& private_pem) {
  std::string text = b64url(header) + "." + b64url(claims);
  return text + "." + b64url(signature(text, private_pem));
}
inline std::string jws(const nlohmann::json& header, const nlohmann::json& claims, const std::string& private_pem) {
  return jws(header.dump(), claims.dump(), private_pem);
}

// Where a test writes its files: ILINKS_TEST_OUTPUT/<name>, emptied first.
inline std::filesystem::path output_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(ILINKS_TEST_OUTPUT) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace test
