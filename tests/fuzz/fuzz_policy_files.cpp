// libFuzzer target: a deployment's own policy files. The same bytes are tried
// as policy.json, as classification.json, as participants.json and as the
// policy's exclusions. The only allowed failure is PolicyFileError (naming the
// file, place and reason); anything else escaping is a bug, and libFuzzer
// reports it as a crash.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "ilinks/classification.h"
#include "ilinks/errors.h"
#include "ilinks/policy.h"

namespace {
std::string builtin_file(const char* name) {
  std::ifstream in(std::string(ILINKS_SOURCE_DIR) + "/core/data/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::string classification = builtin_file("classification.json");
  static const std::string participants = builtin_file("participants.json");
  try {
    ilinks::Policy policy = ilinks::Policy::from_json(text, "fuzz-policy.json");
    (void)policy.sha256();
  } catch (const ilinks::PolicyFileError&) {
  }
  try {
    (void)ilinks::Classification::from_json(text, participants);
  } catch (const ilinks::PolicyFileError&) {
  }
  try {
    (void)ilinks::Classification::from_json(classification, text);
  } catch (const ilinks::PolicyFileError&) {
  }
  try {
    (void)ilinks::Exclusions::from_json(text, "fuzz-exclusions");
  } catch (const ilinks::PolicyFileError&) {
  }
  return 0;
}
