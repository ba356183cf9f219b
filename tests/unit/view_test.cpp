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

  TEST_CASE("the policy's view carries the person's identity for the banner") {
    Record r = read_fhir_file(demo_patient("joe-bradshaw.json"));
    View v = Policy().view_of(r);
    CHECK(v.patient().nhs_number == "9990000115");
    CHECK(v.patient().name.family == "Bradshaw");
    CHECK_FALSE(v.incomplete());
  }

  TEST_CASE("a view of a record with unreadable parts says it may be incomplete") {
    Record r = read_fhir_json(R"({"resourceType":"Patient","id":"p","birthDate":"not a date"})", "in.json");
    CHECK(Policy().view_of(r).incomplete());
  }
}
