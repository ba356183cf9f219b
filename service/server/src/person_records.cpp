#include "person_records.h"

#include "ilinks/record_builder.h"

namespace ilinks {

PersonRecords::PersonRecords(std::vector<ParticipatingOrganisation> organisations, Store& store, Metrics& metrics,
                             long deadline_ms, int cache_seconds)
    : organisations_(std::move(organisations)),
      store_(store),
      metrics_(metrics),
      deadline_ms_(deadline_ms),
      cache_seconds_(cache_seconds) {}

Record PersonRecords::assemble(const std::string& nhs_number, bool& complete) {
  complete = true;
  RecordBuilder builder;
  for (auto& answer : fetch_person(organisations_, nhs_number, deadline_ms_)) {
    if (!answer.answered) {
      complete = false;
      metrics_.source_failure(answer.ods);
      builder.add_unavailable_source({answer.name.empty() ? answer.ods : answer.name, answer.why});
      continue;
    }
    for (size_t i = 0; i < answer.pages.bodies.size(); ++i)
      builder.add(answer.pages.bodies[i], {answer.name + " page " + std::to_string(i + 1), answer.ods});
  }
  for (const auto& adt : store_.adt_for(nhs_number))
    builder.add(adt.message, {"ADT " + adt.sending_facility + " " + adt.control_id, ""});
  builder.choose_person(nhs_number);
  return builder.build();
}

Record PersonRecords::record_of(const std::string& nhs_number) {
  auto now = std::chrono::steady_clock::now();
  if (cache_seconds_ > 0) {
    std::lock_guard<std::mutex> g(lock_);
    auto it = kept_.find(nhs_number);
    if (it != kept_.end() && now - it->second.fetched < std::chrono::seconds(cache_seconds_)) return it->second.record;
  }
  bool complete = false;
  Record record = assemble(nhs_number, complete);
  if (cache_seconds_ > 0 && complete) {
    std::lock_guard<std::mutex> g(lock_);
    if (kept_.size() >= kMaxKept && !kept_.count(nhs_number)) {
      auto oldest = kept_.begin();
      for (auto it = kept_.begin(); it != kept_.end(); ++it)
        if (it->second.fetched < oldest->second.fetched) oldest = it;
      kept_.erase(oldest);
    }
    kept_[nhs_number] = {record, now};
  }
  return record;
}

void PersonRecords::forget(const std::string& nhs_number) {
  std::lock_guard<std::mutex> g(lock_);
  kept_.erase(nhs_number);
}

}  // namespace ilinks
