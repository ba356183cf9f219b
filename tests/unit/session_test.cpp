// One person's viewing session (ilinks/session.h): the one way every front end
// turns a record into a View. What it remembers, for whom, and what it refuses.
#include <doctest/doctest.h>

#include <map>
#include <memory>

#include "ilinks/fhir.h"
#include "ilinks/record_builder.h"
#include "ilinks/view_export.h"
#include "ilinks/session.h"
#include "policy_helpers.h"
#include "record_helpers.h"

using namespace ilinks;

namespace {

Viewer viewer(const std::string& user, const std::string& profile = "1a", const std::string& ods = "ZZVIEW") {
  Viewer v;
  v.user_id = user;
  v.user_name = user;
  v.profile = profile;
  v.organisation_ods = ods;
  return v;
}

// A session on a fixed clock whose audit events are kept for the test to read.
struct Watched {
  explicit Watched(std::shared_ptr<BasisStore> store = nullptr) : session(Policy::builtin(), std::move(store)) {
    session.set_clock([] { return test::kNow; });
    session.set_audit_trail(std::make_shared<AuditTrail>(Policy::builtin().alerts(), "", [this](const AuditEvent& e) {
      events.push_back(e);
      return true;
    }));
  }
  Session session;
  std::vector<AuditEvent> events;
};

// A store that outlives sessions, as a sharing service keeps one.
class LastingStore : public MemoryBasisStore {
 public:
  void session_moved_on(bool) override {}  // keeps everything: its keys tell people and users apart
};

}  // namespace

TEST_SUITE("viewing session") {
  TEST_CASE("with no record loaded there is nothing to show") {
    Watched w;
    w.session.set_viewer(viewer("u1"), true);
    CHECK_FALSE(w.session.view());
    CHECK(w.events.empty());
  }

  TEST_CASE("before the host says who is looking, only the person's identity and a consent request are shown, unaudited") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    auto v = w.session.view();
    REQUIRE(v);
    CHECK(v->basis() == Basis::consent_required);
    CHECK(v->items().empty());
    CHECK(v->patient().name.family == "Bradshaw");
    CHECK(w.events.empty());
  }

  TEST_CASE("each view is one audit event, and consent recorded in the session opens the record") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1"), true);
    CHECK(w.session.view()->basis() == Basis::consent_required);
    w.session.record_consent("verbal", "patient");
    auto v = w.session.view();
    CHECK(v->basis() == Basis::consent);
    CHECK_FALSE(v->items().empty());
    REQUIRE(w.events.size() == 3);
    CHECK(w.events[0].action == "view");
    CHECK(w.events[1].action == "consent");
    CHECK(w.events[2].outcome == "shown");
  }

  TEST_CASE("consent given for one person is not carried to the next person's record") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1"), true);
    w.session.record_consent("verbal", "patient");
    REQUIRE(w.session.view()->basis() == Basis::consent);
    w.session.load(test::demo_record("susan-doyle"));
    CHECK(w.session.view()->basis() == Basis::consent_required);
  }

  TEST_CASE("consent given to one clinician does not let the next user of the same screen see the record") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1"), true);
    w.session.record_consent("verbal", "patient");
    w.session.set_viewer(viewer("u2"), true);
    CHECK(w.session.view()->basis() == Basis::consent_required);
  }

  TEST_CASE("an opt-out is the person's: it holds for the next user, and goes with the person") {
    Watched w;
    Record joe = test::demo_record("joe-bradshaw");
    std::string nhs = joe.patient().nhs_number;
    w.session.load(joe);
    w.session.set_viewer(viewer("u1"), true);
    w.session.record_opt_out({OptOut::Scope::whole_record, ""});
    w.session.set_viewer(viewer("u2"), true);
    w.session.record_consent("verbal", "patient");
    CHECK(w.session.view()->basis() == Basis::opted_out);
    w.session.set_host_patient(test::demo_record("susan-doyle").patient().nhs_number);
    w.session.load(test::demo_record("susan-doyle"));
    w.session.record_consent("verbal", "patient");
    CHECK(w.session.view()->basis() == Basis::consent);
  }

  TEST_CASE("a record about someone other than the person open in the host is refused, showing nothing") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1"), true);
    w.session.set_host_patient(test::demo_record("susan-doyle").patient().nhs_number);
    CHECK_THROWS_WITH_AS(w.session.view(), doctest::Contains("about a different person"), Refused);
  }

  TEST_CASE("without a legitimate relationship the view is refused, and the refusal is audited") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1"), false);
    CHECK_THROWS_AS(w.session.view(), Refused);
    REQUIRE(w.events.size() == 1);
    CHECK(w.events[0].action == "refusal");
  }

  TEST_CASE("an override the role may not make is refused (a Refused, not an audit failure)") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1", "5"), true);
    CHECK_THROWS_WITH_AS(w.session.start_override("emergency", "Collapsed in clinic, unresponsive"),
                         doctest::Contains("may not override"), Refused);
    CHECK(w.session.view()->basis() == Basis::consent_required);
  }

  TEST_CASE("nothing is recorded or shown without a record and a viewer") {
    Watched w;
    CHECK_THROWS_AS(w.session.record_consent("verbal", "patient"), Refused);
    w.session.load(test::demo_record("joe-bradshaw"));
    CHECK_THROWS_AS(w.session.record_opt_out({OptOut::Scope::whole_record, ""}), Refused);
    CHECK(w.events.empty());
  }

  TEST_CASE("a role profile the policy does not have is refused") {
    Watched w;
    CHECK_THROWS_WITH_AS(w.session.set_viewer(viewer("u1", "9z"), true), doctest::Contains("not a role profile"), Refused);
  }

  TEST_CASE("when the audit event cannot be delivered the session shows nothing (an AuditError)") {
    Session session(Policy::builtin());
    session.set_audit_trail(std::make_shared<AuditTrail>(Policy::builtin().alerts(), "", [](const AuditEvent&) { return false; }));
    session.load(test::demo_record("joe-bradshaw"));
    session.set_viewer(viewer("u1"), true);
    CHECK_THROWS_AS(session.view(), AuditError);
    CHECK_THROWS_AS(session.record_consent("verbal", "patient"), AuditError);
    // Nothing was granted by the consent that could not be audited.
    session.set_audit_trail(nullptr);
    CHECK(session.view()->basis() == Basis::consent_required);
  }

  TEST_CASE("a lasting store keeps a clinician's consent across sessions, for that person and that clinician only") {
    auto store = std::make_shared<LastingStore>();
    Record joe = test::demo_record("joe-bradshaw");
    {
      Watched first(store);
      first.session.load(joe);
      first.session.set_viewer(viewer("u1"), true);
      first.session.record_consent("verbal", "patient");
    }
    Watched later(store);
    later.session.load(joe);
    later.session.set_viewer(viewer("u1"), true);
    CHECK(later.session.view()->basis() == Basis::consent);
    later.session.set_viewer(viewer("u2"), true);
    CHECK(later.session.view()->basis() == Basis::consent_required);
    later.session.set_viewer(viewer("u1"), true);
    later.session.load(test::demo_record("susan-doyle"));
    CHECK(later.session.view()->basis() == Basis::consent_required);
  }

  TEST_CASE("the View offers the dialogs only what the policy allows this role") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1", "1a"), true);
    CHECK(w.session.view()->consent_options().may_override);
    CHECK_FALSE(w.session.view()->consent_options().override_reasons.empty());
    w.session.set_viewer(viewer("u2", "5"), true);
    CHECK_FALSE(w.session.view()->consent_options().may_override);
  }
}

TEST_SUITE("errors") {
  TEST_CASE("each error says its kind, chosen where it happened") {
    CHECK(InputError("x").kind() == ErrorKind::input);
    CHECK(PolicyFileError("x").kind() == ErrorKind::policy_file);
    CHECK(AuditError("x").kind() == ErrorKind::audit);
    CHECK(Refused("x").kind() == ErrorKind::refused);
    CHECK(std::string(error_kind_id(ErrorKind::policy_file)) == "policy-file");
    CHECK_THROWS_AS(Policy::from_json("{", "p.json"), PolicyFileError);
    CHECK_THROWS_AS(read_fhir_json("{", "r.json"), InputError);
  }
}

TEST_SUITE("exclusions marked once, by the policy") {
  TEST_CASE("a record as read carries no exclusion marks; the policy in force marks it when it makes a View") {
    Record r = test::record_of({R"({"resourceType":"Condition","id":"hiv","subject":{"reference":"Patient/joe"},
        "code":{"coding":[{"system":"http://read.info/readv2","code":"A789."}],"text":"Condition one"}})",
                                R"({"resourceType":"Condition","id":"asthma","subject":{"reference":"Patient/joe"},
        "code":{"coding":[{"system":"http://read.info/readv2","code":"H33.."}],"text":"Asthma"}})"});
    for (const auto& item : r.items()) CHECK_FALSE(item.exclusion);
    std::vector<Item> marked = r.items();
    Policy::builtin().exclusions().mark(marked);
    for (const auto& item : marked) CHECK(item.exclusion.has_value() == (item.key == "Condition/hiv"));
    View v = test::view_of(r, test::request(r, "1b"));
    CHECK_FALSE(v.find("Condition/hiv"));
    CHECK(v.find("Condition/asthma"));
  }

  TEST_CASE("a source that did not answer is named on the screen, with its entries said to be missing") {
    RecordBuilder builder;
    builder.add_file(std::string(ILINKS_DEMO_PATIENTS) + "/joe-bradshaw.json");
    builder.add_unavailable_source({"Aintree University Hospital", "could not be reached: connection refused"});
    Watched w;
    w.session.load(builder.build());
    w.session.set_viewer(viewer("u1"), true);
    CHECK(w.session.view()->basis() == Basis::consent_required);  // nothing shown yet, so no gap to tell of
    w.session.record_consent("verbal", "patient");
    auto v = w.session.view();
    REQUIRE(v->unavailable_sources().size() == 1);
    CHECK(v->unavailable_sources()[0] ==
          "Aintree University Hospital did not answer (could not be reached: connection refused): its entries are not shown.");
    CHECK(view_as_json(*v, test::kNow.local_date()).find("Aintree University Hospital did not answer") != std::string::npos);
  }

  TEST_CASE("consent for an organisation is recorded with the recorder's own organisation; for a team, their team") {
    auto store = std::make_shared<LastingStore>();
    Watched w(store);
    w.session.load(test::demo_record("joe-bradshaw"));
    Viewer nurse = viewer("u1", "1a", "RVY");
    w.session.set_viewer(nurse, true);
    CHECK_THROWS_AS(w.session.record_consent("verbal", "patient", Consent::Scope::team), Refused);  // no team said
    w.session.record_consent("verbal", "patient", Consent::Scope::organisation);
    auto kept = store->consent(test::demo_record("joe-bradshaw").patient().nhs_number, nurse);
    REQUIRE(kept);
    CHECK(kept->scope == Consent::Scope::organisation);
    CHECK(kept->scope_value == "RVY");
    CHECK(w.events.back().basis_detail.find("for organisation RVY") != std::string::npos);
  }

  TEST_CASE("consent withdrawn in the session closes the record again, and the withdrawal is audited") {
    Watched w;
    w.session.load(test::demo_record("joe-bradshaw"));
    w.session.set_viewer(viewer("u1"), true);
    w.session.record_consent("verbal", "patient");
    CHECK(w.session.view()->basis() == Basis::consent);
    w.session.withdraw_consent();
    CHECK(w.events.back().basis_detail == "consent withdrawn");
    CHECK(w.session.view()->basis() == Basis::consent_required);
  }
}
