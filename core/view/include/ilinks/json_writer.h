// JsonWriter: JSON written straight into a string, value by value, as
// nlohmann's dump() writes the same values held in a json tree (compact, or
// indented), without building the tree first. Written as a tree, the 60 MB
// record's View took 0.48 s as wire text and 2.7 s as an export (whose
// process then peaked at 9x the record); now 0.07 s and 0.13 s (2.6x).
//
//   std::string out;
//   JsonWriter w(out);
//   w.begin_object();
//   w.key("kind"); w.string(item.kind);
//   w.key("tier"); w.number(item.tier);
//   w.end_object();
//
// Keys come in the order nlohmann keeps them (std::map: byte order), so the
// text is the same as before, byte for byte; a key out of that order throws
// std::logic_error (a mistake in the caller, which its tests find). Keys are
// C string literals, or other text that outlives the object being written.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ilinks {

class JsonWriter {
 public:
  // indent < 0: compact (dump()); otherwise that many spaces per level (dump(indent)).
  explicit JsonWriter(std::string& out, int indent = -1) : out_(out), indent_(indent) {}

  // --- structure ---
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(const char* name);  // the next value's name, in byte order within its object

  // --- values ---
  // Text as UTF-8; bytes that are not UTF-8 become U+FFFD, as dump() with
  // error_handler_t::replace writes them (an export never stops at a bad byte).
  void string(std::string_view text);
  void boolean(bool flag);
  void number(double value);  // as nlohmann writes a double (shortest round-trip form)
  void number(int64_t value);
  void number(int value) { number(static_cast<int64_t>(value)); }
  void number(uint64_t value);

 private:
  struct Level {
    bool object;
    bool empty = true;
    const char* last_key = nullptr;
  };
  void before_value();  // the comma, newline and indent a value needs where it stands
  void newline_and_indent(size_t depth);
  void write_string(std::string_view text);  // quoted and escaped

  std::string& out_;
  int indent_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace ilinks
