#include "hl7v2.h"

#include <algorithm>

#include "ilinks/nhs_number.h"
#include "json_stream.h"

namespace ilinks::detail {
namespace {

struct Encoding {
  char field = '|', component = '^', repetition = '~', escape = '\\', subcomponent = '&';
};

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// One segment's fields, numbered as HL7 numbers them (MSH-1 is the separator).
class Segment {
 public:
  Segment(std::string_view text, const Encoding& enc) : enc_(enc) {
    fields_ = split(text, enc.field);
    if (!fields_.empty() && fields_[0] == "MSH") fields_.insert(fields_.begin() + 1, std::string_view("|"));
  }
  std::string_view name() const { return fields_.empty() ? std::string_view() : fields_[0]; }
  std::string_view field(size_t n) const { return n < fields_.size() ? fields_[n] : std::string_view(); }
  std::vector<std::string_view> repeats(size_t n) const { return split(field(n), enc_.repetition); }
  // Component c (1-based) of the first repetition of field n, unescaped.
  std::string component(size_t n, size_t c) const { return component_of(repeats(n).front(), c); }
  std::string component_of(std::string_view value, size_t c) const {
    auto parts = split(value, enc_.component);
    if (c == 0 || c > parts.size()) return {};
    auto sub = split(parts[c - 1], enc_.subcomponent);
    return unescape(sub.front());
  }
  std::string unescape(std::string_view v) const {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] != enc_.escape) { out += v[i]; continue; }
      size_t end = v.find(enc_.escape, i + 1);
      if (end == std::string_view::npos) { out += v.substr(i); break; }
      std::string_view seq = v.substr(i + 1, end - i - 1);
      if (seq == "F") out += enc_.field;
      else if (seq == "S") out += enc_.component;
      else if (seq == "T") out += enc_.subcomponent;
      else if (seq == "R") out += enc_.repetition;
      else if (seq == "E") out += enc_.escape;
      else if (seq == ".br") out += '\n';
      i = end;
    }
    return out;
  }

 private:
  Encoding enc_;
  std::vector<std::string_view> fields_;
};

// HL7 DTM "YYYYMMDDHHMMSS+ZZZZ" as FHIR dateTime text, precision kept.
std::string to_fhir_datetime(const std::string& dtm) {
  std::string digits;
  for (char c : dtm) { if (c >= '0' && c <= '9') digits += c; else break; }
  if (digits.size() < 4) return {};
  std::string out = digits.substr(0, 4);
  if (digits.size() >= 6) out += "-" + digits.substr(4, 2);
  if (digits.size() >= 8) out += "-" + digits.substr(6, 2);
  if (digits.size() >= 12) out += "T" + digits.substr(8, 2) + ":" + digits.substr(10, 2);
  if (digits.size() >= 14) out += ":" + digits.substr(12, 2);
  return out;
}

struct EventMeaning { const char* code; const char* display; };
const EventMeaning kEvents[] = {
    {"A01", "Admitted"}, {"A02", "Transferred"}, {"A03", "Discharged"}, {"A04", "Registered (outpatient / A&E)"},
    {"A05", "Planned admission (TCI)"}, {"A06", "Changed from outpatient to inpatient"}, {"A07", "Changed from inpatient to outpatient"},
    {"A08", "Stay details updated"}, {"A11", "Admission cancelled"}, {"A12", "Transfer cancelled"},
    {"A13", "Discharge cancelled"}, {"A38", "Planned admission cancelled"}};

std::string coding_system(const std::string& hl7) {
  if (hl7 == "SCT" || hl7 == "SNM" || hl7 == "SNOMED") return "http://snomed.info/sct";
  if (hl7 == "I10" || hl7 == "ICD10") return "http://hl7.org/fhir/sid/icd-10";
  if (hl7 == "LN") return "http://loinc.org";
  return hl7;
}

void read_pid(const Segment& pid, ReadResource& out, const std::string& where, const IssueFn& issue) {
  Patient p;
  for (auto rep : pid.repeats(3)) {
    std::string id = pid.component_of(rep, 1), authority = pid.component_of(rep, 4), type = pid.component_of(rep, 5);
    if (id.empty()) continue;
    out.identifiers.push_back(authority + "|" + id);
    if (type == "NH" || authority == "NHS" || authority == "2.16.840.1.113883.2.1.4.1") {
      std::string nhs = normalise_nhs_number(id);
      if (is_valid_nhs_number(nhs)) { if (p.nhs_number.empty()) p.nhs_number = nhs; }
      else issue(where + " PID-3", "NHS number fails the modulus-11 check; not shown");
    }
    if (p.resource_id.empty()) p.resource_id = id;
  }
  p.name.family = pid.component(5, 1);
  for (size_t c : {2, 3}) if (auto g = pid.component(5, c); !g.empty()) p.name.given.push_back(g);
  if (auto prefix = pid.component(5, 5); !prefix.empty()) p.name.prefix.push_back(prefix);
  std::string dob = to_fhir_datetime(pid.component(7, 1));
  if (!dob.empty()) {
    p.birth_date = Date::parse_fhir(dob);
    if (!p.birth_date) issue(where + " PID-7", "date of birth is not a valid date; not shown");
  }
  std::string sex = pid.component(8, 1);
  p.gender = sex == "M" ? Gender::male : sex == "F" ? Gender::female : sex == "O" ? Gender::other
           : sex == "U" ? Gender::unknown : Gender::not_recorded;
  Address a;
  for (size_t c : {1, 2}) if (auto l = pid.component(11, c); !l.empty()) a.lines.push_back(l);
  a.city = pid.component(11, 3);
  a.district = pid.component(11, 4);
  a.postal_code = pid.component(11, 5);
  a.country = pid.component(11, 6);
  if (!a.lines.empty() || !a.city.empty() || !a.postal_code.empty()) p.address = a;
  if (auto phone = pid.component(13, 1); !phone.empty()) p.telecom.push_back({"phone", phone, "home"});
  std::string death = to_fhir_datetime(pid.component(29, 1));
  if (!death.empty()) p.deceased_date = Date::parse_fhir(death);
  p.deceased = !death.empty() || pid.field(30) == "Y";
  out.item.kind = "Patient";
  out.item.source_id = p.resource_id;
  out.identity_only = true;
  out.patient = std::make_unique<Patient>(std::move(p));
}

}  // namespace

bool looks_like_hl7v2(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t start = text.find_first_not_of("\r\n \t");
  return start != std::string_view::npos && text.substr(start, 4) == "MSH|";
}

std::vector<ReadResource> read_hl7v2(std::string_view text, const IssueFn& issue) {
  std::vector<ReadResource> out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Segments end in CR (the standard), LF or CRLF; messages start at MSH.
  std::vector<std::vector<std::string_view>> messages;
  bool stray_reported = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view seg = text.substr(start, end - start);
    while (!seg.empty() && (seg.back() == ' ' || seg.back() == '\t')) seg.remove_suffix(1);
    if (!seg.empty()) {
      if (seg.substr(0, 3) == "MSH") messages.emplace_back();
      if (messages.empty()) {
        if (!stray_reported) issue("before the first MSH segment", "text outside any HL7 v2 message; ignored");
        stray_reported = true;
      } else {
        messages.back().push_back(seg);
      }
    }
    start = end + 1;
  }
  size_t number = 0;
  for (const auto& segments : messages) {
    ++number;
    std::string where = "message " + std::to_string(number);
    if (segments.empty() || segments.front().substr(0, 3) != "MSH" || segments.front().size() < 8) {
      issue(where, "does not start with a complete MSH segment; message skipped");
      continue;
    }
    Encoding enc;
    std::string_view msh_text = segments.front();
    enc.field = msh_text[3];
    std::string_view chars = msh_text.substr(4, 4);
    // HL7 v2's separators are printable ASCII: any other byte could split a
    // UTF-8 character in two.
    auto printable = [](char c) { return c > ' ' && c < 0x7F; };
    bool ascii = printable(enc.field) && chars.size() == 4 && std::all_of(chars.begin(), chars.end(), printable);
    if (!ascii || chars.find(enc.field) != std::string_view::npos) {
      issue(where + " MSH-2", "encoding characters are missing or malformed (they must be printable ASCII); message skipped");
      continue;
    }
    enc.component = chars[0]; enc.repetition = chars[1]; enc.escape = chars[2]; enc.subcomponent = chars[3];
    Segment msh(msh_text, enc);
    std::string type = msh.component(9, 1), trigger = msh.component(9, 2);
    std::string control_id = msh.component(10, 1);
    if (type != "ADT") {
      issue(where + " MSH-9", "is a \"" + utf8_prefix(type, 10) + "\" message, not ADT; message skipped");
      continue;
    }
    const Segment* evn = nullptr;
    std::vector<Segment> parsed;
    parsed.reserve(segments.size());
    for (auto s : segments) parsed.emplace_back(s, enc);
    const Segment *pid = nullptr, *pv1 = nullptr, *pv2 = nullptr;
    for (const auto& s : parsed) {
      if (s.name() == "EVN" && !evn) evn = &s;
      else if (s.name() == "PID" && !pid) pid = &s;
      else if (s.name() == "PV1" && !pv1) pv1 = &s;
      else if (s.name() == "PV2" && !pv2) pv2 = &s;
    }
    if (trigger.empty() && evn) trigger = evn->component(1, 1);
    if (!pid) {
      issue(where, "ADT message has no PID segment, so it cannot be tied to a person; message skipped");
      continue;
    }
    std::string facility = msh.component(4, 1);
    ReadResource person;
    read_pid(*pid, person, where, issue);
    person.fill().source_ods_hint = facility;
    person.where = where;
    person.content_hash = "hl7-pid|" + std::string(pid->field(3)) + "|" + std::string(pid->field(5)) + "|" + std::string(pid->field(7));
    out.push_back(std::move(person));

    ReadResource event;
    Item& item = event.item;
    item.kind = "AdtEvent";
    item.source_id = control_id.empty() ? where : control_id;
    event.where = where;
    event.identifiers.push_back("hl7v2-control-id|" + facility + "|" + control_id);
    event.fill().source_ods_hint = facility;  // its name comes from the participants file
    item.source_system = msh.component(3, 1);
    const char* meaning = nullptr;
    for (const auto& e : kEvents) if (trigger == e.code) meaning = e.display;
    if (!meaning) issue(where + " MSH-9", "ADT event \"" + utf8_prefix(trigger, 8) + "\" is not one this reader understands; kept as an unnamed hospital event");
    item.categories.push_back({"http://terminology.hl7.org/CodeSystem/v2-0003", trigger, meaning ? meaning : ""});
    item.status = "completed";
    std::string location;
    if (pv1) {
      std::string ward = pv1->component(3, 1), room = pv1->component(3, 2), bed = pv1->component(3, 3);
      for (const auto& part : {ward, room, bed}) if (!part.empty()) location += (location.empty() ? "" : ", ") + part;
      std::string patient_class = pv1->component(2, 1);
      if (!patient_class.empty()) item.categories.push_back({"http://terminology.hl7.org/CodeSystem/v2-0004", patient_class, ""});
      event.fill().visit_number = pv1->component(19, 1);
      std::string doctor = pv1->component(7, 6) + " " + pv1->component(7, 3) + " " + pv1->component(7, 2);
      while (!doctor.empty() && doctor.front() == ' ') doctor.erase(0, 1);
      if (doctor.find_first_not_of(' ') != std::string::npos)
        item.participants.push_back({"Attending doctor", doctor, facility, {}}), event.participant_references.push_back({});
      std::string admitted = to_fhir_datetime(pv1->component(44, 1));
      std::string discharged = to_fhir_datetime(pv1->component(45, 1));
      if (!admitted.empty()) { item.date_time = admitted; item.date = Date::parse_fhir(admitted); }
      if (!discharged.empty()) item.end_date = Date::parse_fhir(discharged);
      if (trigger == "A05") item.status = "planned";
    }
    if (pv2) {
      std::string expected_admit = to_fhir_datetime(pv2->component(8, 1));
      std::string expected_discharge = to_fhir_datetime(pv2->component(9, 1));
      if (trigger == "A05" && !expected_admit.empty()) { item.date_time = expected_admit; item.date = Date::parse_fhir(expected_admit); }
      if (!expected_discharge.empty() && !item.end_date) {
        item.end_date = Date::parse_fhir(expected_discharge);
        if (item.end_date) item.value.text = "Expected discharge " + format_date(*item.end_date);
      }
      std::string code = pv2->component(3, 1), reason_text = pv2->component(3, 2), system = pv2->component(3, 3);
      if (!code.empty() || !reason_text.empty()) item.codings.push_back({coding_system(system), code, reason_text});
      if (auto reason = pv2->component(12, 1); !reason.empty()) item.text = reason;
    }
    if (!item.date && evn) {
      std::string when = to_fhir_datetime(evn->component(6, 1));
      if (when.empty()) when = to_fhir_datetime(evn->component(2, 1));
      if (!when.empty()) { item.date_time = when; item.date = Date::parse_fhir(when); }
    }
    item.display = std::string(meaning ? meaning : "Hospital event " + trigger) + (location.empty() ? "" : ": " + location);
    event.content_hash = "hl7|" + facility + "|" + control_id + "|" + std::string(msh_text.substr(0, 200));
    out.push_back(std::move(event));
  }
  if (messages.empty()) issue("top level", "holds no HL7 v2 message (no MSH segment)");
  return out;
}

}  // namespace ilinks::detail
