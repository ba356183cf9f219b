#include <doctest/doctest.h>

#include "ilinks/view_export.h"

#include <type_traits>

#include "ilinks/fhir.h"
#include "ilinks/policy.h"
#include "test_data.h"

using namespace ilinks;

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
