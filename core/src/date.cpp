#include "ilinks/date.h"

#include <cctype>
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

}  // namespace ilinks
