// ilinks/date.h: calendar dates as FHIR writes them, and as the NHS shows them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ilinks {

// A calendar date of year, year-month or full-day precision (FHIR `date`).
struct Date {
  enum class Precision { year, month, day };
  int year = 0;
  int month = 0;  // 1-12; 0 when precision is year
  int day = 0;    // 1-31; 0 when precision is year or month
  Precision precision = Precision::day;

  // Parses "YYYY", "YYYY-MM", "YYYY-MM-DD", or the date part of a FHIR dateTime
  // ("YYYY-MM-DDThh:mm:ss+zz:zz"). Returns nothing for anything else, including
  // impossible dates such as 2023-02-30.
  static std::optional<Date> parse_fhir(std::string_view text);
  // Parses "YYYY-MM-DD" only (full precision), as hosts pass "today".
  static std::optional<Date> parse_iso_day(std::string_view text);
  // Today in the machine's local time zone.
  static Date today();

  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day && a.precision == b.precision;
  }
};

// NHS Common User Interface date format: "14-Jul-1945"; "Jul-1945" or "1945"
// when that is all the source knows.
std::string format_date(const Date& date);

// NHS CUI age: "81y" from 18 years; "4y 5m" from 2; "14m 3d" from 1; "10w 2d"
// from 4 weeks; "12d" below. Empty when `birth` is after `on` or imprecise.
std::string format_age(const Date& birth, const Date& on);

// Whole days from `from` to `to` (negative when `to` is earlier). A month or
// year date counts from its first day. For lengths of stay.
long days_between(const Date& from, const Date& to);

// An instant, with the UTC offset of the place it was read: consent expiry and
// override time-boxes compare instants; the out-of-hours alert reads the local
// clock.
struct Timestamp {
  int64_t utc_seconds = 0;  // seconds since 1970-01-01T00:00:00Z
  int offset_minutes = 0;   // local time = UTC + offset

  // "YYYY-MM-DDThh:mm[:ss[.fff]](Z|+hh:mm|-hh:mm)". A time without a zone is
  // refused: an audit time must say which clock it was read from.
  static std::optional<Timestamp> parse(std::string_view text);
  // The machine's clock and local offset.
  static Timestamp now();
  // "2026-11-22T14:05:00+00:00", in its own offset.
  std::string iso() const;
  Date local_date() const;
  int local_minute_of_day() const;  // 0-1439
  int local_weekday() const;        // 0 = Monday ... 6 = Sunday

  Timestamp plus_minutes(int64_t minutes) const { return {utc_seconds + minutes * 60, offset_minutes}; }
  friend bool operator<(const Timestamp& a, const Timestamp& b) { return a.utc_seconds < b.utc_seconds; }
  friend bool operator<=(const Timestamp& a, const Timestamp& b) { return a.utc_seconds <= b.utc_seconds; }
};

}  // namespace ilinks
