// Time as the whole system keeps it: instants are UTC integer microseconds since the Unix epoch;
// calendar dates are day numbers in the site's local calendar, which is UTC plus a fixed offset
// (default +08:00, no DST) — spec: architecture.md "Time".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace radqs {

using Micros = std::int64_t;  // UTC microseconds since 1970-01-01T00:00:00Z

inline constexpr Micros kMicrosPerSecond = 1'000'000;
inline constexpr Micros kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr Micros kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;
inline constexpr int kDefaultUtcOffsetMinutes = 8 * 60;

// A calendar date, as days since 1970-01-01 (negative before).
struct Date {
  std::int32_t days = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

Date DateFromCivil(CivilDate c);
CivilDate CivilFromDate(Date d);
bool IsValidCivil(CivilDate c);

// "YYYY-MM-DD" with a real calendar day; nullopt otherwise.
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);

// "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+hh:mm|-hh:mm)"; nullopt when malformed or impossible.
std::optional<Micros> ParseInstant(std::string_view text);
// Always UTC with a trailing Z; milliseconds are shown when non-zero.
std::string FormatInstant(Micros t);

// The local calendar date of an instant at the given UTC offset.
Date LocalDate(Micros t, int utc_offset_minutes = kDefaultUtcOffsetMinutes);
// The instant at which a local calendar date begins.
Micros StartOfLocalDate(Date d, int utc_offset_minutes = kDefaultUtcOffsetMinutes);

// Whole days from `from` to `to` (negative when `to` is earlier).
inline int DaysBetween(Date from, Date to) { return to.days - from.days; }

// Time comes from a Clock so that rules are testable with a FakeClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Micros Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Micros now) : now_(now) {}
  Micros Now() const override { return now_; }
  void Set(Micros now) { now_ = now; }
  void Advance(Micros by) { now_ += by; }

 private:
  Micros now_;
};

}  // namespace radqs
