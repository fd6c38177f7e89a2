#include "core/time.h"

#include <chrono>

namespace radqs {
namespace {

// Howard Hinnant's days-from-civil algorithms (public domain), proleptic Gregorian calendar.
std::int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly n digits at text[pos]; -1 when any is not a digit.
int Digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// Writes v as exactly `width` digits (zero-padded); the formatters below run on every record
// an API answer shows, and snprintf costs several times more.
void PutDigits(std::string& out, long long v, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

Micros FloorDiv(Micros a, Micros b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Date DateFromCivil(CivilDate c) { return Date{DaysFromCivil(c.year, c.month, c.day)}; }

CivilDate CivilFromDate(Date date) {
  int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2), m, d};
}

bool IsValidCivil(CivilDate c) {
  return c.year >= 1 && c.year <= 9999 && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
         c.day <= DaysInMonth(c.year, c.month);
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = Digits(text, 0, 4), m = Digits(text, 5, 2), d = Digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  CivilDate c{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
  if (!IsValidCivil(c)) return std::nullopt;
  return DateFromCivil(c);
}

std::string FormatDate(Date d) {
  const CivilDate c = CivilFromDate(d);
  std::string out;
  out.reserve(24);
  PutDigits(out, c.year, 4);
  out += '-';
  PutDigits(out, c.month, 2);
  out += '-';
  PutDigits(out, c.day, 2);
  return out;
}

std::optional<Micros> ParseInstant(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto date = ParseDate(text.substr(0, 10));
  const int hh = Digits(text, 11, 2), mi = Digits(text, 14, 2), ss = Digits(text, 17, 2);
  if (!date || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return std::nullopt;
  std::size_t pos = 19;
  Micros fraction = 0;
  if (text[pos] == '.') {
    ++pos;
    Micros scale = 100000;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 6) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'Z' && pos + 1 == text.size()) {
    offset_minutes = 0;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    const int oh = Digits(text, pos + 1, 2), om = Digits(text, pos + 4, 2);
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return std::nullopt;
    offset_minutes = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  return date->days * kMicrosPerDay + hh * kMicrosPerHour + mi * kMicrosPerMinute +
         ss * kMicrosPerSecond + fraction - offset_minutes * kMicrosPerMinute;
}

std::string FormatInstant(Micros t) {
  const Micros day = FloorDiv(t, kMicrosPerDay);
  Micros rest = t - day * kMicrosPerDay;
  const int hh = static_cast<int>(rest / kMicrosPerHour);
  rest %= kMicrosPerHour;
  const int mi = static_cast<int>(rest / kMicrosPerMinute);
  rest %= kMicrosPerMinute;
  const int ss = static_cast<int>(rest / kMicrosPerSecond);
  const int ms = static_cast<int>((rest % kMicrosPerSecond) / 1000);
  std::string out = FormatDate(Date{static_cast<std::int32_t>(day)});
  out += 'T';
  PutDigits(out, hh, 2);
  out += ':';
  PutDigits(out, mi, 2);
  out += ':';
  PutDigits(out, ss, 2);
  if (ms != 0) {
    out += '.';
    PutDigits(out, ms, 3);
  }
  out += 'Z';
  return out;
}

Date LocalDate(Micros t, int utc_offset_minutes) {
  return Date{static_cast<std::int32_t>(
      FloorDiv(t + utc_offset_minutes * kMicrosPerMinute, kMicrosPerDay))};
}

Micros StartOfLocalDate(Date d, int utc_offset_minutes) {
  return d.days * kMicrosPerDay - utc_offset_minutes * kMicrosPerMinute;
}

Micros SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace radqs
