// Assembling a Record: merge the inputs, choose the person, resolve
// references, find each item's source organisation and setting, place it in
// its segment and tier, and mark exclusions (and what only makes sense through
// them).
#include "ilinks/record_builder.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#if defined(ILINKS_TWO_THREADS)
#include <thread>
#endif

#include "fhir_resource.h"
#include "hl7v2.h"
#include "ilinks/fhir.h"
#include "ilinks/key_index.h"
#include "json_stream.h"
#include "arriving_input.h"
#include "second_half.h"
#include "ilinks/two_threads.h"

namespace ilinks {

using detail::KeyIndex;
using detail::RawReference;
using detail::ReadResource;

namespace {

// The kinds this reader understands; anything else is kept as "other".
const std::set<std::string> kReadKinds = {
    "Patient", "Organization", "Practitioner", "PractitionerRole", "RelatedPerson", "AllergyIntolerance",
    "MedicationStatement", "MedicationRequest", "Medication", "MedicationAdministration", "Condition", "Procedure",
    "Immunization", "Observation", "DiagnosticReport", "ImagingStudy", "Encounter", "EpisodeOfCare", "Appointment",
    "CareTeam", "CarePlan", "Goal", "Flag", "DocumentReference", "Composition", "Consent", "ServiceRequest",
    "Provenance", "Location", "AdtEvent", "Device", "Substance", "HealthcareService", "Endpoint", "Group"};

// Reference fields naming the organisation an item comes from, in the order
// the issue gives: performer, custodian, author, serviceProvider,
// informationSource, recorder (each only where it is an Organization).
// (string_views: a field is compared with each, and views compare lengths first)
constexpr std::string_view kOwnOrganisationFields[] = {
    "performer", "performer.actor", "performer.onBehalfOf", "custodian", "author", "serviceProvider",
    "informationSource", "recorder", "asserter", "requester", "managingOrganization", "organization", "sender",
    "participant.actor", "source", "expressedBy"};

// Reference fields that make an item depend on another (see Link::relation).
struct LinkField { std::string_view field; const char* relation; bool reverse; };
const LinkField kLinkFields[] = {
    {"result", "result of", true},          // DiagnosticReport.result: the result depends on the report
    {"hasMember", "member of", true},       // Observation panel members
    {"reasonReference", "indication", false},
    {"encounter", "encounter", false}, {"context.encounter", "encounter", false}, {"context", "encounter", false},
    {"context.related", "about", false}, {"section.entry", "about", false}, {"focus", "about", false},
    {"basedOn", "part of", false}, {"partOf", "part of", false}, {"derivedFrom", "derived from", false},
    {"addresses", "about", false}, {"goal", "part of", false}, {"imagingStudy", "about", false}};

constexpr std::string_view kSubjectFields[] = {"subject", "patient", "beneficiary", "for"};

std::string url_decode_pipe(std::string s) {
  for (size_t at; (at = s.find("%7C")) != std::string::npos || (at = s.find("%7c")) != std::string::npos;) s.replace(at, 3, "|");
  return s;
}

// Frees what it is given on a worker while the caller goes on (freeing a
// large record's reading took a fifth of its build), or at once where there
// are no threads. Waits for the worker before it is itself destroyed: a
// caller that drops the builder at once after build() waits for it there.
class FreedElsewhere {
 public:
  FreedElsewhere() = default;
  FreedElsewhere(const FreedElsewhere&) = delete;
  FreedElsewhere& operator=(const FreedElsewhere&) = delete;
  ~FreedElsewhere() { wait(); }

  template <class T>
  void free(std::unique_ptr<T> spent) {
    wait();
#if defined(ILINKS_TWO_THREADS)
    try {
      worker_ = std::thread([doomed = std::move(spent)]() mutable { doomed.reset(); });
    } catch (...) {
      // no thread to be had: what was moved into the thread's function is freed here
    }
#endif
  }

  void wait() {
#if defined(ILINKS_TWO_THREADS)
    if (worker_.joinable()) worker_.join();
#endif
  }

 private:
#if defined(ILINKS_TWO_THREADS)
  std::thread worker_;
#endif
};

constexpr size_t kNotInRecord = static_cast<size_t>(-1);  // an entry that is not an item of the record

struct Entry {
  ReadResource r;
  size_t input = 0;
  std::string key;
  std::string parent_key;  // for contained resources
  // What the builder's indexes view (kept here: an index holds no copies).
  std::string content_key;                   // type|content hash
  std::string identity;                      // the type and all its business identifiers, sorted; empty if none
  std::vector<std::string> identifier_keys;  // type|system|value, one per identifier
  std::vector<const Entry*> targets;         // what each of r.references resolves to (or null), found once in build
  size_t item = kNotInRecord;                // its position in the record's items, once it is there
  bool dropped = false;
};

}  // namespace

struct RecordBuilder::Impl {
  const Classification& rules;
  std::deque<Entry> entries;  // not a vector: growing never copies what was read, nor holds it twice
  std::vector<std::string> inputs;
  std::vector<std::string> declared_ods;
  std::vector<UnavailableSource> unavailable;
  std::vector<LoadIssue> issues;
  size_t issues_dropped = 0;
  std::string chosen_person;
  // Positions in entries, viewing texts the entries hold (a deque never moves them).
  KeyIndex by_key, by_full_url, by_identifier, by_identifier_set, by_content;
  // The words the entries hold (codes, units, organisations...), each kept once.
  TextPool word_pool;
  // Natively, a large input's build passes that touch each entry alone run on
  // two threads (as its reading did), and the reading is freed on a worker.
  bool two_threads = false;
  TextPool worker_word_pool;  // the words the worker's half makes, each kept once (a pool serves one thread)
  FreedElsewhere previous_reading;

  // Two resources are the same when all their business identifiers are: one
  // shared identifier (a claim group, a ward) is not enough.
  static std::string identifier_set(const std::string& type, std::vector<std::string> identifiers) {
    std::sort(identifiers.begin(), identifiers.end());
    std::string out = type;
    for (const auto& i : identifiers) out += "\n" + i;
    return out;
  }

  explicit Impl(const Classification& c) : rules(c) {}

  void issue(std::string where, std::string what, bool damage = true, bool whole_input = false) {
    if (issues.size() >= kMaxIssues) { ++issues_dropped; return; }
    issues.push_back({std::move(where), std::move(what), damage, whole_input});
  }

  // A reference to who or where (an organisation, a practitioner, a place)
  // that was not sent loses nothing clinical: the entry's source is "not known".
  static bool names_who_or_where(const std::string& reference) {
    for (const char* kind : {"Organization", "Practitioner", "PractitionerRole", "Location", "HealthcareService", "Endpoint"})
      for (const char* after : {"/", "?"}) {
        std::string prefix = std::string(kind) + after;
        if (reference.rfind(prefix, 0) == 0 || reference.find("/" + prefix) != std::string::npos) return true;
      }
    return false;
  }

  // ---- Reading ------------------------------------------------------------

  void add_entry(ReadResource&& r, size_t input, const std::string& parent_key = {}) {
    const std::string type = r.item.kind;
    Entry e;
    e.input = input;
    e.parent_key = parent_key;
    std::string id = r.item.source_id;
    std::string where = inputs[input] + " " + r.where;
    if (!parent_key.empty()) {
      e.key = parent_key + "#" + id;
    } else if (!id.empty()) {
      e.key = type + "/" + id;
    } else if (!r.full_url.empty()) {
      e.key = type + "/" + r.full_url;
    } else {
      e.key = type + "/(" + inputs[input] + " " + r.where + ")";
    }
    std::vector<ReadResource> contained = std::move(r.contained);
    r.contained.clear();

    // The same resource sent twice (or by two sources) appears once.
    e.content_key = type + "|" + r.content_hash;
    if (!r.identifiers.empty()) e.identity = identifier_set(type, r.identifiers);
    if (parent_key.empty() && type != "Patient") {
      size_t previous = by_content.find(e.content_key);
      std::string because;
      if (previous != KeyIndex::npos) because = "same content";
      if (previous == KeyIndex::npos && !r.full_url.empty())
        if ((previous = by_full_url.find(r.full_url)) != KeyIndex::npos) because = "same fullUrl";
      if (previous == KeyIndex::npos && !e.identity.empty())
        if ((previous = by_identifier_set.find(e.identity)) != KeyIndex::npos) because = "same identifiers";
      if (previous == KeyIndex::npos && !id.empty()) {
        size_t same_key = by_key.find(e.key);
        if (same_key != KeyIndex::npos && entries[same_key].r.version_id == r.version_id && entries[same_key].r.content_hash == r.content_hash)
          previous = same_key, because = "same id and version";
      }
      if (previous != KeyIndex::npos) {
        if (entries[previous].r.content_hash != r.content_hash)
          issue(where, "is the same " + type + " as " + entries[previous].key + " (" + because +
                           ") but says something different; the first one read is kept");
        return;
      }
      if (by_key.contains(e.key)) {
        std::string original = e.key;
        for (int n = 2; by_key.contains(e.key); ++n) e.key = original + "~" + std::to_string(n);
        issue(where, "uses the id of another " + type + " (" + original + ") with different content; both are kept, this one as " + e.key);
      }
    }
    size_t index = entries.size();
    e.identifier_keys.reserve(r.identifiers.size());
    for (const auto& ident : r.identifiers) e.identifier_keys.push_back(type + "|" + ident);
    e.r = std::move(r);
    entries.push_back(std::move(e));
    const Entry& kept = entries.back();  // indexed where it now lives
    by_key.emplace(kept.key, index);
    if (!kept.r.full_url.empty()) by_full_url.emplace(kept.r.full_url, index);
    for (const auto& k : kept.identifier_keys) by_identifier.emplace(k, index);
    if (!kept.identity.empty() && type != "Patient") by_identifier_set.emplace(kept.identity, index);
    by_content.emplace(kept.content_key, index);
    std::string key = kept.key;
    for (auto& c : contained) {
      c.where = entries[index].r.where + " contained";
      add_entry(std::move(c), input, key);
    }
  }

  // Reads one input; `arrived`: it came as an ArrivingInput, whose bytes
  // these are, and whose runs of entries read ahead are taken if they fit.
  void add(std::string_view bytes, const InputOptions& options, ArrivingInput::Impl* arrived = nullptr) {
    TextPool::Use interning(word_pool);
    size_t input = inputs.size();
    inputs.push_back(options.name.empty() ? "input " + std::to_string(input + 1) : options.name);
    declared_ods.push_back(options.source_ods);
    const std::string& name = inputs.back();
    size_t size = arrived ? arrived->size : bytes.size();
    if (size >= options.two_threads_from && detail::SecondHalf::kAvailable) two_threads = true;
    if (size > kMaxInputBytes) {
      issue(name, "is " + std::to_string(size >> 20) + " MB, more than the " + std::to_string(kMaxInputBytes >> 20) +
                      " MB one input may be; not read", true, true);
      return;
    }
    if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      issue(name, "is empty", true, true);
      return;
    }
    std::string repaired;
    size_t bad = 0;
    if (!detail::is_valid_utf8(bytes, &bad)) {
      repaired.assign(bytes);
      auto fix = detail::repair_utf8(repaired);
      issue(name + " " + detail::line_and_column(bytes, bad),
            "is not valid UTF-8 (" + std::to_string(fix.replaced) + " place(s)); the bad bytes are shown as \xEF\xBF\xBD");
      bytes = repaired;
    }
    auto report = [&](const std::string& where, const std::string& what) { issue(name + " " + where, what); };
    if (detail::looks_like_hl7v2(bytes)) {
      for (auto& r : detail::read_hl7v2(bytes, report)) add_entry(std::move(r), input);
      return;
    }
    size_t issues_before = issues.size();
    const detail::IssueFn report_fn = report;
    const detail::KeepFn keep = [&](ReadResource&& r) { add_entry(std::move(r), input); };
    detail::ResourceSink sink = [&](detail::StreamedResource&& s) { detail::read_streamed(std::move(s), report_fn, keep); };
    // Entries read elsewhere, taken when the parse reaches them: while the
    // input arrived, or on a worker thread now.
    detail::SecondHalf second;
    std::optional<detail::SplitHandoff> handoff;
    if (!detail::looks_like_ndjson(bytes)) {
      if (arrived) {
        handoff = arrived->finish(bytes, report_fn, keep);
      } else if (bytes.size() >= options.two_threads_from && detail::SecondHalf::kAvailable) {
        if (auto split = detail::find_entry_split(bytes, bytes.size() / 2)) {
          second.start(bytes, *split);
          handoff = detail::SplitHandoff{*split, [&](size_t entries_before) { return second.take(entries_before, report_fn, keep); }};
        }
      }
    }
    bool read_any = detail::stream_fhir_json(bytes, sink, report, {}, handoff ? &*handoff : nullptr);
    if (!read_any && issues.size() > issues_before) issues.back().whole_input = true;  // its last word says why
  }


  // ---- Resolving ----------------------------------------------------------

  const Entry* at(size_t position) const { return position == KeyIndex::npos ? nullptr : &entries[position]; }

  // What `reference`, written in `from`, points to. Each of an entry's own
  // references is resolved once, into Entry::targets, when the build starts.
  const Entry* resolve(const std::string& reference, const Entry& from) const {
    if (reference.empty()) return nullptr;
    if (reference[0] == '#') {
      std::string owner = from.parent_key.empty() ? from.key : from.parent_key;
      return at(by_key.find(owner + reference));
    }
    if (size_t found = by_full_url.find(reference); found != KeyIndex::npos) return &entries[found];
    auto question = reference.find('?');
    if (question != std::string::npos) {  // Type?identifier=system|value
      std::string type = reference.substr(0, question);
      std::string query = url_decode_pipe(reference.substr(question + 1));
      if (query.rfind("identifier=", 0) == 0) {
        std::string ident = query.substr(11);
        if (ident.find('|') == std::string::npos) ident = "|" + ident;
        return at(by_identifier.find(type + "|" + ident));
      }
      return nullptr;
    }
    // "Type/id", or an absolute URL ending in Type/id (optionally /_history/n)
    std::string path = reference;
    if (auto h = path.find("/_history/"); h != std::string::npos) path = path.substr(0, h);
    auto last = path.rfind('/');
    if (last == std::string::npos || last == 0) return nullptr;
    auto before = path.rfind('/', last - 1);
    return at(by_key.find(std::string_view(path).substr(before == std::string::npos ? 0 : before + 1)));
  }

  void resolve_references() {
    detail::in_two_halves(entries.size(), two_threads, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        Entry& e = entries[i];
        e.targets.clear();
        e.targets.reserve(e.r.references.size());
        for (const auto& ref : e.r.references) e.targets.push_back(resolve(ref.reference, e));
      }
    });
  }

  // ---- The person ---------------------------------------------------------

  // Groups Patient entries into people: same NHS number, shared identifier,
  // or the same resource. Different NHS numbers are always different people.
  std::vector<std::vector<size_t>> people() const {
    std::vector<size_t> patients;
    for (size_t i = 0; i < entries.size(); ++i) if (entries[i].r.patient) patients.push_back(i);
    std::vector<size_t> group(patients.size());
    std::iota(group.begin(), group.end(), 0);
    auto find = [&](size_t x) { while (group[x] != x) x = group[x] = group[group[x]]; return x; };
    // Hash maps, not pairwise comparison: a bulk export may hold many people.
    std::unordered_map<std::string, size_t> by_nhs, by_identifier_;
    for (size_t a = 0; a < patients.size(); ++a) {
      const Entry& ea = entries[patients[a]];
      const std::string& nhs = ea.r.patient->nhs_number;
      auto join = [&](size_t b) {
        const std::string& other = entries[patients[b]].r.patient->nhs_number;
        if (!nhs.empty() && !other.empty() && nhs != other) return;  // different NHS numbers: different people
        group[find(a)] = find(b);
      };
      if (!nhs.empty()) {
        auto [it, fresh] = by_nhs.emplace(nhs, a);
        if (!fresh) join(it->second);
      }
      for (const auto& ident : ea.r.identifiers) {
        auto [it, fresh] = by_identifier_.emplace(ident, a);
        if (!fresh) join(it->second);
      }
    }
    std::map<size_t, std::vector<size_t>> by_root;
    std::vector<size_t> order;
    for (size_t i = 0; i < patients.size(); ++i) {
      size_t root = find(i);
      if (!by_root.count(root)) order.push_back(root);
      by_root[root].push_back(patients[i]);
    }
    std::vector<std::vector<size_t>> out;
    for (size_t root : order) out.push_back(by_root[root]);
    return out;
  }

  const Entry* subject_of(const Entry& e) const {
    for (size_t k = 0; k < e.r.references.size(); ++k)
      for (std::string_view field : kSubjectFields)
        if (e.r.references[k].field == field) {
          if (const Entry* target = e.targets[k]; target && target->r.patient) return target;
        }
    return nullptr;
  }

  bool refers_to_unknown_person(const Entry& e) const {
    for (size_t k = 0; k < e.r.references.size(); ++k) {
      const RawReference& ref = e.r.references[k];
      for (std::string_view field : kSubjectFields)
        if (ref.field == field && (ref.reference.rfind("Patient", 0) == 0 || ref.type == "Patient" ||
                                   ref.reference.find("/Patient/") != std::string::npos) && !e.targets[k])
          return true;
    }
    return false;
  }

  static void merge_patient(Patient& into, const Patient& from, const std::string& where, Impl& self) {
    if (into.nhs_number.empty()) into.nhs_number = from.nhs_number;
    if (into.name.family.empty() && into.name.given.empty() && into.name.text.empty()) into.name = from.name;
    if (!into.preferred_name) into.preferred_name = from.preferred_name;
    if (!into.birth_date) into.birth_date = from.birth_date;
    else if (from.birth_date && !(*from.birth_date == *into.birth_date))
      self.issue(where, "gives a different date of birth from the first source; the first source's is shown");
    if (into.gender == Gender::not_recorded) into.gender = from.gender;
    if (from.deceased) into.deceased = true;
    if (!into.deceased_date) into.deceased_date = from.deceased_date;
    if (!into.address) into.address = from.address;
    if (into.telecom.empty()) into.telecom = from.telecom;
    if (into.registered_gp.empty()) into.registered_gp = from.registered_gp;
    if (into.registered_gp_ods.empty()) into.registered_gp_ods = from.registered_gp_ods;
  }

  // ---- Source organisation and setting -------------------------------------

  struct Org {
    std::string ods, name;
    const Entry* entry = nullptr;  // the Organization resource, when it was sent as one (its type words say its setting)
  };

  // The organisation `ref` names, given what it resolved to (`target`, or null).
  std::optional<Org> org_from_reference(const RawReference& ref, const Entry* target) const {
    if (target && target->r.item.kind == "PractitionerRole") {  // the organisation a role belongs to
      for (size_t k = 0; k < target->r.references.size(); ++k)
        if (target->r.references[k].field == "organization") {
          const Entry* org = target->targets[k];
          // A role's organisation that is itself a role is not followed: it may lead back here.
          if (org && org->r.item.kind == "PractitionerRole") return std::nullopt;
          return org_from_reference(target->r.references[k], org);
        }
      return std::nullopt;
    }
    if (target && target->r.item.kind == "Organization")
      return Org{target->r.extras().ods_code, target->r.extras().name, target};
    if (!target && (ref.type == "Organization" || ref.reference.rfind("Organization", 0) == 0) && !ref.display.empty())
      return Org{{}, ref.display, nullptr};
    return std::nullopt;
  }

  std::optional<Org> own_org(const Entry& e, std::string& found_by) const {
    if (!e.r.extras().source_ods_hint.empty()) {
      found_by = "HL7 v2 sending facility (MSH-4)";
      return Org{e.r.extras().source_ods_hint, e.r.extras().name, nullptr};
    }
    for (std::string_view field : kOwnOrganisationFields)
      for (size_t k = 0; k < e.r.references.size(); ++k)
        if (e.r.references[k].field == field)
          if (auto org = org_from_reference(e.r.references[k], e.targets[k])) { found_by = field; return org; }
    return std::nullopt;
  }

  const Entry* encounter_of(const Entry& e) const {
    for (size_t k = 0; k < e.r.references.size(); ++k) {
      const std::string& field = e.r.references[k].field;
      if (field == "encounter" || field == "context.encounter" || field == "context")
        if (const Entry* t = e.targets[k]; t && t->r.item.kind == "Encounter") return t;
    }
    return nullptr;
  }

  // An organisation's care setting and how it was found: the same for every
  // item it sent, so found once per organisation.
  struct OrgSetting {
    CareSetting setting = CareSetting::unknown;
    std::string found_by;
    std::string canonical_name;  // the participants file's name for it, if it has one
  };
  // Found once per organisation and per encounter; one apiece for each thread
  // of the build (the answers are the same, found twice at most).
  struct Settings {
    std::unordered_map<const Entry*, OrgSetting> by_entry;  // organisations sent as resources
    std::unordered_map<std::string, OrgSetting> by_name;    // organisations named only by code or display
    std::unordered_map<const Entry*, std::pair<CareSetting, const char*>> by_encounter;  // and how it was found
  };

  const OrgSetting& setting_of(const Org& org, Settings& settings) const {
    OrgSetting* cached = org.entry ? &settings.by_entry[org.entry] : &settings.by_name[org.ods + '\n' + org.name];
    if (!cached->found_by.empty()) return *cached;
    OrgSetting& out = *cached;
    std::string canonical;
    if (auto s = rules.participant_setting(org.ods, org.name, &canonical)) {
      out.setting = *s;
      out.found_by = "participants file";
      out.canonical_name = canonical;
    }
    if (org.entry)
      for (const auto& words : org.entry->r.extras().type_words) {
        if (out.setting != CareSetting::unknown) break;
        if (auto s = rules.setting_from_words(words)) out.setting = *s, out.found_by = "Organization.type";
      }
    if (out.setting == CareSetting::unknown && !org.name.empty())
      if (auto s = rules.setting_from_words(org.name)) out.setting = *s, out.found_by = "organisation name";
    if (out.setting == CareSetting::unknown) out.found_by = "unknown";  // overwritten below when the Encounter tells
    return out;
  }

  // The setting an Encounter's class or service type says, or unknown.
  std::pair<CareSetting, const char*> encounter_setting(const Entry& encounter, Settings& settings) const {
    auto [known, fresh] = settings.by_encounter.try_emplace(&encounter, CareSetting::unknown, nullptr);
    if (!fresh) return known->second;
    auto& out = known->second;
    for (const auto& c : encounter.r.item.categories)
      if (auto s = rules.setting_from_encounter_class(c.code)) { out = {*s, "Encounter.class"}; break; }
    for (size_t i = 0; out.first == CareSetting::unknown && i < encounter.r.extras().type_words.size(); ++i)
      if (auto s = rules.setting_from_words(encounter.r.extras().type_words[i])) out = {*s, "Encounter.serviceType"};
    return out;
  }

  SourceOrganisation source_of(const Entry& e, const std::unordered_map<const Entry*, Org>& provenance, Settings& settings) const {
    SourceOrganisation out;
    std::string found_by;
    std::optional<Org> org = own_org(e, found_by);
    if (!org) {
      if (auto it = provenance.find(&e); it != provenance.end()) org = it->second, found_by = "Provenance agent";
    }
    const Entry* encounter = e.r.item.kind == "Encounter" ? &e : encounter_of(e);
    if (!org && encounter && encounter != &e) {
      std::string ignored;
      org = own_org(*encounter, ignored);
      if (org) found_by = "its Encounter's serviceProvider";
    }
    if (!org && !e.r.meta_source.empty()) {
      std::string source = e.r.meta_source;
      for (char& c : source) if (c == '/' || c == '#' || c == ':' || c == '|' || c == '?' || c == '=') c = ' ';
      std::istringstream words(source);
      std::string word, name;
      while (words >> word)
        if (rules.participant_setting(word, {}, &name)) { org = Org{word, name, nullptr}; found_by = "meta.source"; break; }
    }
    if (!org && !declared_ods[e.input].empty()) {
      org = Org{declared_ods[e.input], {}, nullptr};
      found_by = "declared for the input";
    }
    if (org) {
      out.ods_code = org->ods;
      out.name = org->name;
      out.found_by = found_by;
      const OrgSetting& s = setting_of(*org, settings);
      out.setting = s.setting;
      out.setting_found_by = s.found_by;
      if (out.name.empty()) out.name = s.canonical_name;
    }
    if (out.setting == CareSetting::unknown && encounter)
      if (auto [setting, how] = encounter_setting(*encounter, settings); how) out.setting = setting, out.setting_found_by = how;
    if (out.setting == CareSetting::unknown) out.setting_found_by = "unknown";
    if (!org) out.found_by = "unknown";
    return out;
  }

  // A participant's name, contact, organisation and role, from who it names
  // (`who`, or null), where the item did not say them itself.
  static void learn_participant(Participant& person, const Entry* who) {
    if (!who) return;
    if (person.name.empty()) person.name = who->r.extras().name;
    if (person.contact.empty()) person.contact = who->r.extras().contact;
    if (who->r.item.kind == "PractitionerRole") {
      for (size_t k = 0; k < who->r.references.size(); ++k) {
        const RawReference& ref = who->r.references[k];
        const Entry* t = who->targets[k];
        if (!t) continue;
        if (ref.field == "practitioner" && person.name.empty()) person.name = t->r.extras().name;
        if (ref.field == "practitioner" && person.contact.empty()) person.contact = t->r.extras().contact;
        if (ref.field == "organization" && person.organisation.empty()) person.organisation = t->r.extras().name;
        if (ref.field == "organization" && person.contact.empty()) person.contact = t->r.extras().contact;
      }
      if (person.role.empty()) person.role = who->r.item.display;
    }
    if (person.role.empty() && who->r.item.kind == "RelatedPerson") person.role = who->r.item.display;
  }

  // ---- Build --------------------------------------------------------------

  Record build() {
    TextPool::Use interning(word_pool);
    resolve_references();
    Record record;
    record.inputs_ = inputs;
    record.unavailable_ = unavailable;
    record.classification_version_ = rules.version();
    record.two_threads_ = two_threads;

    // Whose record this is
    auto groups = people();
    size_t chosen = SIZE_MAX;
    if (!chosen_person.empty()) {
      for (size_t g = 0; g < groups.size() && chosen == SIZE_MAX; ++g)
        for (size_t i : groups[g]) {
          const auto& p = *entries[i].r.patient;
          if (p.nhs_number == chosen_person || entries[i].r.item.source_id == chosen_person) { chosen = g; break; }
        }
      if (chosen == SIZE_MAX) issue("person", "no input holds the person asked for; nothing is shown");
    } else if (!groups.empty()) {
      std::unordered_map<const Entry*, size_t> group_of;
      for (size_t g = 0; g < groups.size(); ++g)
        for (size_t i : groups[g]) group_of[&entries[i]] = g;
      std::vector<size_t> votes(groups.size(), 0);
      for (const auto& e : entries)
        if (const Entry* subject = subject_of(e)) ++votes[group_of[subject]];
      chosen = static_cast<size_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
    }
    std::set<const Entry*> person;
    if (chosen != SIZE_MAX) {
      for (size_t i : groups[chosen]) person.insert(&entries[i]);
      record.identity_known_ = true;
      record.patient_ = *entries[groups[chosen].front()].r.patient;
      for (size_t k = 1; k < groups[chosen].size(); ++k)
        merge_patient(record.patient_, *entries[groups[chosen][k]].r.patient,
                      inputs[entries[groups[chosen][k]].input] + " " + entries[groups[chosen][k]].r.where, *this);
      for (size_t i : groups[chosen]) {  // the registered practice, by reference
        const Entry& p = entries[i];
        // The reference also gives the practice's ODS code when the
        // Patient named the practice only by display (where overrides' explanations go).
        bool named = !record.patient_.registered_gp.empty(), coded = !record.patient_.registered_gp_ods.empty();
        if (!p.r.extras().gp_reference.empty() && (!named || !coded))
          if (const Entry* gp = resolve(p.r.extras().gp_reference, p)) {
            if (!named) record.patient_.registered_gp = gp->r.extras().name;
            if (!coded) record.patient_.registered_gp_ods = gp->r.extras().ods_code;
          }
      }
    }
    for (size_t g = 0; g < groups.size(); ++g)
      if (g != chosen) {
        ++record.other_people_;
        for (size_t i : groups[g]) {
          issue(inputs[entries[i].input] + " " + entries[i].r.where + " " + entries[i].key,
                "is a different person from the one this record is about; left out, with everything about them");
          entries[i].dropped = true;
        }
      }
    if (groups.empty()) issue("record", "no input holds a Patient resource or PID segment: who this record is about is not known");

    // Items about someone else never enter the record
    for (auto& e : entries) {
      if (e.r.patient || e.dropped) continue;
      const Entry* subject = subject_of(e);
      bool other = subject && !person.count(subject);
      if (!other && record.identity_known_ && !subject && refers_to_unknown_person(e)) other = true;
      if (other) {
        e.dropped = true;
        issue(inputs[e.input] + " " + e.r.where + " " + e.key,
              subject ? "is about a different person; left out" : "is about a person who is not in this record; left out");
      }
    }

    // Provenance: which organisation recorded which items
    std::unordered_map<const Entry*, Org> provenance;
    for (const auto& e : entries) {
      if (e.dropped || e.r.item.kind != "Provenance") continue;
      std::optional<Org> agent;
      for (const char* field : {"agent.who", "agent.onBehalfOf"})
        for (size_t k = 0; k < e.r.references.size(); ++k)
          if (!agent && e.r.references[k].field == field) agent = org_from_reference(e.r.references[k], e.targets[k]);
      if (!agent) continue;
      for (size_t k = 0; k < e.r.references.size(); ++k)
        if (e.r.references[k].field == "target")
          if (const Entry* t = e.targets[k]) provenance.emplace(t, *agent);
    }

    // Items
    // First what each item learns from the others (in place: the others are
    // read while this runs, and no entry writes another's). Natively two
    // threads, each writing only its own half.
    std::map<std::string, int> unresolved[2];  // reference -> how many items refer to it
    Settings settings[2];
    detail::in_two_halves(entries.size(), two_threads, [&](int half, size_t begin, size_t end) {
      TextPool::Use half_interning(half == 0 && two_threads ? worker_word_pool : word_pool);
      for (size_t i = begin; i < end; ++i) {
        Entry& e = entries[i];
        if (e.dropped || e.r.patient) continue;
        Item& item = e.r.item;
        item.key = e.key;
        item.input = inputs[e.input];
        item.source = source_of(e, provenance, settings[half]);
        for (size_t p = 0; p < item.participants.size() && p < e.r.participant_references.size(); ++p)
          learn_participant(item.participants[p], resolve(e.r.participant_references[p], e));
        for (size_t k = 0; k < e.r.references.size(); ++k) {
          const RawReference& ref = e.r.references[k];
          bool local = ref.reference.rfind("http", 0) != 0 || by_full_url.contains(ref.reference);
          if (local && !e.targets[k] && ref.reference.rfind("Patient", 0) != 0) ++unresolved[half][ref.reference];
        }
      }
    });
    for (const auto& [reference, count] : unresolved[1]) unresolved[0][reference] += count;
    // Then what an item takes from the medication it names, on one thread and
    // after the participants: a participant's role is what its own resource
    // says, never a medication's name (a role with a medicationReference).
    for (auto& e : entries) {
      if (e.dropped || e.r.patient) continue;
      Item& item = e.r.item;
      for (size_t k = 0; k < e.r.references.size(); ++k) {
        const RawReference& ref = e.r.references[k];
        if (ref.field != "medicationReference") continue;
        if (const Entry* med = e.targets[k]) {
          item.codings.insert(item.codings.end(), med->r.item.codings.begin(), med->r.item.codings.end());
          if (item.display.empty()) item.display = med->r.item.display;
        } else if (item.display.empty()) {
          item.display = ref.display;
        }
      }
    }
    // Consent directives: actor organisations to ODS codes, data to item keys
    // (before items leave their entries). An actor that cannot be resolved
    // makes the part unreadable: withhold, never allow.
    for (auto& e : entries) {
      if (e.dropped || !e.r.item.directive) continue;
      auto& parts = e.r.item.directive->parts;
      for (size_t p = 0; p < parts.size() && p < e.r.extras().directive_actor_refs.size(); ++p) {
        for (const auto& ref : e.r.extras().directive_actor_refs[p]) {
          if (ref.rfind("identifier:", 0) == 0) { parts[p].organisations.push_back(ref.substr(11)); continue; }
          auto org = org_from_reference(RawReference{"actor", ref, {}, {}}, resolve(ref, e));
          if (org && !org->ods.empty()) parts[p].organisations.push_back(org->ods);
          else if (org && !org->name.empty()) parts[p].organisations.push_back(org->name);
          else parts[p].unreadable = true;
        }
        for (const auto& ref : e.r.extras().directive_data_refs[p]) {
          const Entry* target = resolve(ref, e);
          // Data not in this record has nothing to withhold here; kept as written.
          parts[p].items.push_back(target && !target->dropped ? target->key : ref);
        }
      }
    }
    record.items_.reserve(entries.size());  // grown once: moving 25,000 items at each doubling costs time and a second copy
    for (auto& e : entries) {
      if (e.dropped || e.r.patient) continue;
      e.item = record.items_.size();
      record.items_.push_back(std::move(e.r.item));
    }
    for (const auto& [reference, count] : unresolved[0])
      issue("references", detail::utf8_prefix(reference, 120) + " is referred to by " + std::to_string(count) +
                              (count == 1 ? " item" : " items") + " but is not in the record",
            !names_who_or_where(reference));

    // Links (dependencies), now that every item has its key
    for (auto& e : entries) {
      size_t self = e.item;
      if (self == kNotInRecord) continue;
      for (size_t k = 0; k < e.r.references.size(); ++k) {
        const RawReference& ref = e.r.references[k];
        for (const auto& lf : kLinkFields) {
          if (ref.field != lf.field) continue;
          size_t t = e.targets[k] ? e.targets[k]->item : kNotInRecord;
          if (t == kNotInRecord || t == self) continue;
          if (lf.reverse) record.items_[t].links.push_back({lf.relation, record.items_[self].key});
          else record.items_[self].links.push_back({lf.relation, record.items_[t].key});
        }
      }
    }
    record.index_items();

    place_and_mark(record);
    mark_cancelled_adt_events(record);

    if (issues_dropped) issues.push_back({"record", std::to_string(issues_dropped) + " more problems were found and not listed", true});
    record.load_issues_ = std::move(issues);
    return record;
  }

  void place_and_mark(Record& record) {
    auto& items = record.items_;
    auto linked = [&](const Item& item, const char* relation) {
      std::vector<const Item*> out;
      for (const auto& l : item.links)
        if (l.relation == relation)
          if (const Item* t = record.find(l.target)) out.push_back(t);
      return out;
    };
    struct Unplaced { std::string where, kind; };
    std::vector<Unplaced> unplaced[2];  // each half's items that no rule places, in order
    detail::in_two_halves(items.size(), two_threads, [&](int half, size_t begin, size_t end) {
      TextPool::Use half_interning(half == 0 && two_threads ? worker_word_pool : word_pool);
      for (size_t i = begin; i < end; ++i) {
        Item& item = items[i];
        if (!kReadKinds.count(item.kind)) {
          item.rule = "other";
          continue;
        }
        std::vector<Coding> report_codings;
        for (const char* relation : {"result of", "member of"})
          for (const Item* report : linked(item, relation))
            report_codings.insert(report_codings.end(), report->codings.begin(), report->codings.end());
        Placement p = rules.place(item, report_codings);
        item.segment = p.segment;
        item.tier = p.tier;
        item.rule = p.rule;
        if (p.rule.empty()) unplaced[half].push_back({item.input + " " + item.key, item.kind});
        item.sensitive_test = rules.sensitive_test_group(item);
        item.tags = rules.tags_of(item);
      }
    });
    for (const auto& list : unplaced)
      for (const auto& u : list) issue(u.where, "no classification rule places this " + u.kind + "; it will not be shown");
    // Exclusions are not marked here: the policy marks them, once, with its own lists.
  }

  // A11 cancels A01, A12 cancels A02, A13 cancels A03, A38 cancels A05, for
  // the same visit: the cancelled event is marked, the cancel links to it.
  void mark_cancelled_adt_events(Record& record) {
    static const std::pair<const char*, const char*> cancels[] = {{"A11", "A01"}, {"A12", "A02"}, {"A13", "A03"}, {"A38", "A05"}};
    std::unordered_map<std::string, std::string> visit_of;
    for (const auto& e : entries)
      if (!e.r.extras().visit_number.empty()) visit_of[e.key] = e.r.extras().visit_number;
    auto trigger = [](const Item& i) { return i.categories.empty() ? std::string() : i.categories.front().code.str(); };
    auto& items = record.items_;
    for (size_t c = 0; c < items.size(); ++c) {
      if (items[c].kind != "AdtEvent") continue;
      for (const auto& [cancel, cancelled] : cancels) {
        if (trigger(items[c]) != cancel) continue;
        for (size_t k = c; k-- > 0;) {
          if (items[k].kind == "AdtEvent" && trigger(items[k]) == cancelled && items[k].status != "cancelled" &&
              visit_of[items[k].key] == visit_of[items[c].key]) {
            items[k].status = "cancelled";
            items[c].links.push_back({"cancels", items[k].key});
            break;
          }
        }
      }
    }
  }
};

RecordBuilder::RecordBuilder(const Classification& rules) : impl_(std::make_unique<Impl>(rules)) {}
RecordBuilder::~RecordBuilder() = default;
RecordBuilder::RecordBuilder(RecordBuilder&&) noexcept = default;
RecordBuilder& RecordBuilder::operator=(RecordBuilder&&) noexcept = default;

uint64_t RecordBuilder::second_halves_read_by_a_worker() { return detail::SecondHalf::taken_so_far(); }

void RecordBuilder::add(std::string_view bytes, const InputOptions& input) { impl_->add(bytes, input); }

void RecordBuilder::add(ArrivingInput&& input) {
  if (!input.impl_) return;  // moved from: nothing arrived
  ArrivingInput arrived = std::move(input);  // its bytes are freed when this returns
  impl_->add(arrived.impl_->bytes, arrived.impl_->options, arrived.impl_.get());
}

void RecordBuilder::add_file(const std::string& path, const std::string& source_ods) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    impl_->inputs.push_back(path);
    impl_->declared_ods.push_back(source_ods);
    impl_->issue(path, "cannot be opened for reading", true, true);
    return;
  }
  // Read in one piece at its size: a stream buffer would hold it twice.
  std::string text;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    text.resize(static_cast<size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<size_t>(in.gcount()));
  } else {  // not a regular file (a pipe): read as it comes
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  impl_->add(text, {path, source_ods});
}

void RecordBuilder::add_unavailable_source(const UnavailableSource& source) { impl_->unavailable.push_back(source); }

void RecordBuilder::choose_person(const std::string& who) { impl_->chosen_person = who; }

Record RecordBuilder::build() {
  Record record = impl_->build();
  // What was read is freed (the record holds all it needs): natively on a
  // worker, which this builder waits for before it is itself destroyed.
  std::unique_ptr<Impl> spent = std::make_unique<Impl>(impl_->rules);  // made first: a failure leaves the builder whole
  spent.swap(impl_);
  if (spent->two_threads) impl_->previous_reading.free(std::move(spent));
  return record;
}

const Item* Record::find(const std::string& key) const {
  size_t at = index_.find(key);
  return at == detail::KeyIndex::npos ? nullptr : &items_[at];
}

void Record::index_items() {
  index_.clear();
  index_.reserve(items_.size());
  for (size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i].key, i);
}

Record::Record(const Record& other)
    : patient_(other.patient_), identity_known_(other.identity_known_), other_people_(other.other_people_), items_(other.items_),
      load_issues_(other.load_issues_), inputs_(other.inputs_), unavailable_(other.unavailable_),
      classification_version_(other.classification_version_), two_threads_(other.two_threads_) {
  index_items();
}

Record& Record::operator=(const Record& other) {
  if (this != &other) *this = Record(other);
  return *this;
}

std::map<std::string, int> Record::other_counts() const {
  std::map<std::string, int> out;
  for (const auto& item : items_) if (item.rule == "other") ++out[item.kind];
  return out;
}

}  // namespace ilinks
