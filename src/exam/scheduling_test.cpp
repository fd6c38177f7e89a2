#include "exam/scheduling.h"

#include <gtest/gtest.h>

#include <vector>

namespace radqs::exam {
namespace {

Date D(const char* text) { return *ParseDate(text); }
Micros T(const char* text) { return *ParseInstant(text); }

constexpr int kBeijing = 8 * 60;

TEST(Scheduling, IsoWeekday) {
  EXPECT_EQ(IsoWeekday(D("1970-01-01")), 4);  // Thursday
  EXPECT_EQ(IsoWeekday(D("1969-12-29")), 1);  // Monday, before the epoch
  EXPECT_EQ(IsoWeekday(D("2026-06-15")), 1);
  EXPECT_EQ(IsoWeekday(D("2026-06-21")), 7);
}

TEST(Scheduling, SlotsFromTemplatesInLocalTime) {
  // Monday 08:00–10:00 in 30-minute slots of 2; a 25-minute trailing remainder makes no slot.
  const std::vector<SlotTemplate> templates = {
      {.weekday = 1,
       .start_minute = 8 * 60,
       .end_minute = 10 * 60 + 25,
       .slot_minutes = 30,
       .capacity = 2},
  };
  const auto slots = BuildSlots(templates, {}, D("2026-06-15"), D("2026-06-21"), kBeijing);
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[0].start, T("2026-06-15T08:00:00+08:00"));
  EXPECT_EQ(slots[0].start, T("2026-06-15T00:00:00Z"));
  EXPECT_EQ(slots[0].end, T("2026-06-15T08:30:00+08:00"));
  EXPECT_EQ(slots[3].start, T("2026-06-15T09:30:00+08:00"));
  EXPECT_EQ(slots[3].end, T("2026-06-15T10:00:00+08:00"));
  for (const Slot& s : slots) {
    EXPECT_EQ(s.capacity, 2);
    EXPECT_FALSE(s.closed);
  }
  // The same template at UTC+0 gives instants eight hours later.
  const auto utc = BuildSlots(templates, {}, D("2026-06-15"), D("2026-06-15"), 0);
  ASSERT_EQ(utc.size(), 4u);
  EXPECT_EQ(utc[0].start, T("2026-06-15T08:00:00Z"));
  // Two weeks hold two Mondays; a range with no Monday holds none; an empty range nothing.
  EXPECT_EQ(BuildSlots(templates, {}, D("2026-06-15"), D("2026-06-28"), kBeijing).size(), 8u);
  EXPECT_TRUE(BuildSlots(templates, {}, D("2026-06-16"), D("2026-06-21"), kBeijing).empty());
  EXPECT_TRUE(BuildSlots(templates, {}, D("2026-06-16"), D("2026-06-15"), kBeijing).empty());
}

TEST(Scheduling, SeveralTemplatesAreMergedInTimeOrder) {
  const std::vector<SlotTemplate> templates = {
      {.weekday = 3,
       .start_minute = 14 * 60,
       .end_minute = 15 * 60,
       .slot_minutes = 20,
       .capacity = 1},
      {.weekday = 3,
       .start_minute = 8 * 60,
       .end_minute = 9 * 60,
       .slot_minutes = 60,
       .capacity = 5},
      {.weekday = 0,
       .start_minute = 8 * 60,
       .end_minute = 9 * 60,
       .slot_minutes = 60,
       .capacity = 5},  // invalid weekday: ignored
      {.weekday = 3,
       .start_minute = 8 * 60,
       .end_minute = 9 * 60,
       .slot_minutes = 0,
       .capacity = 5},  // invalid length: ignored (and no endless loop)
  };
  const auto slots = BuildSlots(templates, {}, D("2026-06-15"), D("2026-06-21"), kBeijing);
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[0].start, T("2026-06-17T08:00:00+08:00"));
  EXPECT_EQ(slots[0].capacity, 5);
  EXPECT_EQ(slots[1].start, T("2026-06-17T14:00:00+08:00"));
  EXPECT_EQ(slots[3].start, T("2026-06-17T14:40:00+08:00"));
  EXPECT_EQ(slots[3].end, T("2026-06-17T15:00:00+08:00"));
}

TEST(Scheduling, ClosuresCloseOverlappingSlotsOnly) {
  const std::vector<SlotTemplate> templates = {
      {.weekday = 1,
       .start_minute = 8 * 60,
       .end_minute = 11 * 60,
       .slot_minutes = 30,
       .capacity = 2},
      {.weekday = 2,
       .start_minute = 8 * 60,
       .end_minute = 9 * 60,
       .slot_minutes = 30,
       .capacity = 2},
  };
  const std::vector<Closure> closures = {
      // Device downtime 08:45–09:30 Monday: touches the 08:30 and 09:00 slots; the 09:30 slot
      // starts exactly when it ends and stays open (half-open intervals).
      {.from = T("2026-06-15T08:45:00+08:00"),
       .to = T("2026-06-15T09:30:00+08:00"),
       .reason = "CT tube replacement"},
      // A public holiday covering all of Tuesday.
      {.from = T("2026-06-16T00:00:00+08:00"),
       .to = T("2026-06-17T00:00:00+08:00"),
       .reason = "端午节"},
  };
  const auto slots = BuildSlots(templates, closures, D("2026-06-15"), D("2026-06-16"), kBeijing);
  ASSERT_EQ(slots.size(), 8u);
  const bool expected_closed[] = {false, true, true, false, false, false, true, true};
  for (std::size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i].closed, expected_closed[i]) << i;
  }
  EXPECT_EQ(slots[1].closed_reason, "CT tube replacement");
  EXPECT_EQ(slots[0].closed_reason, "");
  EXPECT_EQ(slots[6].closed_reason, "端午节");
  EXPECT_EQ(slots[6].capacity, 2);  // capacity kept for display
  // A closure ending exactly when the first slot starts closes nothing.
  const std::vector<Closure> before = {
      {.from = T("2026-06-15T07:00:00+08:00"), .to = T("2026-06-15T08:00:00+08:00")}};
  const auto open = BuildSlots(templates, before, D("2026-06-15"), D("2026-06-15"), kBeijing);
  EXPECT_FALSE(open.front().closed);
}

TEST(Scheduling, ValidateTemplate) {
  EXPECT_TRUE(
      ValidateSlotTemplate(
          {.weekday = 7, .start_minute = 0, .end_minute = 1440, .slot_minutes = 15, .capacity = 0})
          .empty());
  const auto errors = ValidateSlotTemplate(
      {.weekday = 8, .start_minute = 600, .end_minute = 600, .slot_minutes = 0, .capacity = -1});
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "weekday");
  EXPECT_EQ(errors[1].field, "end_minute");
  EXPECT_EQ(errors[2].field, "slot_minutes");
  EXPECT_EQ(errors[3].field, "capacity");
}

std::string Rule(const Result<void>& r) { return r ? "" : r.error().fields.at(0).rule; }

// Issue 14 item 8: the calendar showed slots free while the queue listed their patients — exams
// booked off the slot grid (generated data, a template changed later) were counted nowhere.
TEST(Scheduling, BookedPerSlotCountsEveryAppointmentInsideTheSlot) {
  const std::vector<Slot> slots = {{T("2026-12-03T05:30:00Z"), T("2026-12-03T05:45:00Z"), 2},
                                   {T("2026-12-03T05:45:00Z"), T("2026-12-03T06:00:00Z"), 2},
                                   {T("2026-12-03T07:00:00Z"), T("2026-12-03T07:15:00Z"), 2}};
  const std::vector<std::pair<Micros, int>> appointments = {
      {T("2026-12-03T05:30:00Z"), 1},  // on the grid
      {T("2026-12-03T05:31:00Z"), 2},  // 13:31 local: inside the 13:30 slot
      {T("2026-12-03T05:45:00Z"), 1},  // a slot's end belongs to the next one
      {T("2026-12-03T06:30:00Z"), 4},  // in no slot
  };
  EXPECT_EQ(BookedPerSlot(slots, appointments), (std::vector<int>{3, 1, 0}));
  EXPECT_EQ(BookedPerSlot({}, appointments), std::vector<int>{});
  // Overlapping slots of two templates: the first in order holds it, never both.
  const std::vector<Slot> overlapping = {{T("2026-12-03T05:30:00Z"), T("2026-12-03T06:00:00Z"), 2},
                                         {T("2026-12-03T05:45:00Z"), T("2026-12-03T06:00:00Z"), 2}};
  EXPECT_EQ(BookedPerSlot(overlapping, {{T("2026-12-03T05:50:00Z"), 1}}), (std::vector<int>{1, 0}));
}

TEST(Scheduling, CheckBookable) {
  const Slot slot{.start = T("2026-06-15T09:00:00+08:00"),
                  .end = T("2026-06-15T09:30:00+08:00"),
                  .capacity = 2};
  const Micros before = T("2026-06-15T08:00:00+08:00");
  EXPECT_TRUE(CheckBookable(slot, 0, before));
  EXPECT_TRUE(CheckBookable(slot, 1, before));
  // Capacity.
  auto r = CheckBookable(slot, 2, before);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().fields[0].field, "slot");
  EXPECT_EQ(Rule(r), "full");
  EXPECT_EQ(Rule(CheckBookable(slot, 3, before)), "full");
  // A zero-capacity slot takes nobody.
  Slot zero = slot;
  zero.capacity = 0;
  EXPECT_EQ(Rule(CheckBookable(zero, 0, before)), "full");
  // Past: a slot starting exactly now is still bookable; one a microsecond ago is not.
  EXPECT_TRUE(CheckBookable(slot, 0, slot.start));
  r = CheckBookable(slot, 0, slot.start + 1);
  EXPECT_EQ(Rule(r), "past");
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  // Closed.
  Slot closed = slot;
  closed.closed = true;
  closed.closed_reason = "端午节";
  r = CheckBookable(closed, 0, before);
  EXPECT_EQ(Rule(r), "closed");
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("端午节"), std::string::npos);
  // Order of checks: past before closed before full.
  EXPECT_EQ(Rule(CheckBookable(closed, 5, slot.start + 1)), "past");
  EXPECT_EQ(Rule(CheckBookable(closed, 5, before)), "closed");
}

TEST(Scheduling, PriorityKeys) {
  const Priority all[] = {Priority::kRoutine, Priority::kUrgent, Priority::kEmergency,
                          Priority::kGreenChannel};
  const char* keys[] = {"routine", "urgent", "emergency", "green_channel"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(PriorityKey(all[i]), keys[i]);
    EXPECT_EQ(ParsePriority(keys[i]), all[i]);
  }
  EXPECT_EQ(ParsePriority("stat"), std::nullopt);
  EXPECT_EQ(ParsePriority("Routine"), std::nullopt);
  EXPECT_TRUE(BypassesBooking(Priority::kEmergency));
  EXPECT_TRUE(BypassesBooking(Priority::kGreenChannel));
  EXPECT_FALSE(BypassesBooking(Priority::kUrgent));
  EXPECT_FALSE(BypassesBooking(Priority::kRoutine));
}

TEST(Scheduling, QueueOrder) {
  const Micros t9 = T("2026-06-15T09:00:00+08:00");
  const Micros min = kMicrosPerMinute;
  std::vector<QueueEntry> q = {
      {.exam_id = 1,
       .priority = Priority::kRoutine,
       .arrived_at = t9 - 30 * min,
       .appointment = t9 + 10 * min},
      {.exam_id = 2, .priority = Priority::kRoutine, .arrived_at = t9 - 5 * min, .appointment = t9},
      {.exam_id = 3, .priority = Priority::kRoutine, .arrived_at = t9 + 5 * min},  // walk-in
      {.exam_id = 4, .priority = Priority::kEmergency, .arrived_at = t9 + 20 * min},
      {.exam_id = 5,
       .priority = Priority::kUrgent,
       .arrived_at = t9 - 60 * min,
       .appointment = t9 + 30 * min},
      {.exam_id = 6, .priority = Priority::kGreenChannel, .arrived_at = t9 + 25 * min},
      {.exam_id = 7, .priority = Priority::kEmergency, .arrived_at = t9 + 15 * min},
      {.exam_id = 8,
       .priority = Priority::kRoutine,
       .arrived_at = t9 - 10 * min,
       .appointment = t9},  // same appointment as 2, arrived earlier
      {.exam_id = 9, .priority = Priority::kGreenChannel, .arrived_at = t9 + 25 * min},  // tie
  };
  const auto ordered = OrderQueue(q);
  std::vector<std::int64_t> ids;
  for (const auto& e : ordered) ids.push_back(e.exam_id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{6, 9, 7, 4, 5, 8, 2, 3, 1}));
  // The order does not depend on the input order.
  std::reverse(q.begin(), q.end());
  ids.clear();
  for (const auto& e : OrderQueue(q)) ids.push_back(e.exam_id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{6, 9, 7, 4, 5, 8, 2, 3, 1}));
  EXPECT_TRUE(OrderQueue({}).empty());
}

// spec: domain.md §2 "Schedule" — only emergency and green-channel orders bypass booking;
// routine (and urgent) walk-ins only at the modalities the site allows.
TEST(Scheduling, WalkInsOnlyWhereTheSiteAllowsThem) {
  const std::vector<std::string> allowed = {"DR", "CR", "DX"};
  EXPECT_TRUE(CheckWalkIn(Priority::kRoutine, "DR", allowed));
  EXPECT_TRUE(CheckWalkIn(Priority::kEmergency, "CT", allowed));
  EXPECT_TRUE(CheckWalkIn(Priority::kGreenChannel, "MR", {}));
  for (auto p : {Priority::kRoutine, Priority::kUrgent}) {
    auto refused = CheckWalkIn(p, "CT", allowed);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(refused.error().fields.at(0).field, "appointment");
    EXPECT_EQ(refused.error().fields.at(0).rule, "walk_in");
    EXPECT_NE(refused.error().message.find("CT"), std::string::npos);
  }
  EXPECT_FALSE(CheckWalkIn(Priority::kRoutine, "MR", allowed));
  EXPECT_FALSE(CheckWalkIn(Priority::kRoutine, "DR", {}));
}

// Issue 14 item 5: a routine or urgent start while an emergency or green-channel exam of the
// room has waited longer needs a reason; the one passed over is the longest waiting.
TEST(Scheduling, StartingAheadOfALongerWaitingEmergencyNeedsAReason) {
  const Micros t0 = 1'000'000'000'000;
  const Micros min = 60'000'000;
  const QueueEntry routine{.exam_id = 1, .priority = Priority::kRoutine, .arrived_at = t0};
  const QueueEntry green_early{
      .exam_id = 2, .priority = Priority::kGreenChannel, .arrived_at = t0 - 10 * min};
  const QueueEntry emergency_earlier{
      .exam_id = 3, .priority = Priority::kEmergency, .arrived_at = t0 - 20 * min};
  const QueueEntry emergency_later{
      .exam_id = 4, .priority = Priority::kEmergency, .arrived_at = t0 + min};
  const QueueEntry routine_earlier{
      .exam_id = 5, .priority = Priority::kRoutine, .arrived_at = t0 - 30 * min};
  const QueueEntry emergency_same{.exam_id = 6, .priority = Priority::kEmergency, .arrived_at = t0};

  EXPECT_FALSE(PassedOver(routine, {}));
  EXPECT_FALSE(PassedOver(routine, {routine, routine_earlier, emergency_later, emergency_same}))
      << "only an emergency that arrived strictly earlier counts";
  auto passed = PassedOver(routine, {routine, green_early, emergency_earlier, emergency_later});
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->exam_id, 3);
  QueueEntry urgent = routine;
  urgent.priority = Priority::kUrgent;
  EXPECT_EQ(PassedOver(urgent, {green_early})->exam_id, 2);
  // An emergency or green-channel start never needs a reason, whoever waits.
  EXPECT_FALSE(PassedOver(emergency_later, {green_early, emergency_earlier}));
  EXPECT_FALSE(PassedOver(green_early, {emergency_earlier}));

  const Error e = QueueJumpError(*passed, "CT2026000003");
  EXPECT_EQ(e.code, ErrorCode::kConflict);
  EXPECT_EQ(e.fields.at(0).field, "reason");
  EXPECT_EQ(e.fields.at(0).rule, "queue_jump");
  EXPECT_NE(e.message.find("CT2026000003"), std::string::npos);
  EXPECT_NE(e.message.find("emergency"), std::string::npos);
}

TEST(Scheduling, CollidingBookingsAreThoseCloserThanTheGap) {
  const Micros m = kMicrosPerMinute;
  // The patient's other bookings: 09:00–09:15 in room 1, 11:00–11:30 in room 2, and the exam
  // being rebooked itself at 09:20.
  const std::vector<PatientBooking> others = {{2, "A2", 2, 660 * m, 690 * m},
                                              {1, "A1", 1, 540 * m, 555 * m},
                                              {7, "A7", 1, 560 * m, 575 * m}};
  const auto ids = [](const std::vector<PatientBooking>& v) {
    std::vector<std::int64_t> out;
    for (const auto& b : v) out.push_back(b.exam_id);
    return out;
  };
  // 09:15–09:30, 15 minutes after the first began: collides with it, not with itself.
  EXPECT_EQ(ids(CollidingBookings(others, 7, 555 * m, 570 * m, 30 * m)),
            (std::vector<std::int64_t>{1}));
  // 09:45 is exactly the gap after 09:15: no collision; a minute earlier is one.
  EXPECT_TRUE(CollidingBookings(others, 7, 585 * m, 600 * m, 30 * m).empty());
  EXPECT_EQ(ids(CollidingBookings(others, 7, 584 * m, 600 * m, 30 * m)),
            (std::vector<std::int64_t>{1}));
  // A long exam spanning both collides with both, in start order.
  EXPECT_EQ(ids(CollidingBookings(others, 9, 540 * m, 700 * m, 0)),
            (std::vector<std::int64_t>{1, 7, 2}));
  // With no gap, back-to-back bookings do not collide.
  EXPECT_TRUE(CollidingBookings(others, 7, 555 * m, 560 * m, 0).empty());
}

}  // namespace
}  // namespace radqs::exam
