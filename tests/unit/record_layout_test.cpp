// What each tab of the record shows: sections, the alert strip, search, dates
// and sort, results by test and by panel, and that nothing the policy let
// through falls off the screen.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "ilinks/classification.h"
#include "ilinks/fhir.h"
#include "ilinks/record_layout.h"
#include "policy_helpers.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;

namespace {

const Date kToday{2026, 11, 22};

View consented(const Record& r, const std::string& profile) { return test::view_of(r, test::request(r, profile, "ZZVIEW")); }

TabLayout tab_of(const View& v, Tab tab, const ListFilter& filter = {}) { return Layout::builtin().lay_out(v, tab, filter, kToday); }

const Section* section(const TabLayout& l, const std::string& title) {
  for (const auto& s : l.sections)
    if (s.title == title) return &s;
  return nullptr;
}

// Every item a tab's rows show (entries and panels).
std::set<const Item*> items_on(const TabLayout& l) {
  std::set<const Item*> out;
  for (const auto& s : l.sections)
    for (const auto& r : s.rows)
      if (r.item) out.insert(r.item);
  return out;
}

std::vector<std::string> column(const Section& s, Column c) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.columns.size(); ++i)
    if (s.columns[i] == c)
      for (const auto& r : s.rows)
        if (r.kind == Row::Kind::entry) out.push_back(r.cells[i]);
  return out;
}

std::string observation(const std::string& id, const std::string& loinc, const std::string& name, double value,
                        const std::string& date, const std::string& flag = "N") {
  return R"({"resourceType":"Observation","id":")" + id + R"(","status":"final","subject":{"reference":"Patient/joe"},
    "category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":")" + loinc +
         R"("}],"text":")" + name + R"("},"effectiveDateTime":")" + date + R"(","valueQuantity":{"value":)" + std::to_string(value) +
         R"(,"unit":"mmol/mol"},"interpretation":[{"coding":[{"code":")" + flag + R"("}]}]})";
}

}  // namespace

TEST_SUITE("record layout") {
  TEST_CASE("every item the View shows is on its segment's tab, and the timeline lists them all") {
    for (const char* name : {"joe-bradshaw", "margaret-hughes", "brenda-kelly", "david-okafor", "susan-doyle", "joan-mcallister"}) {
      Record r = test::demo_record(name);
      for (const char* profile : {"1a", "1c", "3a", "6"}) {
        CAPTURE(name);
        CAPTURE(profile);
        View v = consented(r, profile);
        std::set<const Item*> everything;
        for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital}) {
          std::set<const Item*> expected;
          for (const Item* i : v.items_in(tab_segment(t))) expected.insert(i);
          std::set<const Item*> on_tab = items_on(tab_of(v, t));
          CHECK(on_tab == expected);
          for (bool by_panel : {false, true}) {
            ListFilter f;
            f.results_by_panel = by_panel;
            if (t == Tab::diagnostics) CHECK(items_on(tab_of(v, t, f)) == expected);
          }
          everything.insert(on_tab.begin(), on_tab.end());
        }
        CHECK(items_on(tab_of(v, Tab::timeline)).size() == v.items().size());
        CHECK(everything.size() == v.items().size());
      }
    }
  }

  TEST_CASE("admin / clerical: each clinical tab says plainly it is not available for the role") {
    Record r = test::demo_record("joe-bradshaw");
    View v = consented(r, "5");
    for (Tab t : {Tab::community, Tab::diagnostics, Tab::hospital}) {
      TabLayout l = tab_of(v, t);
      CHECK_FALSE(l.available);
      CHECK(l.unavailable_text == "Not available for your role: Admin / clerical");
      CHECK(l.sections.empty());
    }
    CHECK(Layout::builtin().alert_strip(v).allergy_state == AllergyState::unavailable);
  }

  TEST_CASE("before consent there are no tabs to show and allergies are unavailable") {
    Record r = test::demo_record("joe-bradshaw");
    Request req = test::request(r, "1a");
    req.consent.reset();
    View v = test::view_of(r, req);
    CHECK_FALSE(tab_of(v, Tab::summary).available);
    CHECK(Layout::builtin().alert_strip(v).allergy_state == AllergyState::unavailable);
  }

  TEST_CASE("the alert strip names known allergies") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    AlertStrip a = Layout::builtin().alert_strip(v);
    CHECK(a.allergy_state == AllergyState::known);
    REQUIRE(a.allergies.size() == 1);
    CHECK(a.allergies.front() == "Allergy to penicillin");
  }

  TEST_CASE("a coded 'no known allergy' reads 'No known allergies'; no allergy record reads 'Allergies not recorded'") {
    std::string nka = R"({"resourceType":"AllergyIntolerance","id":"nka","patient":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003","display":"No known allergy"}]}})";
    Record with = test::record_of({test::patient(), nka}, "ZZ0001");
    Record without = test::record_of({test::patient()}, "ZZ0001");
    CHECK(Layout::builtin().alert_strip(consented(with, "1a")).allergy_state == AllergyState::none_known);
    CHECK(Layout::builtin().alert_strip(consented(without, "1a")).allergy_state == AllergyState::not_recorded);
    CHECK(std::string(allergy_state_text(AllergyState::none_known)) == "No known allergies");
  }

  TEST_CASE("key preferences (resuscitation, mental capacity, end-of-life wishes) show to a viewer who may see them") {
    Record r = test::demo_record("margaret-hughes");
    AlertStrip district_nurse = Layout::builtin().alert_strip(consented(r, "3a"));
    std::set<std::string> labels;
    for (const auto& p : district_nurse.preferences) labels.insert(p.label);
    CHECK(labels.count("Resuscitation") == 1);
    CHECK(labels.count("Mental capacity") == 1);
    CHECK(labels.count("End-of-life wishes") == 1);
    // Admin / clerical sees demographics only: no preferences, no flags.
    AlertStrip admin = Layout::builtin().alert_strip(consented(r, "5"));
    CHECK(admin.preferences.empty());
    CHECK(admin.flags.empty());
  }

  TEST_CASE("Summary: current medication, allergies, diagnoses and the diary, with source and date on every entry") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    TabLayout l = tab_of(v, Tab::summary);
    const Section* meds = section(l, "Current medication");
    REQUIRE(meds);
    CHECK(column(*meds, Column::what).size() == 4);
    CHECK(column(*meds, Column::detail).front() == "Inhale 1 capsule once a day");  // the dose
    for (const auto& source : column(*meds, Column::source)) CHECK(source == "Marshside Surgery");
    REQUIRE(section(l, "Diary"));
    CHECK(column(*section(l, "Diary"), Column::date).front() == "03-Dec-2026");
    REQUIRE(section(l, "Diagnoses"));
    CHECK(section(l, "Past medication")->rows.empty());  // said in words: "No past medication recorded."
    CHECK(section(l, "Past medication")->empty_text == "No past medication recorded.");
  }

  TEST_CASE("who else is involved: one row per person, with role, organisation and contact") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    TabLayout summary = tab_of(v, Tab::summary);
    const Section* involved = section(summary, "Who else is involved");
    REQUIRE(involved);
    CHECK(involved->rows.size() >= 2);
    for (const auto& name : column(*involved, Column::person)) CHECK_FALSE(name.empty());
    // The contact comes from the practitioner (or their role, or organisation) the care team names.
    std::vector<std::string> contacts = column(*involved, Column::contact);
    CHECK(std::find(contacts.begin(), contacts.end(), "01704 555 0101") != contacts.end());
  }

  TEST_CASE("Hospital: the current stay shows its length, and the expected discharge the hospital's ADT gave") {
    View v = consented(test::demo_record("david-okafor"), "1a");
    TabLayout hospital = tab_of(v, Tab::hospital);
    const Section* stay = section(hospital, "Current stay");
    REQUIRE(stay);
    REQUIRE(stay->rows.size() == 1);
    CHECK(column(*stay, Column::stay_length).front() == "5 days");
    CHECK(column(*stay, Column::expected_discharge).front() == "24-Nov-2026");  // PV2-9 of David's A01
  }

  TEST_CASE("without an expected date the current stay says Not Known, and letters open in the reader") {
    // Joe's FHIR bundle alone: his hospital's ADT message (with the date) left out.
    Record r = read_fhir_json(slurp(demo_patient("joe-bradshaw.json")), "joe-bradshaw.json");
    View v = consented(r, "1a");
    TabLayout hospital = tab_of(v, Tab::hospital);
    const Section* stay = section(hospital, "Current stay");
    REQUIRE(stay);
    CHECK(column(*stay, Column::stay_length).front() == "2 days");
    CHECK(column(*stay, Column::expected_discharge).front() == "Not Known");
    const Section* letters = section(hospital, "Letters and discharge summaries");
    REQUIRE(letters);
    CHECK(letters->rows.front().readable);
  }

  TEST_CASE("search narrows every list to entries that mention the words, in any column") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    ListFilter f;
    f.search = "METFORMIN";
    TabLayout l = tab_of(v, Tab::summary, f);
    CHECK(l.entries_shown == 1);
    CHECK(l.entries_total > 10);
    REQUIRE(section(l, "Current medication"));
    CHECK(column(*section(l, "Current medication"), Column::what).front() == "Metformin 500mg tablets");
    f.search = "Marshside";  // a source, not a name
    CHECK(tab_of(v, Tab::summary, f).entries_shown > 5);
  }

  TEST_CASE("a date range keeps entries within it and hides undated ones") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    ListFilter f;
    f.from = parse_user_date("01-Jan-2014");
    f.to = parse_user_date("31/12/2016");
    TabLayout l = tab_of(v, Tab::summary, f);
    for (const auto& s : l.sections)
      for (const auto& r : s.rows) {
        REQUIRE(r.item);
        REQUIRE(r.item->date);
        CHECK(r.item->date->year >= 2014);
        CHECK(r.item->date->year <= 2016);
      }
    CHECK(l.entries_shown == 4);  // salbutamol, COPD, ramipril, hypertension
  }

  TEST_CASE("sort: newest first, oldest first, A to Z") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    ListFilter f;
    auto meds = [&] { return column(*section(tab_of(v, Tab::summary, f), "Current medication"), Column::what); };
    CHECK(meds().front() == "Tiotropium 18microgram inhalation powder capsules");
    f.sort = SortOrder::oldest_first;
    CHECK(meds().front() == "Metformin 500mg tablets");
    f.sort = SortOrder::a_to_z;
    CHECK(meds().front() == "Metformin 500mg tablets");
    CHECK(meds().back() == "Tiotropium 18microgram inhalation powder capsules");
  }

  TEST_CASE("Diagnostics by panel: a report heads its results") {
    View v = consented(test::demo_record("joe-bradshaw"), "1a");
    ListFilter f;
    f.results_by_panel = true;
    TabLayout diagnostics = tab_of(v, Tab::diagnostics, f);
    const Section* results = section(diagnostics, "Results");
    REQUIRE(results);
    bool seen = false;
    for (size_t i = 0; i < results->rows.size(); ++i) {
      const Row& r = results->rows[i];
      if (r.kind == Row::Kind::group && r.cells.front().rfind("Urea and electrolytes", 0) == 0) {
        seen = true;
        CHECK(r.cells.front().find("(5 results)") != std::string::npos);
        for (size_t k = i + 1; k <= i + 5; ++k) CHECK(results->rows[k].kind == Row::Kind::entry);
      }
    }
    CHECK(seen);
  }

  TEST_CASE("Diagnostics by test: a test with several numeric results has a trend, oldest first, flags in words") {
    Record r = test::record_of({test::patient(), observation("a1", "4548-4", "HbA1c", 48, "2024-03-01"),
                                observation("a2", "4548-4", "HbA1c", 61, "2026-09-30", "H"),
                                observation("a3", "4548-4", "HbA1c", 55, "2025-06-15", "H")},
                               "LCL");
    View v = consented(r, "1a");
    TabLayout diagnostics = tab_of(v, Tab::diagnostics);
    const Section* results = section(diagnostics, "Results");
    REQUIRE(results);
    REQUIRE(results->rows.size() == 5);  // heading, trend, three results
    CHECK(results->rows[0].cells.front() == "HbA1c (3 results)");
    const Row& trend = results->rows[1];
    REQUIRE(trend.kind == Row::Kind::trend);
    REQUIRE(trend.trend.size() == 3);
    CHECK(trend.trend[0].value == 48);
    CHECK(trend.trend[2].value == 61);
    CHECK(trend.trend[2].text == "61 mmol/mol (High) on 30-Sep-2026");
    CHECK(trend.unit == "mmol/mol");
    CHECK(column(*results, Column::flag) == std::vector<std::string>{"High", "High", ""});
    CHECK(results->rows[2].abnormal);
  }

  TEST_CASE("a trend plots only results in the latest result's unit: a line across units would mislead") {
    std::string old_unit = observation("a0", "4548-4", "HbA1c", 7.1, "2010-01-01");
    auto at = old_unit.find("mmol/mol");
    old_unit.replace(at, 8, "%");
    Record r = test::record_of({test::patient(), old_unit, observation("a1", "4548-4", "HbA1c", 48, "2024-03-01"),
                                observation("a2", "4548-4", "HbA1c", 61, "2026-09-30", "H")},
                               "LCL");
    View v = consented(r, "1a");
    TabLayout diagnostics = tab_of(v, Tab::diagnostics);
    const Section* results = section(diagnostics, "Results");
    REQUIRE(results);
    CHECK(results->rows[0].cells.front() == "HbA1c (3 results)");  // all three listed
    REQUIRE(results->rows[1].kind == Row::Kind::trend);
    CHECK(results->rows[1].trend.size() == 2);  // two plotted
    CHECK(results->rows[1].unit == "mmol/mol");
  }

  TEST_CASE("where the layout puts allergies agrees with the classification") {
    Record r = test::record_of({test::patient(), R"({"resourceType":"AllergyIntolerance","id":"x","patient":{"reference":"Patient/joe"},
      "code":{"text":"Allergy to latex"}})"}, "ZZ0001");
    const Item& allergy = test::item(r, "AllergyIntolerance/x");
    CHECK(allergy.segment == Layout::builtin().allergy_segment());
    CHECK(allergy.tier == Layout::builtin().allergy_tier());
  }

  TEST_CASE("dates typed by a user: dd-Mmm-yyyy, dd/mm/yyyy or yyyy-mm-dd; impossible dates refused") {
    CHECK(parse_user_date("14-Jul-1945") == Date{1945, 7, 14});
    CHECK(parse_user_date("14/07/1945") == Date{1945, 7, 14});
    CHECK(parse_user_date("1945-07-14") == Date{1945, 7, 14});
    CHECK_FALSE(parse_user_date("31-Feb-2026"));
    CHECK_FALSE(parse_user_date("14-Jly-1945"));
    CHECK_FALSE(parse_user_date("yesterday"));
    CHECK_FALSE(parse_user_date("14-Jul-1945x"));
  }

  TEST_CASE("a layout file that would drop entries, or names an unknown column, is refused with where and why") {
    auto error = [](const std::string& text) {
      try {
        Layout::from_json(text, "my-layout.json");
      } catch (const std::runtime_error& e) {
        return std::string(e.what());
      }
      return std::string("accepted");
    };
    std::string head = R"({"format":"ilinks-layout/2","allergies":{"tag":"allergy","none_known_tag":"no-known-allergy","segment":"S","tier":2},"tabs":{)";
    std::string rest = R"("community":[{"title":"All","match":{},"columns":["date"]}],"diagnostics":[{"title":"All","match":{},"columns":["date"]}],
      "hospital":[{"title":"All","match":{},"columns":["date"]}],"timeline":[{"title":"All","match":{},"columns":["date"]}]}})";
    CHECK(error(head + R"("summary":[{"title":"Meds","match":{"kinds":["MedicationStatement"]},"columns":["date"]}],)" + rest) ==
          "my-layout.json: tabs.summary: the last section must match everything (\"match\": {})");
    CHECK(error(head + R"("summary":[{"title":"All","match":{},"columns":["when"]}],)" + rest).find("tabs.summary[0].columns: 'when' is not a column") !=
          std::string::npos);
    CHECK(error("{").rfind("my-layout.json: byte ", 0) == 0);
    CHECK(error("{").find(": is not JSON") != std::string::npos);
    CHECK(error("[7" + std::string(400, '0') + "]") == "my-layout.json: (top): is not JSON this reader can hold: a number is too large");
    CHECK(error(head + R"("summary":[{"title":"All","match":{},"columns":["date"]}],)" + rest) == "accepted");
  }

  TEST_CASE("the layout names the classification's tags, never clinical codes or words: a rule or preference with codes is refused") {
    auto error = [](const std::string& text) {
      try {
        Layout::from_json(text, "my-layout.json");
      } catch (const std::runtime_error& e) {
        return std::string(e.what());
      }
      return std::string("accepted");
    };
    std::string tabs = R"("tabs":{"summary":[{"title":"All","match":{},"columns":["date"]}],"community":[{"title":"All","match":{},"columns":["date"]}],
      "diagnostics":[{"title":"All","match":{},"columns":["date"]}],"hospital":[{"title":"All","match":{},"columns":["date"]}],
      "timeline":[{"title":"All","match":{},"columns":["date"]}]}})";
    std::string allergies = R"("allergies":{"tag":"allergy","none_known_tag":"no-known-allergy","segment":"S","tier":2},)";
    CHECK(error(R"({"format":"ilinks-layout/2",)" + allergies + R"("key_preferences":[{"tag":"resuscitation-decision","label":"Resuscitation",
      "codes":{"http://snomed.info/sct":["304253006"]}}],)" + tabs) == "my-layout.json: key_preferences[0].codes: is not a member this format knows");
    CHECK(error(R"({"format":"ilinks-layout/2","allergies":{"tag":"allergy","none_known_tag":"no-known-allergy","segment":"S","tier":2,
      "no_known_allergy_codes":{"http://snomed.info/sct":["716186003"]}},)" + tabs) ==
          "my-layout.json: allergies.no_known_allergy_codes: is not a member this format knows");
    CHECK(error(R"({"format":"ilinks-layout/1",)" + allergies + tabs) == "my-layout.json: format: must be \"ilinks-layout/2\"");
  }

  TEST_CASE("an item goes where its classification tags say: a coded resuscitation decision is a key preference, whatever its words") {
    Record r = test::record_of({test::patient(), R"({"resourceType":"Observation","id":"dnacpr","status":"final","subject":{"reference":"Patient/joe"},
      "code":{"coding":[{"system":"http://snomed.info/sct","code":"304253006"}],"text":"Decision recorded 01-Nov-2026"}})"}, "ZZ0001");
    const Item& item = test::item(r, "Observation/dnacpr");
    REQUIRE(std::find(item.tags.begin(), item.tags.end(), "resuscitation-decision") != item.tags.end());
    AlertStrip strip = Layout::builtin().alert_strip(consented(r, "1a"));
    REQUIRE(strip.preferences.size() == 1);
    CHECK(strip.preferences.front().label == "Resuscitation");
    CHECK(strip.preferences.front().text == "Decision recorded 01-Nov-2026");
  }
}
