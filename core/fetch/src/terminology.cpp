#include "ilinks/terminology.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "ilinks/sha256.h"
#include "ilinks/date.h"
#include "ilinks/errors.h"
#include "http_get.h"

namespace ilinks {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kServer = "the terminology server";
constexpr const char* kCacheFormat = "ilinks-valueset-expansion/1";
constexpr int kMaxNesting = 64;

// The server could not be used: why, in words (no "ValueSet ... could not be
// expanded" yet; expand_valueset adds it).
class ServerFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string text_member(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string page_words(int page_no) { return "page " + std::to_string(page_no); }

// What a failed answer means, for the deployment team.
std::string explain(const http::Response& r, int attempts) {
  static const std::map<long, std::string> known = {
      {401, std::string(kServer) + " did not accept the sign-in (401 Unauthorized); check the token"},
      {403, std::string(kServer) + " does not allow this value set to be expanded (403 Forbidden)"},
      {404, std::string(kServer) + " does not know this value set (404 Not Found)"}};
  return http::failure_words(r, kServer, attempts, known);
}

// One page of an expansion, as the server sent it.
struct Page {
  std::string identifier, timestamp, version;  // "" when not given
  std::optional<int64_t> total;
  size_t entries = 0;                          // expansion.contains, top level
  std::vector<json> flattened;                 // every entry, nested ones after their parent
};

void flatten(const json& contains, Page& page, int depth, int page_no) {
  if (depth > kMaxNesting)
    throw ServerFailure(std::string(kServer) + "'s expansion is nested more than " + std::to_string(kMaxNesting) +
                        " levels deep (" + page_words(page_no) + ")");
  if (!contains.is_array())
    throw ServerFailure(std::string(kServer) + "'s expansion has a contains that is not a list (" + page_words(page_no) + ")");
  for (const auto& entry : contains) {
    if (!entry.is_object())
      throw ServerFailure(std::string(kServer) + "'s expansion has an entry that is not an object (" + page_words(page_no) + ")");
    json own = entry;
    own.erase("contains");
    page.flattened.push_back(std::move(own));
    if (auto nested = entry.find("contains"); nested != entry.end()) flatten(*nested, page, depth + 1, page_no);
  }
}

std::optional<int64_t> integer_member(const json& object, const char* name, int page_no) {
  auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < 0)
    throw ServerFailure(std::string(kServer) + "'s expansion." + name + " is not a whole number (" + page_words(page_no) + ")");
  return it->get<int64_t>();
}

// Reads one page's ValueSet; throws ServerFailure when it is not one.
Page read_page(const std::string& body, int page_no) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) throw ServerFailure(std::string(kServer) + "'s answer is not JSON (" + page_words(page_no) + ")");
  std::string type = doc.is_object() ? text_member(doc, "resourceType") : "";
  if (type != "ValueSet") {
    std::string said = http::outcome_text(body);
    throw ServerFailure(std::string(kServer) + "'s answer is not a ValueSet (" + page_words(page_no) +
                        (type.empty() ? "" : "; its resourceType is " + type) + ")" + (said.empty() ? "" : "; the server said: " + said));
  }
  auto expansion = doc.find("expansion");
  if (expansion == doc.end() || !expansion->is_object())
    throw ServerFailure(std::string(kServer) + "'s ValueSet has no expansion (" + page_words(page_no) + ")");
  Page page;
  page.identifier = text_member(*expansion, "identifier");
  page.timestamp = text_member(*expansion, "timestamp");
  page.version = text_member(doc, "version");
  page.total = integer_member(*expansion, "total", page_no);
  if (auto contains = expansion->find("contains"); contains != expansion->end()) {
    if (contains->is_array()) page.entries = contains->size();
    flatten(*contains, page, 1, page_no);
  }
  return page;
}

bool same_expansion(const Page& a, const Page& b) {
  return a.identifier == b.identifier && a.timestamp == b.timestamp && a.version == b.version;
}

// An entry's identity in the expansion, for telling new entries from repeats.
std::string entry_key(const json& entry) {
  std::string code = text_member(entry, "code");
  if (!code.empty()) return text_member(entry, "system") + '|' + code;
  return "(no code)|" + text_member(entry, "display");
}

// Reads the whole expansion from the server, every page from one expansion.
// Throws ServerFailure saying why it could not.
void read_expansion(const TerminologyServer& s, const std::string& valueset_url, Expansion& out) {
  http::Settings settings{s.bearer_token, s.timeout_ms, s.attempts, s.backoff_ms};
  const int64_t page_size = std::max(1, s.page_size);
  const int max_pages = std::max(1, s.max_pages);
  const std::string expand_url =
      http::join_url(s.base_url, "ValueSet/$expand?url=" + http::query_escape(valueset_url) + "&count=" + std::to_string(page_size));
  for (int round = 1;; ++round) {
    Page first;
    std::vector<Coding> codes;
    std::set<std::string> seen;  // every entry's key, coded or not, kept or not
    int64_t offset = 0;          // top-level entries read so far: where the next page starts
    int changed_at = 0;
    for (int page_no = 1;; ++page_no) {
      if (page_no > max_pages)
        throw ServerFailure(std::string(kServer) + "'s expansion went on for more than " + std::to_string(max_pages) +
                            " pages; stopped");
      int attempts = 0;
      http::Response r = http::get(settings, expand_url + "&offset=" + std::to_string(offset), attempts);
      if (!r.ok()) throw ServerFailure(explain(r, attempts) + (page_no > 1 ? " (" + page_words(page_no) + ")" : ""));
      Page page = read_page(r.body, page_no);
      if (page_no == 1) {
        first = page;
      } else if (!same_expansion(first, page)) {
        changed_at = page_no;
        break;
      }
      size_t added = 0;
      for (const auto& entry : page.flattened) {
        if (!seen.insert(entry_key(entry)).second) continue;
        ++added;
        // An entry without a code (a heading) is left out. Inactive and
        // abstract concepts with a code are kept: older records still carry
        // them, and an exclusion list errs on the side of matching.
        std::string code = text_member(entry, "code");
        if (code.empty()) continue;
        codes.push_back({text_member(entry, "system"), code, text_member(entry, "display")});
      }
      offset += static_cast<int64_t>(page.entries);
      // Done when the server's total is reached: by the entries as paged (top
      // level), or by every distinct entry read, for a server counting nested
      // entries in its total.
      if (first.total && std::max(offset, static_cast<int64_t>(seen.size())) >= *first.total) break;
      if (page.entries > 0 && added > 0) continue;
      // A page that adds nothing: the end of the expansion, or a server that
      // ignores offset and sends the same page again.
      if (first.total)
        throw ServerFailure(std::string(kServer) + "'s expansion ended after " + std::to_string(seen.size()) + " of its " +
                            std::to_string(*first.total) + " entries (" + page_words(page_no) + ")");
      if (page.entries > 0 && static_cast<int64_t>(page.entries) == page_size && page_no > 1)
        throw ServerFailure(std::string(kServer) + " sent the same " + std::to_string(page_size) +
                            " entries again for a later page (it ignores offset) and gives no total; the expansion "
                            "cannot be read whole");
      break;
    }
    if (changed_at == 0) {
      // A list with nothing in it is never what a deployment means (a server
      // without the refset loaded can answer so): refused, so it does not
      // replace the cached copy and empty an exclusion list.
      if (codes.empty())
        throw ServerFailure(std::string(kServer) + "'s expansion has no codes" +
                            (seen.empty() ? "" : " (every entry is inactive or has no code)") +
                            "; an empty list is not taken for the value set");
      out.version = !first.identifier.empty() ? first.identifier : !first.version.empty() ? first.version : first.timestamp;
      out.timestamp = first.timestamp;
      out.codes = std::move(codes);
      return;
    }
    if (round >= 2)
      throw ServerFailure(std::string(kServer) + "'s expansion changed while it was being read (at " + page_words(changed_at) +
                          ", twice); pages of two expansions are never mixed");
  }
}

// The cache file of a value set: the SHA-256 of its URL, so any URL makes a
// file name.
std::string cache_path(const TerminologyServer& s, const std::string& valueset_url) {
  return (fs::path(s.cache_dir) / (sha256_hex(valueset_url) + ".json")).string();
}

json codes_json(const std::vector<Coding>& codes) {
  json list = json::array();
  for (const auto& c : codes) list.push_back({{"system", c.system}, {"code", c.code}, {"display", c.display}});
  return list;
}

// Writes the expansion whole to a file of its own, then renames it into
// place, so a reader sees the old copy or the new one, never half of one.
// Returns why it could not, or "".
std::string write_cache(const std::string& path, const Expansion& e) {
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  fs::path target(path);
  fs::create_directories(target.parent_path(), ec);
  if (ec) return "the cache directory " + target.parent_path().string() + " cannot be created (" + ec.message() + ")";
  json codes = codes_json(e.codes);
  json doc = {{"format", kCacheFormat},
              {"valueset_url", e.valueset_url},
              {"version", e.version},
              {"timestamp", e.timestamp},
              {"cached_at", Timestamp::now().iso()},
              {"count", e.codes.size()},
              {"codes_sha256", sha256_hex(codes.dump())},
              {"codes", std::move(codes)}};
  std::string temp = path + ".tmp-" +
                     std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
                     std::to_string(++counter);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << doc.dump(1) << '\n';
    out.close();
    if (!out) {
      fs::remove(temp, ec);
      return "the cache file " + temp + " cannot be written";
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return "the cache file " + path + " cannot be replaced (" + ec.message() + ")";
  }
  return {};
}

// The cached expansion, or why there is none that can be trusted: `problem`
// stays "" when there is simply no cached copy.
std::optional<Expansion> read_cache(const std::string& path, const std::string& valueset_url, std::string& problem) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || ec) {
    problem = "the cache file " + path + " cannot be read";
    return std::nullopt;
  }
  auto damaged = [&](const std::string& why) {
    problem = "the cache file " + path + " is damaged (" + why + ") and was not used";
    return std::nullopt;
  };
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return damaged("not complete JSON");
  if (text_member(doc, "format") != kCacheFormat) return damaged("not an expansion this version wrote");
  if (text_member(doc, "valueset_url") != valueset_url) return damaged("it holds another value set");
  auto codes = doc.find("codes");
  auto count = doc.find("count");
  if (codes == doc.end() || !codes->is_array() || count == doc.end() || !count->is_number_unsigned() ||
      count->get<size_t>() != codes->size())
    return damaged("its codes are not all there");
  if (text_member(doc, "codes_sha256") != sha256_hex(codes->dump())) return damaged("its codes do not match their checksum");
  Expansion e;
  e.valueset_url = valueset_url;
  e.version = text_member(doc, "version");
  e.timestamp = text_member(doc, "timestamp");
  for (const auto& c : *codes) {
    if (!c.is_object() || text_member(c, "code").empty()) return damaged("a code is missing");
    e.codes.push_back({text_member(c, "system"), text_member(c, "code"), text_member(c, "display")});
  }
  std::string cached_at = text_member(doc, "cached_at");
  e.warning = "the copy kept in the cache" + (cached_at.empty() ? "" : " on " + cached_at) +
              (e.version.empty() ? "" : " (version " + e.version + ")") + " was used";
  return e;
}

}  // namespace

Expansion expand_valueset(const TerminologyServer& s, const std::string& valueset_url) {
  if (s.base_url.rfind("https://", 0) != 0 && s.base_url.rfind("http://", 0) != 0)
    throw InputError("terminology server address '" + s.base_url +
                     "' must start with https:// (or http:// for a local test server)");
  if (valueset_url.empty()) throw InputError("a ValueSet to expand needs its URL");
  const std::string what = "ValueSet " + valueset_url + " could not be expanded";
  const std::string path = s.cache_dir.empty() ? "" : cache_path(s, valueset_url);
  Expansion out;
  out.valueset_url = valueset_url;
  std::string failure;
  try {
    read_expansion(s, valueset_url, out);
  } catch (const ServerFailure& e) {
    failure = e.what();
  }
  if (failure.empty()) {
    if (!path.empty()) {
      std::string problem = write_cache(path, out);
      if (!problem.empty()) out.warning = "the expansion could not be kept in the cache: " + problem;
    }
    return out;
  }
  if (path.empty()) throw InputError(what + ": " + failure);
  std::string problem;
  std::optional<Expansion> cached = read_cache(path, valueset_url, problem);
  if (!cached) {
    throw InputError(what + ": " + failure + "; " +
                     (problem.empty() ? "there is no copy of it in the cache (" + s.cache_dir + ")" : problem));
  }
  cached->from_cache = true;
  cached->warning = what + " now: " + failure + "; " + cached->warning;
  return *std::move(cached);
}

}  // namespace ilinks
