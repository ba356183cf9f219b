#include <doctest/doctest.h>

#include "ilinks/nhs_number.h"

using namespace ilinks;

TEST_SUITE("NHS number") {
  TEST_CASE("a number whose last digit is its modulus-11 check digit is valid") {
    CHECK(is_valid_nhs_number("9434765919"));
    CHECK(is_valid_nhs_number("9912003888"));  // UK Core example patient
    CHECK(is_valid_nhs_number("9999999999"));
  }

  TEST_CASE("a number with a wrong check digit is invalid") {
    CHECK_FALSE(is_valid_nhs_number("9434765918"));
    CHECK_FALSE(is_valid_nhs_number("9912003887"));
  }

  TEST_CASE("a number whose check digit would be 10 is never valid") {
    // 123456789 gives 11 - (1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2) % 11 = 11 - 1 = 10.
    for (char last = '0'; last <= '9'; ++last) CHECK_FALSE(is_valid_nhs_number(std::string("123456789") + last));
  }

  TEST_CASE("anything but exactly ten digits is invalid") {
    CHECK_FALSE(is_valid_nhs_number(""));
    CHECK_FALSE(is_valid_nhs_number("943476591"));
    CHECK_FALSE(is_valid_nhs_number("94347659190"));
    CHECK_FALSE(is_valid_nhs_number("943 476 5919"));
    CHECK_FALSE(is_valid_nhs_number("94347659l9"));
  }

  TEST_CASE("spaces and hyphens people type are removed before checking") {
    CHECK(normalise_nhs_number("943 476 5919") == "9434765919");
    CHECK(normalise_nhs_number("943-476-5919") == "9434765919");
  }

  TEST_CASE("the number is shown in 3-3-4 groups") {
    CHECK(format_nhs_number("9434765919") == "943 476 5919");
  }
}
