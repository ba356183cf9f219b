// Expanding a value set on a FHIR terminology server on loopback
// (tests/fetch/terminology_test_server.mjs): paging, the bearer token, the
// cache kept for when the server cannot be used, and each way a server fails,
// said in words a deployment team can act on.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ilinks/audit.h"  // sha256_hex
#include "ilinks/fhir.h"
#include "ilinks/terminology.h"
#include "terminology_test_server.h"
#include "test_data.h"

using namespace ilinks;
namespace fs = std::filesystem;

namespace {

const std::string kSnomed = "http://snomed.info/sct";

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // the \n ends the row
    } else if (c == '\n' || c == '\r') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

// The refset's codes and terms as its CSV file has them, leaving out the codes
// spoilt upstream (column code_corrupted_in_source).
const std::map<std::string, std::string>& refset_codes() {
  static const std::map<std::string, std::string> codes = [] {
    std::map<std::string, std::string> out;
    std::string text = slurp(test::std_refset_csv());
    REQUIRE_MESSAGE(!text.empty(), "the refset's CSV file cannot be read: " << test::std_refset_csv());
    auto rows = parse_csv(text);
    REQUIRE(!rows.empty());
    REQUIRE(rows[0].size() >= 3);
    CHECK(rows[0][0] == "code");
    CHECK(rows[0][1] == "term");
    CHECK(rows[0][2] == "code_corrupted_in_source");
    for (size_t i = 1; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (r.empty() || r[0].empty() || (r.size() > 2 && !r[2].empty())) continue;
      out.emplace(r[0], r.size() > 1 ? r[1] : "");
    }
    return out;
  }();
  return codes;
}

std::string error_of(const TerminologyServer& s, const std::string& valueset = test::kStdRefset) {
  try {
    expand_valueset(s, valueset);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Every code of the refset, each once, with its term; nothing else.
void check_every_code(const Expansion& e) {
  const auto& expected = refset_codes();
  REQUIRE(expected.size() > 1000);  // the refset is large enough to need paging
  CHECK(e.codes.size() == expected.size());
  std::set<std::string> seen;
  size_t wrong = 0;
  for (const auto& c : e.codes) {
    seen.insert(c.code);
    auto it = expected.find(c.code);
    if (c.system != kSnomed || it == expected.end() || it->second != c.display) {
      if (++wrong <= 3) FAIL_CHECK("unexpected code " << c.system << "|" << c.code << " " << c.display);
    }
  }
  CHECK(wrong == 0);
  CHECK(seen.size() == e.codes.size());  // none twice
  CHECK(seen.size() == expected.size());
}

// The $expand requests a server was sent under a route.
std::vector<std::string> expands(const test::TerminologyTestServer& server, const std::string& route) {
  std::vector<std::string> out;
  for (const auto& line : server.requests())
    if (line.rfind("GET /" + route + "/ValueSet/$expand?", 0) == 0) out.push_back(line);
  return out;
}

std::string cache_file(const std::string& dir) { return dir + "/" + sha256_hex(test::kStdRefset) + ".json"; }

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& f : fs::directory_iterator(dir)) names.push_back(f.path().filename().string());
  return names;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

void check_same_codes(const Expansion& a, const Expansion& b) {
  REQUIRE(a.codes.size() == b.codes.size());
  size_t differ = 0;
  for (size_t i = 0; i < a.codes.size(); ++i)
    differ += a.codes[i].system != b.codes[i].system || a.codes[i].code != b.codes[i].code ||
              a.codes[i].display != b.codes[i].display;
  CHECK(differ == 0);
}

}  // namespace

TEST_SUITE("terminology: expanding a value set") {
  TEST_CASE("a refset is expanded across pages into every code") {
    test::TerminologyTestServer server;
    TerminologyServer s = server.at("ok");
    s.page_size = 500;
    Expansion e = expand_valueset(s, test::kStdRefset);
    check_every_code(e);
    CHECK(e.valueset_url == test::kStdRefset);
    CHECK(has(e.version, "urn:uuid:"));  // expansion.identifier comes first
    CHECK(e.timestamp == "2025-09-17T08:30:00+00:00");
    CHECK_FALSE(e.from_cache);
    CHECK(e.warning.empty());

    // One request a page, each where the last ended, until the total is reached.
    auto asked = expands(server, "ok");
    size_t pages = (refset_codes().size() + 499) / 500;
    REQUIRE(asked.size() == pages);
    for (size_t i = 0; i < pages; ++i) {
      CHECK(has(asked[i], "url=http%3A%2F%2Fsnomed.info%2Fsct%3Ffhir_vs%3Drefset%2F999004381000000103&"));
      CHECK(has(asked[i], "count=500&offset=" + std::to_string(i * 500) + " "));
    }
  }

  TEST_CASE("a server that ignores paging still gives every code of the expansion") {
    test::TerminologyTestServer server;
    check_every_code(expand_valueset(server.at("unpaged"), test::kStdRefset));
  }

  TEST_CASE("an expansion without a total is read until a page adds nothing") {
    test::TerminologyTestServer server;
    TerminologyServer s = server.at("no-total");
    s.page_size = 700;
    check_every_code(expand_valueset(s, test::kStdRefset));
    CHECK(expands(server, "no-total").size() == (refset_codes().size() + 699) / 700 + 1);  // the last one empty
  }

  TEST_CASE("a nested expansion is flattened, leaving out headings without a code and keeping inactive codes") {
    // Older records still carry inactive codes: an exclusion list keeps them.
    test::TerminologyTestServer server;
    Expansion e = expand_valueset(server.at("nested"), test::kStdRefset);
    int inactive = 0;
    for (const auto& c : e.codes) inactive += c.code.rfind("INACTIVE", 0) == 0;
    CHECK(inactive == 2);
    CHECK(e.codes.size() == refset_codes().size() + 2);
  }

  TEST_CASE("an expansion that changes between pages is never mixed") {
    test::TerminologyTestServer server;
    test::TempDir cache;

    // Every reading changes part-way: read from the start once more, then refused.
    std::string e = error_of(server.at("changing"));
    CHECK(has(e, "ValueSet http://snomed.info/sct?fhir_vs=refset/999004381000000103 could not be expanded: "
                 "the terminology server's expansion changed while it was being read (at page 2, twice)"));
    auto asked = expands(server, "changing");
    REQUIRE(asked.size() == 4);
    CHECK(has(asked[0], "offset=0 "));
    CHECK(has(asked[2], "offset=0 "));

    // With a cached copy, that copy; never a code from the other expansion.
    Expansion good = expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    Expansion cached = expand_valueset(server.at("changing", cache.path()), test::kStdRefset);
    CHECK(cached.from_cache);
    CHECK(has(cached.warning, "changed while it was being read"));
    check_same_codes(cached, good);

    // A change once: read again from the start, and only the second reading kept.
    Expansion again = expand_valueset(server.at("changing-once"), test::kStdRefset);
    check_every_code(again);
    CHECK_FALSE(again.from_cache);
    CHECK(again.version == good.version);
    for (const auto& c : again.codes) CHECK(c.code.rfind("CHANGED", 0) != 0);
  }

  TEST_CASE("a server that ignores offset and gives no total is refused, not taken as the whole expansion") {
    test::TerminologyTestServer server;
    CHECK(has(error_of(server.at("stuck")), "sent the same 1000 entries again for a later page (it ignores offset)"));
  }

  TEST_CASE("an expansion that ends before its total is refused, not taken as the whole") {
    test::TerminologyTestServer server;
    std::string e = error_of(server.at("short"));
    CHECK(has(e, "the terminology server's expansion ended after " + std::to_string(refset_codes().size()) + " of its " +
                     std::to_string(refset_codes().size() + 1) + " entries"));
  }

  TEST_CASE("a slow server is reported in words and the cached expansion is used") {
    test::TerminologyTestServer server;
    test::TempDir cache;
    Expansion fresh = expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    TerminologyServer slow = server.at("slow", cache.path());
    slow.timeout_ms = 300;
    slow.attempts = 2;
    Expansion e = expand_valueset(slow, test::kStdRefset);
    CHECK(e.from_cache);
    CHECK(has(e.warning, "ValueSet http://snomed.info/sct?fhir_vs=refset/999004381000000103 could not be expanded now: "
                         "the terminology server did not answer in time (tried 2 times)"));
    CHECK(has(e.warning, "the copy kept in the cache on "));
    CHECK(expands(server, "slow").size() == 2);
    check_every_code(e);
    check_same_codes(e, fresh);
  }

  TEST_CASE("without a cache a failed expansion is refused in words naming the value set") {
    test::TerminologyTestServer server;
    TerminologyServer slow = server.at("slow");
    slow.timeout_ms = 300;
    slow.attempts = 2;
    CHECK(error_of(slow) ==
          "ValueSet http://snomed.info/sct?fhir_vs=refset/999004381000000103 could not be expanded: "
          "the terminology server did not answer in time (tried 2 times)");

    // A cache with no copy of it says so.
    test::TempDir cache;
    std::string e = error_of(server.at("error", cache.path()));
    CHECK(has(e, "could not be expanded: the terminology server failed (500) after 3 tries"));
    CHECK(has(e, "there is no copy of it in the cache (" + cache.path() + ")"));
  }

  TEST_CASE("the terminology server's OperationOutcome words are passed on") {
    test::TerminologyTestServer server;
    CHECK(has(error_of(server.at("error")),
              "the terminology server failed (500) after 3 tries; the server said: Terminology database unavailable"));
    CHECK(expands(server, "error").size() == 3);
    CHECK(has(error_of(server.at("unknown")),
              "the terminology server does not know this value set (404 Not Found); the server said: Unable to find value "
              "set http://snomed.info/sct?fhir_vs=refset/999004381000000103"));
    // A value set the server does not have, on a route that works.
    std::string other = "http://snomed.info/sct?fhir_vs=refset/999999999999999999";
    CHECK(has(error_of(server.at("ok"), other),
              "ValueSet " + other + " could not be expanded: the terminology server does not know this value set (404 Not "
              "Found); the server said: Unable to find value set " + other));
    CHECK(has(error_of(server.at("not-valueset")),
              "the terminology server's answer is not a ValueSet (page 1; its resourceType is OperationOutcome); the server said: "
              "Expansion is being rebuilt; try later"));
  }

  TEST_CASE("the bearer token is sent to the terminology server") {
    test::TerminologyTestServer server;
    TerminologyServer s = server.at("token");
    s.bearer_token = "good-token";
    check_every_code(expand_valueset(s, test::kStdRefset));
    auto asked = expands(server, "token");
    REQUIRE(!asked.empty());
    for (const auto& line : asked) CHECK(has(line, " Bearer good-token"));

    s.bearer_token = "stale-token";
    std::string e = error_of(s);
    CHECK(has(e, "the terminology server did not accept the sign-in (401 Unauthorized); check the token"));
    CHECK(has(e, "the server said: Bearer token missing or not valid"));
    s.bearer_token.clear();
    CHECK(has(error_of(s), "(401 Unauthorized)"));
    CHECK(has(server.requests().back(), " -"));  // no Authorization header at all
  }

  TEST_CASE("a busy terminology server (429 with Retry-After) is waited for, and the expansion arrives") {
    test::TerminologyTestServer server;
    check_every_code(expand_valueset(server.at("busy"), test::kStdRefset));
  }

  TEST_CASE("an answer that is not an expansion is never taken for one, and the cached expansion is used") {
    test::TerminologyTestServer server;
    CHECK(has(error_of(server.at("notjson")), "could not be expanded: the terminology server's answer is not JSON (page 1)"));
    CHECK(has(error_of(server.at("no-expansion")), "could not be expanded: the terminology server's ValueSet has no expansion"));
    CHECK(has(error_of(server.at("truncated")),
              "could not be expanded: the terminology server could not be reached or its answer was cut short"));
    test::TempDir cache;
    Expansion fresh = expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    for (const char* route : {"notjson", "not-valueset", "no-expansion", "truncated", "unknown", "error"}) {
      CAPTURE(route);
      Expansion e = expand_valueset(server.at(route, cache.path()), test::kStdRefset);
      CHECK(e.from_cache);
      CHECK(has(e.warning, "could not be expanded now: "));
      check_same_codes(e, fresh);
    }
  }

  TEST_CASE("an empty expansion is refused and does not replace the cached copy") {
    test::TerminologyTestServer server;
    CHECK(has(error_of(server.at("empty")),
              "could not be expanded: the terminology server's expansion has no codes; an empty list is not taken for the "
              "value set"));
    test::TempDir cache;
    expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    Expansion e = expand_valueset(server.at("empty", cache.path()), test::kStdRefset);
    CHECK(e.from_cache);
    check_every_code(e);
    CHECK(has(e.warning, "has no codes"));
  }

  TEST_CASE("a damaged cache file is not trusted as an expansion") {
    test::TerminologyTestServer server;
    test::TempDir cache;
    expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    std::string path = cache_file(cache.path());
    std::string whole = slurp(path);
    REQUIRE(whole.size() > 1000);

    // Cut short, as by a crash while copying it.
    write_file(path, whole.substr(0, whole.size() / 2));
    std::string e = error_of(server.at("error", cache.path()));
    CHECK(has(e, "could not be expanded: the terminology server failed (500) after 3 tries"));
    CHECK(has(e, "the cache file " + path + " is damaged (not complete JSON) and was not used"));

    // Still JSON, but a code changed.
    std::string edited = whole;
    auto at = edited.find("\"code\": \"");
    REQUIRE(at != std::string::npos);
    edited[at + 9] = edited[at + 9] == '9' ? '8' : '9';
    write_file(path, edited);
    CHECK(has(error_of(server.at("error", cache.path())), "is damaged (its codes do not match their checksum)"));

    // Codes left out.
    write_file(path, whole.substr(0, whole.find("\"codes\"")) + "\"codes\": [] }");
    CHECK(has(error_of(server.at("error", cache.path())), "is damaged"));

    // Another value set's file copied under this one's name.
    std::string other = "http://snomed.info/sct?fhir_vs=refset/999004361000000107";
    write_file(cache.path() + "/" + sha256_hex(other) + ".json", whole);
    CHECK(has(error_of(server.at("error", cache.path()), other), "is damaged (it holds another value set)"));

    // The next expansion that works replaces it whole.
    write_file(path, "{\"format\": ");
    expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    Expansion e2 = expand_valueset(server.at("error", cache.path()), test::kStdRefset);
    CHECK(e2.from_cache);
    check_every_code(e2);
  }

  TEST_CASE("the expansion's version is kept with the cached copy") {
    test::TerminologyTestServer server;
    test::TempDir cache;
    Expansion fresh = expand_valueset(server.at("ok", cache.path()), test::kStdRefset);
    REQUIRE(!fresh.version.empty());
    Expansion cached = expand_valueset(server.at("error", cache.path()), test::kStdRefset);
    CHECK(cached.from_cache);
    CHECK(cached.valueset_url == test::kStdRefset);
    CHECK(cached.version == fresh.version);
    CHECK(cached.timestamp == fresh.timestamp);
    CHECK(has(cached.warning, "(version " + fresh.version + ") was used"));
    CHECK(has(cached.warning, "the server said: Terminology database unavailable"));
    check_same_codes(cached, fresh);
  }

  TEST_CASE("the expansion cache is one file per value set, named by the SHA-256 of its URL, written whole") {
    test::TerminologyTestServer server;
    test::TempDir cache;
    std::string dir = cache.path() + "/not/yet/made";
    expand_valueset(server.at("ok", dir), test::kStdRefset);
    expand_valueset(server.at("unpaged", dir), test::kStdRefset);
    CHECK(files_in(dir) == std::vector<std::string>{sha256_hex(test::kStdRefset) + ".json"});  // no temporary file left
  }

  TEST_CASE("an expansion that cannot be kept in the cache is still given, with a warning") {
    test::TerminologyTestServer server;
    test::TempDir cache;
    std::string not_a_dir = cache.path() + "/file";
    write_file(not_a_dir, "x");
    Expansion e = expand_valueset(server.at("ok", not_a_dir), test::kStdRefset);
    check_every_code(e);
    CHECK_FALSE(e.from_cache);
    CHECK(has(e.warning, "the expansion could not be kept in the cache: "));
  }

  TEST_CASE("a terminology server address that is not one is refused before anything is sent") {
    TerminologyServer s;
    s.base_url = "ftp://example.org/fhir";
    CHECK(has(error_of(s), "terminology server address 'ftp://example.org/fhir' must start with https://"));
    s.base_url = "";
    CHECK(has(error_of(s), "must start with https://"));
  }
}
