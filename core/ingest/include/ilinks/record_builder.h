// ilinks/record_builder.h: assemble one person's record from several inputs.
//
//   ilinks::RecordBuilder builder;
//   builder.add_file("gp-export.json", "N81001");   // FHIR Bundle, resource or NDJSON
//   builder.add_file("tie/adt-a01.hl7");            // HL7 v2 ADT
//   ilinks::Record record = builder.build();
//
// Inputs for the same person merge; the same resource sent twice appears
// once. Bad content never throws: it becomes Record::load_issues() and the
// rest still loads.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ilinks/classification.h"
#include "ilinks/record.h"

namespace ilinks {

struct InputOptions {
  std::string name;        // how issues name the input: a file name or URL
  std::string source_ods;  // the organisation the whole input comes from, when the sender declares it
  // Natively, a Bundle at least this large (bytes) is read by two threads at
  // once, the second half of its entries on a worker, and its record's build
  // passes and Views (Record::two_threads) split in two; the record is the same.
  // SIZE_MAX: never (for a server whose cores serve other requests).
  size_t two_threads_from = size_t{2} << 20;
  // An ArrivingInput's entries are read each time about this many more bytes
  // are in (bytes). SIZE_MAX: only once it is whole.
  size_t read_ahead_every = size_t{256} << 10;
};

// An input that arrives in pieces (a download). Its bytes are given in order
// as they come, and while they arrive a FHIR Bundle's entries are read in
// runs (InputOptions::read_ahead_every), so that little is left to read once
// the last byte is in; RecordBuilder::add(ArrivingInput&&) reads the rest.
// The record, its load issues and their order are the same as add() of all
// the bytes at once would give: where a run cannot be read as whole entries
// (damage, or an entry boundary that was only a guess), add() reads on from
// the last good one, and if that fails too, reads the whole input itself.
//
//   ilinks::ArrivingInput input({"https://.../Patient/1/$everything"}, content_length);
//   while (...) input.append(chunk);
//   builder.add(std::move(input));
class ArrivingInput {
 public:
  // `expected_bytes` (0: not known) is a hint, such as a Content-Length.
  explicit ArrivingInput(InputOptions input, size_t expected_bytes = 0);
  ~ArrivingInput();
  ArrivingInput(ArrivingInput&&) noexcept;
  ArrivingInput& operator=(ArrivingInput&&) noexcept;

  // The next bytes. Beyond RecordBuilder::kMaxInputBytes they are counted,
  // not kept: add() then refuses the input, as it would the whole. (An input
  // moved from is empty and stays so: add() reads nothing from it.)
  void append(std::string_view bytes);
  // Bytes given so far.
  size_t size() const;
  // How issues name the input (InputOptions::name).
  const std::string& name() const;

  // How many entries, in this process, were read while their input was still
  // arriving and then taken into a record (for tests and benchmarks, which
  // cannot tell otherwise: the record is the same).
  static uint64_t entries_read_while_arriving();

  struct Impl;

 private:
  friend class RecordBuilder;
  std::unique_ptr<Impl> impl_;
};

class RecordBuilder {
 public:
  // `rules` must outlive the builder.
  explicit RecordBuilder(const Classification& rules = Classification::builtin());
  ~RecordBuilder();
  RecordBuilder(RecordBuilder&&) noexcept;
  RecordBuilder& operator=(RecordBuilder&&) noexcept;

  // Reads FHIR R4 JSON (a Bundle of any type, a single resource, NDJSON) or
  // HL7 v2 ADT messages; the format is recognised from the content.
  void add(std::string_view bytes, const InputOptions& input);
  // Reads the rest of an input that has finished arriving (ArrivingInput).
  void add(ArrivingInput&& input);
  // Reads a file with add(); a file that cannot be read is a load issue.
  void add_file(const std::string& path, const std::string& source_ods = "");
  // A source that was asked for this person and did not answer: the View
  // names it (its entries are not shown) and says the record may be incomplete.
  void add_unavailable_source(const UnavailableSource& source);
  // When the inputs hold several people: whose record this is (NHS number or
  // Patient id). Without it, the person most items are about.
  void choose_person(const std::string& nhs_number_or_patient_id);

  // Resolves references, finds each item's source and setting, places it and
  // marks exclusions. The builder is empty afterwards.
  Record build();

  // Inputs above this size are refused with a load issue (bytes).
  static constexpr size_t kMaxInputBytes = size_t{1} << 30;
  // Load issues kept per record; beyond it they are counted in one last issue.
  static constexpr size_t kMaxIssues = 500;
  // How many Bundles so far (in this process) had the second half of their
  // entries read by a worker thread and taken (InputOptions::two_threads_from);
  // for tests and benchmarks, which cannot tell otherwise: the record is the same.
  static uint64_t second_halves_read_by_a_worker();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ilinks
