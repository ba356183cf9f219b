#include "embedded_data.h"

extern const unsigned char ilinks_data_classification[];
extern const unsigned int ilinks_data_classification_size;
extern const unsigned char ilinks_data_policy[];
extern const unsigned int ilinks_data_policy_size;
extern const unsigned char ilinks_data_participants[];
extern const unsigned int ilinks_data_participants_size;

namespace ilinks::detail {
struct EmbeddedFile { const char* name; const unsigned char* data; const unsigned int* size; };
extern const EmbeddedFile kEmbeddedCodeLists[];  // generated: codelist_index.cpp
extern const unsigned int kEmbeddedCodeListCount;

namespace {
std::string_view text(const unsigned char* data, unsigned int size) { return {reinterpret_cast<const char*>(data), size}; }
}  // namespace

std::string_view embedded_classification() { return text(ilinks_data_classification, ilinks_data_classification_size); }
std::string_view embedded_participants() { return text(ilinks_data_participants, ilinks_data_participants_size); }
std::string_view embedded_policy() { return text(ilinks_data_policy, ilinks_data_policy_size); }

std::optional<std::string_view> embedded_code_list(const std::string& name) {
  for (unsigned i = 0; i < kEmbeddedCodeListCount; ++i)
    if (name == kEmbeddedCodeLists[i].name) return text(kEmbeddedCodeLists[i].data, *kEmbeddedCodeLists[i].size);
  return std::nullopt;
}

std::vector<std::string> embedded_code_list_names() {
  std::vector<std::string> out;
  for (unsigned i = 0; i < kEmbeddedCodeListCount; ++i) out.push_back(kEmbeddedCodeLists[i].name);
  return out;
}

}  // namespace ilinks::detail
