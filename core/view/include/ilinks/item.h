// ilinks/item.h: who the person is, and one statement of their record.
//
// The vocabulary both a Record (everything the sources said) and a View (what
// one viewer may see) are made of. Part of the View model (core/view/): render
// sees these types, never a Record.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/text.h"

namespace ilinks {

// ---------------------------------------------------------------------------
// Who the person is
// ---------------------------------------------------------------------------

// A person's name, as FHIR HumanName carries it.
struct PersonName {
  std::string family;
  std::vector<std::string> given;
  std::vector<std::string> prefix;  // titles: "Mr", "Dr"
  std::string text;                 // the whole name as one string, when that is all there is
};

enum class Gender { not_recorded, male, female, other, unknown };

struct Address {
  std::vector<std::string> lines;
  std::string city;
  std::string district;
  std::string postal_code;
  std::string country;
};

struct Telecom {
  std::string system;  // phone, email, ...
  std::string value;
  std::string use;     // home, work, mobile
};

// Who the person is: everything the patient banner needs.
struct Patient {
  std::string resource_id;                    // Patient.id in its first source
  std::string nhs_number;                     // ten digits, modulus-11 checked; empty if none valid
  PersonName name;                            // the official (or first usable) name
  std::optional<std::string> preferred_name;  // what they like to be called (use=usual / nickname)
  std::optional<Date> birth_date;
  Gender gender = Gender::not_recorded;
  bool deceased = false;
  std::optional<Date> deceased_date;
  std::optional<Address> address;             // home address (or the first current one)
  std::vector<Telecom> telecom;
  std::string registered_gp;                  // registered practice name (Patient.generalPractitioner)
  std::string registered_gp_ods;              // its ODS code, when known
};

// ---------------------------------------------------------------------------
// Where an item sits in the sharing model (SHARING-MODEL.md, tables 1-4)
// ---------------------------------------------------------------------------

enum class Segment { none, summary, community, diagnostics, hospital };

// Where the source organisation delivers care; decides, with the kind of item,
// its segment (a hospital encounter is H1, a community one C1).
enum class CareSetting { unknown, primary_care, community, mental_health, social_care, acute_hospital, diagnostics };

const char* segment_letter(Segment segment);     // "S", "C", "D", "H", "-"
const char* segment_name(Segment segment);       // "Summary", ..., "not shown as content"
const char* care_setting_id(CareSetting setting);  // "primary_care", ..., "unknown"
std::optional<CareSetting> care_setting_from_id(const std::string& id);

// ---------------------------------------------------------------------------
// Items: every clinical or care statement in the record
// ---------------------------------------------------------------------------

// Like std::optional, for what few items hold: out of line, so the many that
// hold none of it cost a pointer, not the value's size. Copies copy the value.
template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}
  Boxed(T value) : value_(std::make_unique<T>(std::move(value))) {}
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(T value) {
    value_ = std::make_unique<T>(std::move(value));
    return *this;
  }
  Boxed& operator=(std::nullopt_t) {
    value_.reset();
    return *this;
  }
  Boxed& operator=(std::optional<T> value) {
    value_ = value ? std::make_unique<T>(std::move(*value)) : nullptr;
    return *this;
  }

  explicit operator bool() const { return value_ != nullptr; }
  bool has_value() const { return value_ != nullptr; }
  const T& operator*() const { return *value_; }
  T& operator*() { return *value_; }
  const T* operator->() const { return value_.get(); }
  T* operator->() { return value_.get(); }
  std::optional<T> as_optional() const { return value_ ? std::optional<T>(*value_) : std::nullopt; }
  void reset() { value_.reset(); }

 private:
  std::unique_ptr<T> value_;
};

// A code from a code system: SNOMED CT, Read v2, an EMIS local code, LOINC,
// dm+d, RxNorm, an HL7 v3 security label.
struct Coding {
  Text system;
  Text code;
  Text display;
};

// A measured or stated value, as FHIR Quantity / string / CodeableConcept.
struct Value {
  std::optional<double> number;
  Text comparator;  // "<", "<=", ">=", ">"
  Text unit;
  Text text;               // a string or coded value, or the number as written
  std::vector<Coding> codings;  // a coded value's codes (valueCodeableConcept)
};

struct ReferenceRange {
  std::optional<double> low;
  std::optional<double> high;
  Text unit;
  Text text;         // "4.0 - 11.0" or a range described in words
};

// A measured part of an item (a blood pressure's systolic and diastolic).
struct Component {
  Text name;
  std::vector<Coding> codings;
  Value value;
  std::vector<ReferenceRange> ranges;
  Text interpretation;
};

// A person involved in an item: a care team member, a performer, a next of kin.
struct Participant {
  Text role;
  Text name;
  Text organisation;
  Text contact;
};

// The organisation an item comes from, and how that was found out.
struct SourceOrganisation {
  Text ods_code;
  Text name;
  CareSetting setting = CareSetting::unknown;
  Text found_by;                 // "performer", "Provenance", "encounter serviceProvider", "meta.source", "declared for input", ...
  Text setting_found_by;       // "participants file", "Organization.type", "Encounter.class", ...
};

// Why an item must never be shared below the tier that allows it.
struct ExclusionMark {
  std::string category;     // "hiv_aids", "abuse", ... (policy.json "exclusions")
  std::string matched;      // what matched: "Read v2 A788% (system|code)", "security label HIV"
  std::string through;      // empty, or the key of the excluded item this one only makes sense through
};

// A dependency on another item: a result of a report, a medication's
// indication, a letter's encounter.
struct Link {
  Text relation;  // "result of", "indication", "encounter", "about", "part of", "member of"
  Text target;    // Item::key of the target
};

// A FHIR Consent about sharing (scope patient-privacy), as the policy applies
// it: a base "deny" opts out of everything; a base "permit" with nested
// "deny" provisions opts out of those parts.
struct ConsentDirective {
  struct Part {
    bool deny = true;
    std::vector<std::string> organisations;    // ODS codes (or names) of the actor organisations
    std::vector<std::string> items;            // Item keys of the data covered
    std::vector<std::string> security_labels;  // HL7 v3 codes ("PSY")
    // Restricts by something the viewer cannot apply (class, code, purpose,
    // dataPeriod, an unresolvable reference): the policy withholds everything.
    bool unreadable = false;
  };
  bool base_deny = false;
  std::vector<Part> parts;                     // nested provisions
  std::optional<Date> start, end;              // provision.period
  std::vector<std::string> policy_uris;        // Consent.policy[].uri: the agreement it was given under
};

// A source of the integrated record that did not answer when the record was
// assembled (a sharing service asks each organisation's endpoint): its
// entries are missing, and the viewer must be told which, never a silent gap.
struct UnavailableSource {
  std::string organisation;   // "Aintree University Hospital"
  std::string why;            // in words: "could not be reached: connection refused"
};

struct Item {
  // What it is
  std::string key;         // unique within the record: "Condition/123", "AdtEvent/MSG0001"
  Text kind;               // FHIR resource type, or "AdtEvent" for an HL7 v2 event
  std::string source_id;   // the id it had in its source (may repeat across sources)
  Text display;            // the best one-line description the source gave
  std::vector<Coding> codings;     // the item's own code(s), all systems
  std::vector<Coding> categories;  // categories, class, type
  std::vector<Coding> reasons;     // why it was done or given (reasonCode): a coded indication
  Text status;
  // When
  std::optional<Date> date;      // the clinically relevant date (onset, effective, start, recorded)
  std::optional<Date> end_date;  // end of a period, discharge, expiry
  Text date_time;                // the same instant as the source wrote it, with the time when given
  // Values
  Value value;
  std::vector<ReferenceRange> ranges;
  Text interpretation;           // abnormal flag: "H", "L", "A", "Abnormal", ...
  std::vector<Component> components;
  Text text;                     // notes, narrative, or an inline document's text (text/plain, or text/html reduced to text)
  std::vector<Participant> participants;
  // Where it came from
  SourceOrganisation source;
  Text source_system;            // meta.source, or the HL7 v2 sending application
  Text input;                    // the input it was read from (file name or URL)
  std::vector<Coding> security_labels;
  std::vector<Link> links;
  Boxed<ConsentDirective> directive;  // Consent resources about sharing only
  // Where it sits
  Segment segment = Segment::none;
  int tier = 0;                  // 1-3 within the segment; 0 when segment is none
  Text rule;                     // id of the classification rule that placed it
  Boxed<ExclusionMark> exclusion;  // set by the policy (Exclusions::mark), never by a reader
  Text sensitive_test;           // "HIV and AIDS" or "GUM": withheld at D2, shown at D3
  // What it means clinically, for the layout: "allergy", "no-known-allergy",
  // "resuscitation-decision", "mental-capacity", "end-of-life-wishes",
  // "health-status" (core/data/classification.json "tags").
  std::vector<Text> tags;
  bool has_tag(const std::string& tag) const;
};

}  // namespace ilinks
