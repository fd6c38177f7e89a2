#include "safety/safety_event.h"

#include <algorithm>

namespace radqs::safety {
namespace {

constexpr Micros kHour = 3600 * kMicrosPerSecond;

bool Major(const SafetyEvent& e) { return e.severity_class == "I" || e.severity_class == "II"; }

int StateIndex(std::string_view state) {
  const auto it = std::find(std::begin(kStates), std::end(kStates), state);
  return it == std::end(kStates) ? -1 : static_cast<int>(it - std::begin(kStates));
}

Json Stamp(const std::optional<Micros>& at) {
  return at ? Json(FormatInstant(*at)) : Json(nullptr);
}

}  // namespace

std::vector<Deadline> DeadlinesOf(const SafetyEvent& e, Micros now) {
  const DeadlineHours& hours = e.hours;
  std::vector<Deadline> out;
  auto add = [&](std::string key, int h, const std::optional<Micros>& done) {
    Deadline d{std::move(key), e.reported_at + h * kHour, done, false};
    d.overdue = done ? *done > d.due_at : now > d.due_at;
    out.push_back(std::move(d));
  };
  // spec: regulations.md §6 — hospital practice, elapsed hours from the report.
  add("acknowledgment", hours.acknowledgment, e.acknowledged_at);
  add("written_report", Major(e) ? hours.written_report_major : hours.written_report_minor,
      e.written_report_at);
  if (e.type == "complaint") add("feedback", hours.complaint_feedback, e.feedback_at);
  return out;
}

// spec: domain.md §7 "Workflow" — reported → acknowledged → investigating → actions → closed.
std::optional<FieldError> TransitionRefused(const SafetyEvent& e, std::string_view to) {
  const int from = StateIndex(e.state), target = StateIndex(to);
  if (target < 0) return FieldError{"to", "enum", "is not a state of a safety event"};
  if (target != from + 1) {
    return FieldError{
        "state", "transition",
        "the event is " + e.state + "; the next step is " +
            (from + 1 < static_cast<int>(std::size(kStates)) ? std::string(kStates[from + 1])
                                                             : std::string("none (closed)"))};
  }
  if (to == "closed" && !e.written_report_at) {
    return FieldError{"written_report", "required", "the written report is missing",
                      "written_report_missing"};
  }
  if (to == "closed" && e.type == "complaint" && !e.feedback_at) {
    return FieldError{"feedback", "required", "the feedback to the complainant is missing",
                      "feedback_missing"};
  }
  return std::nullopt;
}

// spec: domain.md §7 "Report" — type, national class I–IV, time of occurrence, description.
std::vector<FieldError> ValidateReport(const SafetyEvent& e, Micros now) {
  std::vector<FieldError> out;
  if (std::find(std::begin(kEventTypes), std::end(kEventTypes), e.type) == std::end(kEventTypes)) {
    out.push_back({"type", "enum", "is not a safety event type"});
  }
  if (std::find(std::begin(kSeverityClasses), std::end(kSeverityClasses), e.severity_class) ==
      std::end(kSeverityClasses)) {
    out.push_back({"severity_class", "enum", "must be I, II, III or IV"});
  }
  if (e.description.empty()) out.push_back({"description", "required", "is required"});
  // A clock a few minutes fast on the reporting workstation is not an error.
  if (e.occurred_at > now + 5 * 60 * kMicrosPerSecond) {
    out.push_back({"occurred_at", "future", "must not be in the future"});
  }
  return out;
}

Json SafetyEventJson(const SafetyEvent& e, const std::vector<Deadline>& deadlines) {
  Json j = {{"id", e.id},
            {"event_no", e.event_no},
            {"site_id", e.site_id},
            {"type", e.type},
            {"severity_class", e.severity_class},
            {"state", e.state},
            {"occurred_at", FormatInstant(e.occurred_at)},
            {"reported_at", FormatInstant(e.reported_at)},
            {"place", e.place},
            {"people_involved", e.people_involved},
            {"description", e.description},
            {"immediate_action", e.immediate_action},
            {"anonymous", e.anonymous},
            {"source", e.source},
            {"acknowledged_at", Stamp(e.acknowledged_at)},
            {"written_report_at", Stamp(e.written_report_at)},
            {"feedback_at", Stamp(e.feedback_at)},
            {"closed_at", Stamp(e.closed_at)},
            {"version", e.version}};
  j["reporter"] = e.reporter ? Json{{"user_id", e.reporter->user_id}, {"name", e.reporter->name}}
                             : Json(nullptr);
  j["patient"] =
      e.patient_id
          ? Json{{"id", *e.patient_id}, {"patient_no", e.patient_no}, {"name", e.patient_name}}
          : Json(nullptr);
  j["exam"] =
      e.exam_id ? Json{{"id", *e.exam_id}, {"accession_no", e.accession_no}} : Json(nullptr);
  Json list = Json::array(), overdue = Json::array();
  for (const auto& d : deadlines) {
    list.push_back({{"key", d.key},
                    {"due_at", FormatInstant(d.due_at)},
                    {"done_at", Stamp(d.done_at)},
                    {"overdue", d.overdue}});
    if (d.overdue && !d.done_at) overdue.push_back(d.key);
  }
  j["deadlines"] = std::move(list);
  j["overdue"] = std::move(overdue);
  return j;
}

}  // namespace radqs::safety
