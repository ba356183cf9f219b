// Reading published code lists (ilinks/code_list.h).
#include "ilinks/code_list.h"

#include <algorithm>
#include <cctype>

#include "ilinks/errors.h"

namespace ilinks {
namespace {

// Splits one CSV record at `at`, honouring RFC 4180 quotes (which may hold
// line breaks). Returns false on a quote left open at the end of the text.
bool next_record(std::string_view text, size_t& at, char separator, std::vector<std::string>& fields, int& line) {
  fields.assign(1, {});
  bool quoted = false;
  while (at < text.size()) {
    char c = text[at++];
    if (quoted) {
      if (c == '"' && at < text.size() && text[at] == '"') fields.back() += '"', ++at;
      else if (c == '"') quoted = false;
      else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
    } else if (c == '"' && separator == ',') {
      quoted = true;
    } else if (c == separator) {
      fields.emplace_back();
    } else if (c == '\n') {
      return true;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return !quoted;
}

std::string trimmed(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool valid_snomed_identifier(std::string_view code) {
  // SNOMED CT identifiers end in a Verhoeff check digit (SNOMED CT technical
  // implementation guide); dm+d identifiers are SNOMED CT identifiers.
  static const int d[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
                                {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                                {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
                                {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static const int p[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
                               {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                               {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (code.size() < 6 || code.size() > 18 || !all_digits(code) || code[0] == '0') return false;
  int check = 0;
  for (size_t i = 0; i < code.size(); ++i) check = d[check][p[i % 8][code[code.size() - 1 - i] - '0']];
  return check == 0;
}

bool valid_loinc_code(std::string_view code) {
  // LOINC's check digit is the mod-10 (Luhn) digit of the number before "-".
  size_t dash = code.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 7 || dash + 2 != code.size()) return false;
  std::string_view number = code.substr(0, dash);
  if (!all_digits(number) || !all_digits(code.substr(dash + 1))) return false;
  int sum = 0;
  bool twice = true;  // from the right, every other digit doubled, starting with the last
  for (size_t i = number.size(); i-- > 0; twice = !twice) {
    int v = number[i] - '0';
    if (twice) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return (10 - sum % 10) % 10 == code.back() - '0';
}

CodeList read_code_list(std::string_view text, const std::string& name, CodeListScheme scheme) {
  auto fail = [&](int line, const std::string& why) -> void {
    throw PolicyFileError(name + (line > 0 ? ": line " + std::to_string(line) : "") + ": " + why);
  };
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t first_break = text.find('\n');
  char separator = text.substr(0, first_break).find('\t') != std::string_view::npos ? '\t' : ',';

  size_t at = 0;
  int line = 1;
  std::vector<std::string> fields;
  if (!next_record(text, at, separator, fields, line)) fail(1, "a quote is never closed");
  int code_column = -1, term_column = -1, corrupted_column = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string h = trimmed(fields[i]);
    for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (h == "code") code_column = static_cast<int>(i);
    else if ((h == "term" || h == "display" || h == "description") && term_column < 0) term_column = static_cast<int>(i);
    else if (h == "code_corrupted_in_source") corrupted_column = static_cast<int>(i);
  }
  if (code_column < 0) fail(1, "the header row has no \"code\" column");

  CodeList out;
  while (at < text.size()) {
    int start = ++line;
    if (!next_record(text, at, separator, fields, line)) fail(start, "a quote is never closed");
    if (fields.size() == 1 && trimmed(fields[0]).empty()) continue;  // a blank line
    if (static_cast<int>(fields.size()) <= code_column) fail(start, "has no code (too few columns)");
    CodeListEntry e{trimmed(fields[code_column]), term_column >= 0 && term_column < static_cast<int>(fields.size()) ? trimmed(fields[term_column]) : "", start};
    if (corrupted_column >= 0 && corrupted_column < static_cast<int>(fields.size()) && !trimmed(fields[corrupted_column]).empty()) {
      out.left_out.push_back(std::move(e));
      continue;
    }
    bool valid = scheme == CodeListScheme::snomed_ct ? valid_snomed_identifier(e.code) : valid_loinc_code(e.code);
    if (!valid) {
      std::string shown = e.code.size() > 40 ? e.code.substr(0, 40) + "..." : e.code;
      fail(start, "\"" + shown + "\" is not a " + (scheme == CodeListScheme::snomed_ct ? "SNOMED CT identifier (digits with a valid check digit)"
                                                                                        : "LOINC code (digits, \"-\", a valid check digit)"));
    }
    out.entries.push_back(std::move(e));
  }
  if (out.entries.empty()) fail(0, "holds no codes");
  return out;
}

}  // namespace ilinks
