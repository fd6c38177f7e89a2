// The exam state machine: pure functions, no I/O.
#include "exam/exam_state.h"

#include <array>
#include <string>
#include <utility>

namespace radqs::exam {
namespace {

using S = ExamState;

constexpr std::array<std::pair<ExamState, std::string_view>, 10> kKeys = {{
    {S::kOrdered, "ordered"},
    {S::kScheduled, "scheduled"},
    {S::kArrived, "arrived"},
    {S::kInProgress, "in_progress"},
    {S::kAcquired, "acquired"},
    {S::kPreliminary, "preliminary"},
    {S::kFinal, "final"},
    {S::kAmended, "amended"},
    {S::kCancelled, "cancelled"},
    {S::kNoShow, "no_show"},
}};

// spec: domain.md §2 "Exam". The only edges of the machine; everything else is refused.
constexpr std::array<std::pair<ExamState, ExamState>, 15> kAllowed = {{
    {S::kOrdered, S::kScheduled},
    {S::kOrdered, S::kArrived},      // emergency / green channel bypass booking (§2 Schedule)
    {S::kScheduled, S::kScheduled},  // rebooking to another slot
    {S::kScheduled, S::kArrived},
    {S::kArrived, S::kInProgress},
    {S::kInProgress, S::kAcquired},
    {S::kAcquired, S::kPreliminary},
    {S::kAcquired, S::kFinal},  // a report may be issued without a preliminary step
    {S::kPreliminary, S::kFinal},
    {S::kFinal, S::kAmended},
    {S::kAmended, S::kAmended},  // each further amendment is a new version (§9 history)
    {S::kOrdered, S::kCancelled},
    {S::kScheduled, S::kCancelled},
    {S::kArrived, S::kCancelled},
    {S::kScheduled, S::kNoShow},
}};

bool IsAllowed(ExamState from, ExamState to) {
  for (const auto& [f, t] : kAllowed) {
    if (f == from && t == to) return true;
  }
  return false;
}

// Returns the duration b - a when both exist and it is not negative.
std::optional<Micros> Span(std::optional<Micros> a, std::optional<Micros> b) {
  if (!a || !b || *b < *a) return std::nullopt;
  return *b - *a;
}

}  // namespace

std::string_view StateKey(ExamState state) {
  for (const auto& [s, key] : kKeys) {
    if (s == state) return key;
  }
  return "unknown";
}

std::optional<ExamState> ParseState(std::string_view key) {
  for (const auto& [s, k] : kKeys) {
    if (k == key) return s;
  }
  return std::nullopt;
}

Result<ExamState> Transition(ExamState from, ExamState to) {
  if (IsAllowed(from, to)) return to;
  const std::string current(StateKey(from));
  return Error{ErrorCode::kConflict,
               "cannot go from " + current + " to " + std::string(StateKey(to)),
               {{"state", "transition", "current state is " + current}}};
}

std::vector<ExamState> AllowedNext(ExamState from) {
  std::vector<ExamState> out;
  for (const auto& entry : kKeys) {
    if (IsAllowed(from, entry.first)) out.push_back(entry.first);
  }
  return out;
}

bool IsTerminal(ExamState state) { return AllowedNext(state).empty(); }

Turnaround ComputeTurnaround(const Stamps& stamps) {
  return Turnaround{
      .order_to_appointment = Span(stamps.ordered, stamps.scheduled_for),
      .arrival_to_start = Span(stamps.arrived, stamps.started),
      .start_to_acquired = Span(stamps.started, stamps.acquired),
      .acquired_to_final = Span(stamps.acquired, stamps.final_),
      .order_to_final = Span(stamps.ordered, stamps.final_),
  };
}

GreenChannelTiming GreenChannelTime(const Stamps& stamps, std::optional<Micros> ed_arrival,
                                    int limit_minutes) {
  GreenChannelTiming t;
  t.start = ed_arrival ? ed_arrival : stamps.ordered;
  t.start_source = ed_arrival ? "ed_arrival" : "ordered";
  t.elapsed = Span(t.start, stamps.acquired);
  if (t.elapsed) t.on_time = *t.elapsed <= static_cast<Micros>(limit_minutes) * kMicrosPerMinute;
  return t;
}

}  // namespace radqs::exam
