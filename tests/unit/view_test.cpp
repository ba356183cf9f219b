#include <doctest/doctest.h>

#include "ilinks/view_export.h"

#include <type_traits>

#include "ilinks/fhir.h"
#include "ilinks/policy.h"
#include "test_data.h"

using namespace ilinks;

TEST_SUITE("items") {
  TEST_CASE("an item's exclusion mark and consent directive go with every copy, each copy its own") {
    Item item;
    CHECK_FALSE(item.exclusion);
    CHECK_FALSE(item.directive.has_value());
    item.exclusion = ExclusionMark{"hiv_aids", "Read v2 A788%", ""};
    ConsentDirective d;
    d.base_deny = true;
    d.parts.push_back({});
    item.directive = d;
    Item copy = item;
    REQUIRE(copy.exclusion);
    CHECK(copy.exclusion->category == "hiv_aids");
    REQUIRE(copy.directive);
    CHECK(copy.directive->parts.size() == 1);
    copy.exclusion->category = "abuse";
    copy.directive.reset();
    CHECK(item.exclusion->category == "hiv_aids");  // the original is untouched
    REQUIRE(item.directive);
    CHECK(item.directive->base_deny);
    Item assigned;
    assigned = item;
    item.exclusion = std::nullopt;
    REQUIRE(assigned.exclusion);
    CHECK(assigned.exclusion->matched == "Read v2 A788%");
    CHECK(assigned.exclusion.as_optional()->category == "hiv_aids");
    Item moved = std::move(assigned);
    CHECK(moved.directive->base_deny);
    std::optional<ExclusionMark> none;
    moved.exclusion = none;
    CHECK_FALSE(moved.exclusion);
    CHECK_FALSE(moved.exclusion.as_optional());
  }
}

TEST_SUITE("view") {
  // The design's rule, as a property of the types: nothing but the policy can
  // make a View, so render/ and the bindings cannot show what it withheld.
  TEST_CASE("a View cannot be made except by the policy") {
    CHECK_FALSE(std::is_default_constructible_v<View>);
    CHECK_FALSE(std::is_constructible_v<View, const Record&>);
    CHECK_FALSE(std::is_constructible_v<View, Patient>);
  }

}

TEST_CASE("the family name is in capitals in any Latin letters the banner draws") {
  using ilinks::PersonName;
  CHECK(ilinks::display_name(PersonName{"Öztürk", {"Ayşe"}, {"Ms"}, ""}) == "ÖZTÜRK, Ayşe (Ms)");
  CHECK(ilinks::display_name(PersonName{"łukasiewicz", {"Jan"}, {}, ""}) == "ŁUKASIEWICZ, Jan");
  CHECK(ilinks::display_name(PersonName{"Dvořák", {"Antonín"}, {}, ""}) == "DVOŘÁK, Antonín");
  CHECK(ilinks::display_name(PersonName{"Weiß", {"Anna"}, {}, ""}) == "WEIß, Anna");  // ß has no one-letter capital
  CHECK(ilinks::display_name(PersonName{"Ní Bhriain", {"Siân"}, {}, ""}) == "NÍ BHRIAIN, Siân");
  CHECK(ilinks::display_name(PersonName{"Иванов", {"Иван"}, {}, ""}) == "Иванов, Иван");  // other scripts as written
}
