// The exam (检查) state machine and the turnaround times (TAT) computed from its stamps —
// spec: domain.md §2 "Exam".
//
// Contract:
// - Pure functions, no I/O, no clock. Stamps are UTC microseconds (core/time.h `Micros`).
// - An illegal transition is a value: Error{kConflict} whose message and field error name the
//   current state, so that the caller can refuse the command and change nothing.
// - Thread-safe: no shared state.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "core/time.h"

namespace radqs::exam {

// ordered → scheduled → arrived (签到) → in_progress → acquired → preliminary → final, with
// cancelled and no_show as exits and amended after final. in_progress is the exam start,
// acquired the exam end (检查完成), final the official issue of the report.
enum class ExamState {
  kOrdered,
  kScheduled,
  kArrived,
  kInProgress,
  kAcquired,
  kPreliminary,
  kFinal,
  kAmended,
  kCancelled,
  kNoShow,
};

// The stable key of a state: "ordered", "scheduled", "arrived", "in_progress", "acquired",
// "preliminary", "final", "amended", "cancelled", "no_show".
std::string_view StateKey(ExamState state);

// The state of a key of StateKey (exact, case-sensitive); nullopt for anything else.
std::optional<ExamState> ParseState(std::string_view key);

// Checks one transition; answers `to` when allowed. Allowed (spec: domain.md §2 "Exam"):
//   ordered → scheduled | arrived (emergency walk-in / green channel, which bypass booking)
//   scheduled → scheduled (rebook) | arrived
//   arrived → in_progress;  in_progress → acquired;  acquired → preliminary | final
//   preliminary → final;  final → amended;  amended → amended (a further amendment)
//   ordered | scheduled | arrived → cancelled;  scheduled → no_show
// Anything else (including staying in any other state) is
//   Error{kConflict, "cannot go from <from> to <to>", {{"state", "transition",
//         "current state is <from>"}}}.
Result<ExamState> Transition(ExamState from, ExamState to);

// The states reachable from `from` in one allowed transition, in enum order (for UIs offering
// only the legal next steps).
std::vector<ExamState> AllowedNext(ExamState from);

// True for states no transition leaves: cancelled and no_show. (final and amended still accept
// amendments.)
bool IsTerminal(ExamState state);

// The stamps of one exam, as stored with its transitions (UTC microseconds).
struct Stamps {
  std::optional<Micros> ordered;        // order placed
  std::optional<Micros> scheduled_for;  // appointment start (the booked slot's start)
  std::optional<Micros> booked;         // when the booking was made
  std::optional<Micros> arrived;        // check-in (签到)
  std::optional<Micros> started;        // in_progress: exam start
  std::optional<Micros> acquired;       // exam end (检查完成)
  std::optional<Micros> preliminary;    // preliminary report
  std::optional<Micros> final_;         // final report issued
};

// Turnaround times in microseconds. Each is present only when both of its stamps exist and the
// later one is not before the earlier one: a negative span means a bad clock or a data error,
// and a TAT is never guessed (spec: domain.md §2 "computed from these stamps, never typed in").
struct Turnaround {
  std::optional<Micros> order_to_appointment;  // ordered → scheduled_for (wait.appointment)
  std::optional<Micros> arrival_to_start;      // arrived → started
  std::optional<Micros> start_to_acquired;     // started → acquired (exam duration)
  std::optional<Micros> acquired_to_final;     // acquired → final_ (report TAT)
  std::optional<Micros> order_to_final;        // ordered → final_ (whole pathway)
};

Turnaround ComputeTurnaround(const Stamps& stamps);

// A green-channel exam against its pathway limit — spec: indicators.md tat.green_channel:
// acquired − start stamp ≤ the limit (setting tat.green_channel.<pathway>_minutes), the start
// stamp being the ED arrival time when the HIS sent one, otherwise the order time. `on_time` is
// unset until the exam is acquired (or when a stamp is missing or out of order).
struct GreenChannelTiming {
  std::optional<Micros> start;
  std::string_view start_source;  // "ed_arrival" | "ordered"
  std::optional<Micros> elapsed;  // acquired − start
  std::optional<bool> on_time;
};
GreenChannelTiming GreenChannelTime(const Stamps& stamps, std::optional<Micros> ed_arrival,
                                    int limit_minutes);

}  // namespace radqs::exam
