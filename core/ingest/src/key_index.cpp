// Open addressing with linear probing; at most half full, so a lookup
// touches one or two slots.
#include "ilinks/key_index.h"

#include <functional>

namespace ilinks::detail {

namespace {
uint64_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }
}  // namespace

void KeyIndex::reserve(size_t keys) {
  size_t capacity = 16;
  while (capacity < keys * 2) capacity *= 2;
  if (capacity > slots_.size()) grow(capacity);
}

size_t KeyIndex::slot_of(std::string_view key, uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const Slot& s = slots_[at];
    if (s.position == npos || (s.hash == hash && s.key == key)) return at;
  }
}

void KeyIndex::grow(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  for (const Slot& s : old)
    if (s.position != npos) slots_[slot_of(s.key, s.hash)] = s;
}

std::pair<size_t, bool> KeyIndex::emplace(std::string_view key, size_t position) {
  if ((used_ + 1) * 2 > slots_.size()) grow(slots_.empty() ? 16 : slots_.size() * 2);
  uint64_t hash = hash_of(key);
  Slot& s = slots_[slot_of(key, hash)];
  if (s.position != npos) return {s.position, false};
  s = Slot{key, hash, position};
  ++used_;
  return {position, true};
}

size_t KeyIndex::find(std::string_view key) const {
  if (slots_.empty()) return npos;
  return slots_[slot_of(key, hash_of(key))].position;
}

void KeyIndex::clear() {
  slots_.clear();
  used_ = 0;
}

}  // namespace ilinks::detail
