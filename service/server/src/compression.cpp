#include "compression.h"

#include <cctype>
#include <cstdlib>
#include <string>

#include <zlib.h>

namespace ilinks::api {
namespace {

constexpr size_t kWorthCompressing = 1024;
// Where take_accept_encoding leaves its finding, inside this process only.
constexpr const char* kAcceptsGzip = "X-Ilinks-Internal-Accepts-Gzip";

// Whether Accept-Encoding lists gzip with a weight above zero ("gzip;q=0" refuses it).
bool accepts_gzip(const std::string& header) {
  std::string lower;
  for (char c : header) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t start = 0;
  while (start <= lower.size()) {
    size_t end = lower.find(',', start);
    if (end == std::string::npos) end = lower.size();
    std::string part = lower.substr(start, end - start);
    std::string name = part.substr(0, part.find(';'));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name == "gzip" || name == "x-gzip") {
      size_t q = part.find("q=");
      return q == std::string::npos || std::strtod(part.c_str() + q + 2, nullptr) > 0;
    }
    start = end + 1;
  }
  return false;
}

// gzip of `text` at level 1; empty when zlib fails (the answer then goes as it is).
std::string gzip(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

}  // namespace

void take_accept_encoding(const httplib::Request& req) {
  // The library reads the request it hands us as const, but owns it mutably;
  // this is the one place the service changes one.
  auto& headers = const_cast<httplib::Request&>(req).headers;
  bool gzip_ok = accepts_gzip(req.get_header_value("Accept-Encoding"));
  headers.erase("Accept-Encoding");
  headers.erase(kAcceptsGzip);  // a caller cannot set it
  if (gzip_ok) headers.emplace(kAcceptsGzip, "1");
}

void compress_answer(const httplib::Request& req, httplib::Response& res) {
  if (res.body.size() < kWorthCompressing || res.has_header("Content-Encoding")) return;
  res.set_header("Vary", "Accept-Encoding");
  if (!req.has_header(kAcceptsGzip)) return;
  std::string packed = gzip(res.body);
  if (packed.empty()) return;
  res.body = std::move(packed);
  res.set_header("Content-Encoding", "gzip");
  // The library counted the body when the route set it; it is smaller now.
  res.headers.erase("Content-Length");
  res.set_header("Content-Length", std::to_string(res.body.size()));
}

}  // namespace ilinks::api
