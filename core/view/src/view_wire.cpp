// The View as "ilinks-view/1" JSON, and its strict reader (ilinks/view_wire.h).
//
// Writer and reader are written member by member, side by side per type, so
// that a member added to one is seen missing from the other (the round-trip
// test compares every tab's mirror of a View and of the View read back).
#include "ilinks/view_wire.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <set>

#include <nlohmann/json.hpp>

#include "ilinks/errors.h"
#include "ilinks/json_writer.h"
#include "ilinks/nhs_number.h"

namespace ilinks {

using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------
// Names of the model's values on the wire
// ---------------------------------------------------------------------------

const char* const kGenders[] = {"not-recorded", "male", "female", "other", "unknown"};
const char* const kSettings[] = {"unknown", "primary_care", "community", "mental_health", "social_care", "acute_hospital", "diagnostics"};
const char* const kSegments[] = {"-", "S", "C", "D", "H"};
const char* const kBases[] = {"consent-required", "opted-out", "consent", "override"};

// "YYYY", "YYYY-MM" or "YYYY-MM-DD", as precise as the date is (FHIR `date`).
std::string date_text(const Date& d) {
  char buf[16];
  if (d.precision == Date::Precision::year) std::snprintf(buf, sizeof buf, "%04d", d.year);
  else if (d.precision == Date::Precision::month) std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  else std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// ---------------------------------------------------------------------------
// Writing: members at their defaults are left out; each object's members in
// byte order (JsonWriter checks), as the json tree this replaced kept them
// ---------------------------------------------------------------------------

void put(JsonWriter& w, const char* name, const std::string& text) {
  if (!text.empty()) w.key(name), w.string(text);
}
void put(JsonWriter& w, const char* name, bool flag) {
  if (flag) w.key(name), w.boolean(true);
}
void put(JsonWriter& w, const char* name, const std::vector<std::string>& texts) {
  if (texts.empty()) return;
  w.key(name);
  w.begin_array();
  for (const auto& text : texts) w.string(text);
  w.end_array();
}
void put(JsonWriter& w, const char* name, const std::vector<Text>& texts) {
  if (texts.empty()) return;
  w.key(name);
  w.begin_array();
  for (const Text& text : texts) w.string(text);
  w.end_array();
}
bool is_number(const std::optional<double>& number) { return number && std::isfinite(*number); }
void put(JsonWriter& w, const char* name, const std::optional<double>& number) {
  if (is_number(number)) w.key(name), w.number(*number);  // JSON has no NaN: an unreadable number is no number
}
void put(JsonWriter& w, const char* name, const std::optional<Date>& date) {
  if (date) w.key(name), w.string(date_text(*date));
}
template <typename T>
void put(JsonWriter& w, const char* name, const std::vector<T>& list, void (*write)(JsonWriter&, const T&)) {
  if (list.empty()) return;
  w.key(name);
  w.begin_array();
  for (const auto& x : list) write(w, x);
  w.end_array();
}

void write_coding(JsonWriter& w, const Coding& c) {
  w.begin_object();
  put(w, "code", c.code);
  put(w, "display", c.display);
  put(w, "system", c.system);
  w.end_object();
}

bool has_value(const Value& v) {
  return is_number(v.number) || !v.comparator.empty() || !v.unit.empty() || !v.text.empty() || !v.codings.empty();
}
void write_value(JsonWriter& w, const Value& v) {
  w.begin_object();
  put(w, "codings", v.codings, write_coding);
  put(w, "comparator", v.comparator);
  put(w, "number", v.number);
  put(w, "text", v.text);
  put(w, "unit", v.unit);
  w.end_object();
}

void write_range(JsonWriter& w, const ReferenceRange& r) {
  w.begin_object();
  put(w, "high", r.high);
  put(w, "low", r.low);
  put(w, "text", r.text);
  put(w, "unit", r.unit);
  w.end_object();
}

void write_component(JsonWriter& w, const Component& c) {
  w.begin_object();
  put(w, "codings", c.codings, write_coding);
  put(w, "interpretation", c.interpretation);
  put(w, "name", c.name);
  put(w, "ranges", c.ranges, write_range);
  if (has_value(c.value)) w.key("value"), write_value(w, c.value);
  w.end_object();
}

void write_participant(JsonWriter& w, const Participant& p) {
  w.begin_object();
  put(w, "contact", p.contact);
  put(w, "name", p.name);
  put(w, "organisation", p.organisation);
  put(w, "role", p.role);
  w.end_object();
}

void write_link(JsonWriter& w, const Link& l) {
  w.begin_object();
  w.key("relation"), w.string(l.relation);
  w.key("target"), w.string(l.target);
  w.end_object();
}

void write_directive_part(JsonWriter& w, const ConsentDirective::Part& p) {
  w.begin_object();
  w.key("deny"), w.boolean(p.deny);
  put(w, "items", p.items);
  put(w, "organisations", p.organisations);
  put(w, "security_labels", p.security_labels);
  put(w, "unreadable", p.unreadable);
  w.end_object();
}

void write_directive(JsonWriter& w, const ConsentDirective& d) {
  w.begin_object();
  put(w, "base_deny", d.base_deny);
  put(w, "end", d.end);
  put(w, "parts", d.parts, write_directive_part);
  put(w, "policy_uris", d.policy_uris);
  put(w, "start", d.start);
  w.end_object();
}

bool has_source(const SourceOrganisation& s) {
  return !s.ods_code.empty() || !s.name.empty() || s.setting != CareSetting::unknown || !s.found_by.empty() ||
         !s.setting_found_by.empty();
}

void write_item(JsonWriter& w, const Item& i) {
  w.begin_object();
  put(w, "categories", i.categories, write_coding);
  put(w, "codings", i.codings, write_coding);
  put(w, "components", i.components, write_component);
  put(w, "date", i.date);
  put(w, "date_time", i.date_time);
  if (i.directive) w.key("directive"), write_directive(w, *i.directive);
  put(w, "display", i.display);
  put(w, "end_date", i.end_date);
  if (i.exclusion) {
    w.key("exclusion");
    w.begin_object();
    w.key("category"), w.string(i.exclusion->category);
    put(w, "matched", i.exclusion->matched);
    put(w, "through", i.exclusion->through);
    w.end_object();
  }
  put(w, "interpretation", i.interpretation);
  w.key("key"), w.string(i.key);
  w.key("kind"), w.string(i.kind);
  put(w, "links", i.links, write_link);
  put(w, "participants", i.participants, write_participant);
  put(w, "ranges", i.ranges, write_range);
  put(w, "reasons", i.reasons, write_coding);
  put(w, "rule", i.rule);
  put(w, "security_labels", i.security_labels, write_coding);
  w.key("segment"), w.string(kSegments[static_cast<int>(i.segment)]);
  put(w, "sensitive_test", i.sensitive_test);
  if (has_source(i.source)) {
    w.key("source");
    w.begin_object();
    put(w, "found_by", i.source.found_by);
    put(w, "name", i.source.name);
    put(w, "ods_code", i.source.ods_code);
    if (i.source.setting != CareSetting::unknown) w.key("setting"), w.string(kSettings[static_cast<int>(i.source.setting)]);
    put(w, "setting_found_by", i.source.setting_found_by);
    w.end_object();
  }
  put(w, "source_id", i.source_id);
  // Item::input (the file or URL the service read it from) stays with the service.
  put(w, "source_system", i.source_system);
  put(w, "status", i.status);
  put(w, "tags", i.tags);
  put(w, "text", i.text);
  w.key("tier"), w.number(i.tier);
  if (has_value(i.value)) w.key("value"), write_value(w, i.value);
  w.end_object();
}

void write_telecom(JsonWriter& w, const Telecom& t) {
  w.begin_object();
  put(w, "system", t.system);
  put(w, "use", t.use);
  put(w, "value", t.value);
  w.end_object();
}

void write_patient(JsonWriter& w, const Patient& p) {
  w.begin_object();
  if (p.address) {
    w.key("address");
    w.begin_object();
    put(w, "city", p.address->city);
    put(w, "country", p.address->country);
    put(w, "district", p.address->district);
    put(w, "lines", p.address->lines);
    put(w, "postal_code", p.address->postal_code);
    w.end_object();
  }
  put(w, "birth_date", p.birth_date);
  put(w, "deceased", p.deceased);
  put(w, "deceased_date", p.deceased_date);
  if (p.gender != Gender::not_recorded) w.key("gender"), w.string(kGenders[static_cast<int>(p.gender)]);
  const PersonName& n = p.name;
  if (!n.family.empty() || !n.given.empty() || !n.prefix.empty() || !n.text.empty()) {
    w.key("name");
    w.begin_object();
    put(w, "family", n.family);
    put(w, "given", n.given);
    put(w, "prefix", n.prefix);
    put(w, "text", n.text);
    w.end_object();
  }
  put(w, "nhs_number", p.nhs_number);
  if (p.preferred_name) w.key("preferred_name"), w.string(*p.preferred_name);
  put(w, "registered_gp", p.registered_gp);
  put(w, "registered_gp_ods", p.registered_gp_ods);
  put(w, "resource_id", p.resource_id);
  put(w, "telecom", p.telecom, write_telecom);
  w.end_object();
}

void write_reason(JsonWriter& w, const ConsentOptions::Reason& r) {
  w.begin_object();
  w.key("code"), w.string(r.code);
  w.key("display"), w.string(r.display);
  w.end_object();
}

// ---------------------------------------------------------------------------
// Reading: one JSON value and where it is, for errors that say where
// ---------------------------------------------------------------------------

class Node {
 public:
  Node(const json& value, std::string where, const std::string& source) : j_(value), where_(std::move(where)), source_(source) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw InputError(source_ + ": not a View a sharing service made: at " + (where_.empty() ? "/" : where_) + ": " + why);
  }

  // An object holding no member but these.
  const Node& object(std::initializer_list<const char*> allowed) const {
    if (!j_.is_object()) fail("expected an object");
    for (auto member = j_.begin(); member != j_.end(); ++member) {
      const std::string& name = member.key();
      bool known = false;
      for (const char* a : allowed)  // the first letter first: most names differ there
        if (!name.empty() && name[0] == a[0] && name == a) {
          known = true;
          break;
        }
      if (!known) fail("unknown member \"" + printable(name) + "\" (format " + kViewWireFormat + " has no such member)");
    }
    return *this;
  }

  bool has(const char* name) const { return j_.contains(name); }
  Node at(const char* name) const { return Node(j_.at(name), where_ + "/" + name, source_); }
  // The member's value, or nullptr: one lookup where has() then at() made two.
  const json* member(const char* name) const {
    auto it = j_.find(name);
    return it == j_.end() ? nullptr : &*it;
  }

  std::string text(const char* name) const {
    const json* v = member(name);
    if (!v) return {};
    if (!v->is_string()) at(name).fail("expected text");
    return v->get<std::string>();
  }
  std::optional<std::string> optional_text(const char* name) const {
    if (!has(name)) return std::nullopt;
    return text(name);
  }
  std::string required_text(const char* name) const {
    if (!has(name)) fail("the member \"" + std::string(name) + "\" is missing");
    return text(name);
  }
  bool flag(const char* name) const {
    const json* v = member(name);
    if (!v) return false;
    if (!v->is_boolean()) at(name).fail("expected true or false");
    return v->get<bool>();
  }
  int integer(const char* name, int low, int high, int fallback) const {
    const json* v = member(name);
    if (!v) return fallback;
    if (!v->is_number_integer()) at(name).fail("expected a whole number");
    auto n = v->get<int64_t>();
    if (n < low || n > high) at(name).fail("expected " + std::to_string(low) + " to " + std::to_string(high));
    return static_cast<int>(n);
  }
  std::optional<double> number(const char* name) const {
    const json* v = member(name);
    if (!v) return std::nullopt;
    if (!v->is_number()) at(name).fail("expected a number");
    return v->get<double>();
  }
  std::optional<Date> date(const char* name) const {
    auto t = optional_text(name);
    if (!t) return std::nullopt;
    auto d = Date::parse_fhir(*t);
    if (!d || d->year < 1 || t->size() > 10) at(name).fail("expected a date as YYYY, YYYY-MM or YYYY-MM-DD");
    return d;
  }
  // One of `names` (an enum's names on the wire); its index.
  template <size_t N>
  int choice(const char* name, const char* const (&names)[N], int fallback) const {
    if (!has(name)) return fallback;
    std::string t = text(name);
    for (size_t i = 0; i < N; ++i)
      if (t == names[i]) return static_cast<int>(i);
    std::string list;
    for (size_t i = 0; i < N; ++i) list += (i ? ", " : "") + std::string(names[i]);
    at(name).fail("\"" + printable(t) + "\" is not one of " + list);
  }
  std::vector<std::string> texts(const char* name) const {
    std::vector<std::string> out;
    each(name, [&](const Node& n) {
      if (!n.j_.is_string()) n.fail("expected text");
      out.push_back(n.j_.get<std::string>());
    });
    return out;
  }
  void each(const char* name, const std::function<void(const Node&)>& read) const {
    const json* a = member(name);
    if (!a) return;
    if (!a->is_array()) at(name).fail("expected a list");
    std::string prefix = where_ + "/" + name + "/";
    for (size_t i = 0; i < a->size(); ++i) read(Node((*a)[i], prefix + std::to_string(i), source_));
  }
  template <typename T>
  std::vector<T> list(const char* name, T (*read)(const Node&)) const {
    std::vector<T> out;
    each(name, [&](const Node& n) { out.push_back(read(n)); });
    return out;
  }

 private:
  // A member name from the input, safe to put in an error: printable ASCII, cut short.
  static std::string printable(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return s.size() > 40 ? out + "..." : out;
  }

  const json& j_;
  std::string where_;
  const std::string& source_;
};

Coding read_coding(const Node& n) {
  n.object({"system", "code", "display"});
  return {n.text("system"), n.text("code"), n.text("display")};
}

Value read_value(const Node& n) {
  n.object({"number", "comparator", "unit", "text", "codings"});
  Value v;
  v.number = n.number("number");
  v.comparator = n.text("comparator");
  v.unit = n.text("unit");
  v.text = n.text("text");
  v.codings = n.list("codings", read_coding);
  return v;
}

ReferenceRange read_range(const Node& n) {
  n.object({"low", "high", "unit", "text"});
  ReferenceRange r;
  r.low = n.number("low");
  r.high = n.number("high");
  r.unit = n.text("unit");
  r.text = n.text("text");
  return r;
}

Component read_component(const Node& n) {
  n.object({"name", "codings", "value", "ranges", "interpretation"});
  Component c;
  c.name = n.text("name");
  c.codings = n.list("codings", read_coding);
  if (n.has("value")) c.value = read_value(n.at("value"));
  c.ranges = n.list("ranges", read_range);
  c.interpretation = n.text("interpretation");
  return c;
}

Participant read_participant(const Node& n) {
  n.object({"role", "name", "organisation", "contact"});
  return {n.text("role"), n.text("name"), n.text("organisation"), n.text("contact")};
}

Link read_link(const Node& n) {
  n.object({"relation", "target"});
  return {n.required_text("relation"), n.required_text("target")};
}

ConsentDirective::Part read_directive_part(const Node& n) {
  n.object({"deny", "organisations", "items", "security_labels", "unreadable"});
  ConsentDirective::Part p;
  if (!n.has("deny")) n.fail("the member \"deny\" is missing");
  p.deny = n.flag("deny");
  p.organisations = n.texts("organisations");
  p.items = n.texts("items");
  p.security_labels = n.texts("security_labels");
  p.unreadable = n.flag("unreadable");
  return p;
}

ConsentDirective read_directive(const Node& n) {
  n.object({"base_deny", "parts", "start", "end", "policy_uris"});
  ConsentDirective d;
  d.base_deny = n.flag("base_deny");
  d.parts = n.list("parts", read_directive_part);
  d.start = n.date("start");
  d.end = n.date("end");
  d.policy_uris = n.texts("policy_uris");
  return d;
}

Item read_item(const Node& n) {
  n.object({"key", "kind", "source_id", "display", "codings", "categories", "reasons", "status", "date", "end_date", "date_time",
            "value", "ranges", "interpretation", "components", "text", "participants", "source", "source_system",
            "security_labels", "links", "directive", "segment", "tier", "rule", "exclusion", "sensitive_test", "tags"});
  Item i;
  i.key = n.required_text("key");
  i.kind = n.required_text("kind");
  if (i.key.empty() || i.kind.empty()) n.fail("an item needs a key and a kind");
  i.source_id = n.text("source_id");
  i.display = n.text("display");
  i.codings = n.list("codings", read_coding);
  i.categories = n.list("categories", read_coding);
  i.reasons = n.list("reasons", read_coding);
  i.status = n.text("status");
  i.date = n.date("date");
  i.end_date = n.date("end_date");
  i.date_time = n.text("date_time");
  if (n.has("value")) i.value = read_value(n.at("value"));
  i.ranges = n.list("ranges", read_range);
  i.interpretation = n.text("interpretation");
  i.components = n.list("components", read_component);
  i.text = n.text("text");
  i.participants = n.list("participants", read_participant);
  if (n.has("source")) {
    Node s = n.at("source");
    s.object({"ods_code", "name", "setting", "found_by", "setting_found_by"});
    i.source.ods_code = s.text("ods_code");
    i.source.name = s.text("name");
    i.source.setting = static_cast<CareSetting>(s.choice("setting", kSettings, 0));
    i.source.found_by = s.text("found_by");
    i.source.setting_found_by = s.text("setting_found_by");
  }
  i.source_system = n.text("source_system");
  i.security_labels = n.list("security_labels", read_coding);
  i.links = n.list("links", read_link);
  if (n.has("directive")) i.directive = read_directive(n.at("directive"));
  if (!n.has("segment") || !n.has("tier")) n.fail("an item needs its segment and tier");
  i.segment = static_cast<Segment>(n.choice("segment", kSegments, 0));
  i.tier = n.integer("tier", 0, 3, 0);
  if ((i.segment == Segment::none) != (i.tier == 0)) n.at("tier").fail("a tier is 1 to 3 in a segment, and 0 only outside one");
  i.rule = n.text("rule");
  if (n.has("exclusion")) {
    Node e = n.at("exclusion");
    e.object({"category", "matched", "through"});
    i.exclusion = ExclusionMark{e.required_text("category"), e.text("matched"), e.text("through")};
  }
  i.sensitive_test = n.text("sensitive_test");
  std::vector<std::string> tags = n.texts("tags");
  i.tags.assign(tags.begin(), tags.end());
  return i;
}

Patient read_patient(const Node& n) {
  n.object({"resource_id", "nhs_number", "name", "preferred_name", "birth_date", "gender", "deceased", "deceased_date", "address",
            "telecom", "registered_gp", "registered_gp_ods"});
  Patient p;
  p.resource_id = n.text("resource_id");
  p.nhs_number = n.text("nhs_number");
  if (!p.nhs_number.empty() && !is_valid_nhs_number(p.nhs_number))
    n.at("nhs_number").fail("not a valid NHS number (10 digits, modulus 11)");
  if (n.has("name")) {
    Node m = n.at("name");
    m.object({"family", "given", "prefix", "text"});
    p.name = {m.text("family"), m.texts("given"), m.texts("prefix"), m.text("text")};
  }
  p.preferred_name = n.optional_text("preferred_name");
  p.birth_date = n.date("birth_date");
  p.gender = static_cast<Gender>(n.choice("gender", kGenders, 0));
  p.deceased = n.flag("deceased");
  p.deceased_date = n.date("deceased_date");
  if (n.has("address")) {
    Node a = n.at("address");
    a.object({"lines", "city", "district", "postal_code", "country"});
    p.address = Address{a.texts("lines"), a.text("city"), a.text("district"), a.text("postal_code"), a.text("country")};
  }
  p.telecom = n.list("telecom", +[](const Node& t) {
    t.object({"system", "value", "use"});
    return Telecom{t.text("system"), t.text("value"), t.text("use")};
  });
  p.registered_gp = n.text("registered_gp");
  p.registered_gp_ods = n.text("registered_gp_ods");
  return p;
}

ConsentOptions::Reason read_reason(const Node& n) {
  n.object({"code", "display"});
  return {n.required_text("code"), n.text("display")};
}

// How deeply arrays and objects nest, outside strings; past `limit` it stops
// counting. Read before parsing, so no input can make the parser recurse deep.
int nesting_depth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::string view_to_wire(const View& v) {
  std::string out;
  out.reserve(4096 + v.items().size() * 512);
  JsonWriter w(out);
  w.begin_object();
  w.key("basis"), w.string(kBases[static_cast<int>(v.basis())]);
  put(w, "basis_text", v.basis_text());
  put(w, "case_access_available", v.case_access_available());
  put(w, "case_access_text", v.case_access_text());
  const ConsentOptions& c = v.consent_options();
  w.key("consent_options");
  w.begin_object();
  put(w, "case_access_reasons", c.case_access_reasons, write_reason);
  w.key("case_access_text_min_characters"), w.number(c.case_access_text_min_characters);
  put(w, "may_override", c.may_override);
  w.key("methods");
  w.begin_array();
  for (const auto& m : c.methods) w.string(m);
  w.end_array();
  put(w, "override_reasons", c.override_reasons, write_reason);
  w.key("override_text_min_characters"), w.number(c.override_text_min_characters);
  w.end_object();
  w.key("format"), w.string(kViewWireFormat);
  put(w, "incomplete", v.incomplete());
  w.key("items");
  w.begin_array();
  for (const Item& i : v.items()) write_item(w, i);
  w.end_array();
  put(w, "notice", v.notice());
  put(w, "opt_out_notice", v.opt_out_notice());
  if (v.override_ends()) w.key("override_ends"), w.string(v.override_ends()->iso());
  put(w, "override_reason", v.override_reason());
  if (v.own_organisation_items_hidden() > 0) w.key("own_organisation_items_hidden"), w.number(v.own_organisation_items_hidden());
  w.key("patient"), write_patient(w, v.patient());
  put(w, "policy_version", v.policy_version());
  w.key("profile");
  w.begin_object();
  w.key("id"), w.string(v.profile_id());
  put(w, "name", v.profile_name());
  w.end_object();
  w.key("tiers");
  w.begin_object();
  for (Segment s : {Segment::community, Segment::diagnostics, Segment::hospital, Segment::summary})  // C, D, H, S
    if (v.tier(s) > 0) w.key(segment_letter(s)), w.number(v.tier(s));
  w.end_object();
  put(w, "unavailable_sources", v.unavailable_sources());
  w.end_object();
  return out;
}

ServiceView ServiceView::read(std::string_view text, const std::string& source) {
  if (text.size() > kViewWireMaxBytes)
    throw InputError(source + ": not read: " + std::to_string(text.size() / (1024 * 1024)) + " MB is more than a View may be (" +
                     std::to_string(kViewWireMaxBytes / (1024 * 1024)) + " MB)");
  if (nesting_depth(text, kViewWireMaxDepth) > kViewWireMaxDepth)
    throw InputError(source + ": not a View a sharing service made: lists and objects nest deeper than a View's " +
                     std::to_string(kViewWireMaxDepth) + " levels");
  TextPool words;  // the View's repeated words (codes, units, organisations) kept once, as a reading keeps them
  TextPool::Use interning(words);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 2: <why>"
    throw InputError(source + ": not JSON: at byte " + std::to_string(e.byte) + ":" + what.substr(what.rfind(':') + 1));
  } catch (const json::out_of_range&) {  // a number too large for any View member (found by fuzzing)
    throw InputError(source + ": not a View a sharing service made: a number is too large to read");
  }
  Node root(j, "", source);
  if (!j.is_object() || !j.contains("format"))
    root.fail(std::string("no \"format\": \"") + kViewWireFormat + "\" (a record, a FHIR resource or another document is not a View)");
  if (!j.at("format").is_string() || j.at("format").get<std::string>() != kViewWireFormat)
    root.at("format").fail(std::string("expected \"") + kViewWireFormat + "\" (a newer service? this viewer reads only that format)");
  root.object({"format", "basis", "patient", "incomplete", "basis_text", "override_ends", "override_reason", "profile", "tiers",
               "case_access_available", "case_access_text", "consent_options", "items", "unavailable_sources", "notice",
               "opt_out_notice", "own_organisation_items_hidden", "policy_version"});

  View v;
  if (!root.has("basis") || !root.has("patient") || !root.has("profile") || !root.has("items"))
    root.fail("a View needs its basis, patient, profile and items");
  v.basis_ = static_cast<Basis>(root.choice("basis", kBases, 0));
  v.patient_ = read_patient(root.at("patient"));
  v.incomplete_ = root.flag("incomplete");
  v.basis_text_ = root.text("basis_text");
  if (auto ends = root.optional_text("override_ends")) {
    v.override_ends_ = Timestamp::parse(*ends);
    if (!v.override_ends_) root.at("override_ends").fail("expected a date and time with its zone (2026-11-29T18:05:00+00:00)");
  }
  v.override_reason_ = root.text("override_reason");
  Node profile = root.at("profile");
  profile.object({"id", "name"});
  v.profile_id_ = profile.required_text("id");
  v.profile_name_ = profile.text("name");
  if (root.has("tiers")) {
    Node tiers = root.at("tiers");
    tiers.object({"S", "C", "D", "H"});
    for (Segment s : {Segment::summary, Segment::community, Segment::diagnostics, Segment::hospital})
      v.tiers_[static_cast<size_t>(s)] = tiers.integer(segment_letter(s), 1, 3, 0);
  }
  v.case_access_available_ = root.flag("case_access_available");
  v.case_access_text_ = root.text("case_access_text");
  if (root.has("consent_options")) {
    Node c = root.at("consent_options");
    c.object({"methods", "may_override", "override_reasons", "override_text_min_characters", "case_access_reasons",
              "case_access_text_min_characters"});
    ConsentOptions& o = v.consent_options_;
    if (c.has("methods")) o.methods = c.texts("methods");
    o.may_override = c.flag("may_override");
    o.override_reasons = c.list("override_reasons", read_reason);
    o.override_text_min_characters = c.integer("override_text_min_characters", 0, 10000, o.override_text_min_characters);
    o.case_access_reasons = c.list("case_access_reasons", read_reason);
    o.case_access_text_min_characters = c.integer("case_access_text_min_characters", 0, 10000, o.case_access_text_min_characters);
  }
  v.items_ = root.list("items", read_item);
  v.unavailable_sources_ = root.texts("unavailable_sources");
  v.notice_ = root.text("notice");
  v.opt_out_notice_ = root.text("opt_out_notice");
  v.own_hidden_ = root.integer("own_organisation_items_hidden", 0, 1 << 30, 0);
  v.policy_version_ = root.text("policy_version");

  // What the policy guarantees of every View, checked again here.
  if (!v.shows_record() && !v.items_.empty())
    root.at("items").fail("a View on the basis \"" + std::string(basis_id(v.basis_)) + "\" shows no record, yet it holds items");
  std::set<std::string> keys;
  for (size_t i = 0; i < v.items_.size(); ++i)
    if (!keys.insert(v.items_[i].key).second)
      root.at("items").fail("item " + std::to_string(i) + " repeats the key of an earlier item");
  for (size_t i = 0; i < v.items_.size(); ++i)
    for (const Link& l : v.items_[i].links)
      if (!keys.count(l.target))
        root.at("items").fail("item " + std::to_string(i) + " links to an item the View does not hold (a View only links shown items)");
  return ServiceView(std::move(v));
}

}  // namespace ilinks
