#include "fhir_consent.h"

#include <algorithm>

namespace ilinks {

using nlohmann::json;

namespace {
const char* const kNhs = "https://fhir.nhs.uk/Id/nhs-number";
const char* const kOds = "https://fhir.nhs.uk/Id/ods-organization-code";
const char* const kMethod = "https://ilinks.nhs.uk/fhir/StructureDefinition/consent-method";
const char* const kScopeSystem = "https://ilinks.nhs.uk/fhir/CodeSystem/consent-scope";
const char* const kSegmentSystem = "https://ilinks.nhs.uk/fhir/CodeSystem/record-segment";
const char* const kSettingSystem = "https://ilinks.nhs.uk/fhir/CodeSystem/care-setting";
const char* const kLabelSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

json coding(const char* system, const std::string& code) {
  json c = json::object();
  c["system"] = system;
  c["code"] = code;
  return c;
}

json concept_of(const char* system, const std::string& code) {
  json c = json::object();
  c["coding"] = json::array({coding(system, code)});
  return c;
}

json identifier(const char* system, const std::string& value) {
  json id = json::object();
  id["system"] = system;
  id["value"] = value;
  return id;
}

json consent_shell(const std::string& nhs, const std::string& id, const Timestamp& when) {
  json r = json::object();
  r["resourceType"] = "Consent";
  r["id"] = id;
  r["status"] = "active";
  r["scope"] = concept_of("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy");
  r["category"] = json::array({concept_of("http://loinc.org", "59284-0")});
  r["patient"] = json::object();
  r["patient"]["identifier"] = identifier(kNhs, nhs);
  r["dateTime"] = when.iso();
  return r;
}

json reference_to(const json& identifier_or_display, bool display) {
  json ref = json::object();
  ref[display ? "display" : "identifier"] = identifier_or_display;
  json holder = json::object();
  holder["reference"] = ref;
  return holder;
}

json permit_of(const StoredConsent& c) {
  json r = consent_shell(c.nhs_number, "consent-" + std::to_string(c.id), c.consent.recorded_at);
  json method = json::object();
  method["url"] = kMethod;
  method["valueCode"] = c.consent.method;
  r["extension"] = json::array({method});
  json verification = json::object();
  verification["verified"] = true;
  verification["verifiedWith"] = json::object({{"display", c.consent.given_by}});
  r["verification"] = json::array({verification});
  json provision = json::object();
  provision["type"] = "permit";
  if (c.consent.expires) provision["period"] = json::object({{"end", c.consent.expires->iso()}});
  json actor = json::object();
  if (c.consent.scope == Consent::Scope::organisation) actor = reference_to(identifier(kOds, c.consent.scope_value), false);
  if (c.consent.scope == Consent::Scope::team) actor = reference_to(c.consent.scope_value, true);
  if (c.consent.scope == Consent::Scope::user)
    actor = reference_to(identifier("https://ilinks.nhs.uk/Id/user", c.recorded_by.user_id), false);
  actor["role"] = concept_of(kScopeSystem, consent_scope_id(c.consent.scope));
  provision["actor"] = json::array({actor});
  r["provision"] = provision;
  return r;
}

json deny_of(const StoredOptOut& o) {
  json r = consent_shell(o.nhs_number, "opt-out-" + std::to_string(o.id), o.recorded_at);
  if (o.opt_out.scope == OptOut::Scope::whole_record) {
    r["provision"] = json::object({{"type", "deny"}});
    return r;
  }
  json part = json::object();
  part["type"] = "deny";
  const std::string& v = o.opt_out.value;
  switch (o.opt_out.scope) {
    case OptOut::Scope::organisation: part["actor"] = json::array({reference_to(identifier(kOds, v), false)}); break;
    case OptOut::Scope::item: {
      json data = json::object();
      data["meaning"] = "instance";
      data["reference"] = json::object({{"reference", v}});
      part["data"] = json::array({data});
      break;
    }
    case OptOut::Scope::security_label: part["securityLabel"] = json::array({coding(kLabelSystem, v)}); break;
    case OptOut::Scope::segment: part["class"] = json::array({coding(kSegmentSystem, v)}); break;
    case OptOut::Scope::setting: part["class"] = json::array({coding(kSettingSystem, v)}); break;
    case OptOut::Scope::whole_record: break;
  }
  json provision = json::object();
  provision["type"] = "permit";
  provision["provision"] = json::array({part});
  r["provision"] = provision;
  return r;
}

std::string text_at(const json& j, std::initializer_list<const char*> path) {
  const json* at = &j;
  for (const char* step : path) {
    if (!at->is_object() || !at->contains(step)) return "";
    at = &(*at)[step];
  }
  return at->is_string() ? at->get<std::string>() : "";
}

// What one resource records; throws InputError with `where`.
void read_one(const json& r, const std::string& where, const std::string& nhs, std::vector<Consent>& consents,
              std::vector<OptOut>& opt_outs, const Viewer& by) {
  auto bad = [&](const std::string& why) { throw InputError(where + ": " + why); };
  if (!r.is_object() || r.value("resourceType", "") != "Consent") bad("is not a Consent resource");
  if (r.value("status", "") != "active") bad("is not active (only active consents and opt-outs are imported)");
  if (text_at(r, {"patient", "identifier", "system"}) != kNhs || text_at(r, {"patient", "identifier", "value"}) != nhs)
    bad("is not about the person open in your system (patient.identifier must be their NHS number)");
  const json* provision = r.contains("provision") && r["provision"].is_object() ? &r["provision"] : nullptr;
  if (!provision) bad("has no provision");
  std::string type = provision->value("type", "");
  if (type == "deny" && !provision->contains("provision")) {
    opt_outs.push_back({OptOut::Scope::whole_record, ""});
    return;
  }
  if (type != "permit") bad("provision.type must be permit or deny");
  if (provision->contains("provision")) {
    const json& parts = (*provision)["provision"];
    if (!parts.is_array() || parts.empty()) bad("provision.provision must be a list of deny provisions");
    for (size_t i = 0; i < parts.size(); ++i) {
      const json& p = parts[i];
      std::string at = "provision.provision[" + std::to_string(i) + "]";
      if (!p.is_object() || p.value("type", "") != "deny") bad(at + " must be a deny provision");
      std::string org = p.contains("actor") && p["actor"].is_array() && !p["actor"].empty()
                            ? text_at(p["actor"][0], {"reference", "identifier", "value"}) : "";
      std::string item = p.contains("data") && p["data"].is_array() && !p["data"].empty() ? text_at(p["data"][0], {"reference", "reference"}) : "";
      std::string label = p.contains("securityLabel") && p["securityLabel"].is_array() && !p["securityLabel"].empty()
                              ? text_at(p["securityLabel"][0], {"code"}) : "";
      std::string cls_system, cls_code;
      if (p.contains("class") && p["class"].is_array() && !p["class"].empty()) {
        cls_system = text_at(p["class"][0], {"system"});
        cls_code = text_at(p["class"][0], {"code"});
      }
      if (!org.empty()) opt_outs.push_back({OptOut::Scope::organisation, org});
      else if (!item.empty()) opt_outs.push_back({OptOut::Scope::item, item});
      else if (!label.empty()) opt_outs.push_back({OptOut::Scope::security_label, label});
      else if (cls_system == kSegmentSystem && !cls_code.empty()) opt_outs.push_back({OptOut::Scope::segment, cls_code});
      else if (cls_system == kSettingSystem && !cls_code.empty()) opt_outs.push_back({OptOut::Scope::setting, cls_code});
      else bad(at + " says what it denies in a way this service cannot record (actor organisation, data, securityLabel or class)");
    }
    return;
  }
  Consent c;
  c.recorded_by = by.user_id;
  auto when = Timestamp::parse(r.value("dateTime", ""));
  if (!when) bad("dateTime must be a date and time with a zone");
  c.recorded_at = *when;
  c.method = "written";
  if (r.contains("extension") && r["extension"].is_array())
    for (const auto& e : r["extension"])
      if (text_at(e, {"url"}) == kMethod) c.method = text_at(e, {"valueCode"});
  if (r.contains("verification") && r["verification"].is_array() && !r["verification"].empty()) {
    std::string who = text_at(r["verification"][0], {"verifiedWith", "display"});
    if (!who.empty()) c.given_by = who;
  }
  if (provision->contains("period")) {
    auto end = Timestamp::parse(text_at(*provision, {"period", "end"}));
    if (end) c.expires = end;
  }
  c.scope = Consent::Scope::all_participants;
  if (provision->contains("actor") && (*provision)["actor"].is_array() && !(*provision)["actor"].empty()) {
    const json& actor = (*provision)["actor"][0];
    Consent::Scope scope;
    std::string code = actor.contains("role") && actor["role"].contains("coding") && actor["role"]["coding"].is_array() &&
                               !actor["role"]["coding"].empty()
                           ? text_at(actor["role"]["coding"][0], {"code"}) : "";
    if (!consent_scope_from_id(code, scope)) bad("provision.actor[0].role must be one of this service's consent scopes");
    c.scope = scope;
    if (scope == Consent::Scope::organisation) c.scope_value = text_at(actor, {"reference", "identifier", "value"});
    if (scope == Consent::Scope::team) c.scope_value = text_at(actor, {"reference", "display"});
    if (scope == Consent::Scope::user) {
      // A consent for one user is that user's; an import records it for the importer only.
      c.scope_value.clear();
    }
  }
  consents.push_back(c);
}
}  // namespace

std::string consents_as_fhir(Store& store, const std::string& nhs) {
  json entries = json::array();
  for (const auto& c : store.consents(nhs, false)) entries.push_back({{"resource", permit_of(c)}});
  for (const auto& o : store.opt_outs_of(nhs, false)) entries.push_back({{"resource", deny_of(o)}});
  return json{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", entries}}.dump();
}

ImportedConsents import_fhir_consents(SharingService& s, const api::Caller& caller, const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) throw InputError("the body is not a FHIR JSON resource");
  const std::string& nhs = caller.token.patient_nhs_number;
  const Viewer& v = caller.token.viewer;
  std::vector<Consent> consents;
  std::vector<OptOut> opt_outs;
  if (doc.value("resourceType", "") == "Bundle") {
    if (!doc.contains("entry") || !doc["entry"].is_array()) throw InputError("the Bundle has no entry list");
    for (size_t i = 0; i < doc["entry"].size(); ++i) {
      const json& e = doc["entry"][i];
      if (!e.is_object() || !e.contains("resource")) throw InputError("entry[" + std::to_string(i) + "] has no resource");
      read_one(e["resource"], "entry[" + std::to_string(i) + "]", nhs, consents, opt_outs, v);
    }
  } else {
    read_one(doc, "the Consent", nhs, consents, opt_outs, v);
  }
  // Everything is checked before anything is recorded: a Bundle is taken whole or not at all.
  const auto& methods = s.policy().consent_methods();
  for (size_t i = 0; i < consents.size(); ++i)
    if (std::find(methods.begin(), methods.end(), consents[i].method) == methods.end())
      throw InputError("consent " + std::to_string(i + 1) + ": method \"" + consents[i].method + "\" is not one the policy knows");
  for (size_t i = 0; i < opt_outs.size(); ++i)
    if (opt_outs[i].scope != OptOut::Scope::whole_record && opt_outs[i].value.empty())
      throw InputError("opt-out " + std::to_string(i + 1) + " does not say what it covers");
  ImportedConsents done;
  for (const auto& c : consents) {
    s.policy().record_consent(v, caller.person(), c, s.audit());  // audited; refused for an unknown method
    s.store().add_consent(nhs, c, {v.user_id, v.user_name, v.organisation_ods});
    ++done.consents;
  }
  Timestamp now = Timestamp::now();
  for (const auto& o : opt_outs) {
    s.policy().record_opt_out(v, caller.person(), o, now, s.audit());
    s.store().add_opt_out_by(nhs, o, {v.user_id, v.user_name, v.organisation_ods}, now);
    ++done.opt_outs;
  }
  return done;
}

}  // namespace ilinks
