// What an ArrivingInput keeps while its bytes arrive: the bytes, and the runs
// of Bundle entries read so far (ilinks/record_builder.h).
#pragma once
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ilinks/record_builder.h"
#include "read_entries.h"

namespace ilinks {
namespace detail {

// Bytes in one block, doubled with realloc when full: glibc moves a large
// block by remapping its pages, where std::string copies it into a new block
// beside the old one (measured without a Content-Length, natively: 3.02x of a
// 5 MB input at the peak against 3.39x, 2.78x of 60 MB against 2.91x).
// WebAssembly's malloc copies either way: the same peaks there.
class GrowingBytes {
 public:
  GrowingBytes() = default;
  GrowingBytes(const GrowingBytes&) = delete;
  GrowingBytes& operator=(const GrowingBytes&) = delete;
  ~GrowingBytes() { std::free(data_); }

  void reserve(size_t capacity);  // throws std::bad_alloc
  void append(std::string_view more);  // throws std::bad_alloc
  void release();  // empty, and its memory freed
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  operator std::string_view() const { return {data_ ? data_ : "", size_}; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

}  // namespace detail

struct ArrivingInput::Impl {
  // A split as byte offsets: the bytes move as they grow.
  struct Split { size_t close = 0, comma = 0; };

  InputOptions options;
  detail::GrowingBytes bytes;
  size_t size = 0;  // bytes given, kept or not (beyond RecordBuilder::kMaxInputBytes they are not)

  void append(std::string_view more);

  // Once the input is whole: reads the rest of the entries after the last
  // run, and returns the handoff for add()'s parse of `text` (the bytes, as
  // add() reads them). Nothing when nothing was read ahead, or when the rest
  // cannot be read as entries: then add()'s parse reads it all itself.
  std::optional<detail::SplitHandoff> finish(std::string_view text, const detail::IssueFn& report, const detail::KeepFn& keep);

 private:
  void read_ahead();
  detail::EntrySplit at(const Split& s) const { return {bytes.data() + s.close, bytes.data() + s.comma}; }

  std::optional<Split> first_;   // where the runs begin: a guess until add()'s parse sees an entry end there
  Split next_;                   // where the next run begins (an entry end, if first_ is one)
  std::optional<Split> last_;    // the last split seen after next_
  size_t searched_to_ = 0;       // bytes looked through for splits
  bool stopped_ = false;         // no more runs until the input is whole
  size_t entries_ = 0, resources_ = 0;  // read in runs so far
  detail::ReadEntries read_;
  detail::EntriesAfterSplit rest_;
};

}  // namespace ilinks
