// Loading core/data/policy.json (or a deployment's policy): checked as a whole
// before use. A misspelt member would silently widen or narrow access, so
// anything unknown is refused, never ignored.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "embedded_data.h"
#include "ilinks/sha256.h"
#include "ilinks/classification.h"
#include "ilinks/code_list.h"
#include "ilinks/errors.h"
#include "policy_data.h"


namespace ilinks {

using nlohmann::json;

namespace {

const char* const kSegmentLetters[] = {"S", "C", "D", "H"};
const Segment kSegments[] = {Segment::summary, Segment::community, Segment::diagnostics, Segment::hospital};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw PolicyFileError(file_ + (where.empty() ? "" : ": " + where) + ": " + why);
  }
  const json& member(const json& object, const char* key, const std::string& where) const {
    auto it = object.find(key);
    if (it == object.end()) fail(where + key, "is missing");
    return *it;
  }
  const json& object(const json& o, const char* key, const std::string& where) const {
    const json& v = member(o, key, where);
    if (!v.is_object()) fail(where + key, "must be an object");
    return v;
  }
  const json& list(const json& o, const char* key, const std::string& where) const {
    const json& v = member(o, key, where);
    if (!v.is_array()) fail(where + key, "must be a list");
    return v;
  }
  std::string text(const json& o, const char* key, const std::string& where) const {
    const json& v = member(o, key, where);
    if (!v.is_string() || v.get<std::string>().empty()) fail(where + key, "must be a non-empty text");
    return v.get<std::string>();
  }
  int whole(const json& o, const char* key, const std::string& where, int low, int high) const {
    const json& v = member(o, key, where);
    if (!v.is_number_integer() || v.get<long long>() < low || v.get<long long>() > high)
      fail(where + key, "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return v.get<int>();
  }
  bool flag(const json& o, const char* key, const std::string& where) const {
    const json& v = member(o, key, where);
    if (!v.is_boolean()) fail(where + key, "must be true or false");
    return v.get<bool>();
  }
  Segment segment(const json& o, const char* key, const std::string& where) const {
    std::string letter = text(o, key, where);
    for (int i = 0; i < 4; ++i)
      if (letter == kSegmentLetters[i]) return kSegments[i];
    fail(where + key, "\"" + letter + "\" is not a segment (S, C, D, H)");
  }
  void only(const json& o, std::initializer_list<const char*> keys, const std::string& where) const {
    for (auto it = o.begin(); it != o.end(); ++it)
      if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }))
        fail(where + it.key(), "is not a known member (misspelt?)");
  }
  int minute_of_day(const std::string& hhmm, const std::string& where) const {
    if (hhmm.size() != 5 || hhmm[2] != ':' || !std::isdigit(static_cast<unsigned char>(hhmm[0])) ||
        !std::isdigit(static_cast<unsigned char>(hhmm[1])) || !std::isdigit(static_cast<unsigned char>(hhmm[3])) ||
        !std::isdigit(static_cast<unsigned char>(hhmm[4])))
      fail(where, "\"" + hhmm + "\" is not a time (hh:mm)");
    int h = std::stoi(hhmm.substr(0, 2)), m = std::stoi(hhmm.substr(3, 2));
    if (h > 23 || m > 59) fail(where, "\"" + hhmm + "\" is not a time (hh:mm)");
    return h * 60 + m;
  }

 private:
  std::string file_;
};

void read_profiles(const Reader& r, const json& root, Policy::Data& d) {
  const json& profiles = r.list(root, "profiles", "");
  if (profiles.empty()) r.fail("profiles", "must list at least one profile");
  std::set<std::string> ids;
  for (size_t i = 0; i < profiles.size(); ++i) {
    std::string where = "profiles[" + std::to_string(i) + "].";
    const json& p = profiles[i];
    if (!p.is_object()) r.fail(where.substr(0, where.size() - 1), "must be an object");
    r.only(p, {"id", "name", "access"}, where);
    Profile profile;
    profile.id = r.text(p, "id", where);
    profile.name = r.text(p, "name", where);
    if (!ids.insert(profile.id).second) r.fail(where + "id", "\"" + profile.id + "\" is given twice");
    const json& access = r.object(p, "access", where);
    r.only(access, {"S", "C", "D", "H"}, where + "access.");
    for (int s = 0; s < 4; ++s) profile.access[kSegments[s]] = r.whole(access, kSegmentLetters[s], where + "access.", 0, 3);
    d.profiles.push_back(std::move(profile));
  }
}

// Roles that see the audit, never the record: none of them may share a
// profile's id, so a token naming one is never given a clinical View.
void read_audit_roles(const Reader& r, const json& root, Policy::Data& d) {
  if (!root.contains("audit_roles")) return;
  static const std::set<std::string> kKnown = {"alerts", "audit", "own-access-log"};
  const json& roles = r.list(root, "audit_roles", "");
  for (size_t i = 0; i < roles.size(); ++i) {
    std::string where = "audit_roles[" + std::to_string(i) + "].";
    const json& a = roles[i];
    if (!a.is_object()) r.fail(where.substr(0, where.size() - 1), "must be an object");
    r.only(a, {"id", "name", "sees", "why"}, where);
    AuditRole role;
    role.id = r.text(a, "id", where);
    role.name = r.text(a, "name", where);
    if (std::any_of(d.profiles.begin(), d.profiles.end(), [&](const Profile& p) { return p.id == role.id; }) ||
        std::any_of(d.audit_roles.begin(), d.audit_roles.end(), [&](const AuditRole& o) { return o.id == role.id; }))
      r.fail(where + "id", "\"" + role.id + "\" is already a profile or an audit role");
    for (const auto& s : r.list(a, "sees", where)) {
      if (!s.is_string() || !kKnown.count(s.get<std::string>()))
        r.fail(where + "sees", "must list some of \"alerts\", \"audit\", \"own-access-log\"");
      role.sees.insert(s.get<std::string>());
    }
    d.audit_roles.push_back(std::move(role));
  }
}

void read_live(const Reader& r, const json& root, Policy::Data& d) {
  const json& live = r.object(root, "live", "");
  r.only(live, {"S", "C", "D", "H"}, "live.");
  for (int s = 0; s < 4; ++s) {
    const json& tiers = r.list(live, kSegmentLetters[s], "live.");
    std::string where = std::string("live.") + kSegmentLetters[s];
    for (const auto& t : tiers) {
      if (!t.is_number_integer() || t.get<int>() < 1 || t.get<int>() > 3) r.fail(where, "must list tiers 1, 2 or 3");
      if (!d.live[kSegments[s]].insert(t.get<int>()).second) r.fail(where, "lists tier " + std::to_string(t.get<int>()) + " twice");
    }
  }
}

void read_reasons(const Reader& r, const json& reasons, const std::string& where, std::vector<OverrideReason>& out) {
  if (reasons.empty()) r.fail(where, "must list at least one reason");
  for (size_t i = 0; i < reasons.size(); ++i) {
    std::string at = where + "[" + std::to_string(i) + "].";
    if (!reasons[i].is_object()) r.fail(at, "must be an object");
    out.push_back({r.text(reasons[i], "code", at), r.text(reasons[i], "display", at)});
  }
}

void read_override(const Reader& r, const json& root, Policy::Data& d) {
  const json& o = r.object(root, "override", "");
  r.only(o, {"profiles", "minutes", "reasons", "text_min_characters", "why"}, "override.");
  for (const auto& id : r.list(o, "profiles", "override.")) {
    if (!id.is_string()) r.fail("override.profiles", "must list profile ids");
    auto it = std::find_if(d.profiles.begin(), d.profiles.end(), [&](const Profile& p) { return p.id == id.get<std::string>(); });
    if (it == d.profiles.end()) r.fail("override.profiles", "\"" + id.get<std::string>() + "\" is not a profile");
    it->may_override = true;
  }
  d.override_minutes = r.whole(o, "minutes", "override.", 1, 24 * 60);
  d.override_text_min = r.whole(o, "text_min_characters", "override.", 0, 1000);
  read_reasons(r, r.list(o, "reasons", "override."), "override.reasons", d.override_reasons);
}

void read_case_access(const Reader& r, const json& root, Policy::Data& d) {
  if (!root.contains("case_access") || root["case_access"].is_null()) return;
  const json& c = r.object(root, "case_access", "");
  r.only(c, {"segment", "tier", "minutes", "text_min_characters", "reasons", "why"}, "case_access.");
  Policy::Data::CaseAccessRule rule;
  rule.segment = r.segment(c, "segment", "case_access.");
  rule.tier = r.whole(c, "tier", "case_access.", 1, 3);
  rule.minutes = r.whole(c, "minutes", "case_access.", 1, 366 * 24 * 60);
  rule.text_min = r.whole(c, "text_min_characters", "case_access.", 0, 1000);
  read_reasons(r, r.list(c, "reasons", "case_access."), "case_access.reasons", rule.reasons);
  d.case_access = std::move(rule);
}

void read_alerts(const Reader& r, const json& root, Policy::Data& d) {
  const json& a = r.object(root, "alerts", "");
  r.only(a, {"every_override", "refusal_no_relationship", "patients_per_user", "out_of_hours", "own_surname_and_address"}, "alerts.");
  AlertThresholds& t = d.alerts;
  t.every_override = r.flag(a, "every_override", "alerts.");
  t.refusal_no_relationship = r.flag(a, "refusal_no_relationship", "alerts.");
  t.own_surname_and_address = r.flag(a, "own_surname_and_address", "alerts.");
  const json& many = r.object(a, "patients_per_user", "alerts.");
  t.patients_per_user = r.whole(many, "more_than", "alerts.patients_per_user.", 1, 100000);
  t.patients_per_user_minutes = r.whole(many, "minutes", "alerts.patients_per_user.", 1, 7 * 24 * 60);
  const json& ooh = r.object(a, "out_of_hours", "alerts.");
  const json& hours = r.list(ooh, "working_hours", "alerts.out_of_hours.");
  if (hours.size() != 2 || !hours[0].is_string() || !hours[1].is_string())
    r.fail("alerts.out_of_hours.working_hours", "must be [\"hh:mm\", \"hh:mm\"]");
  t.working_start_minute = r.minute_of_day(hours[0].get<std::string>(), "alerts.out_of_hours.working_hours[0]");
  t.working_end_minute = r.minute_of_day(hours[1].get<std::string>(), "alerts.out_of_hours.working_hours[1]");
  static const char* const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  t.working_days.clear();
  for (const auto& day : r.list(ooh, "working_days", "alerts.out_of_hours.")) {
    auto at = std::find_if(std::begin(days), std::end(days), [&](const char* n) { return day.is_string() && day.get<std::string>() == n; });
    if (at == std::end(days)) r.fail("alerts.out_of_hours.working_days", "must list days as Mon, Tue, ... Sun");
    t.working_days.push_back(static_cast<int>(at - std::begin(days)));
  }
  t.out_of_hours_views = r.whole(ooh, "more_than", "alerts.out_of_hours.", 1, 100000);
  t.out_of_hours_minutes = r.whole(ooh, "minutes", "alerts.out_of_hours.", 1, 24 * 60);
}

// Which code list files a policy file names itself ("<list id>.file",
// "<list id>.except_file"): those are read beside it; the rest are built in.
std::set<std::string> own_list_files(const json& root) {
  std::set<std::string> own;
  auto ex = root.find("exclusions");
  if (ex == root.end() || !ex->is_object() || !ex->contains("code_lists") || !(*ex)["code_lists"].is_object()) return own;
  for (auto it = (*ex)["code_lists"].begin(); it != (*ex)["code_lists"].end(); ++it)
    if (it->is_object())
      for (const char* member : {"file", "except_file"})
        if (it->contains(member)) own.insert(it.key() + "." + member);
  return own;
}

constexpr std::uintmax_t kMaxListBytes = 64u << 20;

// Reads the code list files of exclusions.code_lists and writes their codes
// into the policy (member "codes"), with each file's SHA-256 and what was left
// out, so the policy's hash covers them. A ValueSet expansion adds codes.
class ListResolver {
 public:
  ListResolver(const Reader& r, std::string file, bool builtin, bool standalone, std::set<std::string> own,
               const PolicySources& sources, std::vector<std::string>& notes)
      : r_(r), file_(std::move(file)), builtin_(builtin), standalone_(standalone), own_(std::move(own)), sources_(sources),
        notes_(notes) {}

  void resolve(json& exclusions) {
    auto lists = exclusions.find("code_lists");
    if (lists == exclusions.end()) return;
    if (!lists->is_object()) r_.fail("exclusions.code_lists", "must be an object of list id -> list");
    for (auto it = lists->begin(); it != lists->end(); ++it) resolve_one(it.key(), it.value());
  }

 private:
  void resolve_one(const std::string& id, json& list) {
    std::string where = "exclusions.code_lists." + id + ".";
    if (!list.is_object()) r_.fail(where.substr(0, where.size() - 1), "must be an object");
    r_.only(list, {"category", "system", "file", "except_file", "valueset", "source", "copied_from", "published", "copied",
                   "licence", "version", "notes"}, where);
    for (const char* member : {"category", "system", "file", "source", "published", "licence"}) r_.text(list, member, where);
    std::string system = list["system"].get<std::string>();
    if (system != "snomed_ct" && system != "dmd" && system != "loinc")
      r_.fail(where + "system", "\"" + system + "\" must be snomed_ct, dmd or loinc");
    CodeListScheme scheme = system == "loinc" ? CodeListScheme::loinc : CodeListScheme::snomed_ct;

    std::string shown;
    std::string bytes = read(id, "file", list["file"].get<std::string>(), where + "file", shown);
    CodeList codes = parse(bytes, shown, scheme, where + "file");
    std::set<std::string> all;
    for (const auto& e : codes.entries) all.insert(e.code);
    list["sha256"] = sha256_hex(bytes);
    if (!codes.left_out.empty()) {
      list["left_out_as_damaged"] = codes.left_out.size();
      notes_.push_back(shown + ": " + std::to_string(codes.left_out.size()) +
                       " codes the publisher's copy marks as damaged (spreadsheet notation) are left out; the term safety net still applies");
    }
    if (list.contains("except_file")) {
      std::string except_shown;
      std::string except = read(id, "except_file", r_.text(list, "except_file", where), where + "except_file", except_shown);
      CodeList removed = parse(except, except_shown, scheme, where + "except_file");
      for (const auto& e : removed.entries) {
        if (!all.erase(e.code))
          r_.fail(where + "except_file", except_shown + ": line " + std::to_string(e.line) + ": \"" + e.code + "\" is not in the list it is an exception to");
      }
      list["except_sha256"] = sha256_hex(except);
    }
    if (list.contains("valueset")) expand(list, r_.text(list, "valueset", where), scheme, where + "valueset", all);
    list["codes"] = std::vector<std::string>(all.begin(), all.end());
  }

  std::string read(const std::string& id, const char* member, const std::string& name, const std::string& where, std::string& shown) {
    bool named_here = !builtin_ && own_.count(id + "." + member);
    if (named_here) {
      std::string dir = file_.find('/') == std::string::npos ? "" : file_.substr(0, file_.rfind('/') + 1);
      std::string path = !name.empty() && name[0] == '/' ? name : dir + name;
      std::error_code ec;
      bool exists = std::filesystem::exists(path, ec);
      if (ec) r_.fail(where, "\"" + path + "\" cannot be looked at (" + ec.message() + ")");
      if (exists && !std::filesystem::is_regular_file(path, ec))  // a device or a pipe would never end
        r_.fail(where, "\"" + path + "\" is not a file");
      if (exists && std::filesystem::file_size(path, ec) > kMaxListBytes)
        r_.fail(where, "\"" + path + "\" is larger than " + std::to_string(kMaxListBytes >> 20) + " MB; a code list is not");
      std::ifstream in(path, std::ios::binary);
      if (exists && !in) r_.fail(where, "\"" + path + "\" cannot be opened for reading");
      if (exists) {
        std::ostringstream text;
        text << in.rdbuf();
        if (!in.good() && !in.eof()) r_.fail(where, "\"" + path + "\" could not be read to the end");
        shown = path;
        return text.str();
      }
      // Only a whole policy of its own (no "extends", as a copy of policy.json
      // is) may lean on a built-in list of the same name; a deployment that
      // names a replacement must supply it.
      if (!standalone_ || !detail::embedded_code_list(name))
        r_.fail(where, "\"" + name + "\" cannot be opened for reading (looked for " + path + ")");
      notes_.push_back(name + ": no file at " + path + "; the built-in copy is used");
    }
    auto embedded = detail::embedded_code_list(name);
    if (!embedded) {
      std::string known;
      for (const auto& n : detail::embedded_code_list_names()) known += (known.empty() ? "" : ", ") + n;
      r_.fail(where, "\"" + name + "\" is not a code list built into this version (" + known + ")");
    }
    shown = "core/data/" + name;
    return std::string(*embedded);
  }

  CodeList parse(const std::string& bytes, const std::string& shown, CodeListScheme scheme, const std::string& where) {
    try {
      return read_code_list(bytes, shown, scheme);
    } catch (const PolicyFileError& e) {
      r_.fail(where, e.what());
    }
  }

  void expand(json& list, const std::string& valueset, CodeListScheme scheme, const std::string& where, std::set<std::string>& all) {
    if (!sources_.terminology) return;
    Expansion x;
    try {
      x = expand_valueset(*sources_.terminology, valueset);
    } catch (const InputError& e) {
      notes_.push_back(std::string(e.what()) + "; the shipped list alone is used");
      list["expansion"] = {{"valueset", valueset}, {"used", false}};
      return;
    }
    size_t added = 0;
    for (const auto& c : x.codes) {
      bool valid = scheme == CodeListScheme::loinc ? valid_loinc_code(c.code) : valid_snomed_identifier(c.code);
      if (!valid) r_.fail(where, "the terminology server's expansion of " + valueset + " holds \"" + c.code.substr(0, 40) + "\", which is not a valid code");
      added += all.insert(c.code).second;
    }
    if (x.from_cache) notes_.push_back(x.warning);
    list["expansion"] = {{"valueset", valueset}, {"used", true}, {"version", x.version}, {"timestamp", x.timestamp},
                         {"from_cache", x.from_cache}, {"codes", x.codes.size()}, {"added", added}};
  }

  const Reader& r_;
  std::string file_;
  bool builtin_, standalone_;
  std::set<std::string> own_;
  const PolicySources& sources_;
  std::vector<std::string>& notes_;
};

json resolve_extends(const Reader& r, json root) {
  auto it = root.find("extends");
  if (it == root.end()) return root;
  json base = json::parse(detail::embedded_policy());
  if (!it->is_string() || it->get<std::string>() != base["version"].get<std::string>())
    r.fail("extends", "must name the built-in policy version \"" + base["version"].get<std::string>() + "\"");
  root.erase("extends");
  if (!root.contains("version")) r.fail("version", "is missing: a deployment's policy names its own version");
  base.merge_patch(root);  // RFC 7386: members given replace the built-in ones
  return base;
}

}  // namespace

std::shared_ptr<const Policy::Data> Policy::Data::load(std::string_view text, const std::string& file, const PolicySources& sources,
                                                       bool builtin) {
  Reader r(file);
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large to hold
    r.fail("", std::string("is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) r.fail("", "must be a JSON object");
  if (!root.contains("format") || root["format"] != "ilinks-policy/1") r.fail("format", "must be \"ilinks-policy/1\"");
  std::set<std::string> own = own_list_files(root);
  bool standalone = !root.contains("extends");
  root = resolve_extends(r, std::move(root));
  r.only(root, {"format", "name", "version", "source", "notes", "profiles", "live", "exclusions_apply", "sensitive_tests",
                "own_organisation_items", "notice", "consent", "override", "case_access", "withheld_placements", "alerts",
                "exclusions", "audit_roles"}, "");

  auto d = std::make_shared<Data>();
  d->version = r.text(root, "version", "");
  d->name = r.text(root, "name", "");
  read_profiles(r, root, *d);
  read_audit_roles(r, root, *d);
  read_live(r, root, *d);

  const json& apply = r.object(root, "exclusions_apply", "");
  r.only(apply, {"except"}, "exclusions_apply.");
  const json& except = r.list(apply, "except", "exclusions_apply.");
  for (size_t i = 0; i < except.size(); ++i) {
    std::string where = "exclusions_apply.except[" + std::to_string(i) + "].";
    d->no_exclusions.push_back({r.segment(except[i], "segment", where), r.whole(except[i], "tier", where, 1, 3)});
  }
  const json& sensitive = r.object(root, "sensitive_tests", "");
  d->sensitive_segment = r.segment(sensitive, "segment", "sensitive_tests.");
  d->sensitive_from_tier = r.whole(sensitive, "from_tier", "sensitive_tests.", 1, 3);
  d->own_shown_by_default = r.flag(r.object(root, "own_organisation_items", ""), "shown_by_default", "own_organisation_items.");
  d->notice = r.text(root, "notice", "");

  const json& consent = r.object(root, "consent", "");
  r.only(consent, {"methods", "lapses_after_days", "from_sources", "why"}, "consent.");
  if (consent.contains("from_sources")) {
    const json& from = r.object(consent, "from_sources", "consent.");
    r.only(from, {"policy_uris", "why"}, "consent.from_sources.");
    for (const auto& u : r.list(from, "policy_uris", "consent.from_sources.")) {
      if (!u.is_string() || u.get<std::string>().empty()) r.fail("consent.from_sources.policy_uris", "must list URIs");
      d->consent_source_policies.push_back(u.get<std::string>());
    }
  }
  for (const auto& m : r.list(consent, "methods", "consent.")) {
    if (!m.is_string() || m.get<std::string>().empty()) r.fail("consent.methods", "must list texts");
    d->consent_methods.push_back(m.get<std::string>());
  }
  if (d->consent_methods.empty()) r.fail("consent.methods", "must list at least one method");
  d->consent_lapses_after_days = r.whole(consent, "lapses_after_days", "consent.", 1, 10 * 366);

  read_override(r, root, *d);
  read_case_access(r, root, *d);
  read_alerts(r, root, *d);

  r.object(root, "exclusions", "");
  ListResolver(r, file, builtin, standalone, std::move(own), sources, d->load_notes).resolve(root["exclusions"]);
  d->exclusions_json = root["exclusions"].dump();
  if (auto cats = root["exclusions"].find("categories"); cats != root["exclusions"].end() && cats->is_array())
    for (const auto& c : *cats)
      if (c.is_object() && c.value("withheld_from_every_profile", false) && c.contains("id") && c["id"].is_string())
        d->withheld_from_everyone.insert(c["id"].get<std::string>());
  try {
    d->exclusions = std::make_unique<Exclusions>(Exclusions::from_json(d->exclusions_json, "policy exclusions"));
  } catch (const PolicyFileError& e) {
    r.fail("exclusions", e.what());
  }
  if (root.contains("withheld_placements")) {
    const json& off = r.list(root, "withheld_placements", "");
    for (size_t i = 0; i < off.size(); ++i) {
      std::string where = "withheld_placements[" + std::to_string(i) + "]";
      if (!off[i].is_string() || !Classification::builtin().has_rule(off[i].get<std::string>()))
        r.fail(where, "must name a classification rule (core/data/classification.json rules[].id)");
      d->withheld_placements.insert(off[i].get<std::string>());
    }
  }
  d->sha256 = sha256_hex(root.dump());
  return d;
}

const Policy& Policy::builtin() {
  static const Policy instance(Data::load(detail::embedded_policy(), "policy.json", {}, true));
  return instance;
}

Policy Policy::builtin(const PolicySources& sources) { return Policy(Data::load(detail::embedded_policy(), "policy.json", sources, true)); }

Policy Policy::from_json(std::string_view text, const std::string& file_name, const PolicySources& sources) {
  return Policy(Data::load(text, file_name, sources, false));
}

Policy Policy::from_file(const std::string& path, const PolicySources& sources) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PolicyFileError(path + ": cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  return from_json(text.str(), path, sources);
}

const std::string& Policy::version() const { return data_->version; }
const std::string& Policy::sha256() const { return data_->sha256; }
const std::vector<Profile>& Policy::profiles() const { return data_->profiles; }
const AuditRole* Policy::audit_role(const std::string& id) const {
  for (const auto& a : data_->audit_roles)
    if (a.id == id) return &a;
  return nullptr;
}
const std::vector<OverrideReason>& Policy::override_reasons() const { return data_->override_reasons; }
const std::vector<OverrideReason>& Policy::case_access_reasons() const {
  static const std::vector<OverrideReason> none;
  return data_->case_access ? data_->case_access->reasons : none;
}
const AlertThresholds& Policy::alerts() const { return data_->alerts; }
const std::string& Policy::notice() const { return data_->notice; }
const std::vector<std::string>& Policy::load_notes() const { return data_->load_notes; }
const Exclusions& Policy::exclusions() const { return *data_->exclusions; }
std::string Policy::exclusions_json() const { return data_->exclusions_json; }
const std::vector<std::string>& Policy::consent_methods() const { return data_->consent_methods; }

const Profile* Policy::profile(const std::string& id) const {
  for (const auto& p : data_->profiles)
    if (p.id == id) return &p;
  return nullptr;
}

int Policy::effective_tier(const Profile& profile, Segment segment) const {
  auto level = profile.access.find(segment);
  auto live = data_->live.find(segment);
  if (level == profile.access.end() || live == data_->live.end()) return 0;
  int best = 0;
  for (int t : live->second)
    if (t <= level->second) best = std::max(best, t);
  return best;
}

}  // namespace ilinks
