#include "arriving_input.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>

namespace ilinks {
namespace {

std::atomic<uint64_t> entries_taken{0};
// A split's key ("resource", quoted) is found only once all of it is in: the
// next look starts this far back.
constexpr size_t kLongestKey = 10;

}  // namespace

namespace detail {

void GrowingBytes::reserve(size_t capacity) {
  if (capacity <= capacity_) return;
  void* grown = std::realloc(data_, capacity);
  if (!grown) throw std::bad_alloc();
  data_ = static_cast<char*>(grown);
  capacity_ = capacity;
}

void GrowingBytes::append(std::string_view more) {
  if (more.empty()) return;
  if (size_ + more.size() > capacity_) reserve(std::max({size_ + more.size(), capacity_ * 2, size_t{64} << 10}));
  std::memcpy(data_ + size_, more.data(), more.size());
  size_ += more.size();
}

void GrowingBytes::release() {
  std::free(data_);
  data_ = nullptr;
  size_ = capacity_ = 0;
}

}  // namespace detail

void ArrivingInput::Impl::append(std::string_view more) {
  size += more.size();
  if (size > RecordBuilder::kMaxInputBytes) {  // refused by add(): not kept meanwhile
    bytes.release();
    stopped_ = true;
    return;
  }
  bytes.append(more);
  if (!stopped_ && options.read_ahead_every != SIZE_MAX) read_ahead();
}

// Each run reads from the last run's end up to the last split in the bytes so
// far. The first split is only a guess, which add()'s parse checks; each run
// after it is checked by its own parse, which succeeds only if it ends with a
// whole entry (it began with one, if the guess was right).
void ArrivingInput::Impl::read_ahead() {
  std::string_view text(bytes);
  size_t look_from = searched_to_ > kLongestKey ? searched_to_ - kLongestKey : 0;
  searched_to_ = text.size();
  if (!first_) {
    auto split = detail::find_entry_split(text, look_from);
    if (!split) return;
    first_ = next_ = Split{static_cast<size_t>(split->close - text.data()), static_cast<size_t>(split->comma - text.data())};
    look_from = next_.comma + 1;
  }
  if (auto split = detail::last_entry_split(text, std::max(look_from, next_.comma + 1));
      split && static_cast<size_t>(split->close - text.data()) > next_.comma)
    last_ = Split{static_cast<size_t>(split->close - text.data()), static_cast<size_t>(split->comma - text.data())};
  if (!last_ || text.size() - next_.comma < options.read_ahead_every) return;
  detail::EntriesAfterSplit run = read_.read(text, at(next_), entries_, bytes.data() + last_->close);
  if (!run.complete) {  // damage, or a guess that was wrong: add() reads on from next_
    stopped_ = true;
    return;
  }
  entries_ += run.entries;
  resources_ += run.resources;
  next_ = *last_;
  last_.reset();
}

std::optional<detail::SplitHandoff> ArrivingInput::Impl::finish(std::string_view text, const detail::IssueFn& report,
                                                                const detail::KeepFn& keep) {
  // add() reads other bytes than these when it repaired their UTF-8.
  if (!first_ || text.data() != bytes.data() || text.size() != bytes.size()) return std::nullopt;
  rest_ = read_.read(text, at(next_), entries_);
  if (!rest_.complete) return std::nullopt;
  rest_.entries += entries_;
  rest_.resources += resources_;
  return detail::SplitHandoff{at(*first_), [this, report, keep](size_t entries_before) -> std::optional<detail::EntriesAfterSplit> {
    read_.hand_over(entries_before, report, keep);
    entries_taken += entries_;
    return rest_;
  }};
}

ArrivingInput::ArrivingInput(InputOptions input, size_t expected_bytes) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(input);
  impl_->bytes.reserve(std::min(expected_bytes, RecordBuilder::kMaxInputBytes));
}
ArrivingInput::~ArrivingInput() = default;
ArrivingInput::ArrivingInput(ArrivingInput&&) noexcept = default;
ArrivingInput& ArrivingInput::operator=(ArrivingInput&&) noexcept = default;

void ArrivingInput::append(std::string_view bytes) {
  if (impl_) impl_->append(bytes);
}
size_t ArrivingInput::size() const { return impl_ ? impl_->size : 0; }
const std::string& ArrivingInput::name() const {
  static const std::string none;
  return impl_ ? impl_->options.name : none;
}
uint64_t ArrivingInput::entries_read_while_arriving() { return entries_taken.load(); }

}  // namespace ilinks
