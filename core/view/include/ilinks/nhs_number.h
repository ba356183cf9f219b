// ilinks/nhs_number.h: the NHS number, checked and shown the NHS way.
#pragma once
#include <string>
#include <string_view>

namespace ilinks {

// True when `digits` is ten digits whose last is the modulus-11 check digit of
// the first nine (NHS Data Dictionary). Spaces and other separators are not
// accepted here: normalise first.
bool is_valid_nhs_number(std::string_view digits);

// Removes spaces and hyphens, the separators people and systems put in.
std::string normalise_nhs_number(std::string_view text);

// "943 476 5919": the 3-3-4 grouping of the NHS CUI. Input must be ten digits.
std::string format_nhs_number(std::string_view digits);

}  // namespace ilinks
