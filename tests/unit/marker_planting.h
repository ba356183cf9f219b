// Leak markers planted in real data, as an attacker would check a viewer:
// every readable text of every resource (display, text, narrative, title,
// description, notes, inline documents) and of every HL7 v2 event (ward, reason)
// gets a unique marker "QZ<n>X" in front, and the marker remembers which
// resource it was planted in ("Condition/123", "AdtEvent/MSG0001"). A test then
// looks for the markers of what the View withheld in every output.
#pragma once
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace test {

class MarkerPlanting {
 public:
  // Plants markers in FHIR JSON (a Bundle or one resource) and returns the new
  // JSON. Patients get no markers: their identity is what the host matches on.
  // A person with no NHS number (Synthea's and HL7's are American) is given
  // one from the test range, as the host must name the person by it.
  std::string plant_fhir(const std::string& json_text) {
    nlohmann::json doc = nlohmann::json::parse(json_text);
    plant_resource(doc);
    return doc.dump();
  }

  // Plants markers in HL7 v2 messages: the ward (PV1-3.1) and the admission
  // reason (PV2-3.2), owned by the message's event "AdtEvent/<MSH-10>".
  std::string plant_hl7v2(const std::string& text) {
    std::string out, owner;
    size_t start = 0;
    bool bom = false;  // a byte-order mark before the first segment stays where it was
    while (start < text.size()) {
      size_t end = text.find_first_of("\r\n", start);
      if (end == std::string::npos) end = text.size();
      std::vector<std::string> fields = split(text.substr(start, end - start), '|');
      if (start == 0 && text.rfind("\xEF\xBB\xBF", 0) == 0) fields[0].erase(0, 3), bom = true;
      if (!fields.empty() && fields[0] == "MSH" && fields.size() > 9) owner = "AdtEvent/" + fields[9];
      if (!fields.empty() && fields[0] == "PID" && fields.size() > 3 && fields[3].find("^NH") == std::string::npos)
        fields[3] += (fields[3].empty() ? "" : "~") + nhs_number() + "^^^NHS^NH";
      if (!fields.empty() && fields[0] == "PV1" && fields.size() > 3) fields[3] = plant_component(fields[3], 0, owner);
      if (!fields.empty() && fields[0] == "PV2" && fields.size() > 3) fields[3] = plant_component(fields[3], 1, owner);
      out += (bom ? "\xEF\xBB\xBF" : "") + join(fields, '|');
      bom = false;
      while (end < text.size() && (text[end] == '\r' || text[end] == '\n')) out += text[end++];
      start = end;
    }
    return out;
  }

  // Every marker planted, and the resource ("Type/id") it was planted in.
  const std::map<std::string, std::string>& owners() const { return owner_of_; }

  // The markers planted in one resource.
  std::vector<std::string> markers_of(const std::string& owner) const {
    auto it = markers_by_owner_.find(owner);
    return it == markers_by_owner_.end() ? std::vector<std::string>{} : it->second;
  }

 private:
  std::string next(const std::string& owner) {
    std::string marker = "QZ" + std::to_string(++count_) + "X";
    owner_of_[marker] = owner;
    markers_by_owner_[owner].push_back(marker);
    return marker;
  }

  void plant_resource(nlohmann::json& r) {
    if (!r.is_object()) return;
    std::string type = r.value("resourceType", "");
    if (type == "Bundle") {
      if (r.contains("entry") && r["entry"].is_array())
        for (auto& e : r["entry"])
          if (e.is_object() && e.contains("resource")) plant_resource(e["resource"]);
      return;
    }
    if (type == "Patient") return give_nhs_number(r);
    if (type.empty()) return;
    std::string owner = type + "/" + (r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : "?");
    if (r.contains("contained") && r["contained"].is_array())
      for (auto& c : r["contained"]) plant_fields(c, owner);  // contained resources belong to their container
    plant_fields(r, owner);
  }

  void give_nhs_number(nlohmann::json& patient) {
    const char* system = "https://fhir.nhs.uk/Id/nhs-number";
    for (const auto& id : patient.value("identifier", nlohmann::json::array()))
      if (id.is_object() && id.value("system", "") == system) return;
    patient["identifier"].push_back({{"system", system}, {"value", nhs_number()}});
  }

  // A valid NHS number (modulus 11) from the 999 range, which is never issued.
  std::string nhs_number() {
    for (;;) {
      std::string digits = "999" + std::to_string(1000000 + ++people_).substr(1);
      int sum = 0;
      for (int i = 0; i < 9; ++i) sum += (digits[size_t(i)] - '0') * (10 - i);
      int check = 11 - sum % 11;
      if (check == 11) check = 0;
      if (check != 10) return digits + char('0' + check);
    }
  }

  void plant_fields(nlohmann::json& j, const std::string& owner) {
    if (j.is_array()) {
      for (auto& e : j) plant_fields(e, owner);
      return;
    }
    if (!j.is_object()) return;
    for (auto& [key, value] : j.items()) {
      if (key == "contained" || key == "resource") continue;
      if (value.is_string() && is_readable_text(key)) {
        std::string s = value.get<std::string>();
        value = key == "div" ? plant_in_xhtml(s, next(owner)) : next(owner) + " " + s;
      } else if (key == "attachment" && value.is_object()) {
        plant_attachment(value, owner);
      } else {
        plant_fields(value, owner);
      }
    }
  }

  static bool is_readable_text(const std::string& key) {
    static const char* const keys[] = {"display", "text", "div", "title", "description", "valueString", "comment",
                                      "conclusion", "summary", "patientInstruction"};
    for (const char* k : keys)
      if (key == k) return true;
    return false;
  }

  static std::string plant_in_xhtml(const std::string& div, const std::string& marker) {
    size_t close = div.rfind("</div>");
    if (close == std::string::npos) return div;
    return div.substr(0, close) + " " + marker + div.substr(close);
  }

  // An inline text document: the marker goes into the document's own words.
  void plant_attachment(nlohmann::json& a, const std::string& owner) {
    if (a.contains("title") && a["title"].is_string()) a["title"] = next(owner) + " " + a["title"].get<std::string>();
    std::string type = a.value("contentType", "");
    if (!a.contains("data") || !a["data"].is_string() || type.rfind("text/", 0) != 0) return;
    std::string text = base64_decode(a["data"].get<std::string>());
    if (type.rfind("text/html", 0) == 0) text = plant_in_xhtml(text, next(owner));
    else text = next(owner) + " " + text;
    a["data"] = base64_encode(text);
  }

  std::string plant_component(const std::string& field, size_t index, const std::string& owner) {
    std::vector<std::string> components = split(field, '^');
    if (owner.empty() || components.size() <= index || components[index].empty()) return field;
    components[index] = next(owner) + " " + components[index];
    return join(components, '^');
  }

  static std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts(1);
    for (char c : s) {
      if (c == sep) parts.emplace_back();
      else parts.back().push_back(c);
    }
    return parts;
  }
  static std::string join(const std::vector<std::string>& parts, char sep) {
    std::string s;
    for (size_t i = 0; i < parts.size(); ++i) s += (i ? std::string(1, sep) : "") + parts[i];
    return s;
  }

  static const char* alphabet() { return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; }
  static std::string base64_encode(const std::string& in) {
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
      for (int s = 18; s >= 0; s -= 6) out += alphabet()[(n >> s) & 63];
    }
    if (i < in.size()) {
      unsigned n = (unsigned char)in[i] << 16 | (i + 1 < in.size() ? (unsigned char)in[i + 1] << 8 : 0);
      out += alphabet()[(n >> 18) & 63];
      out += alphabet()[(n >> 12) & 63];
      out += i + 1 < in.size() ? alphabet()[(n >> 6) & 63] : '=';
      out += '=';
    }
    return out;
  }
  static std::string base64_decode(const std::string& in) {
    std::string out;
    unsigned n = 0;
    int bits = 0;
    for (char c : in) {
      const char* p = std::strchr(alphabet(), c);
      if (!p || c == '\0') continue;  // '=' and whitespace
      n = n << 6 | unsigned(p - alphabet());
      if ((bits += 6) >= 8) out += char((n >> (bits -= 8)) & 0xFF);
    }
    return out;
  }

  int count_ = 0, people_ = 0;
  std::map<std::string, std::string> owner_of_;
  std::map<std::string, std::vector<std::string>> markers_by_owner_;
};

}  // namespace test
