#include "core/time.h"

#include <gtest/gtest.h>

namespace radqs {
namespace {

TEST(Date, ParsesRealDatesOnly) {
  EXPECT_EQ(ParseDate("1970-01-01")->days, 0);
  EXPECT_EQ(FormatDate(*ParseDate("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2024-13-01"));
  EXPECT_FALSE(ParseDate("2024-1-01"));
  EXPECT_FALSE(ParseDate("20240101"));
  EXPECT_EQ(DaysBetween(*ParseDate("2026-11-23"), *ParseDate("2027-02-21")), 90);
}

TEST(Instant, RoundTripsAndHonoursOffsets) {
  const auto t = ParseInstant("2026-11-23T08:30:00+08:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatInstant(*t), "2026-11-23T00:30:00Z");
  EXPECT_EQ(*ParseInstant("2026-11-23T00:30:00.250Z") - *t, 250'000);
  EXPECT_FALSE(ParseInstant("2026-11-23 00:30:00Z"));
  EXPECT_FALSE(ParseInstant("2026-11-23T24:00:00Z"));
  EXPECT_FALSE(ParseInstant("2026-11-23T00:30:00"));
}

TEST(LocalDate, UsesTheSiteOffset) {
  // 2026-11-23T17:00Z is already the 24th in Beijing (+08:00).
  const Micros t = *ParseInstant("2026-11-23T17:00:00Z");
  EXPECT_EQ(FormatDate(LocalDate(t, 0)), "2026-11-23");
  EXPECT_EQ(FormatDate(LocalDate(t)), "2026-11-24");
  EXPECT_EQ(FormatInstant(StartOfLocalDate(*ParseDate("2026-11-24"))), "2026-11-23T16:00:00Z");
  EXPECT_EQ(FormatDate(LocalDate(*ParseInstant("1969-12-31T23:00:00Z"), 0)), "1969-12-31");
}

}  // namespace
}  // namespace radqs
