// base64url without padding (RFC 7515 section 2), as JSON Web Tokens write
// their three parts. Decoding is strict: one way to write each byte string,
// so two different texts never pass as the same token.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ilinks::detail {

std::string base64url_encode(std::string_view bytes);

// Nothing when `text` holds a character outside A-Z a-z 0-9 - _ (padding "="
// included), has a length no byte string encodes to, or leaves bits set that
// no encoder writes.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ilinks::detail
