// One person's integrated record, assembled on the data holders' side: what
// every participating organisation's endpoint answered (asked in parallel)
// and the HL7 v2 ADT messages the store holds, merged by the record builder.
// A source that did not answer is named in the record, so in every View.
//
// Kept: a record is reused for `cache_seconds` (default 60) by any viewer of
// the same person on this instance (each View is still made for its viewer
// by the policy), in memory only, never on disk. It is dropped sooner when
// an ADT message about the person arrives, and when a source did not answer
// (so the next view asks again). Another instance keeps its own.
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ilinks/record.h"
#include "ilinks/sources.h"
#include "ilinks/store.h"
#include "metrics.h"

namespace ilinks {

class PersonRecords {
 public:
  PersonRecords(std::vector<ParticipatingOrganisation> organisations, Store& store, Metrics& metrics, long deadline_ms,
                int cache_seconds);

  // The record for `nhs_number` (already checked). Throws StoreError when
  // the store's ADT messages cannot be read.
  Record record_of(const std::string& nhs_number);
  // Something new arrived about the person: the next view assembles again.
  void forget(const std::string& nhs_number);

  static constexpr size_t kMaxKept = 256;  // records kept at once; the oldest goes first

 private:
  Record assemble(const std::string& nhs_number, bool& complete);
  struct Kept {
    Record record;
    std::chrono::steady_clock::time_point fetched;
  };
  std::vector<ParticipatingOrganisation> organisations_;
  Store& store_;
  Metrics& metrics_;
  long deadline_ms_;
  int cache_seconds_;
  std::mutex lock_;
  std::map<std::string, Kept> kept_;
};

}  // namespace ilinks
