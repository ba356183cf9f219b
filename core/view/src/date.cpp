#include "ilinks/date.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace ilinks {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly `n` digits at `pos`; -1 if they are not all digits.
int read_digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since 0000-03-01 in the proleptic Gregorian calendar (for differences).
long day_number(const Date& d) {
  long y = d.year, m = d.month;
  if (m <= 2) { y -= 1; m += 12; }
  return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d.day - 1;
}

// Whole months from a to b (b >= a), and the days left over.
void months_and_days(const Date& a, const Date& b, int& months, int& days) {
  months = (b.year - a.year) * 12 + (b.month - a.month);
  if (b.day < a.day) months -= 1;
  int anchor_y = a.year + (a.month - 1 + months) / 12;
  int anchor_m = (a.month - 1 + months) % 12 + 1;
  Date anchor{anchor_y, anchor_m, std::min(a.day, days_in_month(anchor_y, anchor_m))};
  days = static_cast<int>(day_number(b) - day_number(anchor));
}

}  // namespace

std::optional<Date> Date::parse_fhir(std::string_view s) {
  Date d;
  d.year = read_digits(s, 0, 4);
  if (d.year < 1) return std::nullopt;
  if (s.size() == 4) { d.precision = Precision::year; return d; }
  if (s.size() < 7 || s[4] != '-') return std::nullopt;
  d.month = read_digits(s, 5, 2);
  if (d.month < 1 || d.month > 12) return std::nullopt;
  if (s.size() == 7) { d.precision = Precision::month; return d; }
  if (s.size() < 10 || s[7] != '-') return std::nullopt;
  d.day = read_digits(s, 8, 2);
  if (d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  if (s.size() > 10 && s[10] != 'T') return std::nullopt;
  d.precision = Precision::day;
  return d;
}

std::optional<Date> Date::parse_iso_day(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  return parse_fhir(s);
}

Date Date::today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
#if defined(_WIN32)
  localtime_s(&local, &now);
#else
  localtime_r(&now, &local);
#endif
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::string format_date(const Date& d) {
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string year = std::to_string(d.year);
  switch (d.precision) {
    case Date::Precision::year: return year;
    case Date::Precision::month: return std::string(months[d.month - 1]) + "-" + year;
    case Date::Precision::day: break;
  }
  std::string day = (d.day < 10 ? "0" : "") + std::to_string(d.day);
  return day + "-" + months[d.month - 1] + "-" + year;
}

std::string format_age(const Date& birth, const Date& on) {
  if (birth.precision != Date::Precision::day || on.precision != Date::Precision::day) return {};
  long total_days = day_number(on) - day_number(birth);
  if (total_days < 0) return {};
  int months = 0, days = 0;
  months_and_days(birth, on, months, days);
  int years = months / 12;
  if (years >= 18) return std::to_string(years) + "y";
  if (years >= 2) return std::to_string(years) + "y " + std::to_string(months % 12) + "m";
  if (years >= 1) return std::to_string(months) + "m " + std::to_string(days) + "d";
  if (total_days >= 28) return std::to_string(total_days / 7) + "w " + std::to_string(total_days % 7) + "d";
  return std::to_string(total_days) + "d";
}

long days_between(const Date& from, const Date& to) {
  auto first_day = [](Date d) {
    if (d.month == 0) d.month = 1;
    if (d.day == 0) d.day = 1;
    return d;
  };
  return day_number(first_day(to)) - day_number(first_day(from));
}

// ---- Timestamp ------------------------------------------------------------

namespace {
// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
int64_t days_from_epoch(int y, int m, int d) {
  return day_number(Date{y, m, d}) - day_number(Date{1970, 1, 1});
}
Date civil_from_days(int64_t days) {
  // Walk from an anchor year; dates in records are within a few centuries.
  int y = 1970 + static_cast<int>(days / 366);
  while (days_from_epoch(y + 1, 1, 1) <= days) ++y;
  while (days_from_epoch(y, 1, 1) > days) --y;
  int m = 1;
  while (m < 12 && days_from_epoch(y, m + 1, 1) <= days) ++m;
  return Date{y, m, static_cast<int>(days - days_from_epoch(y, m, 1)) + 1};
}
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

std::optional<Timestamp> Timestamp::parse(std::string_view s) {
  auto day = Date::parse_iso_day(s.substr(0, 10));
  if (!day || s.size() < 16 || s[10] != 'T' || s[13] != ':') return std::nullopt;
  int hh = read_digits(s, 11, 2), mm = read_digits(s, 14, 2), ss = 0;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    ss = read_digits(s, pos + 1, 2);
    pos += 3;
    if (pos < s.size() && s[pos] == '.')
      for (++pos; pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]));) ++pos;
  }
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 || pos >= s.size()) return std::nullopt;
  int offset = 0;
  if (s[pos] == 'Z' && pos + 1 == s.size()) {
    offset = 0;
  } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
    int oh = read_digits(s, pos + 1, 2), om = read_digits(s, pos + 4, 2);
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return std::nullopt;
    offset = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  int64_t local = days_from_epoch(day->year, day->month, day->day) * 86400 + hh * 3600 + mm * 60 + ss;
  return Timestamp{local - offset * 60, offset};
}

Timestamp Timestamp::now() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
#if defined(_WIN32)
  localtime_s(&local, &t);
  std::tm utc{};
  gmtime_s(&utc, &t);
  int offset = static_cast<int>((std::mktime(&local) - std::mktime(&utc)) / 60);
#else
  localtime_r(&t, &local);
  int offset = static_cast<int>(local.tm_gmtoff / 60);
#endif
  return Timestamp{static_cast<int64_t>(t), offset};
}

Date Timestamp::local_date() const {
  return civil_from_days(floor_div(utc_seconds + offset_minutes * 60, 86400));
}

int Timestamp::local_minute_of_day() const {
  int64_t local = utc_seconds + offset_minutes * 60;
  return static_cast<int>((local - floor_div(local, 86400) * 86400) / 60);
}

int Timestamp::local_weekday() const {
  int64_t days = floor_div(utc_seconds + offset_minutes * 60, 86400);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

std::string Timestamp::iso() const {
  Date d = local_date();
  int minute = local_minute_of_day();
  int64_t local = utc_seconds + offset_minutes * 60;
  int second = static_cast<int>(local - floor_div(local, 60) * 60);
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d.year, d.month, d.day, minute / 60, minute % 60,
                second, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace ilinks
