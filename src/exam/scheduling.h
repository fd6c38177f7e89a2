// Time-slot booking (分时段预约) and the room queue — spec: domain.md §2 "Schedule".
//
// Contract:
// - Pure functions, no I/O, no clock: `now` and the date range are passed in.
// - Templates and calendars are in the site's local time (a fixed UTC offset in minutes, no DST —
//   architecture.md "Time"); slots and closures are UTC instants (`Micros`).
// - Intervals are half-open [start, end): a slot ending at 09:00 and a closure starting at 09:00
//   do not overlap.
// - Booking failures are values: Error naming field "slot" and a rule key.
// - Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "core/time.h"

namespace radqs::exam {

// One weekly rule of a room: on `weekday`, from start_minute to end_minute (minutes after local
// midnight, end exclusive, at most 1440), slots of slot_minutes each holding `capacity` exams.
struct SlotTemplate {
  int weekday = 1;  // ISO: 1 = Monday .. 7 = Sunday
  int start_minute = 0;
  int end_minute = 0;
  int slot_minutes = 0;
  int capacity = 0;
};

// A period in which the room takes no bookings: a holiday or device downtime.
struct Closure {
  Micros from = 0;  // UTC, inclusive
  Micros to = 0;    // UTC, exclusive
  std::string reason;
};

// One bookable (or closed) slot.
struct Slot {
  Micros start = 0;  // UTC
  Micros end = 0;    // UTC, exclusive
  int capacity = 0;
  bool closed = false;
  std::string closed_reason;  // the reason of the first overlapping closure, in input order
};

// The broken rules of a template (field names as in SlotTemplate, rules "range" / "min"); empty
// when valid: weekday 1..7, 0 <= start_minute < end_minute <= 1440, slot_minutes >= 1,
// capacity >= 0.
std::vector<FieldError> ValidateSlotTemplate(const SlotTemplate& t);

// ISO weekday (1 = Monday .. 7 = Sunday) of a local calendar date.
int IsoWeekday(Date d);

// The slots of every local date in [from, to_inclusive] from the templates of its weekday:
// consecutive slots of slot_minutes starting at start_minute; a trailing remainder shorter than
// slot_minutes makes no slot. Local times are converted to UTC with utc_offset_minutes. A slot
// overlapping any closure is returned closed, with that closure's reason. Invalid templates (see
// ValidateSlotTemplate) make no slots. Sorted by start, then end, then template order.
std::vector<Slot> BuildSlots(const std::vector<SlotTemplate>& templates,
                             const std::vector<Closure>& closures, Date from, Date to_inclusive,
                             int utc_offset_minutes);

// How many booked exams each of `slots` holds, given the room's appointment times with their
// counts. An exam occupies the slot whose [start, end) holds its appointment — whatever path
// booked it (a slot booking, generated or imported data, a template changed after booking) —
// and, where slots overlap, the first such slot in order; one in no slot occupies none.
std::vector<int> BookedPerSlot(const std::vector<Slot>& slots,
                               const std::vector<std::pair<Micros, int>>& appointments);

// Whether one more exam can be booked into `slot` that already holds `booked` exams, at `now`.
// Errors, field "slot", checked in this order:
// - rule "past": the slot starts before `now` (kValidationFailed) — a slot starting exactly at
//   `now` is still bookable;
// - rule "closed": holiday or downtime (kConflict), the message names the closure reason;
// - rule "full": booked >= capacity (kConflict).
Result<void> CheckBookable(const Slot& slot, int booked, Micros now);

// Another booking of the same patient: the exam's appointment and how long its item takes.
struct PatientBooking {
  std::int64_t exam_id = 0;
  std::string accession_no;
  std::int64_t room_id = 0;
  Micros start = 0;
  Micros end = 0;  // start + the item's duration
};

// The patient's other bookings a new one of [start, end) collides with: those whose time comes
// closer than `gap` to it (the walk between rooms and the preparation), in start order. The exam
// being booked (`exam_id`) is not its own collision. One patient booked 15 minutes apart in two
// rooms cannot be in both; the desk is warned and may confirm (spec: domain.md §2 "Schedule";
// issue 14 item 7).
std::vector<PatientBooking> CollidingBookings(const std::vector<PatientBooking>& others,
                                              std::int64_t exam_id, Micros start, Micros end,
                                              Micros gap);

// Order priority (spec: domain.md §2 "Order").
enum class Priority { kRoutine, kUrgent, kEmergency, kGreenChannel };

// Keys: "routine", "urgent", "emergency", "green_channel".
std::string_view PriorityKey(Priority p);
std::optional<Priority> ParsePriority(std::string_view key);

// Emergency and green-channel orders bypass booking and go straight to the room's queue
// (spec: domain.md §2 "Schedule").
bool BypassesBooking(Priority p);

// Whether an order may arrive (签到) with no booking: emergency and green-channel orders always;
// routine and urgent ones only at a modality the site lets walk in (setting
// schedule.walk_in_modalities) — spec: domain.md §2 "Schedule". Otherwise a conflict naming
// field "appointment", rule "walk_in", and the modality.
Result<void> CheckWalkIn(Priority p, std::string_view modality,
                         const std::vector<std::string>& walk_in_modalities);

struct QueueEntry {
  std::int64_t exam_id = 0;
  Priority priority = Priority::kRoutine;
  Micros arrived_at = 0;              // check-in (签到), UTC
  std::optional<Micros> appointment;  // booked slot start, UTC; none for walk-ins and emergencies
};

// The room's queue order: green channel first, then emergency, then urgent, then routine
// (spec: domain.md §2 "go to the front of the room's queue"). Within a class an entry is placed
// at its appointment time when it has one, else at its arrival time (a walk-in arriving at 09:05
// goes between the 09:00 and 09:10 appointments); ties by arrival, then exam_id, so the order is
// total and repeatable.
std::vector<QueueEntry> OrderQueue(std::vector<QueueEntry> entries);

// Starting `starting` out of turn — spec: domain.md §2 "Emergency and green-channel orders ...
// go to the front of the room's queue", issue 14 item 5. A routine or urgent exam started while
// an emergency or green-channel exam of the same room (in `waiting`, the room's checked-in exams)
// has waited longer — arrived strictly earlier — needs a reason. Answers the exam passed over that
// has waited longest (ties by exam_id), or nullopt when no reason is needed; `starting` itself in
// `waiting` is ignored.
std::optional<QueueEntry> PassedOver(const QueueEntry& starting,
                                     const std::vector<QueueEntry>& waiting);

// The refusal of such a start without a reason: kConflict naming field "reason", rule
// "queue_jump", the passed-over exam's priority and accession number in the message.
Error QueueJumpError(const QueueEntry& passed_over, std::string_view accession_no);

}  // namespace radqs::exam
