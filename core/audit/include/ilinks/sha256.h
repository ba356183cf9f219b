// ilinks/sha256.h: SHA-256 (FIPS 180-4), for the audit chain and the policy's hash.
#pragma once
#include <string>

namespace ilinks {

// Hex SHA-256 of `data`: 64 lower-case hex digits.
std::string sha256_hex(const std::string& data);

}  // namespace ilinks
