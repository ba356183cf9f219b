#include <doctest/doctest.h>

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
