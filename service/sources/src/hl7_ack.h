// hl7_ack.h (internal): the HL7 v2 acknowledgement (ACK) a receiver sends
// back for each message, built from the message's own MSH.
#pragma once
#include <string>
#include <string_view>

namespace ilinks::detail {

// What an ACK needs from the message's MSH, its fields as sent (escaped in
// the message's own encoding characters, so they go back unchanged).
struct MessageHeader {
  bool readable = false;           // false: no MSH, or its separators are not HL7's
  char field = '|';                // MSH-1
  std::string encoding = "^~\\&";  // MSH-2: component, repetition, escape, subcomponent (v2.7+: and truncation)
  std::string sending_application, sending_facility;      // MSH-3, MSH-4
  std::string receiving_application, receiving_facility;  // MSH-5, MSH-6
  std::string trigger;             // MSH-9.2: "A01"
  std::string control_id;          // MSH-10
  std::string processing_id;       // MSH-11: "P"
  std::string version;             // MSH-12: "2.4"
};

// Reads the first segment of `message` (segments end in CR, LF or CRLF).
// Only the start is needed: a message cut short still has its MSH.
MessageHeader read_message_header(std::string_view message);

// Acknowledgement codes (HL7 table 0008).
enum class AckCode { accept /* AA */, error /* AE */, reject /* AR */ };

// The ACK for a message with this header: MSH with the sending and receiving
// application and facility swapped, MSH-9 ACK^<trigger>^ACK, a new MSH-10,
// MSH-12 as the message's; MSA with the code and the message's control id;
// for AE and AR, an ERR segment with `words` (HL7-escaped) and `error_code`
// from HL7 table 0357 (100 segment sequence error, 207 application internal
// error). Segments end in CR.
std::string build_ack(const MessageHeader& header, AckCode code, const std::string& words = "", int error_code = 207);

// `text` escaped for an HL7 v2 field with these separators (\F\ \S\ \R\ \E\ \T\, \P\);
// line breaks become spaces, since they would end the segment.
std::string hl7_escape(std::string_view text, char field, const std::string& encoding);

}  // namespace ilinks::detail
