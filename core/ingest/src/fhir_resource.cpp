// Reading one FHIR R4 resource. Tolerant of what real systems send: a field of
// the wrong shape is reported and left out, never guessed at, never a crash.
#include "fhir_resource.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>

#include "ilinks/nhs_number.h"

namespace ilinks::detail {

const ReadResource::Extras ReadResource::kNoExtras{};
namespace {

using json = JsonNode;

const char* kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
const char* kOdsSystems[] = {"https://fhir.nhs.uk/Id/ods-organization-code", "https://fhir.nhs.uk/Id/ods-site-code"};

std::string str(const json& object, std::string_view key) {
  const json* m = object.find(key);
  return m && m->is_string() ? std::string(m->text()) : std::string();
}

// The same, as a Text: interned in the reading's pool straight from the
// parser's characters, with no string made on the way.
Text word(const json& object, std::string_view key) {
  const json* m = object.find(key);
  return m && m->is_string() ? Text(m->text()) : Text();
}

const json* member(const json& object, std::string_view key) { return object.find(key); }

// The member, or an object with nothing in it.
const json& member_or_empty(const json& object, std::string_view key) {
  const json* m = object.find(key);
  return m ? *m : json::empty_object();
}

// A member that may be one value or a list of them, as a list.
std::vector<const json*> each(const json& object, std::string_view key) {
  std::vector<const json*> out;
  const json* m = member(object, key);
  if (!m) return out;
  if (m->is_array()) {
    for (const auto& v : *m) out.push_back(&v);
  } else {
    out.push_back(m);
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Coding to_coding(const json& c) { return {word(c, "system"), word(c, "code"), word(c, "display")}; }

// Adds a CodeableConcept's (or a bare Coding's) codings to `out`; returns its best text.
std::string add_concept(const json& concept, std::vector<Coding>& out) {
  if (!concept.is_object()) return {};
  if (const json* code = concept.find("code"); code && code->is_string() && !concept.contains("coding")) {
    out.push_back(to_coding(concept));  // a bare Coding (Encounter.class)
    return str(concept, "display");
  }
  std::string best = str(concept, "text");
  for (const json* c : each(concept, "coding")) {
    if (!c->is_object()) continue;
    out.push_back(to_coding(*c));
    if (best.empty()) best = str(*c, "display");
  }
  return best;
}

std::optional<double> number(const json& object, std::string_view key) {
  const json* v = member(object, key);
  if (v && v->is_number()) return v->get<double>();
  return std::nullopt;
}

std::string format_number(double v) {
  char buffer[32];
  snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

Value to_quantity(const json& q) {
  Value v;
  v.number = number(q, "value");
  v.comparator = word(q, "comparator");
  v.unit = word(q, "unit");
  if (v.unit.empty()) v.unit = word(q, "code");
  if (v.number) v.text = v.comparator + format_number(*v.number);
  return v;
}

// Observation.value[x] and Component.value[x].
Value read_value(const json& r) {
  Value v;
  if (const json* q = member(r, "valueQuantity"); q && q->is_object()) return to_quantity(*q);
  if (const json* s = member(r, "valueString"); s && s->is_string()) v.text = s->get<std::string>();
  else if (const json* c = member(r, "valueCodeableConcept")) v.text = add_concept(*c, v.codings);
  else if (const json* b = member(r, "valueBoolean"); b && b->is_boolean()) v.text = b->get<bool>() ? "Yes" : "No";
  else if (const json* i = member(r, "valueInteger"); i && i->is_number()) { v.number = i->get<double>(); v.text = format_number(*v.number); }
  else if (const json* d = member(r, "valueDateTime"); d && d->is_string()) v.text = d->get<std::string>();
  else if (const json* g = member(r, "valueRange"); g && g->is_object()) {
    Value low = to_quantity(member_or_empty(*g, "low")), high = to_quantity(member_or_empty(*g, "high"));
    v.text = low.text + " - " + high.text;
    v.unit = !low.unit.empty() ? low.unit : high.unit;
  }
  return v;
}

std::vector<ReferenceRange> read_ranges(const json& r) {
  std::vector<ReferenceRange> out;
  for (const json* rr : each(r, "referenceRange")) {
    if (!rr->is_object()) continue;
    ReferenceRange range;
    if (const json* low = member(*rr, "low"); low && low->is_object()) { range.low = number(*low, "value"); range.unit = word(*low, "unit"); }
    if (const json* high = member(*rr, "high"); high && high->is_object()) {
      range.high = number(*high, "value");
      if (range.unit.empty()) range.unit = word(*high, "unit");
    }
    range.text = str(*rr, "text");
    if (range.text.empty() && (range.low || range.high))
      range.text = (range.low ? format_number(*range.low) : "") + " - " + (range.high ? format_number(*range.high) : "");
    out.push_back(std::move(range));
  }
  return out;
}

std::string read_interpretation(const json& r) {
  std::vector<Coding> codes;
  std::string text;
  for (const json* i : each(r, "interpretation")) {
    std::string t = add_concept(*i, codes);
    if (text.empty()) text = !codes.empty() && !codes.back().code.empty() ? codes.back().code.str() : t;
  }
  return text;
}

// The first date-like member present, in the order given ("onsetPeriod.start").
std::string first_date_text(const json& r, std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    auto dot = path.find('.');
    const json* v = r.find(path.substr(0, dot));
    if (v && dot != std::string_view::npos) v = v->find(path.substr(dot + 1));
    if (v && v->is_string()) return std::string(v->text());
  }
  return {};
}

void read_dates(const json& r, const std::string& where, Item& item, const IssueFn& issue) {
  std::string start = first_date_text(r, {"effectiveDateTime", "effectivePeriod.start", "onsetDateTime", "onsetPeriod.start",
                                          "performedDateTime", "performedPeriod.start", "occurrenceDateTime", "period.start",
                                          "start", "started", "issued", "authoredOn", "dateAsserted", "effectiveInstant",
                                          "recordedDate", "recorded", "date", "created", "dateTime", "startDate",
                                          "statusDate", "lastOccurrence", "validityPeriod.start"});
  std::string end = first_date_text(r, {"abatementDateTime", "effectivePeriod.end", "performedPeriod.end", "period.end",
                                        "end", "validityPeriod.end", "onsetPeriod.end"});
  if (!start.empty()) {
    item.date_time = start;
    item.date = Date::parse_fhir(start);
    if (!item.date) issue(where, "its date is not a valid FHIR date; no date shown");
  }
  if (!end.empty()) {
    item.end_date = Date::parse_fhir(end);
    if (!item.end_date) issue(where, "end date is not a valid FHIR date; no end date shown");
  }
}

// `path` is the members' names to `node`, joined by "." (a buffer shared by
// the whole walk: each level adds its name and takes it off again).
void collect_references(const json& node, std::string& path, std::vector<RawReference>& out, int depth) {
  if (depth > 12) return;
  if (node.is_array()) {
    for (const auto& v : node) collect_references(v, path, out, depth + 1);
    return;
  }
  if (!node.is_object()) return;
  const json* ref = node.find("reference");
  if (ref && ref->is_string())
    out.push_back({path, ref->get<std::string>(), str(node, "display"), str(node, "type")});
  // In the order of their names, as the record has always listed them (FHIR
  // objects have a few structured members: sorted in place, on the stack).
  constexpr size_t kOnStack = 24;
  const json* on_stack[kOnStack];
  std::vector<const json*> many;
  size_t n = 0;
  for (const json& m : node) {
    if (!m.is_structured() || m.key() == "contained" || m.key() == "text" || m.key() == "reference") continue;
    if (n == kOnStack) many.assign(on_stack, on_stack + kOnStack);
    if (n < kOnStack) on_stack[n] = &m;
    else many.push_back(&m);
    ++n;
  }
  const json** members = n <= kOnStack ? on_stack : many.data();
  std::sort(members, members + n, [](const json* a, const json* b) { return a->key() < b->key(); });
  size_t length = path.size();
  for (size_t i = 0; i < n; ++i) {
    if (length) path += '.';
    path += members[i]->key();
    collect_references(*members[i], path, out, depth + 1);
    path.resize(length);
  }
}

// Human-readable text of documents and notes: the parts a clinician reads.
void read_text(const json& r, const std::string& type, const std::string& where, Item& item, const IssueFn& issue) {
  std::string text;
  auto append = [&](const std::string& t) {
    if (t.empty()) return;
    if (!text.empty()) text += "\n\n";
    text += t;
  };
  auto attachment = [&](const json& a, const std::string& at) {
    std::string type_ = lower(str(a, "contentType"));
    bool html = type_.rfind("text/html", 0) == 0;
    bool plain = type_.rfind("text/plain", 0) == 0;
    if (!html && !plain) return;
    std::string data = str(a, "data");
    if (data.empty()) return;
    auto decoded = decode_base64(data);
    if (!decoded) { issue(where + " " + at, "attachment data is not valid base64; document text not read"); return; }
    append(html ? html_to_text(*decoded) : *decoded);
  };
  for (const json* n : each(r, "note")) append(str(*n, "text"));
  append(str(r, "conclusion"));
  append(str(r, "description"));
  if (type == "DocumentReference") {
    size_t i = 0;
    for (const json* c : each(r, "content")) {
      if (const json* a = member(*c, "attachment")) attachment(*a, "content[" + std::to_string(i) + "].attachment");
      ++i;
    }
  }
  if (type == "DiagnosticReport") {
    size_t i = 0;
    for (const json* a : each(r, "presentedForm")) attachment(*a, "presentedForm[" + std::to_string(i++) + "]");
  }
  if (type == "Composition") {
    for (const json* s : each(r, "section")) {
      std::string title = str(*s, "title");
      std::string body = html_to_text(str(member_or_empty(*s, "text"), "div"));
      append(title.empty() ? body : title + "\n" + body);
    }
  }
  item.text = std::move(text);
}

PersonName to_name(const json& n) {
  PersonName name;
  name.family = str(n, "family");
  name.text = str(n, "text");
  for (const json* g : each(n, "given")) if (g->is_string()) name.given.push_back(g->get<std::string>());
  for (const json* p : each(n, "prefix")) if (p->is_string()) name.prefix.push_back(p->get<std::string>());
  return name;
}

std::string name_as_text(const PersonName& n) {
  if (!n.text.empty()) return n.text;
  std::string out;
  for (const auto& p : n.prefix) out += p + " ";
  for (const auto& g : n.given) out += g + " ";
  out += n.family;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string best_name(const json& r) {
  std::string plain = str(r, "name");  // Organization.name is a string
  if (!plain.empty()) return plain;
  const json* official = nullptr;
  for (const json* n : each(r, "name")) {
    if (!n->is_object()) continue;
    if (!official || str(*n, "use") == "official") official = n;
  }
  return official ? name_as_text(to_name(*official)) : std::string();
}

std::string telecom_text(const json& r) {
  for (const json* t : each(r, "telecom"))
    if (!str(*t, "value").empty()) return str(*t, "value");
  return {};
}

void read_patient(const json& p, const std::string& where, ReadResource& out, const IssueFn& issue) {
  for (const char* field : {"name", "address", "telecom", "generalPractitioner"}) {
    const json* m = member(p, field);
    if (m && !m->is_array()) issue(where + " " + field, "is not a list; ignored");
    else if (m) {
      size_t k = 0;
      for (const json& element : *m) {
        if (!element.is_object()) issue(where + " " + field + "[" + std::to_string(k) + "]", "is not an object; ignored");
        ++k;
      }
    }
  }
  Patient patient;
  patient.resource_id = str(p, "id");
  size_t i = 0;
  for (const json* id : each(p, "identifier")) {
    if (str(*id, "system") == kNhsNumberSystem) {
      std::string value = normalise_nhs_number(str(*id, "value"));
      if (is_valid_nhs_number(value)) {
        if (patient.nhs_number.empty()) patient.nhs_number = value;
      } else {
        issue(where + " identifier[" + std::to_string(i) + "]", "NHS number fails the modulus-11 check; not shown");
      }
    }
    ++i;
  }
  const json *official = nullptr, *fallback = nullptr, *preferred = nullptr;
  for (const json* n : each(p, "name")) {
    if (!n->is_object()) continue;
    std::string use = str(*n, "use");
    if (use == "official" && !official) official = n;
    else if ((use == "usual" || use == "nickname") && !preferred) preferred = n;
    else if (use != "old" && use != "maiden" && !fallback) fallback = n;
  }
  const json* chosen = official ? official : fallback ? fallback : preferred;
  if (chosen) patient.name = to_name(*chosen);
  if (preferred && preferred != chosen) {
    PersonName pn = to_name(*preferred);
    std::string shown = !pn.given.empty() ? pn.given.front() : pn.text;
    bool same = !patient.name.given.empty() && patient.name.given.front() == shown;
    if (!shown.empty() && !same) patient.preferred_name = shown;
  }
  if (p.contains("birthDate")) {
    if (auto d = Date::parse_fhir(str(p, "birthDate"))) patient.birth_date = d;
    else issue(where + " birthDate", "is not a valid FHIR date (YYYY, YYYY-MM or YYYY-MM-DD); not shown");
  }
  std::string gender = str(p, "gender");
  if (gender == "male") patient.gender = Gender::male;
  else if (gender == "female") patient.gender = Gender::female;
  else if (gender == "other") patient.gender = Gender::other;
  else if (gender == "unknown") patient.gender = Gender::unknown;
  else if (p.contains("gender")) issue(where + " gender", "is not one of male, female, other, unknown; not shown");
  if (const json* d = member(p, "deceasedBoolean")) patient.deceased = d->is_boolean() && d->get<bool>();
  if (p.contains("deceasedDateTime")) {
    patient.deceased = true;
    if (auto d = Date::parse_fhir(str(p, "deceasedDateTime"))) patient.deceased_date = d;
    else issue(where + " deceasedDateTime", "is not a valid date; shown as deceased, date unknown");
  }
  const json* address = nullptr;
  for (const json* a : each(p, "address")) {
    if (!a->is_object() || str(*a, "use") == "old") continue;
    if (!address || (str(*a, "use") == "home" && str(*address, "use") != "home")) address = a;
  }
  if (address) {
    Address addr;
    for (const json* l : each(*address, "line")) if (l->is_string()) addr.lines.push_back(l->get<std::string>());
    addr.city = str(*address, "city");
    addr.district = str(*address, "district");
    addr.postal_code = str(*address, "postalCode");
    addr.country = str(*address, "country");
    if (addr.lines.empty() && addr.city.empty() && addr.postal_code.empty() && !str(*address, "text").empty())
      addr.lines.push_back(str(*address, "text"));
    patient.address = std::move(addr);
  }
  for (const json* t : each(p, "telecom"))
    if (!str(*t, "value").empty()) patient.telecom.push_back({str(*t, "system"), str(*t, "value"), str(*t, "use")});
  for (const json* gp : each(p, "generalPractitioner")) {
    std::string ref = str(*gp, "reference"), display = str(*gp, "display");
    const json* id = member(*gp, "identifier");
    if (id && id->is_object() && !str(*id, "value").empty() && patient.registered_gp_ods.empty())
      patient.registered_gp_ods = str(*id, "value");
    bool practice = ref.rfind("Organization", 0) == 0 || str(*gp, "type") == "Organization";
    if (practice || out.extras().gp_reference.empty()) {
      out.fill().gp_reference = ref;
      if (!display.empty()) patient.registered_gp = display;
    }
    if (practice) break;
  }
  out.identity_only = true;
  out.patient = std::make_unique<Patient>(std::move(patient));
}

// The code and display of each kind: which member holds "what it is".
const char* code_member(const std::string& type) {
  static const std::pair<const char*, const char*> table[] = {
      {"MedicationStatement", "medicationCodeableConcept"}, {"MedicationRequest", "medicationCodeableConcept"},
      {"MedicationAdministration", "medicationCodeableConcept"}, {"Immunization", "vaccineCode"},
      {"Encounter", "type"}, {"EpisodeOfCare", "type"}, {"Appointment", "serviceType"},
      {"DocumentReference", "type"}, {"Composition", "type"}, {"RelatedPerson", "relationship"},
      {"Organization", "type"}, {"PractitionerRole", "code"}, {"ImagingStudy", "procedureCode"},
      {"Goal", "description"}, {"HealthcareService", "type"}};
  for (const auto& [kind, field] : table) if (type == kind) return field;
  return "code";
}

const char* category_members[] = {"category", "class", "scope", "modality", "serviceCategory", "appointmentType"};

}  // namespace

std::string html_to_text(const std::string& html) {
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      size_t close = html.find('>', i);
      if (close == std::string::npos) break;
      std::string tag = lower(html.substr(i + 1, std::min<size_t>(close - i - 1, 8)));
      bool block = tag.rfind("br", 0) == 0 || tag.rfind("p", 0) == 0 || tag.rfind("/p", 0) == 0 ||
                   tag.rfind("div", 0) == 0 || tag.rfind("/div", 0) == 0 || tag.rfind("li", 0) == 0 ||
                   tag.rfind("tr", 0) == 0 || tag.rfind("h", 0) == 0 || tag.rfind("/h", 0) == 0;
      if (block && !out.empty() && out.back() != '\n') out += '\n';
      i = close + 1;
    } else if (c == '&') {
      static const std::pair<const char*, const char*> entities[] = {
          {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
      bool done = false;
      for (const auto& [name, text] : entities) {
        if (html.compare(i, strlen(name), name) == 0) { out += text; i += strlen(name); done = true; break; }
      }
      if (!done) { out += c; ++i; }
    } else {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      if (!(c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n'))) out += c;
      ++i;
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::optional<std::string> decode_base64(const std::string& data) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(data.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : data) {
    if (c == '=' ) break;
    if (c == '\n' || c == '\r' || c == ' ') continue;
    int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

namespace {

// A Consent whose scope is patient-privacy says who may see what. Anything in
// a deny provision this reader cannot apply marks the part unreadable, which
// the policy treats as withholding everything (never as allowing).
void read_directive(const json& r, ReadResource& out) {
  bool privacy = false;
  if (const json* scope = member(r, "scope")) {
    std::vector<Coding> cs;
    add_concept(*scope, cs);
    for (const auto& c : cs) privacy = privacy || c.code == "patient-privacy";
  }
  const json* top = member(r, "provision");
  if (!privacy || !top || !top->is_object()) return;
  ConsentDirective d;
  d.base_deny = str(*top, "type") == "deny";
  if (const json* period = member(*top, "period")) {
    d.start = Date::parse_fhir(str(*period, "start"));
    d.end = Date::parse_fhir(str(*period, "end"));
  }
  for (const json* p : each(r, "policy"))
    if (p->is_object() && !str(*p, "uri").empty()) d.policy_uris.push_back(str(*p, "uri"));
  for (const json* p : each(*top, "provision")) {
    if (!p->is_object()) continue;
    ConsentDirective::Part part;
    part.deny = str(*p, "type") != "permit";  // a provision with no type restricts: read it as deny
    std::vector<std::string> actors, data;
    for (const json* a : each(*p, "actor"))
      if (const json* ref = member(*a, "reference")) {
        std::string reference = str(*ref, "reference");
        if (reference.empty())
          if (const json* id = member(*ref, "identifier")) reference = "identifier:" + str(*id, "value");
        if (reference.empty()) part.unreadable = true;
        actors.push_back(reference);
      }
    for (const json* x : each(*p, "data"))
      if (const json* ref = member(*x, "reference")) data.push_back(str(*ref, "reference"));
    for (const json* label : each(*p, "securityLabel")) part.security_labels.push_back(str(*label, "code"));
    for (const char* other : {"class", "code", "purpose", "dataPeriod", "action", "provision"})
      if (member(*p, other)) part.unreadable = true;
    if (actors.empty() && data.empty() && part.security_labels.empty()) part.unreadable = true;
    d.parts.push_back(std::move(part));
    out.fill().directive_actor_refs.push_back(std::move(actors));
    out.fill().directive_data_refs.push_back(std::move(data));
  }
  out.item.directive = std::move(d);
}

}  // namespace

ReadResource read_resource(const json& r, const std::string& where_in_input, const IssueFn& issue, bool hash_body) {
  ReadResource out;
  const std::string type = str(r, "resourceType");
  const std::string id = str(r, "id");
  const std::string where = where_in_input + (where_in_input.empty() ? "" : " ") + type + "/" + (id.empty() ? "(no id)" : id);
  out.where = where_in_input;
  Item& item = out.item;
  item.kind = type;
  item.source_id = id;

  if (const json* meta = member(r, "meta"); meta && meta->is_object()) {
    out.version_id = str(*meta, "versionId");
    out.meta_source = str(*meta, "source");
    item.source_system = out.meta_source;
    for (const json* s : each(*meta, "security")) if (s->is_object()) item.security_labels.push_back(to_coding(*s));
  }
  size_t i = 0;
  for (const json* ident : each(r, "identifier")) {
    if (ident->is_object() && !str(*ident, "value").empty()) {
      out.identifiers.push_back(str(*ident, "system") + "|" + str(*ident, "value"));
      for (const char* ods : kOdsSystems)
        if (str(*ident, "system") == ods && out.extras().ods_code.empty()) out.fill().ods_code = str(*ident, "value");
    } else if (!ident->is_object()) {
      issue(where + " identifier[" + std::to_string(i) + "]", "is not an object; ignored");
    }
    ++i;
  }

  if (type == "Patient") {
    read_patient(r, where, out, issue);
  }

  // What it is
  std::string display;
  const char* code_field = code_member(type);
  for (const json* concept : each(r, code_field)) {
    std::string t = add_concept(*concept, item.codings);
    if (display.empty()) display = t;
  }
  for (const char* field : category_members)
    for (const json* concept : each(r, field)) add_concept(*concept, item.categories);
  for (const json* concept : each(r, "reasonCode")) add_concept(*concept, item.reasons);
  // A medicine's ingredients say what it is as much as its code does (a
  // product coded locally, with dm+d or SNOMED CT substances as ingredients).
  if (type == "Medication")
    for (const json* ingredient : each(r, "ingredient"))
      if (const json* what = member(*ingredient, "itemCodeableConcept")) add_concept(*what, item.codings);
  if (display.empty()) {
    for (const char* field : {"title", "description", "name", "comment"}) {
      const json* v = member(r, field);
      if (v && v->is_string()) { display = v->get<std::string>(); break; }
    }
  }
  if (type == "Organization" || type == "Practitioner" || type == "RelatedPerson" || type == "Location" ||
      type == "HealthcareService") {
    out.fill().name = best_name(r);
    if (display.empty() || type != "RelatedPerson") display = out.extras().name.empty() ? display : out.extras().name;
  }
  if (type == "Organization" || type == "HealthcareService" || type == "Encounter") {
    for (const char* field : {"type", "serviceType"})
      for (const json* t : each(r, field)) {
        std::vector<Coding> cs;
        std::string text = add_concept(*t, cs);
        if (!text.empty()) out.fill().type_words.push_back(lower(text));
        for (const auto& c : cs) if (!c.display.empty()) out.fill().type_words.push_back(lower(c.display));
      }
  }
  if (type == "Flag" && display.empty()) display = "Flag";
  item.display = display;

  // Status: a plain status, else the clinical status of a condition or allergy
  item.status = word(r, "status");
  if (item.status.empty()) {
    for (const char* field : {"clinicalStatus", "verificationStatus"}) {
      std::vector<Coding> cs;
      if (const json* c = member(r, field)) add_concept(*c, cs);
      if (!cs.empty()) { item.status = cs.front().code; break; }
    }
  }
  if (const json* v = member(r, "verificationStatus")) {
    std::vector<Coding> cs;
    add_concept(*v, cs);
    if (!cs.empty() && cs.front().code == "entered-in-error") item.status = "entered-in-error";
  }

  read_dates(r, where, item, issue);
  item.value = read_value(r);
  // A medication's value is its dose, as the prescriber wrote it.
  for (const char* field : {"dosage", "dosageInstruction"})
    for (const json* d : each(r, field))
      if (item.value.text.empty() && d->is_object()) item.value.text = str(*d, "text");
  item.ranges = read_ranges(r);
  item.interpretation = read_interpretation(r);
  for (const json* c : each(r, "component")) {
    if (!c->is_object()) continue;
    Component comp;
    if (const json* code = member(*c, "code")) comp.name = add_concept(*code, comp.codings);
    comp.value = read_value(*c);
    comp.ranges = read_ranges(*c);
    comp.interpretation = read_interpretation(*c);
    item.components.push_back(std::move(comp));
  }
  read_text(r, type, where, item, issue);

  // People involved (names resolved by the builder when only a reference is given)
  for (const char* field : {"participant", "performer"}) {
    for (const json* p : each(r, field)) {
      if (!p->is_object()) continue;
      Participant person;
      std::vector<Coding> roles;
      for (const json* role : each(*p, "role")) person.role = add_concept(*role, roles);
      if (person.role.empty()) for (const json* f : each(*p, "function")) person.role = add_concept(*f, roles);
      const json* who = nullptr;
      for (const char* k : {"member", "individual", "actor"}) if ((who = member(*p, k))) break;
      if (!who && p->contains("reference")) who = p;  // performer as a bare Reference
      if (!who || !who->is_object()) continue;
      person.name = str(*who, "display");
      out.item.participants.push_back(person);
      out.participant_references.push_back(str(*who, "reference"));
    }
  }
  if (type == "Practitioner" || type == "PractitionerRole" || type == "RelatedPerson" || type == "Organization")
    out.fill().contact = telecom_text(r);
  if (type == "RelatedPerson") {
    Participant person{display, out.extras().name, {}, telecom_text(r)};
    out.item.participants.push_back(person);
    out.participant_references.push_back({});
  }

  if (type == "Consent") read_directive(r, out);
  {
    // Found in a reused list, then kept at their number: grown a reference at
    // a time, the kept lists held a tenth of a long record's memory at its peak, much of it spare room.
    static thread_local std::vector<RawReference> found;
    found.clear();
    std::string path;
    collect_references(r, path, found, 0);
    out.references.assign(std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }

  i = 0;
  for (const json* c : each(r, "contained")) {
    if (c->is_object() && c->contains("resourceType"))
      out.contained.push_back(read_resource(*c, where_in_input + " contained[" + std::to_string(i) + "]", issue));
    else
      issue(where + " contained[" + std::to_string(i) + "]", "is not a resource; ignored");
    ++i;
  }
  if (hash_body) out.content_hash = std::to_string(content_hash(r));
  return out;
}

}  // namespace ilinks::detail
