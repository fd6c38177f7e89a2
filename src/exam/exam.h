// Orders (检查申请单) and exams (检查) — spec: domain.md §2 "Order", "Exam".
//
// An order from a clinician creates its exam at once, in state `ordered`, with an accession
// number (检查号). Every later state change goes through exam_state.h's Transition, stores who
// and when in exam_events and the stamp column of the new state; turnaround times are computed
// from those stamps, never typed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "exam/exam_state.h"
#include "platform/http/route.h"

namespace radqs::exam {

struct Order {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::int64_t patient_id = 0;
  std::int64_t item_id = 0;
  std::int64_t item_version = 0;
  std::int64_t ordering_department_id = 0;  // an org department of the order's site
  std::string ordering_department;          // its name when the order was written
  std::string ordering_physician;
  std::string clinical_history;
  std::string clinical_question;
  std::string patient_class;  // outpatient 门诊 | inpatient 住院 | emergency 急诊 | checkup 体检
  std::string priority;       // routine | urgent | emergency | green_channel
  std::string pathway;        // with green_channel only, e.g. stroke_cta
};

// Field-by-field check of an order; `pathways` are the active green-channel pathway keys.
std::vector<FieldError> ValidateOrder(const Order& o, const std::vector<std::string>& pathways);

// Why an order may not name this department (field ordering_department_id): rule "reference"
// when there is none or it is inactive, rule "site" when it belongs to another site than the
// order's (spec: domain.md §1 — departments are a site's).
std::optional<FieldError> DepartmentRefused(bool exists, bool active, std::int64_t department_site,
                                            std::int64_t order_site);

// "RQ" + local date + a per-day sequence, e.g. RQ20261123000042.
std::string AccessionNumber(Date local_day, std::int64_t sequence);

// The machine note a booking leaves on its timeline event ("room 3 at 2026-12-02T01:45:00Z"),
// read back so the timeline can show the room's name and the site's local time.
struct BookingNote {
  std::int64_t room_id = 0;
  Micros appointment_at = 0;
};
std::string FormatBookingNote(const BookingNote& note);
std::optional<BookingNote> ParseBookingNote(std::string_view detail);

// The stamp an exam gets on entering a state (the column name), empty when none.
std::string_view StampColumn(ExamState state);

// An exam as other modules link records to it (a safety event names its exam and patient).
struct ExamRef {
  std::int64_t id = 0, patient_id = 0, site_id = 0;
  std::string accession_no;
};
std::optional<ExamRef> FindExam(db::Transaction& tx, std::int64_t exam_id);

std::vector<http::Route> OrderRoutes();
std::vector<http::Route> ScreeningRoutes();
std::vector<http::Route> ScheduleRoutes();
std::vector<http::Route> TodayRoutes();
// The XLSX exports of the module's lists (exam_exports.cpp), for http::AttachExports.
std::vector<http::ListExport> ListExports();

// A 409 naming every screening gate still open for the exam, or nothing when it may start —
// spec: domain.md §2 "An exam cannot start while a gate is open; the refusal names the gate".
std::optional<http::Response> StartBlockedBy(http::Context& ctx, std::int64_t exam_id);

}  // namespace radqs::exam
