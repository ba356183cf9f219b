// Reading a large Bundle with two threads (InputOptions::two_threads_from):
// whatever the input, the record, its load issues and the View are exactly
// those one thread reads; and the worker's half is taken only where the split
// really falls between two entries of the Bundle. The record's build passes
// and its Views' exclusion marks and copies are then split in two as well.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../tools/consented_view.h"
#include "../tools/record_digest.h"
#include "ilinks/record_builder.h"
#include "ilinks/two_threads.h"
#include "ilinks/view_export.h"
#include "record_helpers.h"
#include "record_maker.h"
#include "test_data.h"

namespace {

// The record as one text (tests/tools/record_digest.h), and the View a
// consented doctor gets of it.
std::string digest(const ilinks::Record& r) {
  std::string out = ilinks::test::record_digest(r);
  auto now = *ilinks::Timestamp::parse("2026-11-22T10:30:00+00:00");
  if (auto view = ilinks::test::consented_view(r, "u1", now)) out += ilinks::view_as_json(*view, now.local_date());
  return out;
}

struct BothWays {
  std::string one_thread, two_threads;
  uint64_t taken = 0;  // second halves a worker read and the parse took
  // halves of passes a worker ran: building the two-thread record, and its View
  uint64_t halves_in_build = 0, halves_in_view = 0;
};

// The same bytes read by one thread, then with the split forced whatever their size.
BothWays read_both_ways(const std::string& bytes) {
  BothWays both;
  auto& halves = ilinks::detail::halves_run_by_a_worker();
  uint64_t halves_before = halves;
  ilinks::RecordBuilder one;
  one.add(bytes, {"in.json", "", std::numeric_limits<size_t>::max()});
  ilinks::Record one_record = one.build();
  REQUIRE_FALSE(one_record.two_threads());
  both.one_thread = digest(one_record);
  REQUIRE(halves == halves_before);  // one thread means one
  uint64_t before = ilinks::RecordBuilder::second_halves_read_by_a_worker();
  ilinks::RecordBuilder two;
  two.add(bytes, {"in.json", "", 0});
  halves_before = halves;
  ilinks::Record two_record = two.build();
  both.halves_in_build = halves - halves_before;
  REQUIRE(two_record.two_threads());  // its Views are made with two threads too
  halves_before = halves;
  both.two_threads = digest(two_record);
  both.halves_in_view = halves - halves_before;
  both.taken = ilinks::RecordBuilder::second_halves_read_by_a_worker() - before;
  return both;
}

// Joe and `count` observations, each its own entry (minified, as test::bundle writes).
std::vector<std::string> observations(int count, const std::string& tag = "obs") {
  std::vector<std::string> out{test::patient()};
  for (int i = 0; i < count; ++i)
    out.push_back(R"({"resourceType":"Observation","id":")" + tag + std::to_string(i) +
                  R"(","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/joe"},"effectiveDateTime":"2024-01-)" +
                  (i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + R"(","valueQuantity":{"value":)" +
                  std::to_string(60 + i % 40) + R"(,"unit":"/min"}})");
  return out;
}

// Where in `text` the n-th entry of the entry array starts ("{\"resource\"").
size_t nth_entry(const std::string& text, int n) {
  size_t at = text.find("\"entry\":[") + 9;
  for (int i = 0; i < n; ++i) at = text.find(",{\"resource\"", at) + 1;
  return at;
}

}  // namespace

TEST_SUITE("reading a large Bundle with two threads") {
  TEST_CASE("real Synthea people read with two threads give the same record, load issues and View as with one") {
    for (const char* file : {"synthea/4b86befa-fa7e-9285-615f-e081dab3f93c.json", "synthea/fee04478-ddcd-4fe8-02c4-d15fe97bbce3.json",
                             "synthea/0ef7a3b5-53ee-e765-10e2-c63a904ad0fd.json"}) {
      CAPTURE(file);
      BothWays both = read_both_ways(slurp(shared_data(file)));
      CHECK(both.taken == 1);
      CHECK(both.halves_in_build == 3);
      CHECK(both.one_thread.size() > 10000);
      CHECK(both.two_threads == both.one_thread);
    }
  }

  TEST_CASE("records built and viewed with two threads withhold exactly what one thread withholds, from both halves") {
    // Random records: excluded codes, labels and sensitive tests in both
    // halves, items that depend on them, sources of every setting.
    for (unsigned seed : {1u, 2u, 3u, 4u}) {
      CAPTURE(seed);
      std::vector<std::string> resources = test::RecordMaker(seed).make(600);
      resources.insert(resources.begin(), test::patient());
      std::string text = test::bundle(resources);
      BothWays both = read_both_ways(text);
      CHECK(both.two_threads == both.one_thread);
      CHECK(both.halves_in_build == 3);  // references, what items learn from each other, placing
      CHECK(both.halves_in_view == 2);   // the exclusion marks, the copies
      // Items of both halves are withheld: their markers are in the record, not in the View.
      size_t view_at = both.two_threads.find("\n{");
      REQUIRE(view_at != std::string::npos);
      std::string record_part = both.two_threads.substr(0, view_at), view_part = both.two_threads.substr(view_at);
      int withheld_early = 0, withheld_late = 0;
      for (int n = 0; n < 600; ++n) {
        std::string mark = "MARK-r" + std::to_string(n) + "-";
        if (record_part.find(mark) != std::string::npos && view_part.find(mark) == std::string::npos)
          ++(n < 300 ? withheld_early : withheld_late);
      }
      CHECK(withheld_early > 5);
      CHECK(withheld_late > 5);
    }
  }

  TEST_CASE("a minified Bundle is split between two entries, and its entries after the split are all there") {
    std::string text = test::bundle(observations(200));
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 1);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.two_threads.find("Observation/obs199|") != std::string::npos);
  }

  TEST_CASE("the default reads small inputs with one thread, large ones with two") {
    uint64_t before = ilinks::RecordBuilder::second_halves_read_by_a_worker();
    ilinks::RecordBuilder small;
    small.add(test::bundle(observations(50)), {"small.json", ""});
    CHECK(ilinks::RecordBuilder::second_halves_read_by_a_worker() == before);
    ilinks::RecordBuilder large;
    large.add_file(shared_data("synthea/4b86befa-fa7e-9285-615f-e081dab3f93c.json"));  // 6.4 MB
    CHECK(ilinks::RecordBuilder::second_halves_read_by_a_worker() == before + 1);
  }

  TEST_CASE("damage after the split is reported at its place in the whole Bundle, as one thread reports it") {
    std::vector<std::string> resources = observations(120);
    std::string deep = "1";
    for (int i = 0; i < 70; ++i) deep = "[" + deep + "]";
    resources[90] = R"({"resourceType":"Observation","id":"deep","extension":)" + deep + "}";
    resources[100] = R"({"id":"no-type"})";
    std::string text = test::bundle(resources);
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 1);
    CHECK(both.two_threads == both.one_thread);
    // Entry numbers count from the Bundle's start, not from the split.
    CHECK(both.two_threads.find("issue in.json entry[90]") != std::string::npos);
    CHECK(both.two_threads.find("issue in.json entry[100].resource | has no resourceType") != std::string::npos);
  }

  TEST_CASE("the same resource in both halves is one item, and a clash of ids is reported, as with one thread") {
    std::vector<std::string> resources = observations(120);
    resources[110] = resources[5];  // obs4, the same, sent again
    resources[115] = resources[6];  // obs5
    resources[115].replace(resources[115].find("\"final\""), 7, "\"amended\"");  // same id, other content
    BothWays both = read_both_ways(test::bundle(resources));
    CHECK(both.taken == 1);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.two_threads.find("issue in.json entry[115] | uses the id of another Observation (Observation/obs5)") != std::string::npos);
    CHECK(both.two_threads.find("Observation/obs5~2|") != std::string::npos);
    size_t first = both.two_threads.find("\nObservation/obs4|");
    REQUIRE(first != std::string::npos);
    CHECK(both.two_threads.find("\nObservation/obs4|", first + 1) == std::string::npos);
  }

  TEST_CASE("a Bundle that breaks off after the split: the same issue, the same line and column, nothing taken from the worker") {
    std::string text = test::bundle(observations(120));
    text.resize(nth_entry(text, 100) + 40);
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 0);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.two_threads.find("the 100 entries before it were read") != std::string::npos);
  }

  TEST_CASE("broken JSON after the entry array: the worker's entries are taken and the error's column is still right") {
    std::string text = test::bundle(observations(120));
    text.replace(text.size() - 2, 2, "],\"total\":tru}");
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 1);
    CHECK(both.two_threads == both.one_thread);
    // Where one thread says the error is: at "tru", past everything the worker read.
    size_t column_at = both.one_thread.find("line 1, column ");
    REQUIRE(column_at != std::string::npos);
    size_t column = std::stoul(both.one_thread.substr(column_at + 15));
    CHECK(column > text.find("\"total\""));
    CHECK(column <= text.size());
  }

  TEST_CASE("what looks like a split inside a string of a broken Bundle is not taken, and the error is the same") {
    // The note's text is long enough that the middle of the Bundle falls in
    // it, so the first place after the middle that looks like a split is in the text.
    std::vector<std::string> resources = observations(120);
    resources[60] = R"({"resourceType":"Condition","id":"c","note":[{"text":")" + std::string(80000, 'x') +
                    R"(},{"resource" says where it may not"}]})";
    std::string text = test::bundle(resources);
    REQUIRE(text.find("},{\"resource\" says") > text.size() / 2);
    REQUIRE(text.find("\"id\":\"c\"") < text.size() / 2);
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 0);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.one_thread.find("is not valid JSON") == std::string::npos);
    CHECK(both.one_thread.find("the JSON is malformed or truncated here") != std::string::npos);
  }

  TEST_CASE("a split found inside a Bundle within the Bundle is not taken: one thread reads on, and the record is the same") {
    std::vector<std::string> inner = observations(150, "inner");
    inner.erase(inner.begin());  // the inner Bundle holds observations only
    std::string nested = test::bundle(inner);
    nested.replace(nested.find("\"collection\""), 12, "\"searchset\"");
    std::vector<std::string> resources = observations(10);
    resources.push_back(nested);
    BothWays both = read_both_ways(test::bundle(resources));
    CHECK(both.taken == 0);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.one_thread.find("Observation/inner149|") != std::string::npos);
  }

  TEST_CASE("an entry that ends in a number just before the split is read on by one thread, with the same record") {
    std::string text = test::bundle(observations(120));
    for (size_t at = 0; (at = text.find("}},{\"resource\"", at)) != std::string::npos; at += 4)
      text.replace(at, 2, "},\"n\":5}");
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 0);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.one_thread.find("Observation/obs119|") != std::string::npos);
  }

  TEST_CASE("NDJSON is read line by line with one thread, however large") {
    std::string text;
    for (const auto& r : observations(200)) text += r + "\n";
    BothWays both = read_both_ways(text);
    CHECK(both.taken == 0);
    CHECK(both.two_threads == both.one_thread);
    CHECK(both.one_thread.find("Observation/obs199|") != std::string::npos);
  }
}
