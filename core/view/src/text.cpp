#include "ilinks/text.h"

#include <functional>
#include <ostream>

namespace ilinks {

Text::Text(std::string_view value) {
  if (value.empty()) return;
  if (TextPool* pool = TextPool::in_use()) {
    block_ = pool->find_or_add(value, nullptr);
    retain();
  } else {
    block_ = new Block;
    block_->value.assign(value.data(), value.size());
  }
}

Text::Text(std::string&& value) {
  if (value.empty()) return;
  if (TextPool* pool = TextPool::in_use()) {
    block_ = pool->find_or_add(value, &value);
    retain();
  } else {
    block_ = new Block;
    block_->value = std::move(value);
  }
}

Text& Text::operator=(const Text& other) noexcept {
  Block* block = other.block_;  // read first: `other` may be this Text
  other.retain();
  release();
  block_ = block;
  return *this;
}

Text& Text::operator=(Text&& other) noexcept {
  if (this != &other) {
    release();
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

void Text::release() {
  if (block_ && block_->references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete block_;
  block_ = nullptr;
}

const std::string& Text::empty_string() {
  static const std::string empty;
  return empty;
}

std::ostream& operator<<(std::ostream& out, const Text& text) { return out << text.str(); }

// ---- TextPool ----------------------------------------------------------------

namespace {
thread_local TextPool* current_pool = nullptr;
size_t hash_of(std::string_view value) { return std::hash<std::string_view>()(value); }
}  // namespace

TextPool::~TextPool() {
  for (Text::Block* block : slots_) {
    Text held;
    held.block_ = block;  // the pool's own reference, dropped here
  }
}

Text TextPool::intern(std::string_view value) {
  Text shared;
  if (value.empty()) return shared;
  shared.block_ = find_or_add(value, nullptr);
  shared.retain();
  return shared;
}

// The pool's block for `value` (its own reference: the caller retains what it
// keeps), made from `move_from` when given (the same characters) or a copy.
Text::Block* TextPool::find_or_add(std::string_view value, std::string* move_from) {
  if (2 * (count_ + 1) > slots_.size()) grow();
  size_t mask = slots_.size() - 1;
  for (size_t at = hash_of(value) & mask;; at = (at + 1) & mask) {
    Text::Block* block = slots_[at];
    if (block && block->value == value) return block;
    if (block) continue;
    block = new Text::Block;
    if (move_from) block->value = std::move(*move_from);
    else block->value.assign(value.data(), value.size());
    slots_[at] = block;
    ++count_;
    return block;
  }
}

void TextPool::grow() {
  std::vector<Text::Block*> old = std::move(slots_);
  slots_.assign(old.empty() ? 256 : old.size() * 2, nullptr);
  size_t mask = slots_.size() - 1;
  for (Text::Block* block : old) {
    if (!block) continue;
    size_t at = hash_of(block->value) & mask;
    while (slots_[at]) at = (at + 1) & mask;
    slots_[at] = block;
  }
}

TextPool::Use::Use(TextPool& pool) : previous_(current_pool) { current_pool = &pool; }
TextPool::Use::~Use() { current_pool = previous_; }

TextPool* TextPool::in_use() { return current_pool; }

}  // namespace ilinks
