// ilinks/classification.h: the data that places items in the sharing model.
//
// Versioned JSON under core/data/, built into the library and replaceable by a
// deployment:
//   classification.json  rules: which kind of item, from which care setting,
//                        goes to which segment and tier; code lists (D1 tests,
//                        ...); tags: what an item means clinically
//   participants.json    the organisations in the economy: ODS code, name, setting
// The exclusion categories are the policy's (ilinks/exclusions.h), not these.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ilinks/item.h"

namespace ilinks {

// How an item was placed: which rule, and what that rule says.
struct Placement {
  Segment segment = Segment::none;
  int tier = 0;
  Text rule;         // rule id; empty when no rule matched (shared with the rule, not copied)
  std::string why;   // the rule's reason, citing the sharing model
};

class Classification {
 public:
  // The files shipped in core/data, built into the library.
  static const Classification& builtin();
  // A deployment's own files. Throws PolicyFileError naming the file, the
  // place and the reason when either is not valid: never half-applied.
  static Classification from_json(std::string_view classification_json, std::string_view participants_json);

  // "classification 2016-02-north-mersey.3, participants ..."
  std::string version() const;
  // True when a rule of this id exists (for policies that name rules).
  bool has_rule(const std::string& id) const;

  // The participants file entry for an organisation, by ODS code, else by name.
  std::optional<CareSetting> participant_setting(const std::string& ods_code, const std::string& name,
                                                 std::string* canonical_name = nullptr) const;
  // A setting from free text (Organization.type, a name, Encounter.serviceType).
  std::optional<CareSetting> setting_from_words(const std::string& text) const;
  // A setting from an Encounter.class code (IMP, EMER, HH, ...).
  std::optional<CareSetting> setting_from_encounter_class(const std::string& code) const;

  // Places `item` (kind, setting, categories, status, codings; plus the codings
  // of the report it is a result of).
  Placement place(const Item& item, const std::vector<Coding>& report_codings) const;
  // What `item` means clinically: the ids of every tag of classification.json
  // it matches ("allergy", "resuscitation-decision", ...), in the file's order.
  std::vector<Text> tags_of(const Item& item) const;
  // "HIV and AIDS" / "GUM" for a sensitive test; empty otherwise.
  Text sensitive_test_group(const Item& item) const;
  // Group name in a code list ("FBC" in d1_routine), or empty.
  std::string code_list_group(const std::string& list, const std::vector<Coding>& codings) const;

  struct Data;

 private:
  explicit Classification(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace ilinks
