#include "json_tree.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <unordered_set>

namespace ilinks::detail {

namespace {
constexpr size_t kBlockBytes = 256 * 1024;
}

// ---- Objects --------------------------------------------------------------------

const JsonNode& JsonNode::empty_object() {
  static const JsonNode empty = [] {
    JsonNode n;
    n.type_ = Type::object;
    return n;
  }();
  return empty;
}

// ---- The arena ------------------------------------------------------------------

void* JsonArena::allocate(size_t bytes, size_t align) {
  for (;;) {
    if (block_ < blocks_.size()) {
      Block& b = blocks_[block_];
      size_t start = (used_ + align - 1) & ~(align - 1);
      if (start + bytes <= b.size) {
        used_ = start + bytes;
        return b.bytes.get() + start;
      }
      if (block_ + 1 < blocks_.size() && blocks_[block_ + 1].size >= bytes + align) {
        ++block_;  // a block kept from an earlier entry
        used_ = 0;
        continue;
      }
    }
    // A new block after the current one: big enough for a long text.
    size_t size = std::max(kBlockBytes, bytes + align);
    size_t at = blocks_.empty() ? 0 : block_ + 1;
    blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(std::min(at, blocks_.size())),
                   Block{std::unique_ptr<char[]>(new char[size]), size});
    block_ = std::min(at, blocks_.size() - 1);
    used_ = 0;
  }
}

// ---- Making nodes -----------------------------------------------------------------

std::string_view JsonTreeBuilder::copy(std::string_view text) {
  if (text.empty()) return {};
  char* at = static_cast<char*>(arena_.allocate(text.size(), 1));
  std::memcpy(at, text.data(), text.size());
  return {at, text.size()};
}

JsonNode* JsonTreeBuilder::make(JsonNode::Type type, std::string_view key) {
  auto* node = new (arena_.allocate(sizeof(JsonNode), alignof(JsonNode))) JsonNode();
  node->type_ = type;
  node->key_ = key;
  return node;
}

JsonNode* JsonTreeBuilder::make_string(std::string_view text, std::string_view key, bool in_place) {
  JsonNode* node = make(JsonNode::Type::string, key);
  node->text_ = in_place ? text : copy(text);
  return node;
}

JsonNode* JsonTreeBuilder::make_number(double value, std::string_view key) {
  JsonNode* node = make(JsonNode::Type::number, key);
  node->number_ = value;
  return node;
}

JsonNode* JsonTreeBuilder::make_boolean(bool value, std::string_view key) {
  JsonNode* node = make(JsonNode::Type::boolean, key);
  node->boolean_ = value;
  return node;
}

void JsonTreeBuilder::append(JsonNode& container, JsonNode* child) {
  if (container.last_) container.last_->next_ = child;
  else container.first_ = child;
  container.last_ = child;
  ++container.size_;
}

void JsonTreeBuilder::finish_object(JsonNode& object) {
  if (object.size_ < 2) return;
  auto mark_earlier = [&](JsonNode* m) {
    for (JsonNode* later = m->next_; later; later = later->next_)
      if (later->key_ == m->key_) { m->repeated_ = true; --object.size_; return; }
  };
  if (object.size_ <= 32) {  // FHIR objects: a few members, compared pairwise
    for (JsonNode* m = object.first_; m; m = m->next_) mark_earlier(m);
    return;
  }
  // A large object (hostile or unusual): from the last member back, a name seen already marks this one.
  std::vector<JsonNode*> members;
  for (JsonNode* m = object.first_; m; m = m->next_) members.push_back(m);
  std::unordered_set<std::string_view> seen;
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (!seen.insert((*it)->key_).second) { (*it)->repeated_ = true; --object.size_; }
}

// ---- Content hash -------------------------------------------------------------------

namespace {
void mix(uint64_t& h, const void* bytes, size_t size) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 1099511628211ull;
}
void hash_into(uint64_t& h, const JsonNode& node, int depth) {
  auto tag = static_cast<unsigned char>(node.type());
  mix(h, &tag, 1);
  if (depth > 128) return;  // the parser's depth limit is far below this
  switch (node.type()) {
    case JsonNode::Type::null: break;
    case JsonNode::Type::boolean: { char b = node.boolean() ? 1 : 0; mix(h, &b, 1); break; }
    case JsonNode::Type::number: { double v = node.number(); mix(h, &v, sizeof v); break; }
    case JsonNode::Type::string: mix(h, node.text().data(), node.text().size()); mix(h, "", 1); break;
    case JsonNode::Type::object:
    case JsonNode::Type::array:
      for (const JsonNode& child : node) {
        mix(h, child.key().data(), child.key().size());
        mix(h, "", 1);
        hash_into(h, child, depth + 1);
      }
      mix(h, "}", 1);
      break;
  }
}
}  // namespace

uint64_t content_hash(const JsonNode& node) {
  uint64_t h = 14695981039346656037ull;
  hash_into(h, node, 0);
  return h;
}

}  // namespace ilinks::detail
