// ilinks/classification.h: the data that places items in the sharing model.
//
// Versioned JSON under core/data/, built into the library and replaceable by a
// deployment:
//   classification.json  rules: which kind of item, from which care setting,
//                        goes to which segment and tier; code lists (D1 tests, ...)
//   policy.json          its "exclusions" member: Appendix 1 exclusion codes by
//                        category, security labels, the published SNOMED CT,
//                        dm+d and LOINC lists (core/data/codelists/) and the
//                        term safety net
//   participants.json    the organisations in the economy: ODS code, name, setting
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ilinks/record.h"

namespace ilinks {

// How an item was placed: which rule, and what that rule says.
struct Placement {
  Segment segment = Segment::none;
  int tier = 0;
  std::string rule;  // rule id; empty when no rule matched
  std::string why;   // the rule's reason, citing the sharing model
};

class Classification {
 public:
  // The files shipped in core/data, built into the library.
  static const Classification& builtin();
  // A deployment's own files. Throws InputError naming the file, the place
  // and the reason when any of them is not valid: never half-applied.
  static Classification from_json(std::string_view classification_json,
                                  std::string_view exclusions_json,  // policy.json's "exclusions" member
                                  std::string_view participants_json);
  // The built-in rules and participants with another policy's exclusions.
  static Classification with_exclusions(std::string_view exclusions_json);

  // "classification 2016-02-north-mersey.1, exclusions ..., participants ..."
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
  // The exclusion category `item` falls in, by its own codings and security
  // labels; nothing when it falls in none.
  // Codes are looked for in every coding the item carries (its own and their
  // translations, categories, a coded value, a coded reason, components); then
  // its words (display and code displays, never notes or documents) against
  // the policy's term safety net.
  std::optional<ExclusionMark> exclusion_of(const Item& item) const;
  // Every category `item`'s own security labels fall in (an item may carry
  // several labels; exclusion_of names only the first match).
  std::vector<std::string> label_categories(const Item& item) const;
  // The term safety net alone: the category whose words `text` holds.
  std::optional<ExclusionMark> exclusion_by_words(std::string_view text) const;
  // The words of an item the safety net reads: its display, and the displays
  // of its codes, coded value, coded reasons and components.
  static std::string words_of(const Item& item);
  // Marks every item that falls in an exclusion category, and everything that
  // only makes sense through one (its results, the medication whose only
  // indication it is, a letter about it, a report holding it). Marks already
  // there are kept: marking only ever adds.
  void mark_exclusions(std::vector<Item>& items) const;
  // The second half of mark_exclusions: carries the marks already there to
  // what only makes sense through the marked items (also used for opt-outs).
  static void propagate_marks(std::vector<Item>& items);
  // "HIV and AIDS" / "GUM" for a sensitive test; empty otherwise.
  std::string sensitive_test_group(const Item& item) const;
  // Group name in a code list ("FBC" in d1_routine), or empty.
  std::string code_list_group(const std::string& list, const std::vector<Coding>& codings) const;

  struct Data;

 private:
  explicit Classification(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

// Read v2 matching as Appendix 1 prints it: codes are padded to five
// characters with "."; a trailing "%" covers every code below it.
bool read_v2_matches(std::string_view pattern, std::string_view code);

}  // namespace ilinks
