// ilinks/view.h: what one viewer may see of one person's record.
//
// A View is made only by the policy (ilinks/policy.h): it has no public
// constructor, so render/ and the bindings, which see Views only, cannot show
// anything the policy did not let through. A View never says what was
// excluded: no count, no placeholder, no reference to a withheld item.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/item.h"

namespace ilinks {

// Why the viewer may see the shared record.
enum class Basis {
  consent_required,  // no consent on record: identity from the host and a consent request only
  opted_out,         // the person has opted out of all sharing: identity from the host only
  consent,           // the person consented
  override_,         // an emergency override is in force
};
const char* basis_id(Basis basis);  // "consent-required", "opted-out", "consent", "override"

// What the widget's consent, override and wider-access dialogs may offer this
// viewer: filled by the policy for the viewer's role profile.
struct ConsentOptions {
  std::vector<std::string> methods{"verbal", "written"};
  bool may_override = false;  // the viewer's role profile may override
  struct Reason {
    std::string code, display;
  };
  std::vector<Reason> override_reasons;
  int override_text_min_characters = 10;
  // Wider access to the community record on an individual case basis
  // (Community tier 3): offered when case_access_available().
  std::vector<Reason> case_access_reasons;
  int case_access_text_min_characters = 10;
};

class View {
 public:
  // Who the person is, for the patient banner: the host's own identity until
  // the shared record may be shown, then the shared record's.
  const Patient& patient() const { return patient_; }
  // True when part of the record could not be read: the viewer must be told
  // that what they see may be incomplete.
  bool incomplete() const { return incomplete_; }

  // ---- The basis -----------------------------------------------------------
  Basis basis() const { return basis_; }
  bool shows_record() const { return basis_ == Basis::consent || basis_ == Basis::override_; }
  // How consent was given ("verbal consent recorded 22-Nov-2026 by u123"), or
  // the override ("Emergency override: unconscious; ends 18:05"), in words.
  const std::string& basis_text() const { return basis_text_; }
  // When an override ends (shown with the time left while it lasts).
  const std::optional<Timestamp>& override_ends() const { return override_ends_; }
  const std::string& override_reason() const { return override_reason_; }

  // ---- The viewer's access ---------------------------------------------------
  const std::string& profile_id() const { return profile_id_; }
  const std::string& profile_name() const { return profile_name_; }
  // The tier this viewer sees in a segment (0: not available for their role).
  int tier(Segment segment) const;
  // "S3 C2 D3 H3": the segments and tiers shown (empty when none).
  std::string tiers_shown() const;
  // Wider access on an individual case basis (section 7.2, Community tier 3):
  // true when this viewer's role reaches a tier it sees only once they record,
  // for this person, why they need it (Policy::record_case_access).
  bool case_access_available() const { return case_access_available_; }
  // While such access is in force, in words ("Wider community record for this
  // person: ... recorded by u1; ends 29-Nov-2026 22:00."); empty otherwise.
  const std::string& case_access_text() const { return case_access_text_; }
  // What the viewer may do about the basis: consent methods, override and
  // wider-access reasons (the widget's dialogs offer exactly these).
  const ConsentOptions& consent_options() const { return consent_options_; }

  // ---- What is shown -------------------------------------------------------
  // Shown items, in record order. Each keeps its kind and source id (the FHIR
  // resource it came from) and only links to other shown items.
  const std::vector<Item>& items() const { return items_; }
  std::vector<const Item*> items_in(Segment segment) const;
  const Item* find(const std::string& key) const;

  // ---- Notices -------------------------------------------------------------
  // The record's sources that did not answer, each in words ("Aintree
  // University Hospital did not answer (no answer within 8 s): its
  // entries are not shown."); the screen shows them when it shows the record.
  const std::vector<std::string>& unavailable_sources() const { return unavailable_sources_; }
  // Always the same words, whether or not anything was withheld.
  const std::string& notice() const { return notice_; }
  // Set when the person has restricted part of their record (an opt-out).
  const std::string& opt_out_notice() const { return opt_out_notice_; }
  // How many items come from the viewer's own organisation and are left out
  // (the host shows them itself); 0 when they are included.
  int own_organisation_items_hidden() const { return own_hidden_; }
  const std::string& policy_version() const { return policy_version_; }

  View(const View&) = default;
  View(View&&) = default;
  View& operator=(const View&) = default;
  View& operator=(View&&) = default;

 private:
  friend class Policy;       // makes Views from a record (ilinks/policy.h)
  friend class ServiceView;  // reads the Views a sharing service made (ilinks/view_wire.h)
  View() = default;
  Patient patient_;
  bool incomplete_ = false;
  Basis basis_ = Basis::consent_required;
  std::string basis_text_, override_reason_, case_access_text_;
  bool case_access_available_ = false;
  ConsentOptions consent_options_;
  std::optional<Timestamp> override_ends_;
  std::string profile_id_, profile_name_;
  std::array<int, 5> tiers_{};  // by Segment
  std::vector<Item> items_;
  std::string notice_, opt_out_notice_, policy_version_;
  std::vector<std::string> unavailable_sources_;
  int own_hidden_ = 0;
};

}  // namespace ilinks
