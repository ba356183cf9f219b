// The policy as loaded: what Policy (policy.cpp) decides with.
#pragma once
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ilinks/audit.h"
#include "ilinks/exclusions.h"
#include "ilinks/policy.h"

namespace ilinks {

struct Policy::Data {
  struct SegmentTier {
    Segment segment;
    int tier;
  };
  std::string name, version, sha256, notice;
  std::vector<Profile> profiles;
  std::vector<AuditRole> audit_roles;
  std::map<Segment, std::set<int>> live;
  std::vector<SegmentTier> no_exclusions;  // at or above these, exclusions do not apply (D3)
  Segment sensitive_segment = Segment::diagnostics;
  int sensitive_from_tier = 3;             // sensitive tests need this tier
  bool own_shown_by_default = false;
  std::vector<std::string> consent_methods;
  int consent_lapses_after_days = 365;
  std::vector<std::string> consent_source_policies;  // a source's FHIR Consent given under one of these counts as consent
  int override_minutes = 240, override_text_min = 10;
  std::vector<OverrideReason> override_reasons;
  struct CaseAccessRule {
    Segment segment = Segment::community;
    int tier = 3;            // the tier reached only case by case
    int minutes = 720, text_min = 10;
    std::vector<OverrideReason> reasons;
  };
  std::optional<CaseAccessRule> case_access;  // none: no tier is held back
  std::set<std::string> withheld_placements;  // classification rule ids no profile sees
  AlertThresholds alerts;
  std::string exclusions_json;                     // resolved: every code list's codes written in
  std::set<std::string> withheld_from_everyone;    // exclusion categories even D3 does not see (restricted by the source)
  std::vector<std::string> load_notes;
  std::unique_ptr<Exclusions> exclusions;         // the categories, with every list's codes

  // `builtin`: the library's own policy, whose code lists are all built in.
  static std::shared_ptr<const Data> load(std::string_view text, const std::string& file, const PolicySources& sources, bool builtin);
};

}  // namespace ilinks
