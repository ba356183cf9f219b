// Reading one JSON configuration file so that every fault names the file, the
// place (a JSON pointer) and the reason, as a PolicyFileError. Strict on
// purpose: a member it does not know, or one named twice, is refused, because
// a misspelt "timeout_msec" that quietly became the default is a fault nobody
// finds until the day it matters.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "ilinks/errors.h"

namespace ilinks::detail {

using nlohmann::json;

// "/organisations/1/fhir" + "base_url", escaped as RFC 6901 asks ("~0", "~1").
std::string pointer_to(const std::string& at, const std::string& member);
std::string pointer_to(const std::string& at, size_t index);

class ConfigReader {
 public:
  // `base_dir`: where relative paths in the file start from.
  ConfigReader(std::string file, std::string base_dir);

  // The whole text as JSON, refusing a member named twice in one object.
  json parse(const std::string& text) const;

  // "service.json /organisations/1/fhir/base_url: must start with https://".
  [[noreturn]] void fail(const std::string& at, const std::string& why) const;

  // Refuses any member of `object` (at `at`) not in `known`.
  void only(const json& object, const std::string& at, std::initializer_list<const char*> known) const;

  // The member, or nullptr when absent; `required` absent members fail.
  const json* member(const json& object, const std::string& at, const char* name, bool required) const;
  const json* object_member(const json& object, const std::string& at, const char* name, bool required) const;
  const json* list_member(const json& object, const std::string& at, const char* name, bool required) const;

  // A non-empty text without line breaks; `fallback` when absent and not required.
  std::string text(const json& object, const std::string& at, const char* name, bool required,
                   const std::string& fallback = "") const;
  // A whole number from `low` to `high`; `fallback` when absent.
  int64_t whole(const json& object, const std::string& at, const char* name, int64_t low, int64_t high,
                int64_t fallback, bool required = false) const;

  // A path member made absolute (relative to the base directory).
  std::string path(const json& object, const std::string& at, const char* name) const;
  // The contents of the file at absolute `path`, which the member at `at` names.
  std::string read_file(const std::string& path, const std::string& at) const;

  const std::string& base_dir() const { return base_dir_; }

 private:
  std::string file_, base_dir_;
};

}  // namespace ilinks::detail
