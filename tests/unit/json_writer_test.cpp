// JSON written value by value (ilinks/json_writer.h) is what nlohmann's dump()
// writes for the same values held in a tree: nlohmann is the oracle here, so
// the View's wire text and export stay the same, byte for byte.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilinks/json_writer.h"

using ilinks::JsonWriter;
using nlohmann::json;

namespace {

// Writes a tree through the writer, member by member (the tree's keys are in
// the byte order the writer asks for, and outlive the writing).
void write_tree(JsonWriter& w, const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      w.begin_object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        w.key(it.key().c_str());
        write_tree(w, it.value());
      }
      w.end_object();
      break;
    case json::value_t::array:
      w.begin_array();
      for (const auto& element : value) write_tree(w, element);
      w.end_array();
      break;
    case json::value_t::string: w.string(value.get_ref<const std::string&>()); break;
    case json::value_t::boolean: w.boolean(value.get<bool>()); break;
    case json::value_t::number_integer: w.number(value.get<int64_t>()); break;
    case json::value_t::number_unsigned: w.number(value.get<uint64_t>()); break;
    case json::value_t::number_float: w.number(value.get<double>()); break;
    default: FAIL("the writer has no null: a View leaves such members out"); break;
  }
}

std::string written(const json& tree, int indent = -1) {
  std::string out;
  JsonWriter w(out, indent);
  write_tree(w, tree);
  return out;
}

std::string dumped(const json& tree, int indent = -1) { return tree.dump(indent, ' ', false, json::error_handler_t::replace); }

}  // namespace

TEST_SUITE("JSON written as it goes") {

TEST_CASE("text is written as nlohmann writes it: escapes, names in other alphabets, and bytes that are not UTF-8") {
  std::vector<std::string> texts = {
      "", "plain", "say \"no\"", "C:\\path", "line one\nline two\r\n\ttabbed", std::string("nul\0byte", 8), "\x7f delete",
      "Siân Öztürk, Łukasz Dvořák", "€ 20", "\xF0\x9F\x98\x80 four bytes", "\xE2\x80\x94 dash",
      // not UTF-8: nlohmann writes U+FFFD in their place
      "\xC0\x80 overlong", "\xED\xA0\x80 surrogate", "\xF4\x90\x80\x80 above U+10FFFF", "\xFF", "cut \xE2\x82",
      "\x80 lone continuation", "a\xC3(b", "ends in \xC3", "\xE0\x80\x80 overlong three", "\xF0\x80\x80\x80 overlong four"};
  for (int c = 0; c < 0x20; ++c) texts.push_back(std::string("control ") + static_cast<char>(c) + " here");
  for (const auto& text : texts) {
    CAPTURE(text);
    CHECK(written(json(text)) == dumped(json(text)));
    CHECK(written(json::array({text, text})) == dumped(json::array({text, text})));
  }
}

TEST_CASE("numbers are written as nlohmann writes them; a number that is not finite is null, as there") {
  std::vector<double> doubles = {0.0, -0.0, 0.1, 1.0 / 3, 100.0, 1e300, -2.5e-7, 123456789012.0, 5.6, 98.60000000000001,
                                 std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()};
  for (double d : doubles) {
    CAPTURE(d);
    CHECK(written(json(d)) == dumped(json(d)));
  }
  for (int64_t i : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()})
    CHECK(written(json(i)) == dumped(json(i)));
  CHECK(written(json(std::numeric_limits<uint64_t>::max())) == dumped(json(std::numeric_limits<uint64_t>::max())));
}

TEST_CASE("objects and arrays, empty and nested, are laid out as dump() lays them out, compact and indented") {
  json tree = json::parse(R"({"a": {}, "b": [], "c": [[], {}, [1, [2, {"x": true}]]], "d": {"e": {"f": []}, "g": false},
                              "h": [{"i": "j", "k": 1.5}], "items": [{"code": "1", "display": "One"}, {}]})");
  for (int indent : {-1, 0, 1, 2, 4}) {
    CAPTURE(indent);
    CHECK(written(tree, indent) == dumped(tree, indent));
  }
  CHECK(written(json::object()) == "{}");
  CHECK(written(json::array()) == "[]");
}

TEST_CASE("a key out of byte order is refused, naming both keys") {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("tier");
  w.number(2);
  CHECK_THROWS_WITH_AS(w.key("segment"), doctest::Contains("\"segment\" after \"tier\""), std::logic_error);
}

TEST_CASE("a key given twice is refused: an object holds each name once") {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("kind");
  w.string("Observation");
  CHECK_THROWS_AS(w.key("kind"), std::logic_error);
}

TEST_CASE("a value in an object without its key, or an end that does not match, is refused") {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  CHECK_THROWS_AS(w.string("no key"), std::logic_error);
  CHECK_THROWS_AS(w.end_array(), std::logic_error);
  w.key("list");
  CHECK_THROWS_AS(w.end_object(), std::logic_error);  // the key has no value yet
  w.begin_array();
  CHECK_THROWS_AS(w.key("inside an array"), std::logic_error);
  w.end_array();
  w.end_object();
  CHECK(out == R"({"list":[]})");
}

}  // TEST_SUITE
