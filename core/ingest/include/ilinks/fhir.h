// ilinks/fhir.h: read one person's record from a single FHIR R4 input.
// For several inputs, HL7 v2, or a declared source, use ilinks/record_builder.h.
#pragma once
#include <string>
#include <string_view>

#include "ilinks/errors.h"
#include "ilinks/record.h"
#include "ilinks/record_builder.h"

namespace ilinks {

// Reads a FHIR R4 Bundle (any type), a single resource or NDJSON. `source_name`
// names the input in messages. Throws InputError when there is no person to
// show; smaller problems become Record::load_issues().
Record read_fhir_json(std::string_view json_text, const std::string& source_name);

// The same, for an input that has finished arriving (its InputOptions::name names it).
Record read_fhir_json(ArrivingInput&& arrived);

// Reads a file with read_fhir_json(); a file that cannot be opened is an InputError.
Record read_fhir_file(const std::string& path);

}  // namespace ilinks
