// Time-slot booking rules and the room queue: pure functions, no I/O.
#include "exam/scheduling.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace radqs::exam {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

constexpr std::array<std::pair<Priority, std::string_view>, 4> kPriorityKeys = {{
    {Priority::kRoutine, "routine"},
    {Priority::kUrgent, "urgent"},
    {Priority::kEmergency, "emergency"},
    {Priority::kGreenChannel, "green_channel"},
}};

// Lower ranks are served first. spec: domain.md §2 "Schedule".
int Rank(Priority p) {
  switch (p) {
    case Priority::kGreenChannel:
      return 0;
    case Priority::kEmergency:
      return 1;
    case Priority::kUrgent:
      return 2;
    case Priority::kRoutine:
      return 3;
  }
  return 3;
}

}  // namespace

std::vector<FieldError> ValidateSlotTemplate(const SlotTemplate& t) {
  std::vector<FieldError> errors;
  if (t.weekday < 1 || t.weekday > 7) {
    errors.push_back({"weekday", "range", "must be 1 (Monday) to 7 (Sunday)"});
  }
  if (t.start_minute < 0 || t.start_minute >= kMinutesPerDay) {
    errors.push_back({"start_minute", "range", "must be 0 to 1439"});
  }
  if (t.end_minute <= t.start_minute || t.end_minute > kMinutesPerDay) {
    errors.push_back({"end_minute", "range", "must be after start_minute and at most 1440"});
  }
  if (t.slot_minutes < 1) errors.push_back({"slot_minutes", "min", "must be >= 1"});
  if (t.capacity < 0) errors.push_back({"capacity", "min", "must be >= 0"});
  return errors;
}

int IsoWeekday(Date d) {
  // 1970-01-01 was a Thursday (ISO 4).
  const int mod = ((d.days + 3) % 7 + 7) % 7;  // 0 = Monday
  return mod + 1;
}

std::vector<Slot> BuildSlots(const std::vector<SlotTemplate>& templates,
                             const std::vector<Closure>& closures, Date from, Date to_inclusive,
                             int utc_offset_minutes) {
  std::vector<Slot> slots;
  for (Date d = from; d <= to_inclusive; d.days += 1) {
    const int weekday = IsoWeekday(d);
    const Micros midnight = StartOfLocalDate(d, utc_offset_minutes);
    for (const SlotTemplate& t : templates) {
      if (t.weekday != weekday || !ValidateSlotTemplate(t).empty()) continue;
      for (int m = t.start_minute; m + t.slot_minutes <= t.end_minute; m += t.slot_minutes) {
        Slot s{.start = midnight + m * kMicrosPerMinute,
               .end = midnight + (m + t.slot_minutes) * kMicrosPerMinute,
               .capacity = t.capacity};
        // spec: domain.md §2 "holidays and device downtime closing slots".
        for (const Closure& c : closures) {
          if (s.start < c.to && c.from < s.end) {
            s.closed = true;
            s.closed_reason = c.reason;
            break;
          }
        }
        slots.push_back(std::move(s));
      }
    }
  }
  std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return std::tie(a.start, a.end) < std::tie(b.start, b.end);
  });
  return slots;
}

std::vector<int> BookedPerSlot(const std::vector<Slot>& slots,
                               const std::vector<std::pair<Micros, int>>& appointments) {
  std::vector<int> booked(slots.size(), 0);
  for (const auto& [at, n] : appointments) {
    // A room's week has at most a few hundred slots: a scan keeps "first in order" exact.
    for (std::size_t i = 0; i < slots.size(); ++i) {
      if (slots[i].start <= at && at < slots[i].end) {
        booked[i] += n;
        break;
      }
    }
  }
  return booked;
}

std::vector<PatientBooking> CollidingBookings(const std::vector<PatientBooking>& others,
                                              std::int64_t exam_id, Micros start, Micros end,
                                              Micros gap) {
  std::vector<PatientBooking> out;
  for (const auto& b : others) {
    if (b.exam_id != exam_id && b.start < end + gap && start < b.end + gap) out.push_back(b);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.start, a.exam_id) < std::tie(b.start, b.exam_id);
  });
  return out;
}

Result<void> CheckBookable(const Slot& slot, int booked, Micros now) {
  if (slot.start < now) {
    return Error::Field(ErrorCode::kValidationFailed, "slot", "past",
                        "the slot starts in the past");
  }
  if (slot.closed) {
    std::string message = "the slot is closed";
    if (!slot.closed_reason.empty()) message += ": " + slot.closed_reason;
    return Error::Field(ErrorCode::kConflict, "slot", "closed", std::move(message));
  }
  if (booked >= slot.capacity) {
    return Error::Field(ErrorCode::kConflict, "slot", "full",
                        "the slot is full (" + std::to_string(booked) + " of " +
                            std::to_string(slot.capacity) + " booked)");
  }
  return {};
}

std::string_view PriorityKey(Priority p) {
  for (const auto& [v, key] : kPriorityKeys) {
    if (v == p) return key;
  }
  return "routine";
}

std::optional<Priority> ParsePriority(std::string_view key) {
  for (const auto& [v, k] : kPriorityKeys) {
    if (k == key) return v;
  }
  return std::nullopt;
}

bool BypassesBooking(Priority p) {
  return p == Priority::kEmergency || p == Priority::kGreenChannel;
}

Result<void> CheckWalkIn(Priority p, std::string_view modality,
                         const std::vector<std::string>& walk_in_modalities) {
  if (BypassesBooking(p)) return {};
  if (std::find(walk_in_modalities.begin(), walk_in_modalities.end(), modality) !=
      walk_in_modalities.end()) {
    return {};
  }
  const std::string m(modality);
  return Error::Field(ErrorCode::kConflict, "appointment", "walk_in",
                      std::string(PriorityKey(p)) + " " + m + " orders must be booked before " +
                          "check-in: this site takes no walk-ins at " + m +
                          " (setting schedule.walk_in_modalities)");
}

std::vector<QueueEntry> OrderQueue(std::vector<QueueEntry> entries) {
  auto key = [](const QueueEntry& e) {
    return std::make_tuple(Rank(e.priority), e.appointment.value_or(e.arrived_at), e.arrived_at,
                           e.exam_id);
  };
  std::sort(entries.begin(), entries.end(),
            [&](const QueueEntry& a, const QueueEntry& b) { return key(a) < key(b); });
  return entries;
}

std::optional<QueueEntry> PassedOver(const QueueEntry& starting,
                                     const std::vector<QueueEntry>& waiting) {
  if (BypassesBooking(starting.priority)) return std::nullopt;
  std::optional<QueueEntry> first;
  for (const auto& w : waiting) {
    if (w.exam_id == starting.exam_id || !BypassesBooking(w.priority)) continue;
    if (w.arrived_at >= starting.arrived_at) continue;
    if (!first || std::tie(w.arrived_at, w.exam_id) < std::tie(first->arrived_at, first->exam_id)) {
      first = w;
    }
  }
  return first;
}

Error QueueJumpError(const QueueEntry& passed_over, std::string_view accession_no) {
  return Error::Field(
      ErrorCode::kConflict,
      {"reason",
       "queue_jump",
       std::string(PriorityKey(passed_over.priority)) + " exam " + std::string(accession_no) +
           " has waited longer: give the reason for starting this one first",
       "queue_jump",
       {{"accession_no", std::string(accession_no)}}});
}

}  // namespace radqs::exam
