// Reading streamed resources into ReadResources, and keeping a run of a
// Bundle's entries read away from the main parse (by a worker thread, or
// while the input was still arriving) until that parse reaches the run's
// start and takes them (json_stream.h, SplitHandoff).
#pragma once
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "fhir_resource.h"
#include "ilinks/text.h"
#include "json_stream.h"

namespace ilinks::detail {

using KeepFn = std::function<void(ReadResource&&)>;

// What a streamed resource holds, read and handed to `keep` (a Bundle inside
// a Bundle gives several, `depth` deep). Shares nothing: a worker runs it too.
void read_streamed(StreamedResource&& s, const IssueFn& report, const KeepFn& keep, int depth = 0);

// Resources and load issues read from a run of entries, in order. Entry
// numbers ("entry[N]") count from the run's start.
class ReadEntries {
 public:
  // What a run read from `split` up to the end of the entry array (or to
  // `up_to_close`, a later split's '}'), numbered from `first_entry`.
  // Whatever was kept from that run is forgotten again if it was not read
  // completely, and the result says so.
  EntriesAfterSplit read(std::string_view text, const EntrySplit& split, size_t first_entry,
                         const char* up_to_close = nullptr);

  // Hands everything kept to `report` and `keep`, entry numbers following the
  // main parse's `entries_before`, and frees it as it goes.
  void hand_over(size_t entries_before, const IssueFn& report, const KeepFn& keep);

 private:
  struct Issue { std::string where, what; };
  using Read = std::variant<ReadResource, Issue>;
  template <class T> void kept(T&& read);
  void forget_after(size_t chunks, size_t in_last);
  static void trim();  // gives freed memory back to the system (glibc)

  // In chunks of their own, each one allocation: freed after handing over,
  // they leave whole pages free for malloc_trim (a ReadResource apiece would
  // leave holes among the strings the entries keep).
  std::vector<std::vector<Read>> read_;
  TextPool words_;  // what the runs read is interned here (on the thread that reads them)
};

}  // namespace ilinks::detail
