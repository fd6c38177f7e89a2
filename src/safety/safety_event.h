// Safety events (医疗安全不良事件) — spec: domain.md §7, regulations.md §6. Anyone can report,
// optionally anonymously; the event then moves reported → acknowledged → investigating →
// actions → closed under internal deadlines (acknowledgment, written report by class, complaint
// feedback) measured in elapsed hours from the report. A recorded contrast extravasation opens
// an event by itself (domain.md §2 "Acquisition record").
//
// Contract:
// - The rules (transitions, deadlines) are pure functions over the structs below; time comes in
//   as a parameter.
// - Every change of an event is a step (who, when, what) kept for good; nothing is overwritten
//   without one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "exam/acquisition.h"
#include "platform/db/database.h"
#include "platform/http/route.h"

namespace radqs::safety {

inline constexpr std::string_view kEventTypes[] = {"radiation_incident",
                                                   "contrast_reaction",
                                                   "contrast_extravasation",
                                                   "wrong_patient",
                                                   "wrong_site",
                                                   "wrong_exam",
                                                   "fall",
                                                   "equipment_failure",
                                                   "privacy_breach",
                                                   "infection_control",
                                                   "staff_injury",
                                                   "complaint",
                                                   "near_miss",
                                                   "other"};

// National severity classes: I 警讯事件 sentinel, II 不良后果 harm, III 未造成后果 no harm,
// IV 隐患 near miss.
inline constexpr std::string_view kSeverityClasses[] = {"I", "II", "III", "IV"};

inline constexpr std::string_view kStates[] = {"reported", "acknowledged", "investigating",
                                               "actions", "closed"};

struct Person {
  std::optional<std::int64_t> user_id;
  std::string name;
};

// The deadline hours of an event (settings safety.*), as in force when it was reported.
struct DeadlineHours {
  int acknowledgment = 24;
  int written_report_major = 48;   // classes I and II
  int written_report_minor = 120;  // classes III and IV
  int complaint_feedback = 72;
};

struct SafetyEvent {
  std::int64_t id = 0;
  std::string event_no;
  std::int64_t site_id = 0;
  std::string type;
  std::string severity_class;
  std::string state = "reported";
  Micros occurred_at = 0;
  Micros reported_at = 0;
  std::string place, people_involved, description, immediate_action;
  bool anonymous = false;
  std::optional<Person> reporter;  // none when reported anonymously
  std::optional<std::int64_t> patient_id, exam_id;
  std::string patient_no, patient_name, accession_no;  // shown with the links
  std::string source = "report";                       // report | acquisition
  std::optional<Micros> acknowledged_at, written_report_at, feedback_at, closed_at;
  // Stored with the event at its report (spec: regulations.md preamble): a later change of the
  // settings moves neither its due times nor its overdue flags. A reclassification picks the
  // stored hours of the new class.
  DeadlineHours hours;
  std::int64_t version = 1;
};

struct Step {
  std::string kind;  // reported | transition | classification | written_report | feedback
  std::string from_state, to_state, note;
  Micros at = 0;
  Person by;
};

struct Deadline {
  std::string key;  // acknowledgment | written_report | feedback
  Micros due_at = 0;
  std::optional<Micros> done_at;
  bool overdue = false;  // not done and past due at `now`, or done late
};

// The deadlines that apply to the event, from its stored hours, and how each stands at `now`.
std::vector<Deadline> DeadlinesOf(const SafetyEvent& e, Micros now);

// The deadline hours in force on a local day (settings safety.*), read in the transaction.
DeadlineHours DeadlineHoursOn(db::Transaction& tx, Date local_day);

// Why the event may not move to `to` (nothing when it may): one step forward at a time (field
// "state", rule "transition"); closing needs the written report and, for a complaint, the
// feedback (fields "written_report" / "feedback", rule "required").
std::optional<FieldError> TransitionRefused(const SafetyEvent& e, std::string_view to);

// Field errors of a new report (type, class, description, times), `now` bounding the times.
std::vector<FieldError> ValidateReport(const SafetyEvent& e, Micros now);

Json SafetyEventJson(const SafetyEvent& e, const std::vector<Deadline>& deadlines);

// Writes a new report (validated by the caller): numbered SE + local day + counter, with the
// deadline hours in force on that day, and its "reported" step naming the reporter (nobody when
// anonymous).
void RecordReport(db::Transaction& tx, SafetyEvent& e, Date local_day);

// Opens the contrast-extravasation event of the exam (one per exam; a later save of the record
// answers the existing one). Runs inside the acquisition's transaction; set as the exam
// module's extravasation listener by the composition root, used by the demo generator too.
exam::SafetyEventRef ReportExtravasation(db::Transaction& tx, const exam::ExtravasationRecorded& x);

std::vector<http::Route> SafetyEventRoutes();
// The XLSX export of the events list (safety_exports.cpp), for http::AttachExports.
std::vector<http::ListExport> ListExports();

}  // namespace radqs::safety
