// Viewers, requests and checks for policy tests: who is looking, on what
// basis, and whether a View keeps every rule of the sharing model.
#pragma once
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "ilinks/audit.h"
#include "ilinks/policy.h"
#include "ilinks/view_export.h"
#include "record_helpers.h"

namespace test {

inline ilinks::Timestamp at(const char* iso) { return *ilinks::Timestamp::parse(iso); }
inline const ilinks::Timestamp kNow = at("2026-11-22T10:30:00+00:00");  // a Sunday morning

inline ilinks::Viewer viewer(const std::string& profile, const std::string& ods = "ZZVIEW", const std::string& user = "u1") {
  ilinks::Viewer v;
  v.user_id = user;
  v.user_name = "Test User " + user;
  v.profile = profile;
  v.organisation_ods = ods;
  v.device = "test host";
  return v;
}

inline ilinks::Consent verbal_consent(const ilinks::Timestamp& when = kNow) { return {"u1", when, "verbal", "patient", std::nullopt, ilinks::Consent::Scope::user, ""}; }

// A request from `profile` at `ods` for the person the record is about, with
// a legitimate relationship and a verbal consent recorded now.
inline ilinks::Request request(const ilinks::Record& record, const std::string& profile, const std::string& ods = "ZZVIEW") {
  ilinks::Request r;
  r.viewer = viewer(profile, ods);
  r.host_patient = record.patient();
  r.legitimate_relationship = true;
  r.consent = verbal_consent();
  r.now = kNow;
  return r;
}

inline ilinks::View view_of(const ilinks::Record& record, const ilinks::Request& req,
                            const ilinks::Policy& policy = ilinks::Policy::builtin()) {
  ilinks::AuditTrail audit(policy.alerts());
  ilinks::Decision d = policy.view_for(record, req, audit);
  if (!d.view) FAIL("refused: " << d.refused);
  return *d.view;
}

// The first shown item of `kind` whose display contains `text`.
inline const ilinks::Item* shown(const ilinks::View& v, const std::string& kind, const std::string& text) {
  for (const auto& i : v.items())
    if (i.kind == kind && i.display.find(text) != std::string::npos) return &i;
  return nullptr;
}

// The rules every View keeps, whatever the record: nothing above the viewer's
// tiers, nothing excluded (outside D3), no sensitive test below D3, no link to
// anything not shown, and nothing at all without a basis.
inline void check_within_the_rules(const ilinks::Record& record, const ilinks::View& view, const ilinks::Policy& policy,
                                   const ilinks::Profile& profile) {
  using ilinks::Segment;
  for (Segment s : {Segment::summary, Segment::community, Segment::diagnostics, Segment::hospital}) {
    // Community tier 3 is reached only with wider access recorded for the person (section 7.2).
    int expected = policy.effective_tier(profile, s);
    if (s == Segment::community && expected == 3 && view.case_access_text().empty()) expected = 2;
    CHECK(view.tier(s) == expected);
  }
  if (!view.shows_record()) CHECK(view.items().empty());
  std::set<std::string> keys;
  for (const auto& i : view.items()) keys.insert(i.key);
  std::map<std::string, ilinks::Item> marked;  // the record's items as this policy marks them
  for (auto& i : test::marked_items(record, policy)) marked.emplace(i.key, std::move(i));
  for (const auto& i : view.items()) {
    auto found = marked.find(i.key);
    REQUIRE(found != marked.end());
    const ilinks::Item* original = &found->second;
    CHECK(i.segment != Segment::none);
    CHECK(i.tier >= 1);
    CHECK(i.tier <= view.tier(i.segment));
    bool d3 = i.segment == Segment::diagnostics && view.tier(Segment::diagnostics) >= 3;
    if (original->exclusion && !d3) FAIL_CHECK(i.key << " is excluded (" << original->exclusion->category << ") but shown");
    if (!original->sensitive_test.empty()) CHECK(view.tier(Segment::diagnostics) >= 3);
    CHECK_FALSE(i.exclusion);
    CHECK(i.sensitive_test.empty());
    for (const auto& l : i.links) CHECK(keys.count(l.target) == 1);
  }
}

}  // namespace test
