// The data files of core/data, as built into the library (cmake/EmbedFile.cmake).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ilinks::detail {

std::string_view embedded_classification();  // core/data/classification.json
std::string_view embedded_participants();    // core/data/participants.json
std::string_view embedded_policy();          // core/data/policy.json
// core/data/codelists/<file>, by "codelists/<file>"; nothing when no such list is built in.
std::optional<std::string_view> embedded_code_list(const std::string& name);
std::vector<std::string> embedded_code_list_names();

}  // namespace ilinks::detail
