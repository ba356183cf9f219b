// The demo patients are the seven scenarios of SHARING-MODEL.md: they must
// load cleanly, draw on several organisations, and carry what each story needs.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;

namespace {

Record demo(const std::string& name) { return test::demo_record(name); }

const Item* first(const Record& r, const std::string& kind, const std::string& display_starts) {
  for (const auto& i : r.items())
    if (i.kind == kind && i.display.rfind(display_starts, 0) == 0) return &i;
  return nullptr;
}

const char* const kPeople[] = {"joe-bradshaw", "joan-mcallister", "brenda-kelly", "david-okafor",
                               "margaret-hughes", "arthur-prescott", "susan-doyle", "harold-winstanley"};
}  // namespace

TEST_SUITE("demo patients (the seven scenarios)") {
  TEST_CASE("each loads with no problems, every item placed or explained, from several organisations") {
    for (const char* person : kPeople) {
      CAPTURE(person);
      Record r = demo(person);
      CHECK(r.identity_known());
      CHECK(r.load_issues().empty());
      std::set<std::string> sources;
      for (const auto& i : r.items()) {
        if (i.segment != Segment::none) sources.insert(i.source.name);
        CHECK((i.segment != Segment::none || i.rule == "reference-data"));
      }
      CHECK(sources.size() >= 2);
    }
  }

  TEST_CASE("across the demo patients every exclusion category appears at least once") {
    std::set<std::string> categories;
    for (const char* person : kPeople) {
      Record r = demo(person);
      for (const auto& i : test::marked_items(r))
        if (i.exclusion) categories.insert(i.exclusion->category);
    }
    CHECK(categories == std::set<std::string>{"hiv_aids", "sexually_transmitted_diseases", "termination_of_pregnancy",
                                              "ivf_treatment", "complaints", "convictions_and_imprisonment", "abuse",
                                              "gender_reassignment", "adoption", "restricted_by_source"});
  }

  TEST_CASE("1. Joe: medication, allergies and diagnoses at S2; his A&E admission at H1 from Southport and Ormskirk") {
    Record r = demo("joe-bradshaw");
    CHECK(test::placed(*first(r, "MedicationStatement", "Metformin")) == "S2");
    CHECK(test::placed(*first(r, "AllergyIntolerance", "Allergy to penicillin")) == "S2");
    CHECK(test::placed(*first(r, "Condition", "Chronic obstructive")) == "S2");
    const Item* admitted = first(r, "AdtEvent", "Admitted");
    REQUIRE(admitted);
    CHECK(test::placed(*admitted) == "H1");
    CHECK(admitted->source.ods_code == "RVY");
    CHECK(test::placed(*first(r, "CareTeam", "")) == "S2");
  }

  TEST_CASE("2. Joan: shared care plan and goals at S3, planned appointments and health status prompts at S2") {
    Record r = demo("joan-mcallister");
    CHECK(test::placed(*first(r, "CarePlan", "Virtual ward")) == "S3");
    CHECK(test::placed(*first(r, "Goal", "Walk")) == "S3");
    CHECK(test::placed(*first(r, "Appointment", "Virtual ward MDT")) == "S2");
    CHECK(test::placed(*first(r, "Observation", "Body weight")) == "S2");  // table 1: health status prompts
    CHECK(test::placed(*first(r, "Observation", "Blood pressure")) == "S2");
  }

  TEST_CASE("3. Brenda: last week's liver function test from her GP's bloods is diagnostics tier 1") {
    Record r = demo("brenda-kelly");
    const Item* alt = first(r, "Observation", "ALT");
    REQUIRE(alt);
    CHECK(test::placed(*alt) == "D1");
    CHECK(alt->source.setting == CareSetting::diagnostics);
    CHECK(test::placed(*first(r, "EpisodeOfCare", "Formally detained")) == "C1");
  }

  TEST_CASE("4. David: his care package is S3; his admission with a pulmonary embolism is H1 from Aintree") {
    Record r = demo("david-okafor");
    CHECK(test::placed(*first(r, "CarePlan", "Care package")) == "S3");
    CHECK(first(r, "CarePlan", "Care package")->source.setting == CareSetting::social_care);
    const Item* admitted = first(r, "AdtEvent", "Admitted");
    REQUIRE(admitted);
    CHECK(test::placed(*admitted) == "H1");
    CHECK(admitted->source.ods_code == "REM");
    CHECK(first(r, "AdtEvent", "Transferred"));
  }

  TEST_CASE("5. Margaret: resuscitation decision, mental capacity and end-of-life wishes are S3") {
    Record r = demo("margaret-hughes");
    CHECK(test::placed(*first(r, "Observation", "Not for resuscitation")) == "S3");
    CHECK(test::placed(*first(r, "Flag", "Lacks capacity")) == "S3");
    CHECK(test::placed(*first(r, "CarePlan", "End of life")) == "S3");
    CHECK(test::placed(*first(r, "Procedure", "Advance care planning")) == "S3");
  }

  TEST_CASE("6. Arthur: the planned admission (TCI) weeks ahead is H1, from FHIR and from ADT A05") {
    Record r = demo("arthur-prescott");
    const Item* tci = first(r, "AdtEvent", "Planned admission (TCI)");
    REQUIRE(tci);
    CHECK(test::placed(*tci) == "H1");
    CHECK(format_date(*tci->date) == "05-Jan-2027");
    const Item* planned = first(r, "Encounter", "Elective admission");
    REQUIRE(planned);
    CHECK(planned->status == "planned");
    CHECK(test::placed(*planned) == "H1");
  }

  TEST_CASE("7. Susan: the safeguarding alert is S3 and who else is involved is S2") {
    Record r = demo("susan-doyle");
    CHECK(test::placed(*first(r, "Flag", "Safeguarding alert")) == "S3");
    CHECK(test::placed(*first(r, "CareTeam", "")) == "S2");
    CHECK(test::placed(*first(r, "RelatedPerson", "Sister")) == "S2");
  }
}
