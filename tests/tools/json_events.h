// JSON read into a log of its events, by nlohmann's sax_parse and by the
// streaming FHIR reader's own reader (core/ingest/src/json_reader.h), so that
// a test or a fuzzer can hold the two to the same events, the same refusals,
// at the same character, in the same words.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "json_reader.h"

namespace ilinks::test {

// One line per event; a string's length before its bytes, so that no text can
// pass for another event. A refusal ends the log: "refused at N: why".
class JsonEventLog {
 public:
  std::string log;
  size_t strings_in_text = 0, strings_decoded = 0;  // how the reader handed its strings over

  // ---- Events, as both readers give them ----
  bool null() { return add("null"); }
  bool boolean(bool v) { return add(v ? "true" : "false"); }
  bool number_integer(int64_t v) { return add("integer " + std::to_string(v)); }
  bool number_unsigned(uint64_t v) { return add("unsigned " + std::to_string(v)); }
  bool number_float(double, const std::string& written) { return add("float " + written); }
  bool start_object() { return add("{"); }
  bool end_object() { return add("}"); }
  bool start_array() { return add("["); }
  bool end_array() { return add("]"); }
  // The reader's
  bool string(std::string_view v, bool in_text) { return count(in_text), text("string", v); }
  bool key(std::string_view v, bool in_text) { return count(in_text), text("key", v); }
  bool parse_error(size_t position, const std::string& why) { return refused(position, why); }
  // nlohmann's
  bool string(std::string& v) { return text("string", v); }
  bool key(std::string& v) { return text("key", v); }
  bool binary(nlohmann::json::binary_t&) { return add("binary"); }
  bool start_object(size_t) { return start_object(); }
  bool start_array(size_t) { return start_array(); }
  bool parse_error(size_t position, const std::string&, const nlohmann::json::exception& e) {
    // Its words without the "[json.exception...] parse error at ...: " before
    // them and the "; last read: '...'" after them, as the reader words them.
    std::string why = e.what();
    if (e.id == 406) return refused(position, "number overflow: a number too large to be read");
    if (auto at = why.find("syntax error"); at != std::string::npos) why = why.substr(at);
    if (auto at = why.find("; last read"); at != std::string::npos) why = why.substr(0, at);
    return refused(position, why);
  }

 private:
  bool add(const std::string& line) {
    log += line;
    log += '\n';
    return true;
  }
  bool text(const char* what, std::string_view v) {
    return add(std::string(what) + " " + std::to_string(v.size()) + " " + std::string(v));
  }
  void count(bool in_text) { ++(in_text ? strings_in_text : strings_decoded); }
  bool refused(size_t position, const std::string& why) {
    add("refused at " + std::to_string(position) + ": " + why);
    return false;
  }
};

// nlohmann's events for `text`, strictly (nothing but whitespace after the value).
inline std::string nlohmann_events(std::string_view text) {
  JsonEventLog events;
  bool read = nlohmann::json::sax_parse(text.begin(), text.end(), &events, nlohmann::json::input_format_t::json, true);
  return events.log + (read ? "read\n" : "");
}

// The reader's events for `text`, read at once, or (`stretch` > 0) in
// stretches of that many bytes: a stop at each, where the reader reads on.
inline std::string reader_events(std::string_view text, size_t stretch = 0, JsonEventLog* kept = nullptr) {
  JsonEventLog events;
  const char* begin = text.data();
  const char* end = begin + text.size();
  detail::JsonStops stops;
  stops.reached = [&](const char* p, const char*& at) {
    at = static_cast<size_t>(end - p) > stretch ? p + stretch : nullptr;
    return p;
  };
  const char* first = stretch && text.size() > stretch ? begin + stretch : nullptr;
  bool read = detail::JsonReader<JsonEventLog>(begin, end, events, first, first ? &stops : nullptr).parse();
  if (kept) *kept = events;
  return events.log + (read ? "read\n" : "");
}

}  // namespace ilinks::test
