// The View on the wire (ilinks/view_wire.h): what a sharing service sends is
// drawn exactly as the View it made, and nothing else reads as a View.
#include <doctest/doctest.h>

#include <set>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "ilinks/mirror.h"
#include "ilinks/policy.h"
#include "ilinks/view_export.h"
#include "ilinks/view_wire.h"
#include "policy_helpers.h"
#include "test_data.h"

using namespace ilinks;

namespace {

const char* const kDemoPeople[] = {"joe-bradshaw.json", "brenda-kelly.json", "joan-mcallister.json", "david-okafor.json",
                                   "susan-doyle.json",  "arthur-prescott.json", "margaret-hughes.json", "harold-winstanley.json"};
const Date kToday{2026, 11, 22};

Record demo(const char* file) { return read_fhir_json(slurp(demo_patient(file)), file); }

// Everything a viewer draws of a View: every tab's mirror, and the export.
std::string drawn(const View& v) {
  std::string out = view_as_json(v, kToday);
  for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline})
    out += mirror_as_text(mirror_of_view(v, t, kToday));
  return out;
}

ServiceView read(const std::string& json) { return ServiceView::read(json, "the sharing service at https://ilinks.test"); }

// A valid wire View of Joe Bradshaw with consent, as parsed JSON, to break one member at a time.
nlohmann::json joe_wire() {
  Record r = demo("joe-bradshaw.json");
  return nlohmann::json::parse(view_to_wire(test::view_of(r, test::request(r, "1a"))));
}

std::string refusal_of(const nlohmann::json& wire) {
  try {
    read(wire.dump());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("view on the wire") {
  TEST_CASE("a View read from a sharing service cannot be made from anything but its bytes") {
    CHECK_FALSE(std::is_default_constructible_v<ServiceView>);
    CHECK_FALSE(std::is_constructible_v<ServiceView, View>);
    CHECK_FALSE(std::is_constructible_v<ServiceView, const Record&>);
  }

  TEST_CASE("every demo person's View, for every role profile, is drawn the same after crossing the wire") {
    const Policy& policy = Policy::builtin();
    int views = 0, items = 0;
    for (const char* file : kDemoPeople) {
      Record r = demo(file);
      for (const Profile& p : policy.profiles()) {
        View made = test::view_of(r, test::request(r, p.id));
        std::string wire = view_to_wire(made);
        ServiceView got = read(wire);
        CAPTURE(file);
        CAPTURE(p.id);
        CHECK(view_to_wire(got.view()) == wire);  // nothing lost or changed, member by member
        CHECK(drawn(got.view()) == drawn(made));
        ++views;
        items += static_cast<int>(made.items().size());
      }
    }
    CHECK(views == 8 * 11);
    CHECK(items > 500);  // the demo people hold real content, not empty Views
  }

  TEST_CASE("a View's wire text and its export are written as nlohmann writes them, for every demo person and role") {
    // Both are written value by value (ilinks/json_writer.h), no longer as a
    // json tree: read back and written out by nlohmann, they are the same bytes.
    const Policy& policy = Policy::builtin();
    std::set<std::string> bases;
    for (const char* file : kDemoPeople) {
      Record r = demo(file);
      for (const Profile& p : policy.profiles()) {
        CAPTURE(file);
        CAPTURE(p.id);
        // With consent; asking for it; under an override; opted out; with wider (case) access.
        for (int basis = 0; basis < 5; ++basis) {
          CAPTURE(basis);
          Request req = test::request(r, p.id);
          AuditTrail audit(policy.alerts());
          if (basis > 0 && basis != 3) req.consent.reset();
          try {  // a role that may not override, or record case access, is refused: no View to write
            if (basis == 2 && p.may_override)
              req.override_ = policy.start_override(req.viewer, r.patient(), "emergency", "Cardiac arrest in department", test::kNow, audit);
            if (basis == 4) {
              req.consent = test::verbal_consent();
              req.case_access = policy.record_case_access(req.viewer, r.patient(), "extended-team", "Virtual ward MDT review", test::kNow, audit);
            }
          } catch (const Refused&) {
            continue;
          }
          if (basis == 3) req.opt_outs.push_back({OptOut::Scope::whole_record, ""});
          Decision d = policy.view_for(r, req, audit);
          if (!d.view) continue;  // refused outright (no View to write)
          const View& v = *d.view;
          std::string wire = view_to_wire(v), exported = view_as_json(v, kToday);
          CHECK(nlohmann::json::parse(wire).dump() == wire);
          CHECK(nlohmann::json::parse(exported).dump(1) == exported);
          // "+case": the View offers wider access (its case_access members are written too).
          bases.insert(nlohmann::json::parse(wire)["basis"].get<std::string>() + (v.case_access_available() ? "+case" : ""));
        }
      }
    }
    for (const char* basis : {"consent", "consent+case", "consent-required", "opted-out", "override"}) CHECK(bases.count(basis) == 1);
  }

  TEST_CASE("a View that asks for consent crosses the wire with the person's identity and the dialogs' choices") {
    Record r = demo("joe-bradshaw.json");
    Request req = test::request(r, "6");
    req.consent.reset();
    View made = test::view_of(r, req);
    REQUIRE(made.basis() == Basis::consent_required);
    View got = read(view_to_wire(made)).view();
    CHECK(got.basis() == Basis::consent_required);
    CHECK(got.items().empty());
    CHECK(got.patient().nhs_number == made.patient().nhs_number);
    CHECK(got.consent_options().may_override == made.consent_options().may_override);
    CHECK(got.consent_options().override_reasons.size() == made.consent_options().override_reasons.size());
  }

  TEST_CASE("a record, a FHIR resource or JSON of another format is refused as not a View") {
    std::string bundle = slurp(demo_patient("joe-bradshaw.json"));
    CHECK_THROWS_WITH_AS(read(bundle), doctest::Contains("no \"format\": \"ilinks-view/1\""), InputError);
    CHECK_THROWS_WITH_AS(read(R"({"format": "ilinks-view/2"})"), doctest::Contains("at /format: expected \"ilinks-view/1\""), InputError);
    CHECK_THROWS_WITH_AS(read("[1, 2]"), doctest::Contains("not a View"), InputError);
    CHECK_THROWS_WITH_AS(read("{\"format\": \"ilinks-view/1\""), doctest::Contains("not JSON: at byte"), InputError);
    CHECK_THROWS_WITH_AS(read(""), doctest::Contains("not JSON"), InputError);
  }

  TEST_CASE("an unknown member anywhere is refused, naming where it is") {
    auto wire = joe_wire();
    wire["items"][3]["withheld_items"] = 2;
    CHECK(refusal_of(wire).find("at /items/3: unknown member \"withheld_items\"") != std::string::npos);
    wire = joe_wire();
    wire["patient"]["name"]["nickname"] = "Joe";
    CHECK(refusal_of(wire).find("at /patient/name: unknown member \"nickname\"") != std::string::npos);
  }

  TEST_CASE("a value of the wrong type or out of range is refused, naming where it is") {
    auto wire = joe_wire();
    wire["items"][0]["tier"] = 7;
    CHECK(refusal_of(wire).find("at /items/0/tier: expected 0 to 3") != std::string::npos);
    wire = joe_wire();
    wire["items"][0]["segment"] = "X";
    CHECK(refusal_of(wire).find("at /items/0/segment: \"X\" is not one of") != std::string::npos);
    wire = joe_wire();
    wire["basis"] = "because";
    CHECK(refusal_of(wire).find("at /basis:") != std::string::npos);
    wire = joe_wire();
    wire["patient"]["nhs_number"] = "9990000116";  // fails the modulus 11 check
    CHECK(refusal_of(wire).find("at /patient/nhs_number: not a valid NHS number") != std::string::npos);
    wire = joe_wire();
    wire["items"][0]["date"] = "2026-02-30";
    CHECK(refusal_of(wire).find("at /items/0/date: expected a date") != std::string::npos);
    wire = joe_wire();
    wire["items"][0]["display"] = 42;
    CHECK(refusal_of(wire).find("at /items/0/display: expected text") != std::string::npos);
  }

  TEST_CASE("a View that shows no record yet holds items is refused") {
    auto wire = joe_wire();
    wire["basis"] = "consent-required";
    CHECK(refusal_of(wire).find("shows no record, yet it holds items") != std::string::npos);
  }

  TEST_CASE("an item that links to an item the View does not hold is refused") {
    auto wire = joe_wire();
    wire["items"][0]["links"] = {{{"relation", "result of"}, {"target", "DiagnosticReport/not-shown"}}};
    CHECK(refusal_of(wire).find("links to an item the View does not hold") != std::string::npos);
  }

  TEST_CASE("oversized or deeply nested input is refused before it is parsed") {
    std::string huge(kViewWireMaxBytes + 1, ' ');
    CHECK_THROWS_WITH_AS(read(huge), doctest::Contains("is more than a View may be (64 MB)"), InputError);
    std::string deep(100000, '[');
    CHECK_THROWS_WITH_AS(read(deep), doctest::Contains("nest deeper than a View's 12 levels"), InputError);
    // Brackets inside text are text, not nesting.
    auto wire = joe_wire();
    wire["items"][0]["text"] = std::string(5000, '[');
    CHECK_NOTHROW(read(wire.dump()));
  }

  TEST_CASE("a member name from the input is shown safely in the error") {
    auto wire = joe_wire();
    wire["items"][0][std::string("bad\x01name-") + std::string(100, 'x')] = 1;
    std::string why = refusal_of(wire);
    CHECK(why.find("unknown member \"bad?name-") != std::string::npos);
    CHECK(why.find("...\"") != std::string::npos);
    CHECK(why.find('\x01') == std::string::npos);
  }

  TEST_CASE("the service's source address of each item stays with the service") {
    Record r = demo("joe-bradshaw.json");
    View made = test::view_of(r, test::request(r, "1a"));
    REQUIRE(!made.items().empty());
    REQUIRE(!made.items().front().input.empty());
    CHECK(view_to_wire(made).find("\"input\"") == std::string::npos);
  }
}
