// ilinks/fhir.h: read a person's record from FHIR R4 JSON.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

#include "ilinks/record.h"

namespace ilinks {

// The input cannot be read as a record at all (not JSON, not FHIR, no Patient,
// more than one person). what() says which input, where and why, in words a
// support desk can act on.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a FHIR R4 Bundle (any type) or a single Patient resource. `source_name`
// names the input in error messages (a file name, a URL). Throws InputError
// when there is no record to show; smaller problems become Record::load_issues().
Record read_fhir_json(std::string_view json_text, const std::string& source_name);

// Reads a file with read_fhir_json(); a file that cannot be opened is an InputError.
Record read_fhir_file(const std::string& path);

}  // namespace ilinks
