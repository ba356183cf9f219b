// Reading FHIR R4 JSON into a Record. Tolerant of what real systems send: a
// field of the wrong shape is reported as a LoadIssue and left out, never
// guessed at and never a crash.
#include "ilinks/fhir.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ilinks/nhs_number.h"

namespace ilinks {
namespace {

using nlohmann::json;

const char* kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

// "line 3, column 14" for a byte offset into the text.
std::string line_and_column(std::string_view text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; column = 1; } else { ++column; }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// A string member, or empty when absent or not a string.
std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Resource {
  const json* body;
  std::string full_url;  // Bundle.entry.fullUrl, when in a Bundle
  std::string type() const { return string_at(*body, "resourceType"); }
  std::string id() const { return string_at(*body, "id"); }
  std::string label() const { return type() + "/" + (id().empty() ? "(no id)" : id()); }
};

}  // namespace

// Friend of Record: the one place that fills it from FHIR.
class FhirReader {
 public:
  FhirReader(const json& root, const std::string& source) : source_(source) {
    record_.source_name_ = source;
    collect(root);
  }

  Record read() {
    std::vector<const Resource*> patients;
    for (const auto& r : resources_)
      if (r.type() == "Patient") patients.push_back(&r);
    if (patients.empty())
      throw InputError(source_ + ": holds no Patient resource; a record must say whose it is");
    for (const auto* p : patients)
      if (p->id() != patients.front()->id())
        throw InputError(source_ + ": holds " + std::to_string(patients.size()) +
                         " different Patient resources (" + patients.front()->label() + ", " + p->label() +
                         "); a record is one person's");
    read_patient(*patients.front());
    return std::move(record_);
  }

 private:
  void collect(const json& root) {
    if (!root.is_object() || !root.contains("resourceType") || !root["resourceType"].is_string())
      throw InputError(source_ + ": not a FHIR resource (the top level has no \"resourceType\")");
    if (root["resourceType"] != "Bundle") {
      resources_.push_back({&root, {}});
      return;
    }
    auto entries = root.find("entry");
    if (entries == root.end()) return;
    if (!entries->is_array()) {
      issue("Bundle.entry", "is not a list; no entries could be read");
      return;
    }
    for (size_t i = 0; i < entries->size(); ++i) {
      const json& entry = (*entries)[i];
      std::string where = "Bundle.entry[" + std::to_string(i) + "]";
      if (!entry.is_object()) { issue(where, "is not an object"); continue; }
      auto res = entry.find("resource");
      if (res == entry.end()) continue;  // request/response-only entries carry no content
      if (!res->is_object() || !res->contains("resourceType") || !(*res)["resourceType"].is_string()) {
        issue(where + ".resource", "has no resourceType; skipped");
        continue;
      }
      resources_.push_back({&*res, string_at(entry, "fullUrl")});
    }
  }

  void issue(std::string where, std::string what) {
    record_.load_issues_.push_back({std::move(where), std::move(what)});
  }

  // Finds a resource by a reference as it appears in Patient fields: a fullUrl,
  // or "Type/id" relative to the bundle.
  const Resource* resolve(const std::string& reference) const {
    for (const auto& r : resources_) {
      if (!r.full_url.empty() && r.full_url == reference) return &r;
      if (reference == r.type() + "/" + r.id()) return &r;
    }
    return nullptr;
  }

  // A list-valued member: absent gives an empty list; a non-list is reported.
  const json& list_at(const json& object, const char* key, const std::string& where) {
    static const json empty = json::array();
    auto it = object.find(key);
    if (it == object.end()) return empty;
    if (!it->is_array()) {
      issue(where + " " + key, "is not a list; ignored");
      return empty;
    }
    return *it;
  }

  void read_patient(const Resource& r) {
    const json& p = *r.body;
    const std::string where = r.label();
    Patient& out = record_.patient_;
    out.resource_id = r.id();
    read_nhs_number(p, where, out);
    read_names(p, where, out);

    if (p.contains("birthDate")) {
      std::string text = string_at(p, "birthDate");
      if (auto d = Date::parse_fhir(text)) out.birth_date = d;
      else issue(where + " birthDate", "is not a valid FHIR date (YYYY, YYYY-MM or YYYY-MM-DD); not shown");
    }

    std::string gender = string_at(p, "gender");
    if (gender == "male") out.gender = Gender::male;
    else if (gender == "female") out.gender = Gender::female;
    else if (gender == "other") out.gender = Gender::other;
    else if (gender == "unknown") out.gender = Gender::unknown;
    else if (p.contains("gender")) issue(where + " gender", "is not one of male, female, other, unknown; not shown");

    if (p.contains("deceasedBoolean")) out.deceased = p["deceasedBoolean"].is_boolean() && p["deceasedBoolean"].get<bool>();
    if (p.contains("deceasedDateTime")) {
      out.deceased = true;
      if (auto d = Date::parse_fhir(string_at(p, "deceasedDateTime"))) out.deceased_date = d;
      else issue(where + " deceasedDateTime", "is not a valid date; shown as deceased, date unknown");
    }

    read_address(p, where, out);
    read_registered_gp(p, where, out);
  }

  void read_nhs_number(const json& p, const std::string& where, Patient& out) {
    const json& ids = list_at(p, "identifier", where);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!ids[i].is_object() || string_at(ids[i], "system") != kNhsNumberSystem) continue;
      std::string value = normalise_nhs_number(string_at(ids[i], "value"));
      if (is_valid_nhs_number(value)) {
        if (out.nhs_number.empty()) out.nhs_number = value;
      } else {
        issue(where + " identifier[" + std::to_string(i) + "]",
              "NHS number fails the modulus-11 check; not shown");
      }
    }
  }

  static PersonName to_name(const json& n) {
    PersonName name;
    name.family = string_at(n, "family");
    name.text = string_at(n, "text");
    for (const char* key : {"given", "prefix"}) {
      auto it = n.find(key);
      if (it == n.end() || !it->is_array()) continue;
      for (const auto& part : *it)
        if (part.is_string()) (key[0] == 'g' ? name.given : name.prefix).push_back(part.get<std::string>());
    }
    return name;
  }

  void read_names(const json& p, const std::string& where, Patient& out) {
    const json& names = list_at(p, "name", where);
    const json* official = nullptr;
    const json* fallback = nullptr;
    const json* preferred = nullptr;
    for (const auto& n : names) {
      if (!n.is_object()) continue;
      std::string use = string_at(n, "use");
      if (use == "official" && !official) official = &n;
      else if ((use == "usual" || use == "nickname") && !preferred) preferred = &n;
      else if (use != "old" && use != "maiden" && !fallback) fallback = &n;
    }
    const json* chosen = official ? official : fallback ? fallback : preferred;
    if (chosen) out.name = to_name(*chosen);
    if (preferred && preferred != chosen) {
      PersonName pn = to_name(*preferred);
      std::string shown = !pn.given.empty() ? pn.given.front() : pn.text;
      bool same_as_first_given = !out.name.given.empty() && out.name.given.front() == shown;
      if (!shown.empty() && !same_as_first_given) out.preferred_name = shown;
    }
  }

  void read_address(const json& p, const std::string& where, Patient& out) {
    const json& addresses = list_at(p, "address", where);
    const json* chosen = nullptr;
    for (const auto& a : addresses) {
      if (!a.is_object()) continue;
      std::string use = string_at(a, "use");
      if (use == "old") continue;
      if (!chosen || (use == "home" && string_at(*chosen, "use") != "home")) chosen = &a;
    }
    if (!chosen) return;
    Address addr;
    auto lines = chosen->find("line");
    if (lines != chosen->end() && lines->is_array())
      for (const auto& l : *lines)
        if (l.is_string()) addr.lines.push_back(l.get<std::string>());
    addr.city = string_at(*chosen, "city");
    addr.district = string_at(*chosen, "district");
    addr.postal_code = string_at(*chosen, "postalCode");
    addr.country = string_at(*chosen, "country");
    if (addr.lines.empty() && addr.city.empty() && addr.postal_code.empty()) {
      std::string text = string_at(*chosen, "text");
      if (!text.empty()) addr.lines.push_back(text);
    }
    out.address = std::move(addr);
  }

  void read_registered_gp(const json& p, const std::string& where, Patient& out) {
    const json& gps = list_at(p, "generalPractitioner", where);
    for (const auto& ref : gps) {
      if (!ref.is_object()) continue;
      std::string reference = string_at(ref, "reference");
      const Resource* target = reference.empty() ? nullptr : resolve(reference);
      bool is_practice = reference.rfind("Organization/", 0) == 0 || (target && target->type() == "Organization");
      std::string name = target ? string_at(*target->body, "name") : std::string();
      if (name.empty()) name = string_at(ref, "display");
      if (name.empty()) continue;
      // The registered practice (an Organization) is what the banner shows;
      // a named GP is kept only when no practice is given.
      if (is_practice) { out.registered_gp = name; return; }
      if (out.registered_gp.empty()) out.registered_gp = name;
    }
  }

  std::string source_;
  Record record_;
  std::vector<Resource> resources_;
};

Record read_fhir_json(std::string_view text, const std::string& source_name) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    std::string why = e.what();
    auto colon = why.find("syntax error");
    throw InputError(source_name + ": not valid JSON at " + line_and_column(text, e.byte ? e.byte - 1 : 0) +
                     (colon != std::string::npos ? " (" + why.substr(colon) + ")" : ""));
  }
  return FhirReader(root, source_name).read();
}

Record read_fhir_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be opened for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.empty()) throw InputError(path + ": is empty");
  return read_fhir_json(text, path);
}

}  // namespace ilinks
