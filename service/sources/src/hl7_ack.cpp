#include "hl7_ack.h"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <vector>

namespace ilinks::detail {
namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// HL7 v2's separators are printable ASCII other than letters and digits.
bool separator_char(char c) { return c > ' ' && c < 0x7F && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z'); }

// "20261117212045": local time, as HL7 DTM, to the second.
std::string hl7_now() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &local);
  return text;
}

// A control id this process has not used before: "A" + the time to the
// second + a counter, 20 characters (MSH-10's length before v2.5).
std::string new_control_id() {
  static std::atomic<unsigned> counter{0};
  char text[8];
  std::snprintf(text, sizeof text, "%05u", counter.fetch_add(1) % 100000u);
  return "A" + hl7_now() + text;
}

// HL7 table 0357's words for the codes this receiver sends.
const char* error_code_words(int code) {
  switch (code) {
    case 100: return "Segment sequence error";
    case 101: return "Required field missing";
    case 200: return "Unsupported message type";
    default: return "Application internal error";
  }
}

}  // namespace

MessageHeader read_message_header(std::string_view message) {
  MessageHeader h;
  size_t start = message.find_first_not_of("\r\n");
  if (start == std::string_view::npos) return h;
  message.remove_prefix(start);
  std::string_view msh = message.substr(0, message.find_first_of("\r\n"));
  if (msh.size() < 8 || msh.substr(0, 3) != "MSH") return h;
  char field = msh[3];
  // MSH-2: the four encoding characters, and from v2.7 a fifth, the truncation character.
  size_t msh2_end = msh.find(field, 4);
  std::string_view msh2 = msh.substr(4, msh2_end == std::string_view::npos ? msh2_end : msh2_end - 4);
  if (!separator_char(field) || (msh2.size() != 4 && msh2.size() != 5)) return h;
  for (char c : msh2)
    if (!separator_char(c) || c == field) return h;
  h.field = field;
  h.encoding = std::string(msh2);
  const std::string encoding = h.encoding;
  // Numbered as HL7 numbers them: fields[n] is MSH-n (MSH-1 is the separator itself).
  std::vector<std::string> fields = {"MSH", std::string(1, field), encoding};
  if (msh.size() > 4 + msh2.size())
    for (auto& f : split(msh.substr(5 + msh2.size()), field)) fields.push_back(std::move(f));
  auto at = [&](size_t n) { return n < fields.size() ? fields[n] : std::string(); };
  h.sending_application = at(3);
  h.sending_facility = at(4);
  h.receiving_application = at(5);
  h.receiving_facility = at(6);
  std::vector<std::string> type = split(at(9), encoding[0]);
  h.trigger = type.size() > 1 ? type[1] : "";
  h.control_id = at(10);
  h.processing_id = at(11);
  h.version = at(12);
  h.readable = true;
  return h;
}

std::string hl7_escape(std::string_view text, char field, const std::string& encoding) {
  const char component = encoding[0], repetition = encoding[1], escape = encoding[2], subcomponent = encoding[3];
  const bool truncates = encoding.size() > 4;
  std::string out;
  for (char c : text) {
    if (c == escape) out += std::string(1, escape) + "E" + escape;
    else if (c == field) out += std::string(1, escape) + "F" + escape;
    else if (c == component) out += std::string(1, escape) + "S" + escape;
    else if (c == repetition) out += std::string(1, escape) + "R" + escape;
    else if (c == subcomponent) out += std::string(1, escape) + "T" + escape;
    else if (truncates && c == encoding[4]) out += std::string(1, escape) + "P" + escape;
    else if (c == '\r' || c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string build_ack(const MessageHeader& h, AckCode code, const std::string& words, int error_code) {
  // A header that could not be read is answered in HL7's default separators.
  const char f = h.readable ? h.field : '|';
  const std::string enc = h.readable ? h.encoding : "^~\\&";
  const std::string sep(1, f), component(1, enc[0]);
  const std::string version = h.version.empty() ? "2.4" : h.version;
  const std::string processing = h.processing_id.empty() ? "P" : h.processing_id;
  std::string type = "ACK";
  if (!h.trigger.empty()) type += component + h.trigger + component + "ACK";
  std::string ack = "MSH" + sep + enc + sep + h.receiving_application + sep + h.receiving_facility + sep +
                    h.sending_application + sep + h.sending_facility + sep + hl7_now() + sep + sep + type + sep +
                    new_control_id() + sep + processing + sep + version + "\r";
  const char* msa = code == AckCode::accept ? "AA" : code == AckCode::error ? "AE" : "AR";
  std::string escaped = hl7_escape(words, f, enc);
  // MSA-3 carries the words too: receivers before v2.5 read them there.
  ack += "MSA" + sep + msa + sep + h.control_id + (code == AckCode::accept ? "" : sep + escaped) + "\r";
  if (code != AckCode::accept)
    // ERR-3 the error code (table 0357), ERR-4 severity E, ERR-8 the words for people.
    ack += "ERR" + sep + sep + sep + std::to_string(error_code) + component + error_code_words(error_code) + component +
           "HL70357" + sep + "E" + sep + sep + sep + sep + escaped + "\r";
  return ack;
}

}  // namespace ilinks::detail
