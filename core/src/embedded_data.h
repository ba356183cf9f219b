// The data files of core/data, as built into the library (cmake/EmbedFile.cmake).
#pragma once
#include <string_view>

namespace ilinks::detail {

std::string_view embedded_classification();  // core/data/classification.json
std::string_view embedded_participants();    // core/data/participants.json
std::string_view embedded_policy();          // core/data/policy.json

}  // namespace ilinks::detail
