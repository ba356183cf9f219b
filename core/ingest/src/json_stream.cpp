#include "json_stream.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "json_reader.h"

namespace ilinks::detail {
namespace {

// SAX events (json_reader.h), building a JsonNode tree in an arena, except that
// each finished Bundle entry is handed to the sink and its memory taken back,
// and damaged parts are skipped instead of failing the whole parse.
class StreamingBuilder {
 public:
  StreamingBuilder(JsonArena& arena, const ResourceSink& sink, const IssueSink& issue, const JsonLimits& limits)
      : arena_(arena), tree_(arena), sink_(sink), issue_(issue), limits_(limits) {}

  bool null() { return ++events_, hashed('n'), value(JsonNode::Type::null); }
  bool boolean(bool v) { return ++events_, hashed(v ? 't' : 'f'), !skip_depth_ && place(tree_.make_boolean(v, member_key())); }
  bool number_integer(int64_t v) { return ++events_, hashed('i', &v, sizeof v), number(static_cast<double>(v)); }
  bool number_unsigned(uint64_t v) { return ++events_, hashed('u', &v, sizeof v), number(static_cast<double>(v)); }
  bool number_float(double v, std::string_view written) { return ++events_, hashed('d', written.data(), written.size()), number(v); }
  // `in_text`: the view is into the text read, which outlives the tree, so it is not copied.
  bool string(std::string_view v, bool in_text) {
    ++events_;
    if (skip_depth_) return true;
    hashed('s', v.data(), v.size());
    if (v.size() > limits_.max_string_bytes) {
      report(path(), "is a text of " + std::to_string(v.size() / (1024 * 1024)) +
                         " MB, more than the " + std::to_string(limits_.max_string_bytes / (1024 * 1024)) +
                         " MB a field may hold; left out");
      return value(JsonNode::Type::null);
    }
    return place(tree_.make_string(v, member_key(), in_text));
  }
  bool key(std::string_view k, bool in_text) {
    ++events_;
    if (!skip_depth_) hashed('k', k.data(), k.size()), key_ = in_text ? k : tree_.copy(k);
    return true;
  }
  bool start_object() { return ++events_, open(JsonNode::Type::object); }
  bool start_array() { return ++events_, open(JsonNode::Type::array); }
  bool end_object() { return ++events_, hashed('}'), close(); }
  bool end_array() { return ++events_, hashed(']'), close(); }
  bool parse_error(std::size_t position, std::string why) {
    error_position_ = position;
    error_text_ = std::move(why);
    return false;
  }

  const JsonNode* root() const { return root_; }
  size_t entries_seen() const { return entries_seen_; }
  size_t error_position() const { return error_position_; }
  const std::string& error_text() const { return error_text_; }

  // ---- For reading a Bundle in two halves (see EntrySplit) ----
  // SAX events so far, and whether the last one closed a Bundle entry.
  size_t events() const { return events_; }
  bool last_event_closed_entry() const { return events_ != 0 && closed_entry_at_ == events_; }
  // The worker's start: as if inside the root object, about to read its "entry".
  void begin_before_entry_array() {
    open(JsonNode::Type::object);
    key_ = "entry";
  }
  bool entry_array_closed() const { return stack_.size() == 1 && root_ == stack_[0]; }
  void count_entries_read_elsewhere(size_t n) { entries_seen_ += n; }

 private:
  // The name the next value sits under ("" in an array): in the text, or in the arena.
  std::string_view member_key() const { return !stack_.empty() && stack_.back()->is_object() ? key_ : std::string_view(); }

  bool number(double v) { return skip_depth_ || place(tree_.make_number(v, member_key())); }
  bool value(JsonNode::Type type) { return skip_depth_ || place(tree_.make(type, member_key())); }

  // Puts a finished value where it belongs: the root, or into its container.
  // Scalars straight inside a Bundle's entry array are dropped, as entries are.
  bool place(JsonNode* node) {
    if (stack_.empty()) root_ = node;
    else if (!entry_array()) JsonTreeBuilder::append(*stack_.back(), node);
    return true;
  }

  // True when the open container on top is root.entry, whose elements are
  // handed over one by one and never kept.
  bool entry_array() const {
    return stack_.size() == 2 && stack_[1]->is_array() && stack_[0]->is_object() && stack_[1]->key() == "entry";
  }

  bool open(JsonNode::Type type) {
    if (skip_depth_) { ++skip_depth_; return true; }
    if (stack_.size() >= limits_.max_depth) {
      report(path(), "nests deeper than " + std::to_string(limits_.max_depth) + " levels; " +
                         (in_entry() ? "this entry is left out" : "the rest of this part is left out"));
      if (in_entry()) entry_damaged_ = true;
      skip_depth_ = 1;
      return true;
    }
    if (hash_from_depth_ == 0 && stack_.size() == 3 && in_entry() && key_ == "resource") {
      hash_from_depth_ = 4;  // root, entry[], entry[i], resource
      hash_ = kFnvOffset;
    }
    hashed(type == JsonNode::Type::object ? '{' : '[');
    bool entry = entry_array();
    if (entry) entry_mark_ = arena_.mark();  // everything of this entry goes when it is handed over
    JsonNode* child = tree_.make(type, member_key());
    place(child);
    stack_.push_back(child);
    return true;
  }

  bool close() {
    if (skip_depth_) { --skip_depth_; return true; }
    if (stack_.empty()) return true;
    if (stack_.back()->is_object()) JsonTreeBuilder::finish_object(*stack_.back());
    bool closing_entry = in_entry() && stack_.size() == 3;
    JsonNode* closed = stack_.back();
    stack_.pop_back();
    if (closing_entry) {
      closed_entry_at_ = events_;
      hand_over_entry(*closed);
      hash_from_depth_ = 0;
      arena_.rewind(entry_mark_);
    }
    return true;
  }

  // True while inside root.entry[i] (an object).
  bool in_entry() const { return stack_.size() >= 3 && stack_[2]->is_object() && stack_[1]->is_array() && stack_[1]->key() == "entry" && stack_[0]->is_object(); }

  void hand_over_entry(const JsonNode& entry) {
    std::string where = "entry[" + std::to_string(entries_seen_++) + "]";
    bool damaged = entry_damaged_;
    entry_damaged_ = false;
    if (damaged) return;
    const JsonNode* res = entry.find("resource");
    if (!res) return;  // request/response-only entries carry no content
    StreamedResource out;
    out.body = res;
    if (const JsonNode* url = entry.find("fullUrl"); url && url->is_string()) out.full_url = std::string(url->text());
    out.where = std::move(where);
    if (hash_from_depth_) out.content_hash = std::to_string(hash_);
    sink_(std::move(out));
  }

  std::string path() const {
    std::string p = in_entry() ? "entry[" + std::to_string(entries_seen_) + "]" : "";
    for (size_t i = in_entry() ? 3 : 1; i < stack_.size(); ++i)
      if (!stack_[i]->key().empty()) p += (p.empty() ? "" : ".") + std::string(stack_[i]->key());
    if (!key_.empty() && !stack_.empty() && stack_.back()->is_object()) p += (p.empty() ? "" : ".") + std::string(key_);
    return p.empty() ? "top level" : p;
  }

  void report(const std::string& where, const std::string& what) { issue_(where, what); }

  // A hash of the entry's resource's events, for finding the same resource
  // sent twice: each event's kind and length in one word, then its bytes
  // eight at a time (a byte at a time, FNV-1a, was a sixth of reading a long
  // record: every byte of every attachment goes through here). A different
  // word always changes the state, and each later step (an xor, an odd
  // multiplier, a rotation) is a bijection of it, so two resources that
  // differ in one place never hash alike (hazard log C2.6).
  static constexpr uint64_t kFnvOffset = 14695981039346656037ull;
  void mix(uint64_t word) {
    uint64_t h = (hash_ ^ word) * 0x9E3779B97F4A7C15ull;
    hash_ = (h << 27) | (h >> 37);
  }
  void hashed(char tag, const void* bytes = nullptr, size_t size = 0) {
    if (hash_from_depth_ == 0 || skip_depth_ || stack_.size() < hash_from_depth_) return;
    mix(static_cast<unsigned char>(tag) | (static_cast<uint64_t>(size) << 8));
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (; size >= 8; size -= 8, p += 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      mix(word);
    }
    if (size) {
      uint64_t word = 0;
      std::memcpy(&word, p, size);
      mix(word);
    }
  }

  JsonArena& arena_;
  JsonTreeBuilder tree_;
  const ResourceSink& sink_;
  const IssueSink& issue_;
  JsonLimits limits_;
  JsonNode* root_ = nullptr;
  std::vector<JsonNode*> stack_;  // the open containers, root first
  std::string_view key_;          // the last member name read, in the text or the arena
  JsonArena::Mark entry_mark_;
  size_t skip_depth_ = 0;
  size_t hash_from_depth_ = 0;  // 4 while inside an entry's resource, else 0
  uint64_t hash_ = kFnvOffset;
  bool entry_damaged_ = false;
  size_t entries_seen_ = 0;
  size_t events_ = 0, closed_entry_at_ = 0;
  size_t error_position_ = 0;
  std::string error_text_;
};

// JSON's whitespace (RFC 8259).
constexpr const char* kJsonSpace = " \t\r\n";
bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// The start of the run of whitespace that ends just before `p`, going back no further than `floor`.
const char* back_over_space(const char* p, const char* floor) {
  while (p > floor && is_json_space(p[-1])) --p;
  return p;
}

}  // namespace

bool looks_like_ndjson(std::string_view text) {
  size_t start = text.find_first_not_of(kJsonSpace);
  if (start == std::string_view::npos || text[start] != '{') return false;
  size_t newline = text.find('\n', start);
  if (newline == std::string_view::npos) return false;
  std::string_view first = text.substr(start, newline - start);
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ' || first.back() == '\t')) first.remove_suffix(1);
  size_t next = text.find_first_not_of(kJsonSpace, newline);
  return first.size() > 1 && first.back() == '}' && next != std::string_view::npos && text[next] == '{';
}

namespace {

// The first half's parse watches the split: it stops before reading the
// split's '}', and again before reading what follows it. The reader acts on
// a '}' as soon as it reads it, so the worker's entries are taken only when
// exactly one SAX event came between the two stops and that event closed a
// Bundle entry: the '}' really ends an entry (not in a string, nor deeper).
// The parse then reads on from the ']' that ends the entry array; otherwise
// from after the '}', as if nothing had happened.
// Returns where the parse stops first.
const char* watch_split(JsonStops& watch, const StreamingBuilder& builder, const SplitHandoff& handoff,
                        const std::function<void(const EntriesAfterSplit&)>& taken) {
  const char* close = handoff.split.close;
  watch.reached = [&watch, &builder, &handoff, taken, close, events_before_close = size_t{0}](const char* p, const char*& at) mutable -> const char* {
    if (p == close) {
      events_before_close = builder.events();
      at = close + 1;
      return p;
    }
    at = nullptr;
    if (builder.events() != events_before_close + 1 || !builder.last_event_closed_entry()) return p;
    std::optional<EntriesAfterSplit> after = handoff.take(builder.entries_seen());
    if (!after) return p;
    taken(*after);
    watch.shift += after->array_end - p;
    return after->array_end;
  };
  return close;
}

bool stream_one_document(JsonArena& arena, std::string_view text, const std::string& where_prefix, const ResourceSink& sink,
                         const IssueSink& issue, const JsonLimits& limits, size_t line_offset,
                         const SplitHandoff* handoff = nullptr) {
  arena.rewind({});
  auto prefixed = [&](const std::string& where, const std::string& what) {
    issue(where_prefix.empty() ? where : where_prefix + " " + where, what);
  };
  IssueSink scoped = prefixed;
  size_t delivered = 0;
  ResourceSink counting = [&](StreamedResource&& r) {
    ++delivered;
    if (!where_prefix.empty()) r.where = where_prefix + (r.where.empty() ? "" : " " + r.where);
    sink(std::move(r));
  };
  StreamingBuilder builder(arena, counting, scoped, limits);
  bool complete = false;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  JsonStops watch;
  if (handoff && handoff->split.close > begin && handoff->split.comma < end && handoff->split.close < handoff->split.comma) {
    const char* first_stop = watch_split(watch, builder, *handoff, [&](const EntriesAfterSplit& after) {
      builder.count_entries_read_elsewhere(after.entries);
      delivered += after.resources;
    });
    complete = JsonReader<StreamingBuilder>(begin, end, builder, first_stop, &watch).parse();
  } else {
    complete = JsonReader<StreamingBuilder>(begin, end, builder).parse();
  }
  if (!complete) {
    size_t position = builder.error_position() + static_cast<size_t>(watch.shift);
    std::string at = line_and_column(text, position ? position - 1 : 0);
    if (line_offset) at = "line " + std::to_string(line_offset);
    const std::string& why = builder.error_text();
    if (builder.entries_seen() > 0)
      prefixed(at, "the JSON is malformed or truncated here (" + why + "); the " + std::to_string(builder.entries_seen()) +
                       " entries before it were read, anything after it could not be");
    else
      prefixed(at, "is not valid JSON (" + why + "); nothing could be read" + (where_prefix.empty() ? "" : " from this line"));
    return delivered > 0;
  }
  const JsonNode* root = builder.root();
  const JsonNode* type = root ? root->find("resourceType") : nullptr;
  if (!type || !type->is_string()) {
    prefixed("top level", "is not a FHIR resource (it has no \"resourceType\"); nothing could be read");
    return delivered > 0;
  }
  if (type->text() != "Bundle") counting(StreamedResource{root, {}, {}, {}});
  return true;
}

}  // namespace

std::string line_and_column(std::string_view text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; column = 1; } else { ++column; }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

bool is_valid_utf8(std::string_view s, size_t* first_bad) {
  size_t i = 0, n = s.size();
  while (i < n) {
    // Eight bytes of ASCII at a time: a FHIR record is nearly all ASCII.
    while (i + 8 <= n) {
      uint64_t eight;
      std::memcpy(&eight, s.data() + i, 8);
      if (eight & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= n && !(len == 2 && c < 0xC2) && !(len == 4 && c > 0xF4);
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && len == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!ok) {
      if (first_bad) *first_bad = i;
      return false;
    }
    i += len;
  }
  return true;
}

std::string utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // text[end] continues a character
  return std::string(text.substr(0, end));
}

Utf8Repair repair_utf8(std::string& text) {
  Utf8Repair result;
  size_t bad = 0;
  if (is_valid_utf8(text, &bad)) return result;
  result.first_offset = bad;
  std::string out;
  out.reserve(text.size() + 16);
  out.append(text, 0, bad);
  std::string_view rest(text);
  size_t i = bad;
  while (i < rest.size()) {
    size_t next_bad = 0;
    std::string_view tail = rest.substr(i);
    if (is_valid_utf8(tail, &next_bad)) { out.append(tail); break; }
    out.append(tail.substr(0, next_bad));
    out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
    ++result.replaced;
    i += next_bad + 1;
  }
  text = std::move(out);
  return result;
}

namespace {

// Whether a split ('}' ',' '{', with only whitespace between) ends just
// before the key at `key`; then the split.
std::optional<EntrySplit> split_before_key(std::string_view text, size_t key) {
  const char* begin = text.data();
  // Each step back: over whitespace to the character before it, which must be `c`.
  auto back_to = [begin](const char* p, char c) -> const char* {
    p = back_over_space(p, begin);
    return p > begin && p[-1] == c ? p - 1 : nullptr;
  };
  const char* open = back_to(begin + key, '{');
  const char* comma = open ? back_to(open, ',') : nullptr;
  const char* close = comma ? back_to(comma, '}') : nullptr;
  if (!close) return std::nullopt;
  return EntrySplit{close, comma};
}

constexpr const char* kEntryKeys[] = {"\"fullUrl\"", "\"resource\""};

}  // namespace

std::optional<EntrySplit> find_entry_split(std::string_view text, size_t from) {
  for (const char* first_key : kEntryKeys)
    for (size_t at = text.find(first_key, from); at != std::string_view::npos; at = text.find(first_key, at + 1))
      if (auto split = split_before_key(text, at)) return split;
  return std::nullopt;
}

// Looks back from the end, each key no further back than the best split found
// so far: about one entry's worth of text, however long the text.
std::optional<EntrySplit> last_entry_split(std::string_view text, size_t from) {
  std::optional<EntrySplit> last;
  for (const char* key : kEntryKeys) {
    size_t floor = last ? static_cast<size_t>(last->comma - text.data()) : from;
    for (size_t at = text.rfind(key); at != std::string_view::npos && at >= floor; at = at ? text.rfind(key, at - 1) : std::string_view::npos)
      if (auto split = split_before_key(text, at)) {
        last = split;
        break;
      }
  }
  return last;
}

EntriesAfterSplit stream_entries_after(std::string_view text, const EntrySplit& split, const ResourceSink& sink,
                                       const IssueSink& issue, const JsonLimits& limits, const char* up_to_close) {
  EntriesAfterSplit after;
  JsonArena arena;
  ResourceSink counting = [&](StreamedResource&& r) {
    ++after.resources;
    sink(std::move(r));
  };
  StreamingBuilder builder(arena, counting, issue, limits);
  builder.begin_before_entry_array();
  // The parse reads "[" and then the text after the split's ',' (so its
  // byte n is the text's split.comma + n): the rest of the entry array.
  static const char kBrackets[] = "[]";
  JsonStops watch;
  if (up_to_close) {
    // Up to a later split's '}', then "]": it parses only if that '}' ends
    // an entry, as the parse began at one.
    watch.reached = [&](const char* p, const char*& at) {
      at = p == kBrackets + 1 ? up_to_close + 1 : nullptr;
      return p == kBrackets + 1 ? split.comma + 1 : kBrackets + 1;
    };
    const char* end = kBrackets + 2;
    after.complete = JsonReader<StreamingBuilder>(kBrackets, end, builder, kBrackets + 1, &watch).parse() &&
                     builder.entry_array_closed();
    after.entries = builder.entries_seen();
    return after;
  }
  // To the text's end. The parse is strict, so that the token after the
  // array's ']' stops it with an error whose position says where that ']' is.
  const char* end = text.data() + text.size();
  watch.reached = [&](const char*, const char*& at) { at = nullptr; return split.comma + 1; };
  bool parsed = JsonReader<StreamingBuilder>(kBrackets, end, builder, kBrackets + 1, &watch).parse();
  size_t token_end = builder.error_position();  // bytes read, the token after the ']' included
  if (!parsed && builder.entry_array_closed() && token_end >= 2 && token_end - 1 < static_cast<size_t>(end - split.comma)) {
    const char* token = split.comma + token_end - 1;  // one character: ',' or '}' in a Bundle
    const char* close = back_over_space(token, split.comma);
    if ((*token == ',' || *token == '}') && close > split.comma && close[-1] == ']') {
      after.complete = true;
      after.array_end = close - 1;
    }
  }
  after.entries = builder.entries_seen();
  return after;
}

std::string where_in_whole(const std::string& where, size_t entries_before) {
  static const std::string kEntry = "entry[";
  if (where.compare(0, kEntry.size(), kEntry) != 0) return where;
  size_t close = where.find(']', kEntry.size());
  if (close == std::string::npos) return where;
  size_t n = 0;
  auto [end, error] = std::from_chars(where.data() + kEntry.size(), where.data() + close, n);
  if (error != std::errc() || end != where.data() + close) return where;
  return kEntry + std::to_string(n + entries_before) + where.substr(close);
}

bool stream_fhir_json(std::string_view text, const ResourceSink& sink, const IssueSink& issue, const JsonLimits& limits,
                      const SplitHandoff* handoff) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  JsonArena arena;  // one for the whole text: each line and entry reuses its blocks
  if (!looks_like_ndjson(text)) return stream_one_document(arena, text, "", sink, issue, limits, 0, handoff);
  bool any = false;
  size_t line_number = 0, start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_number;
    std::string_view line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos)
      any |= stream_one_document(arena, line, "line " + std::to_string(line_number), sink, issue, limits, line_number);
    if (end == text.size()) break;
    start = end + 1;
  }
  return any;
}

}  // namespace ilinks::detail
