// ilinks/terminology.h: expanding a ValueSet on a FHIR R4 terminology server,
// so a deployment's exclusion code lists can be kept as reference sets.
//
// Native builds use libcurl (HTTPS, bearer token, timeouts, retries with
// backoff on 429 and 5xx, $expand paging); the WebAssembly build has no HTTP
// and answers from the cache or not at all. Each successful expansion is kept
// in a cache, which is used, with a warning, when the server cannot be.
// Errors are for the deployment team to read: what failed, in plain words,
// with the server's own OperationOutcome text when it gave one.
#pragma once
#include <string>
#include <vector>

#include "ilinks/item.h"

namespace ilinks {

struct TerminologyServer {
  std::string base_url;      // "https://ontology.nhs.uk/production1/fhir"
  std::string bearer_token;  // sent as "Authorization: Bearer ..."; empty: none
  long timeout_ms = 20000;   // for each request, start to end
  int attempts = 3;          // tries of a request answered 429 or 5xx, or timed out
  long backoff_ms = 500;     // the first wait between tries; doubles each time (Retry-After wins, up to 30 s)
  int page_size = 1000;      // codes asked for per page ($expand count=)
  int max_pages = 1000;      // pages followed at most (a loop guard)
  std::string cache_dir;     // where expansions are kept, one file per ValueSet URL; empty: no cache
};

struct Expansion {
  std::string valueset_url;   // as asked for
  std::string version;        // expansion.identifier, else ValueSet.version, else expansion.timestamp ("" if none given)
  std::string timestamp;      // expansion.timestamp, if given
  std::vector<Coding> codes;  // system, code, display of each entry, nested entries flattened, in the server's order
  bool from_cache = false;    // true when the server could not be used and the cached copy was
  std::string warning;        // in words: when from_cache, why the server was not used; otherwise
                              // why the expansion could not be kept in the cache ("" when it was)
};

// Expands `valueset_url` with ValueSet/$expand?url=...&count=...&offset=...,
// following offsets until expansion.total is reached (or, without a total,
// until a page adds no new entry, as a server that ignores paging sends).
// Every page must come from the same expansion (identifier, timestamp and
// version): when it changes part-way the expansion is read again from the
// start, once; pages of two expansions are never mixed. Entries without a code
// and entries marked inactive are left out; a code listed twice is kept once.
//
// A successful expansion replaces the cached copy (written whole, then
// renamed into place). When the server fails (unreachable, timeout, 4xx, 5xx,
// an answer that is not JSON, not a ValueSet or has no expansion; pages that
// end before the total; an expansion with no codes, as a server without the
// value set loaded may send) the cached copy is returned with from_cache and
// warning set. Without a usable cached copy it throws InputError "ValueSet
// URL could not be expanded: ..." saying why, with the server's own words and
// why a damaged cache file was not used. A base URL that is not http(s):// is
// refused before anything is sent.
Expansion expand_valueset(const TerminologyServer& server, const std::string& valueset_url);

}  // namespace ilinks
