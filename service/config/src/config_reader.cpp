#include "config_reader.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <iterator>
#include <vector>

namespace ilinks::detail {

namespace fs = std::filesystem;

std::string pointer_to(const std::string& at, const std::string& member) {
  std::string out = at + "/";
  for (char c : member) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_to(const std::string& at, size_t index) { return at + "/" + std::to_string(index); }

namespace {

// A SAX pass over the text that knows where it is, to name the place of a
// member given twice (nlohmann's DOM keeps the last without a word).
class RepeatFinder : public nlohmann::json_sax<json> {
 public:
  std::string repeated_at;  // the pointer of the second one
  std::string syntax_error;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    stack_.push_back({false, 0, {}, {}});
    return true;
  }
  bool key(string_t& name) override {
    Frame& f = stack_.back();
    f.key = name;
    if (!f.seen.insert(name).second) {
      repeated_at = here();
      return false;
    }
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return value();
  }
  bool start_array(std::size_t) override {
    stack_.push_back({true, 0, {}, {}});
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return value();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    syntax_error = e.what();
    return false;
  }

 private:
  struct Frame {
    bool array;
    size_t index;
    std::string key;
    std::set<std::string> seen;
  };
  std::vector<Frame> stack_;

  // A value has ended: in a list, the next one has the next index.
  bool value() {
    if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
    return true;
  }
  std::string here() const {
    std::string out;
    for (const auto& f : stack_) out = f.array ? pointer_to(out, f.index) : pointer_to(out, f.key);
    return out;
  }
};

const char* type_name(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "a list";
  if (v.is_string()) return "a text";
  if (v.is_boolean()) return "true or false";
  if (v.is_number()) return "a number";
  return "null";
}

}  // namespace

ConfigReader::ConfigReader(std::string file, std::string base_dir) : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

json ConfigReader::parse(const std::string& text) const {
  RepeatFinder finder;
  if (!json::sax_parse(text, &finder)) {
    if (!finder.repeated_at.empty()) fail(finder.repeated_at, "is given twice in the same object");
    fail("", "is not valid JSON: " + finder.syntax_error);
  }
  return json::parse(text);
}

void ConfigReader::fail(const std::string& at, const std::string& why) const {
  throw PolicyFileError(file_ + (at.empty() ? "" : " " + at) + ": " + why);
}

void ConfigReader::only(const json& object, const std::string& at, std::initializer_list<const char*> known) const {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (ok) continue;
    std::string expected;
    for (const char* k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    fail(pointer_to(at, it.key()), "is not a member this place has (a misspelling?); it may have: " + expected);
  }
}

const json* ConfigReader::member(const json& object, const std::string& at, const char* name, bool required) const {
  auto it = object.find(name);
  if (it != object.end()) return &*it;
  if (required) fail(pointer_to(at, name), "is missing");
  return nullptr;
}

const json* ConfigReader::object_member(const json& object, const std::string& at, const char* name,
                                        bool required) const {
  const json* v = member(object, at, name, required);
  if (v && !v->is_object()) fail(pointer_to(at, name), std::string("must be an object, not ") + type_name(*v));
  return v;
}

const json* ConfigReader::list_member(const json& object, const std::string& at, const char* name, bool required) const {
  const json* v = member(object, at, name, required);
  if (v && !v->is_array()) fail(pointer_to(at, name), std::string("must be a list, not ") + type_name(*v));
  return v;
}

std::string ConfigReader::text(const json& object, const std::string& at, const char* name, bool required,
                               const std::string& fallback) const {
  const json* v = member(object, at, name, required);
  if (!v) return fallback;
  if (!v->is_string() || v->get<std::string>().empty())
    fail(pointer_to(at, name), std::string("must be a non-empty text, not ") + (v->is_string() ? "an empty one" : type_name(*v)));
  const std::string& s = v->get_ref<const std::string&>();
  if (s.find_first_of("\r\n") != std::string::npos) fail(pointer_to(at, name), "must be one line");
  return s;
}

int64_t ConfigReader::whole(const json& object, const std::string& at, const char* name, int64_t low, int64_t high,
                            int64_t fallback, bool required) const {
  const json* v = member(object, at, name, required);
  if (!v) return fallback;
  std::string range = "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
  if (!v->is_number_integer()) fail(pointer_to(at, name), "must be " + range + ", not " + type_name(*v));
  // nlohmann keeps numbers from 0 up as unsigned: compared as such, a number
  // beyond int64_t's range is refused, never wrapped.
  bool in_range;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    in_range = high >= 0 && u <= static_cast<uint64_t>(high) && static_cast<int64_t>(u) >= low;
  } else {
    int64_t i = v->get<int64_t>();
    in_range = i >= low && i <= high;
  }
  if (!in_range) fail(pointer_to(at, name), "must be " + range);
  return v->get<int64_t>();
}

std::string ConfigReader::path(const json& object, const std::string& at, const char* name) const {
  fs::path p(text(object, at, name, true));
  if (p.is_relative()) p = fs::path(base_dir_) / p;
  return p.lexically_normal().string();
}

std::string ConfigReader::read_file(const std::string& path, const std::string& at) const {
  std::error_code ec;
  if (!fs::exists(path, ec)) fail(at, path + " does not exist");
  if (!fs::is_regular_file(path, ec)) fail(at, path + " is not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(at, path + " cannot be opened for reading (its permissions?)");
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(at, path + " cannot be read");
  return contents;
}

}  // namespace ilinks::detail
