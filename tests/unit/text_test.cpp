// An item's words kept once (ilinks/text.h): a Text reads as the string it was
// made from, copies share their characters, and a reading interns what it
// reads, so a long record holds each code system, unit and organisation once.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../tools/consented_view.h"
#include "ilinks/record_builder.h"
#include "ilinks/text.h"
#include "ilinks/view_wire.h"
#include "test_data.h"

using ilinks::Text;
using ilinks::TextPool;

TEST_SUITE("an item's words, kept once") {

TEST_CASE("a Text reads as the string it was made from") {
  Text loinc = std::string("http://loinc.org");
  CHECK(loinc == "http://loinc.org");
  CHECK(loinc == std::string("http://loinc.org"));
  CHECK("http://loinc.org" == loinc);
  CHECK(loinc != "http://snomed.info/sct");
  CHECK(loinc.size() == 16);
  CHECK(std::string(loinc.c_str()) == "http://loinc.org");
  CHECK(loinc.find("loinc") == 7);
  CHECK(loinc + "|" + Text("8302-2") == "http://loinc.org|8302-2");
  CHECK(Text("a") < Text("b"));
  const std::string& as_string = loinc;
  CHECK(as_string == "http://loinc.org");

  Text empty;
  CHECK(empty.empty());
  CHECK(empty == "");
  CHECK(empty.str().empty());
  CHECK(Text(std::string()).empty());
  CHECK(Text(static_cast<const char*>(nullptr)).empty());
}

TEST_CASE("two std::strings still compare as strings beside Text's comparisons") {
  std::string a = "Body Height", b = "Body Height";
  std::string_view c = "Body Weight";
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("a copy shares the characters and outlives the Text it was copied from") {
  auto original = std::make_unique<Text>(std::string(100, 'x'));
  Text copy = *original;
  CHECK(copy.same_storage(*original));
  original.reset();
  CHECK(copy == std::string(100, 'x'));

  Text assigned;
  assigned = copy;
  assigned = assigned;  // to itself: unchanged
  CHECK(assigned == std::string(100, 'x'));
  Text moved = std::move(assigned);
  CHECK(moved.same_storage(copy));
  CHECK(assigned.empty());  // NOLINT: a moved-from Text is empty, by design
}

TEST_CASE("a pool keeps each distinct word once") {
  TextPool pool;
  Text a = pool.intern("http://snomed.info/sct");
  Text b = pool.intern(std::string("http://snomed.info/") + "sct");
  Text c = pool.intern("http://loinc.org");
  CHECK(a.same_storage(b));
  CHECK_FALSE(a.same_storage(c));
  CHECK(pool.intern("").empty());
  CHECK(pool.size() == 2);

  // Many words: the pool grows and still finds each one.
  std::vector<Text> kept;
  for (int i = 0; i < 5000; ++i) kept.push_back(pool.intern("code-" + std::to_string(i)));
  CHECK(pool.size() == 5002);
  for (int i = 0; i < 5000; i += 499) CHECK(pool.intern("code-" + std::to_string(i)).same_storage(kept[i]));
}

TEST_CASE("while a pool is in use, the Texts made on that thread are interned in it") {
  TextPool outer, inner;
  Text before = Text("mmHg");
  {
    TextPool::Use using_outer(outer);
    Text x = Text("mmHg"), y = Text(std::string("mmHg"));
    CHECK(x.same_storage(y));
    CHECK_FALSE(x.same_storage(before));
    {
      TextPool::Use using_inner(inner);
      CHECK_FALSE(Text("mmHg").same_storage(x));  // the inner pool, its own
      CHECK(TextPool::in_use() == &inner);
    }
    CHECK(TextPool::in_use() == &outer);  // the outer pool again
    CHECK(Text("mmHg").same_storage(x));
    // Another thread interns into no pool of this one's.
    Text other_thread;
    std::thread([&] { other_thread = Text("mmHg"); }).join();
    CHECK_FALSE(other_thread.same_storage(x));
  }
  CHECK(TextPool::in_use() == nullptr);
  CHECK_FALSE(Text("mmHg").same_storage(Text("mmHg")));  // no pool: each made on its own
}

TEST_CASE("what a pool gave out outlives the pool") {
  Text kept;
  {
    TextPool pool;
    kept = pool.intern("Aintree University Hospital");
  }
  CHECK(kept == "Aintree University Hospital");
}

TEST_CASE("Texts copied and dropped on two threads at once stay whole") {
  Text shared = Text(std::string(64, 'w'));
  auto churn = [&] {
    for (int i = 0; i < 200000; ++i) {
      Text copy = shared;
      Text again = copy;
      (void)again;
    }
  };
  std::thread other(churn);
  churn();
  other.join();
  CHECK(shared == std::string(64, 'w'));  // a lost count frees it early: AddressSanitizer sees the use after free
}

TEST_CASE("reading a record keeps each code system, unit and organisation once, on each of the two threads") {
  // 6.4 MB: read by two threads (the worker has its own pool).
  ilinks::RecordBuilder builder;
  builder.add_file(shared_data("synthea/4b86befa-fa7e-9285-615f-e081dab3f93c.json"));
  ilinks::Record record = builder.build();
  REQUIRE(record.items().size() > 1000);
  CHECK(ilinks::RecordBuilder::second_halves_read_by_a_worker() > 0);

  // Distinct storages per distinct word: one per pool at most (the reading
  // thread's and the worker's), whatever the number of items.
  std::map<std::string, std::set<const char*>> storages;
  size_t codings = 0;
  for (const auto& item : record.items()) {
    for (const auto& c : item.codings) storages[c.system].insert(c.system.data()), ++codings;
    storages[item.input].insert(item.input.data());
    storages[item.kind].insert(item.kind.data());
    if (!item.value.unit.empty()) storages[item.value.unit].insert(item.value.unit.data());
    if (!item.source.found_by.empty()) storages[item.source.found_by].insert(item.source.found_by.data());
  }
  REQUIRE(codings > 1000);
  CHECK(storages.count("http://loinc.org") == 1);
  for (const auto& [word, kept] : storages) {
    CAPTURE(word);
    CHECK(kept.size() <= 2);
  }
}

TEST_CASE("a View's items share their words with the record, not copies of them") {
  ilinks::RecordBuilder builder;
  builder.add_file(demo_patient("joe-bradshaw.json"));
  ilinks::Record record = builder.build();
  ilinks::Record kept = record;  // the View is made from a copy
  auto view = ilinks::test::consented_view(std::move(record), "u1");
  REQUIRE(view);
  REQUIRE(!view->items().empty());
  size_t shared = 0, compared = 0;
  for (const auto& shown : view->items()) {
    const ilinks::Item* original = kept.find(shown.key);
    REQUIRE(original);
    if (shown.display.empty()) continue;
    ++compared;
    shared += shown.display.same_storage(original->display) ? 1 : 0;
  }
  CHECK(compared > 0);
  CHECK(shared == compared);
}

TEST_CASE("a View read from a sharing service keeps its repeated words once") {
  ilinks::RecordBuilder builder;
  builder.add_file(demo_patient("joe-bradshaw.json"));
  auto view = ilinks::test::consented_view(builder.build(), "u1");
  REQUIRE(view);
  ilinks::ServiceView read = ilinks::ServiceView::read(ilinks::view_to_wire(*view), "the test's service");
  std::map<std::string, std::set<const char*>> storages;
  for (const auto& item : read.view().items()) {
    storages[item.kind].insert(item.kind.data());
    storages[item.source.found_by].insert(item.source.found_by.data());
  }
  REQUIRE(storages.size() > 2);
  for (const auto& [word, kept] : storages) {
    CAPTURE(word);
    CHECK(kept.size() == 1);
  }
}

}  // TEST_SUITE
