#include "ilinks/json_writer.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ilinks {

namespace {

// Whether text is UTF-8 as RFC 3629 has it (no overlong forms, no surrogates,
// nothing above U+10FFFF): exactly what nlohmann's decoder accepts.
bool valid_utf8(std::string_view text, size_t from) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  auto continuation = [&](size_t at, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return at < n && s[at] >= low && s[at] <= high;
  };
  for (size_t i = from; i < n;) {
    unsigned char c = s[i];
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) {
      if (!continuation(i + 1)) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      unsigned char low = c == 0xE0 ? 0xA0 : 0x80, high = c == 0xED ? 0x9F : 0xBF;
      if (!continuation(i + 1, low, high) || !continuation(i + 2)) return false;
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      unsigned char low = c == 0xF0 ? 0x90 : 0x80, high = c == 0xF4 ? 0x8F : 0xBF;
      if (!continuation(i + 1, low, high) || !continuation(i + 2) || !continuation(i + 3)) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

void JsonWriter::newline_and_indent(size_t depth) {
  if (indent_ < 0) return;
  out_ += '\n';
  out_.append(depth * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {  // a member's value: the key wrote what comes before it
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  Level& level = levels_.back();
  if (level.object) throw std::logic_error("JsonWriter: a value in an object needs a key first");
  if (!level.empty) out_ += ',';
  level.empty = false;
  newline_and_indent(levels_.size());
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  levels_.push_back({true});
}

void JsonWriter::end_object() {
  if (levels_.empty() || !levels_.back().object || after_key_) throw std::logic_error("JsonWriter: no object to end");
  bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) newline_and_indent(levels_.size());
  out_ += '}';
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  levels_.push_back({false});
}

void JsonWriter::end_array() {
  if (levels_.empty() || levels_.back().object) throw std::logic_error("JsonWriter: no array to end");
  bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) newline_and_indent(levels_.size());
  out_ += ']';
}

void JsonWriter::key(const char* name) {
  if (levels_.empty() || !levels_.back().object || after_key_) throw std::logic_error(std::string("JsonWriter: key \"") + name + "\" outside an object");
  Level& level = levels_.back();
  if (level.last_key && std::strcmp(level.last_key, name) >= 0)
    throw std::logic_error(std::string("JsonWriter: key \"") + name + "\" after \"" + level.last_key +
                           "\": keys go in byte order, as nlohmann's objects keep them");
  if (!level.empty) out_ += ',';
  level.empty = false;
  level.last_key = name;
  newline_and_indent(levels_.size());
  write_string(name);
  out_ += indent_ < 0 ? ":" : ": ";
  after_key_ = true;
}

void JsonWriter::string(std::string_view text) {
  before_value();
  write_string(text);
}

void JsonWriter::write_string(std::string_view text) {
  // What needs writing other than as it is: a quote, a backslash, a control
  // character, or a byte of a multi-byte character (checked as a whole below).
  size_t plain = 0;
  while (plain < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[plain]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
    ++plain;
  }
  if (plain < text.size() && !valid_utf8(text, plain)) {
    // Not UTF-8: nlohmann's own replacement, so the text is as before.
    out_ += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out_ += '"';
  out_.append(text.data(), plain);
  for (size_t i = plain; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out_ += escaped;
        } else {
          out_ += c;  // printable ASCII, or a byte of valid UTF-8
        }
    }
  }
  out_ += '"';
}

void JsonWriter::boolean(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
}

void JsonWriter::number(double value) {
  before_value();
  out_ += nlohmann::json(value).dump();  // its shortest form, "1.0" for a whole number, null for NaN
}

void JsonWriter::number(int64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::number(uint64_t value) {
  before_value();
  out_ += std::to_string(value);
}

}  // namespace ilinks
