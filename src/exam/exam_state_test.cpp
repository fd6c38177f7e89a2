#include "exam/exam_state.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace radqs::exam {
namespace {

using S = ExamState;

constexpr S kAll[] = {S::kOrdered,     S::kScheduled, S::kArrived, S::kInProgress, S::kAcquired,
                      S::kPreliminary, S::kFinal,     S::kAmended, S::kCancelled,  S::kNoShow};

// spec: domain.md §2 "Exam" — the whole set of allowed edges, written out independently.
const std::set<std::pair<S, S>> kAllowed = {
    {S::kOrdered, S::kScheduled},    {S::kOrdered, S::kArrived},    {S::kScheduled, S::kScheduled},
    {S::kScheduled, S::kArrived},    {S::kArrived, S::kInProgress}, {S::kInProgress, S::kAcquired},
    {S::kAcquired, S::kPreliminary}, {S::kAcquired, S::kFinal},     {S::kPreliminary, S::kFinal},
    {S::kFinal, S::kAmended},        {S::kAmended, S::kAmended},    {S::kOrdered, S::kCancelled},
    {S::kScheduled, S::kCancelled},  {S::kArrived, S::kCancelled},  {S::kScheduled, S::kNoShow},
};

TEST(ExamState, KeysRoundTrip) {
  const char* keys[] = {"ordered",     "scheduled", "arrived", "in_progress", "acquired",
                        "preliminary", "final",     "amended", "cancelled",   "no_show"};
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(StateKey(kAll[i]), keys[i]);
    EXPECT_EQ(ParseState(keys[i]), kAll[i]);
  }
  EXPECT_EQ(ParseState("Final"), std::nullopt);
  EXPECT_EQ(ParseState(""), std::nullopt);
  EXPECT_EQ(ParseState("noshow"), std::nullopt);
}

TEST(ExamState, EveryAllowedTransitionSucceeds) {
  for (const auto& [from, to] : kAllowed) {
    const auto r = Transition(from, to);
    ASSERT_TRUE(r) << StateKey(from) << " -> " << StateKey(to) << ": " << r.error().message;
    EXPECT_EQ(*r, to);
  }
}

TEST(ExamState, EveryOtherPairIsRefusedNamingTheCurrentState) {
  int refused = 0;
  for (S from : kAll) {
    for (S to : kAll) {
      if (kAllowed.count({from, to})) continue;
      const auto r = Transition(from, to);
      ASSERT_FALSE(r) << StateKey(from) << " -> " << StateKey(to);
      const Error& e = r.error();
      EXPECT_EQ(e.code, ErrorCode::kConflict);
      EXPECT_EQ(e.message, "cannot go from " + std::string(StateKey(from)) + " to " +
                               std::string(StateKey(to)));
      ASSERT_EQ(e.fields.size(), 1u);
      EXPECT_EQ(e.fields[0].field, "state");
      EXPECT_EQ(e.fields[0].rule, "transition");
      EXPECT_EQ(e.fields[0].message, "current state is " + std::string(StateKey(from)));
      ++refused;
    }
  }
  EXPECT_EQ(refused, 100 - 15);
}

TEST(ExamState, NamedForbiddenTransitions) {
  // The examples the spec and the workflow care about most.
  struct Case {
    S from, to;
  };
  const Case cases[] = {
      {S::kArrived, S::kFinal},         // final before acquired
      {S::kInProgress, S::kFinal},      // final before acquired
      {S::kOrdered, S::kInProgress},    // start without check-in
      {S::kScheduled, S::kInProgress},  // start without check-in
      {S::kInProgress, S::kCancelled},  // an exam under way cannot be cancelled
      {S::kAcquired, S::kCancelled},
      {S::kFinal, S::kPreliminary},  // no going back
      {S::kFinal, S::kFinal},
      {S::kOrdered, S::kNoShow},       // no-show needs an appointment
      {S::kArrived, S::kNoShow},       // she came
      {S::kCancelled, S::kScheduled},  // exits are terminal
      {S::kNoShow, S::kScheduled},
      {S::kPreliminary, S::kAmended},  // amendments follow a final report only
      {S::kAmended, S::kFinal},
  };
  for (const Case& c : cases) {
    const auto r = Transition(c.from, c.to);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find(std::string(StateKey(c.from))), std::string::npos);
  }
  const auto r = Transition(S::kArrived, S::kFinal);
  EXPECT_EQ(r.error().message, "cannot go from arrived to final");
  EXPECT_EQ(r.error().fields[0].message, "current state is arrived");
}

TEST(ExamState, AllowedNextAndTerminal) {
  EXPECT_EQ(AllowedNext(S::kOrdered), (std::vector<S>{S::kScheduled, S::kArrived, S::kCancelled}));
  EXPECT_EQ(AllowedNext(S::kScheduled),
            (std::vector<S>{S::kScheduled, S::kArrived, S::kCancelled, S::kNoShow}));
  EXPECT_EQ(AllowedNext(S::kAcquired), (std::vector<S>{S::kPreliminary, S::kFinal}));
  EXPECT_EQ(AllowedNext(S::kFinal), (std::vector<S>{S::kAmended}));
  EXPECT_TRUE(IsTerminal(S::kCancelled));
  EXPECT_TRUE(IsTerminal(S::kNoShow));
  EXPECT_FALSE(IsTerminal(S::kFinal));
  EXPECT_FALSE(IsTerminal(S::kAmended));
  for (S from : kAll) {
    for (S to : AllowedNext(from)) EXPECT_TRUE(kAllowed.count({from, to}));
  }
}

TEST(ExamState, HappyPathWalk) {
  S s = S::kOrdered;
  for (S next : {S::kScheduled, S::kScheduled, S::kArrived, S::kInProgress, S::kAcquired,
                 S::kPreliminary, S::kFinal, S::kAmended, S::kAmended}) {
    const auto r = Transition(s, next);
    ASSERT_TRUE(r);
    s = *r;
  }
  EXPECT_EQ(s, S::kAmended);
}

TEST(Turnaround, FromStamps) {
  const Micros t0 = 1'780'000'000LL * kMicrosPerSecond;
  Stamps st{.ordered = t0,
            .scheduled_for = t0 + 2 * kMicrosPerDay,
            .booked = t0 + 5 * kMicrosPerMinute,
            .arrived = t0 + 2 * kMicrosPerDay - 10 * kMicrosPerMinute,
            .started = t0 + 2 * kMicrosPerDay + 7 * kMicrosPerMinute,
            .acquired = t0 + 2 * kMicrosPerDay + 22 * kMicrosPerMinute,
            .preliminary = t0 + 2 * kMicrosPerDay + 40 * kMicrosPerMinute,
            .final_ = t0 + 2 * kMicrosPerDay + 82 * kMicrosPerMinute};
  const Turnaround t = ComputeTurnaround(st);
  EXPECT_EQ(t.order_to_appointment, 2 * kMicrosPerDay);
  EXPECT_EQ(t.arrival_to_start, 17 * kMicrosPerMinute);
  EXPECT_EQ(t.start_to_acquired, 15 * kMicrosPerMinute);
  EXPECT_EQ(t.acquired_to_final, 60 * kMicrosPerMinute);
  EXPECT_EQ(t.order_to_final, 2 * kMicrosPerDay + 82 * kMicrosPerMinute);
}

TEST(Turnaround, MissingOrNegativeSpansAreAbsent) {
  const Micros t0 = 1'780'000'000LL * kMicrosPerSecond;
  // An emergency: no appointment, not yet reported; the device clock put `started` before
  // `arrived`.
  Stamps st{.ordered = t0,
            .arrived = t0 + 10 * kMicrosPerMinute,
            .started = t0 + 9 * kMicrosPerMinute,
            .acquired = t0 + 20 * kMicrosPerMinute};
  const Turnaround t = ComputeTurnaround(st);
  EXPECT_EQ(t.order_to_appointment, std::nullopt);
  EXPECT_EQ(t.arrival_to_start, std::nullopt);
  EXPECT_EQ(t.start_to_acquired, 11 * kMicrosPerMinute);
  EXPECT_EQ(t.acquired_to_final, std::nullopt);
  EXPECT_EQ(t.order_to_final, std::nullopt);
  // Equal stamps make a zero span, which is kept.
  st.started = st.arrived;
  EXPECT_EQ(ComputeTurnaround(st).arrival_to_start, 0);
  EXPECT_EQ(ComputeTurnaround(Stamps{}).order_to_final, std::nullopt);
}

// spec: indicators.md tat.green_channel — acquired − start stamp ≤ the pathway limit; the start
// stamp is the ED arrival when the HIS sent one, else the order time (not arrival, not start).
TEST(Turnaround, GreenChannelIsMeasuredFromTheStartStampToAcquired) {
  const Micros t0 = 1'000'000'000'000'000;
  const Micros min = kMicrosPerMinute;
  Stamps s{.ordered = t0, .arrived = t0 + 20 * min, .started = t0 + 22 * min};
  EXPECT_EQ(GreenChannelTime(s, std::nullopt, 30).on_time, std::nullopt);  // not acquired yet
  s.acquired = t0 + 30 * min;
  auto stroke = GreenChannelTime(s, std::nullopt, 30);
  EXPECT_EQ(stroke.start_source, "ordered");
  EXPECT_EQ(stroke.elapsed, 30 * min);
  EXPECT_EQ(stroke.on_time, true);                                  // exactly at the limit
  EXPECT_EQ(GreenChannelTime(s, std::nullopt, 25).on_time, false);  // chest pain: 25 min
  // Arrival to start (2 min) or start to acquired (8 min) would pass either limit: not the rule.
  s.acquired = t0 + 31 * min;
  EXPECT_EQ(GreenChannelTime(s, std::nullopt, 30).on_time, false);
  // With the ED arrival 10 minutes after the order, that is the start stamp.
  auto ed = GreenChannelTime(s, t0 + 10 * min, 25);
  EXPECT_EQ(ed.start_source, "ed_arrival");
  EXPECT_EQ(ed.elapsed, 21 * min);
  EXPECT_EQ(ed.on_time, true);
}

}  // namespace
}  // namespace radqs::exam
