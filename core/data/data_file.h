// Reading the JSON data files of core/data (and a deployment's own): every
// complaint names the file and the place in it, and is a PolicyFileError.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilinks/errors.h"
#include "ilinks/item.h"

namespace ilinks::detail {

using nlohmann::json;

// Reads one data file, with every complaint naming the file and the place in it.
class DataFile {
 public:
  DataFile(std::string_view text, std::string file, std::string format) : file_(std::move(file)) {
    try {
      root_ = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large to hold
      fail("", std::string("is not valid JSON: ") + e.what());
    }
    if (!root_.is_object()) fail("", "must be a JSON object");
    if (text_at(root_, "format", "") != format) fail("format", "must be \"" + format + "\"");
    version_ = text_at(root_, "version", "");
  }
  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw PolicyFileError(file_ + (where.empty() ? "" : ": " + where) + ": " + why);
  }
  const json& list_at(const json& object, const char* key, const std::string& where) const {
    auto it = object.find(key);
    if (it == object.end() || !it->is_array()) fail(where + key, "must be a list");
    return *it;
  }
  std::string text_at(const json& object, const char* key, const std::string& where) const {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
      fail(where + key, "must be a non-empty text");
    return it->get<std::string>();
  }
  std::vector<std::string> texts_at(const json& object, const char* key, const std::string& where) const {
    std::vector<std::string> out;
    const json& list = list_at(object, key, where);
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) fail(where + key + "[" + std::to_string(i) + "]", "must be a text");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  CareSetting setting(const std::string& id, const std::string& where) const {
    if (auto s = care_setting_from_id(id)) return *s;
    fail(where, "\"" + id + "\" is not a care setting (primary_care, community, mental_health, social_care, acute_hospital, diagnostics)");
  }
  const json& root() const { return root_; }
  const std::string& version() const { return version_; }

 private:
  std::string file_;
  json root_;
  std::string version_;
};

}  // namespace ilinks::detail
