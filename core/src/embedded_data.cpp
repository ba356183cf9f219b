#include "embedded_data.h"

extern const unsigned char ilinks_data_classification[];
extern const unsigned int ilinks_data_classification_size;
extern const unsigned char ilinks_data_policy[];
extern const unsigned int ilinks_data_policy_size;
extern const unsigned char ilinks_data_participants[];
extern const unsigned int ilinks_data_participants_size;

namespace ilinks::detail {
namespace {
std::string_view text(const unsigned char* data, unsigned int size) { return {reinterpret_cast<const char*>(data), size}; }
}  // namespace

std::string_view embedded_classification() { return text(ilinks_data_classification, ilinks_data_classification_size); }
std::string_view embedded_participants() { return text(ilinks_data_participants, ilinks_data_participants_size); }
std::string_view embedded_policy() { return text(ilinks_data_policy, ilinks_data_policy_size); }

}  // namespace ilinks::detail
