#include "ilinks/nhs_number.h"

#include <cctype>

namespace ilinks {

bool is_valid_nhs_number(std::string_view d) {
  if (d.size() != 10) return false;
  for (char c : d)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[static_cast<size_t>(i)] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;  // such numbers are never issued
  return check == d[9] - '0';
}

std::string normalise_nhs_number(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '-') out += c;
  return out;
}

std::string format_nhs_number(std::string_view d) {
  if (d.size() != 10) return std::string(d);
  return std::string(d.substr(0, 3)) + " " + std::string(d.substr(3, 3)) + " " + std::string(d.substr(6));
}

}  // namespace ilinks
