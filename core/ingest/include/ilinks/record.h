// ilinks/record.h: one person's integrated record, as read from its sources.
//
// A Record is everything the sources said, each item placed in its segment and
// tier of the sharing model. It is never shown as it is: only the policy
// (ilinks/policy.h), which also marks what falls in an exclusion category,
// turns a Record into a View, which is what render/ and the bindings see.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "ilinks/item.h"
#include "ilinks/key_index.h"

namespace ilinks {

// ---------------------------------------------------------------------------
// The record
// ---------------------------------------------------------------------------

// Something in the input that could not be read, or was left out. The rest of
// the record is still used; the view shows that part of the record could not
// be read. Never contains clinical values: only where and why.
struct LoadIssue {
  std::string where;  // "records/joe.json entry[12] Observation/abc valueQuantity"
  std::string what;   // "is not an object; value not read"
  // False when nothing clinical was lost: a reference to an organisation or
  // practitioner that was not sent (its entries say "Source not known"). Only
  // damage makes a View say part of the record could not be read.
  bool damage = true;
  // True when nothing at all of this input could be read (empty, not JSON,
  // not FHIR, too large, a file that cannot be opened).
  bool whole_input = false;
};

class Record {
 public:
  Record() = default;
  Record(const Record& other);  // the copy's index is of its own items
  Record& operator=(const Record& other);
  Record(Record&&) noexcept = default;
  Record& operator=(Record&&) noexcept = default;

  const Patient& patient() const { return patient_; }
  // False when no input held a Patient resource (or PID segment): the items
  // are about someone the record cannot name, and nothing should be shown.
  bool identity_known() const { return identity_known_; }
  const std::vector<Item>& items() const { return items_; }
  const Item* find(const std::string& key) const;
  const std::vector<LoadIssue>& load_issues() const { return load_issues_; }
  // How many other people the inputs held (their data is left out, each reported).
  int other_people_left_out() const { return other_people_; }
  // The inputs read, in order ("joe.json", "adt/joe-a01.hl7").
  const std::vector<std::string>& inputs() const { return inputs_; }
  // Items of kinds the sharing model does not cover (Claim, Coverage, ...):
  // kept, not shown, counted here by kind.
  std::map<std::string, int> other_counts() const;
  // Sources asked for this record that did not answer (RecordBuilder::add_unavailable_source).
  const std::vector<UnavailableSource>& unavailable_sources() const { return unavailable_; }
  // Versions of the classification data the record was placed with.
  const std::string& classification_version() const { return classification_version_; }
  // Natively, whether the policy may use two threads for its Views: its host
  // allowed two for an input this large (InputOptions::two_threads_from).
  bool two_threads() const { return two_threads_; }

  // Kept for the banner-only callers of the first version.
  const std::string& source_name() const { return inputs_.empty() ? empty_ : inputs_.front(); }

 private:
  friend class RecordBuilder;
  void index_items();
  Patient patient_;
  bool identity_known_ = false;
  int other_people_ = 0;
  std::vector<Item> items_;
  detail::KeyIndex index_;  // key -> position in items_ (views the items' keys)
  std::vector<LoadIssue> load_issues_;
  std::vector<std::string> inputs_;
  std::vector<UnavailableSource> unavailable_;
  std::string classification_version_;
  bool two_threads_ = false;
  std::string empty_;
};

}  // namespace ilinks
