// One FHIR R4 resource read into an Item (or a Patient), before it meets the
// rest of the record: references are kept as written, and resolved later by
// the RecordBuilder once every input has been read.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "json_tree.h"

#include "ilinks/record.h"

namespace ilinks::detail {

using IssueFn = std::function<void(const std::string& where, const std::string& what)>;

// A Reference found anywhere in the resource, with the path of member names
// that led to it ("performer.actor", "context.encounter", "result").
struct RawReference {
  std::string field;
  std::string reference;  // "Organization/1", "urn:uuid:..", "#med1", "Practitioner?identifier=sys|val"
  std::string display;
  std::string type;       // Reference.type, when given
};

struct ReadResource {
  Item item;                       // kind, display, codings, dates, values... (no placement yet)
  std::vector<RawReference> references;
  std::vector<std::string> identifiers;  // "system|value"
  std::string version_id;          // meta.versionId
  std::string full_url;
  std::string where;               // "entry[12]" within its input
  std::string meta_source;
  std::unique_ptr<Patient> patient;  // set for Patient resources (a pointer: most resources are not)
  std::vector<std::string> participant_references;  // parallel to item.participants ("" when none)
  std::vector<ReadResource> contained;

  // What only some resources have (organisations and people, HL7 v2 events,
  // Patients, Consents), out of line: most of a long record's 30,000 entries
  // have none of it, and a builder entry is held until the record is built.
  struct Extras {
    std::string name;                      // Organization / Practitioner / RelatedPerson name
    std::string contact;                   // their first phone number or address (telecom), for "who else is involved"
    std::string ods_code;                  // Organization ODS code
    std::vector<std::string> type_words;   // Organization.type / serviceType texts, lower case
    std::string source_ods_hint;           // HL7 v2: the sending facility, taken as the source organisation
    std::string visit_number;              // HL7 v2: PV1-19, which ties cancels to what they cancel
    std::string gp_reference;              // Patient.generalPractitioner (first), as written
    // Consent directives: the raw references of each nested provision, resolved
    // by the builder into ConsentDirective::Part organisations and items.
    std::vector<std::vector<std::string>> directive_actor_refs, directive_data_refs;
  };
  const Extras& extras() const { return extras_ ? *extras_ : kNoExtras; }  // empty when there are none
  Extras& fill() {                                                           // made on first use
    if (!extras_) extras_ = std::make_unique<Extras>();
    return *extras_;
  }

  std::string content_hash;        // for finding the same resource sent twice
  bool identity_only = false;      // a Patient

 private:
  static const Extras kNoExtras;
  std::unique_ptr<Extras> extras_;
};

// Reads `body`, a JSON object with a resourceType. Problems go to `issue` with
// the field named; the resource is still read as far as it can be.
// `hash_body`: set content_hash from the body (false when the caller already
// hashed the text it was read from).
ReadResource read_resource(const JsonNode& body, const std::string& where, const IssueFn& issue, bool hash_body = true);

// Text helpers shared with the HL7 v2 reader.
std::string html_to_text(const std::string& html);
std::optional<std::string> decode_base64(const std::string& data);

}  // namespace ilinks::detail
