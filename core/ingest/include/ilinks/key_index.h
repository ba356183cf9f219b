// ilinks/key_index.h: a text -> position index for the hot lookups of a record.
//
// Assembling a record of 30,000 entries looks keys up hundreds of thousands of
// times (references, duplicates, links). A node-based map allocates a node and
// a copy of the key for each entry and walks scattered memory on each lookup;
// this keeps every slot in one array and only views the keys where they
// already live. Whoever fills it keeps those texts alive and unmoved while it
// is used (a Record's items, a builder's entries).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace ilinks::detail {

class KeyIndex {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  void reserve(size_t keys);
  // Adds key -> position unless the key is already there (the first one
  // added is kept). Returns the position now held for the key, and whether
  // this call added it.
  std::pair<size_t, bool> emplace(std::string_view key, size_t position);
  // The position held for key, or npos.
  size_t find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != npos; }
  size_t size() const { return used_; }
  void clear();

 private:
  struct Slot {
    std::string_view key;
    uint64_t hash = 0;
    size_t position = npos;  // npos: empty
  };
  size_t slot_of(std::string_view key, uint64_t hash) const;  // where key is, or the empty slot it would go in
  void grow(size_t capacity);
  std::vector<Slot> slots_;  // a power of two long, at most half full
  size_t used_ = 0;
};

}  // namespace ilinks::detail
