// ilinks/text.h: a string shared, not copied.
//
// Most of an item's words repeat across a long record: code systems, codes and
// their displays, units, the source organisation and how it was found, the
// input's name, the rule that placed it. A Text is one pointer to a string
// kept once: copying it (into a View, into another item) counts a reference
// instead of copying the characters, and a reader that interns what it reads
// (TextPool) keeps each distinct word once per record. Issue 18 measured the
// item's strings as most of a long record's memory and allocations.
//
// A Text reads as a const std::string (it converts to one), never changes in
// place, and is assigned whole. Safe to copy and drop from several threads.
// While a TextPool is in use on a thread (TextPool::Use), every Text made on
// that thread from characters is interned in it: the readers intern all they
// read without handing a pool to each of their functions.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ilinks {

class Text {
 public:
  // ---- Making one ------------------------------------------------------------
  Text() = default;  // empty
  Text(std::string_view value);
  Text(const std::string& value) : Text(std::string_view(value)) {}
  Text(std::string&& value);
  Text(const char* value) : Text(std::string_view(value ? value : "")) {}
  Text(const Text& other) noexcept : block_(other.block_) { retain(); }
  Text(Text&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  Text& operator=(const Text& other) noexcept;
  Text& operator=(Text&& other) noexcept;
  ~Text() { release(); }

  // ---- Reading it ----------------------------------------------------------
  const std::string& str() const { return block_ ? block_->value : empty_string(); }
  operator const std::string&() const { return str(); }
  operator std::string_view() const { return str(); }
  const char* c_str() const { return str().c_str(); }
  const char* data() const { return str().data(); }
  size_t size() const { return str().size(); }
  size_t length() const { return size(); }
  bool empty() const { return !block_ || block_->value.empty(); }
  char operator[](size_t at) const { return str()[at]; }
  char front() const { return str().front(); }
  char back() const { return str().back(); }
  std::string::const_iterator begin() const { return str().begin(); }
  std::string::const_iterator end() const { return str().end(); }
  size_t find(std::string_view what, size_t from = 0) const { return std::string_view(str()).find(what, from); }
  size_t find(char what, size_t from = 0) const { return str().find(what, from); }
  size_t rfind(std::string_view what, size_t from = std::string::npos) const { return std::string_view(str()).rfind(what, from); }
  size_t rfind(char what, size_t from = std::string::npos) const { return str().rfind(what, from); }
  std::string substr(size_t from, size_t count = std::string::npos) const { return str().substr(from, count); }
  int compare(std::string_view other) const { return std::string_view(str()).compare(other); }

  // ---- Changing it: only whole, by assignment, or emptied ---------------------
  void clear() { release(); }

  // The same characters, kept once (interned, or copied from one another).
  bool same_storage(const Text& other) const { return block_ == other.block_; }

 private:
  friend class TextPool;
  struct Block {
    std::atomic<uint32_t> references{1};
    std::string value;
  };
  static const std::string& empty_string();
  void retain() const {
    if (block_) block_->references.fetch_add(1, std::memory_order_relaxed);
  }
  void release();
  Block* block_ = nullptr;
};

// ---- Comparing and joining -----------------------------------------------------
// With a Text on at least one side and a string of any kind on the other.
// Templates, so that they never apply through a conversion to Text (two
// std::strings compare as they always did).
namespace text_detail {
template <class T> constexpr bool is_text = std::is_same_v<T, Text>;
template <class T> constexpr bool is_string = std::is_convertible_v<const T&, std::string_view>;
template <class A, class B> constexpr bool text_and_string = (is_text<A> && is_string<B>) || (is_string<A> && is_text<B>);
}  // namespace text_detail
template <class A, class B, std::enable_if_t<text_detail::text_and_string<A, B>, int> = 0>
bool operator==(const A& a, const B& b) { return std::string_view(a) == std::string_view(b); }
template <class A, class B, std::enable_if_t<text_detail::text_and_string<A, B>, int> = 0>
bool operator!=(const A& a, const B& b) { return std::string_view(a) != std::string_view(b); }
template <class A, class B, std::enable_if_t<text_detail::text_and_string<A, B>, int> = 0>
bool operator<(const A& a, const B& b) { return std::string_view(a) < std::string_view(b); }
template <class A, class B, std::enable_if_t<text_detail::text_and_string<A, B>, int> = 0>
std::string operator+(const A& a, const B& b) { std::string out{std::string_view(a)}; return out.append(std::string_view(b)); }
inline std::string operator+(const Text& a, char b) { return a.str() + b; }
inline std::string operator+(char a, const Text& b) { return a + b.str(); }
inline std::string& operator+=(std::string& a, const Text& b) { return a += b.str(); }
std::ostream& operator<<(std::ostream& out, const Text& text);

// As nlohmann/json writes and reads it (found by argument-dependent lookup;
// this header does not need the JSON library).
template <class Json> void to_json(Json& json, const Text& text) { json = text.str(); }
template <class Json> void from_json(const Json& json, Text& text) { text = Text(json.template get<std::string>()); }

// A reader's store of the words it has read, so that each distinct one is kept
// once: intern() gives the Text already made for the same characters, or
// makes it. Owned by one reader on one thread; what it handed out outlives it.
class TextPool {
 public:
  TextPool() = default;
  TextPool(const TextPool&) = delete;
  TextPool& operator=(const TextPool&) = delete;
  ~TextPool();

  Text intern(std::string_view value);
  size_t size() const { return count_; }  // distinct words kept

  // Interns every Text made on this thread into `pool` while it lasts (and
  // the previous pool again after it). Set for a reading's duration.
  class Use {
   public:
    explicit Use(TextPool& pool);
    ~Use();
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
   private:
    TextPool* previous_;
  };
  static TextPool* in_use();  // on this thread; nullptr when none

 private:
  friend class Text;
  Text::Block* find_or_add(std::string_view value, std::string* move_from);
  void grow();
  std::vector<Text::Block*> slots_;  // open addressing; nullptr = free
  size_t count_ = 0;
};

}  // namespace ilinks

template <> struct std::hash<ilinks::Text> {
  size_t operator()(const ilinks::Text& text) const noexcept { return std::hash<std::string_view>()(text.str()); }
};
