// ilinks/code_list.h: reading a published clinical code list (CSV or TSV).
//
// The exclusion lists of the sharing policy (SNOMED CT, dm+d, LOINC) are kept
// as the files their publishers released, one code a line, under a header row
// that names a "code" column and a "term" (or "display") column. A list that
// cannot be read is refused whole: a code list half-read would share what it
// should withhold.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ilinks {

// How the codes of a list are checked.
enum class CodeListScheme {
  snomed_ct,  // SNOMED CT and dm+d identifiers: 6-18 digits with a valid Verhoeff check digit
  loinc,      // LOINC codes: digits, "-", a valid mod-10 check digit ("21613-5")
};

struct CodeListEntry {
  std::string code;
  std::string term;  // the publisher's words; may be empty
  int line = 0;      // where in the file (1 is the header)
};

struct CodeList {
  std::vector<CodeListEntry> entries;
  // Rows the publisher itself marked as damaged (a "code_corrupted_in_source"
  // column that is not empty: codes turned into spreadsheet notation upstream).
  // They are left out and counted, never guessed at.
  std::vector<CodeListEntry> left_out;
};

// Reads `text` (the file's bytes). Tab-separated when the header has a tab,
// else comma-separated with RFC 4180 quoting. Throws PolicyFileError
// "NAME: line N: why" for anything that is not a valid code of `scheme`, a
// missing header column, a broken quote, or a list with no codes.
CodeList read_code_list(std::string_view text, const std::string& name, CodeListScheme scheme);

// The check digits, for callers that validate codes one at a time.
bool valid_snomed_identifier(std::string_view code);
bool valid_loinc_code(std::string_view code);

}  // namespace ilinks
