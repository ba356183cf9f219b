#include <doctest/doctest.h>

#include "ilinks/date.h"

using namespace ilinks;

namespace {
Date day(const char* s) { return *Date::parse_iso_day(s); }
}  // namespace

TEST_SUITE("dates") {
  TEST_CASE("dates are shown dd-Mmm-yyyy") {
    CHECK(format_date(day("1945-07-14")) == "14-Jul-1945");
    CHECK(format_date(day("2026-01-03")) == "03-Jan-2026");
  }

  TEST_CASE("a partial date is shown only as precisely as it is known") {
    CHECK(format_date(*Date::parse_fhir("1945-07")) == "Jul-1945");
    CHECK(format_date(*Date::parse_fhir("1945")) == "1945");
  }

  TEST_CASE("the date part of a FHIR dateTime is read") {
    CHECK(format_date(*Date::parse_fhir("2026-09-30T14:05:00+01:00")) == "30-Sep-2026");
  }

  TEST_CASE("impossible or malformed dates are refused, not guessed") {
    CHECK_FALSE(Date::parse_fhir("2023-02-29"));
    CHECK_FALSE(Date::parse_fhir("1945-13-01"));
    CHECK_FALSE(Date::parse_fhir("1945-7-14"));
    CHECK_FALSE(Date::parse_fhir("14/07/1945"));
    CHECK_FALSE(Date::parse_fhir(""));
    CHECK_FALSE(Date::parse_fhir("1945-07-14junk"));
    CHECK(Date::parse_fhir("2024-02-29"));  // a leap day
  }

  TEST_CASE("adults' ages are shown in whole years, counted to the birthday") {
    CHECK(format_age(day("1945-07-14"), day("2026-07-13")) == "80y");
    CHECK(format_age(day("1945-07-14"), day("2026-07-14")) == "81y");
    CHECK(format_age(day("2008-11-22"), day("2026-11-22")) == "18y");
  }

  TEST_CASE("children's ages follow the NHS CUI steps") {
    CHECK(format_age(day("2022-06-01"), day("2026-11-22")) == "4y 5m");
    CHECK(format_age(day("2025-08-19"), day("2026-11-22")) == "15m 3d");
    CHECK(format_age(day("2026-09-01"), day("2026-11-22")) == "11w 5d");
    CHECK(format_age(day("2026-11-10"), day("2026-11-22")) == "12d");
  }

  TEST_CASE("no age is shown for a birth date in the future or one known only to the year") {
    CHECK(format_age(day("2027-01-01"), day("2026-11-22")).empty());
    CHECK(format_age(*Date::parse_fhir("1945"), day("2026-11-22")).empty());
  }
}

TEST_CASE("days between two dates: lengths of stay across months, years and leap days") {
  using ilinks::Date;
  CHECK(ilinks::days_between(Date{2026, 11, 17}, Date{2026, 11, 22}) == 5);
  CHECK(ilinks::days_between(Date{2024, 2, 28}, Date{2024, 3, 1}) == 2);  // 2024 is a leap year
  CHECK(ilinks::days_between(Date{2025, 12, 31}, Date{2026, 1, 1}) == 1);
  CHECK(ilinks::days_between(Date{2026, 11, 22}, Date{2026, 11, 17}) == -5);
  CHECK(ilinks::days_between(Date{2026, 11, 0, Date::Precision::month}, Date{2026, 11, 22}) == 21);  // from the 1st
}
