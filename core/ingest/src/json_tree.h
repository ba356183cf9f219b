// A JSON value as the FHIR reader walks it: read-only, made by the streaming
// parser (json_stream.cpp, on nlohmann's SAX interface) in an arena that is
// reused entry after entry. Reading a Bundle so makes no allocation per value;
// nlohmann's DOM made several (a tree node per member, a copy of every key and
// string): about half of all allocations when reading a long record, measured
// for issue 18.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ilinks::detail {

class JsonNode {
 public:
  enum class Type : uint8_t { null, boolean, number, string, object, array };

  // ---- What it is ---------------------------------------------------------------
  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_boolean() const { return type_ == Type::boolean; }
  bool is_number() const { return type_ == Type::number; }
  bool is_string() const { return type_ == Type::string; }
  bool is_object() const { return type_ == Type::object; }
  bool is_array() const { return type_ == Type::array; }
  bool is_structured() const { return is_object() || is_array(); }

  // ---- Scalars --------------------------------------------------------------------
  std::string_view text() const { return text_; }  // a string's text; "" for anything else
  double number() const { return number_; }        // a number's value; 0 for anything else
  bool boolean() const { return boolean_; }
  // As nlohmann's get<T>() reads them, for the reader's convenience:
  // std::string (a copy of the text), double, bool.
  template <class T> T get() const;

  // ---- Objects ----------------------------------------------------------------------
  // The member named `key` (the last one, where a name is repeated, as JSON
  // parsers keep it); nullptr when there is none or this is not an object.
  const JsonNode* find(std::string_view key) const {
    if (type_ != Type::object) return nullptr;
    for (const JsonNode* m = first_; m; m = m->next_)
      if (!m->repeated_ && m->key_ == key) return m;
    return nullptr;
  }
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  std::string_view key() const { return key_; }  // the name this value sits under ("" in an array)

  // ---- Arrays and objects: elements or members, in the order written ------------------
  class Iterator {
   public:
    explicit Iterator(const JsonNode* at) : at_(at) { skip(); }
    const JsonNode& operator*() const { return *at_; }
    const JsonNode* operator->() const { return at_; }
    Iterator& operator++() { at_ = at_->next_; skip(); return *this; }
    bool operator!=(const Iterator& other) const { return at_ != other.at_; }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }
   private:
    void skip() { while (at_ && at_->repeated_) at_ = at_->next_; }
    const JsonNode* at_;
  };
  Iterator begin() const { return Iterator(first_); }
  Iterator end() const { return Iterator(nullptr); }
  size_t size() const { return size_; }

  // An object with no members, for "this member, or nothing".
  static const JsonNode& empty_object();

 private:
  friend class JsonTreeBuilder;
  Type type_ = Type::null;
  bool boolean_ = false;
  bool repeated_ = false;  // a member whose name comes again later in its object: not seen
  uint32_t size_ = 0;      // elements, or members not repeated
  double number_ = 0;
  std::string_view key_, text_;
  JsonNode* first_ = nullptr;  // first element or member
  JsonNode* last_ = nullptr;   // last, for appending
  JsonNode* next_ = nullptr;   // the next element or member of the container this is in
};

template <> inline std::string JsonNode::get<std::string>() const { return std::string(text_); }
template <> inline double JsonNode::get<double>() const { return number_; }
template <> inline bool JsonNode::get<bool>() const { return boolean_; }


// Memory for nodes and their texts, handed out in blocks and taken back all at
// once (rewind): the blocks are kept, so the next entry reuses them. Memory
// follows the largest entry, not the input.
class JsonArena {
 public:
  struct Mark { size_t block = 0, used = 0; };
  void* allocate(size_t bytes, size_t align);
  Mark mark() const { return {block_, used_}; }
  void rewind(Mark m) { block_ = m.block; used_ = m.used; }

 private:
  struct Block { std::unique_ptr<char[]> bytes; size_t size; };
  std::vector<Block> blocks_;
  size_t block_ = 0, used_ = 0;
};

// Makes JsonNodes in an arena, for the streaming parser.
class JsonTreeBuilder {
 public:
  explicit JsonTreeBuilder(JsonArena& arena) : arena_(arena) {}
  std::string_view copy(std::string_view text);  // into the arena
  JsonNode* make(JsonNode::Type type, std::string_view key);
  // A string node; its text copied into the arena, or (`in_place`) viewed where it is, when that outlives the tree.
  JsonNode* make_string(std::string_view text, std::string_view key, bool in_place = false);
  JsonNode* make_number(double value, std::string_view key);
  JsonNode* make_boolean(bool value, std::string_view key);
  static void append(JsonNode& container, JsonNode* child);
  // Once an object's members are all in: an earlier member whose name comes
  // again is marked repeated (the last one counts).
  static void finish_object(JsonNode& object);

 private:
  JsonArena& arena_;
};

// A hash of a value's content (structure, names and values, members in the
// order written), for finding the same resource sent twice.
uint64_t content_hash(const JsonNode& node);

}  // namespace ilinks::detail
