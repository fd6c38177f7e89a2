#include "safety/safety_event.h"

#include <gtest/gtest.h>

namespace radqs::safety {
namespace {

constexpr Micros kHour = 3600 * kMicrosPerSecond;
constexpr Micros kReported = 1'795'406'706'000'000;  // 2026-11-23T04:05:06Z

SafetyEvent Event(std::string type = "fall", std::string cls = "III") {
  SafetyEvent e;
  e.type = std::move(type);
  e.severity_class = std::move(cls);
  e.description = "患者在检查床旁跌倒";
  e.occurred_at = kReported - kHour;
  e.reported_at = kReported;
  return e;
}

const Deadline* Find(const std::vector<Deadline>& ds, std::string_view key) {
  for (const auto& d : ds) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

TEST(SafetyDeadlines, AcknowledgmentWithin24HoursOfTheReport) {
  auto e = Event();
  auto ds = DeadlinesOf(e, kReported + 23 * kHour);
  ASSERT_NE(Find(ds, "acknowledgment"), nullptr);
  EXPECT_EQ(Find(ds, "acknowledgment")->due_at, kReported + 24 * kHour);
  EXPECT_FALSE(Find(ds, "acknowledgment")->overdue);
  EXPECT_TRUE(Find(DeadlinesOf(e, kReported + 25 * kHour), "acknowledgment")->overdue);
  e.acknowledged_at = kReported + 2 * kHour;
  EXPECT_FALSE(Find(DeadlinesOf(e, kReported + 25 * kHour), "acknowledgment")->overdue);
  e.acknowledged_at = kReported + 30 * kHour;  // done, but late: it stays on the record
  EXPECT_TRUE(Find(DeadlinesOf(e, kReported + 31 * kHour), "acknowledgment")->overdue);
}

TEST(SafetyDeadlines, WrittenReportByClass) {
  EXPECT_EQ(Find(DeadlinesOf(Event("fall", "I"), kReported), "written_report")->due_at,
            kReported + 48 * kHour);
  EXPECT_EQ(Find(DeadlinesOf(Event("fall", "II"), kReported), "written_report")->due_at,
            kReported + 48 * kHour);
  EXPECT_EQ(Find(DeadlinesOf(Event("fall", "IV"), kReported), "written_report")->due_at,
            kReported + 120 * kHour);
}

// spec: regulations.md preamble — the hours stored with the event at its report apply, so a
// later change of the settings moves neither due times nor overdue flags; a reclassification
// uses the stored hours of the new class.
TEST(SafetyDeadlines, TheHoursStoredAtTheReportApply) {
  auto e = Event("fall", "III");
  e.hours = DeadlineHours{.written_report_minor = 72};
  EXPECT_EQ(Find(DeadlinesOf(e, kReported), "written_report")->due_at, kReported + 72 * kHour);
  EXPECT_TRUE(Find(DeadlinesOf(e, kReported + 73 * kHour), "written_report")->overdue);
  e.hours.acknowledgment = 48;
  EXPECT_FALSE(Find(DeadlinesOf(e, kReported + 30 * kHour), "acknowledgment")->overdue);
  e.severity_class = "II";
  EXPECT_EQ(Find(DeadlinesOf(e, kReported), "written_report")->due_at, kReported + 48 * kHour);
}

TEST(SafetyDeadlines, FeedbackOnlyForComplaints) {
  EXPECT_EQ(Find(DeadlinesOf(Event(), kReported), "feedback"), nullptr);
  const auto complaint = DeadlinesOf(Event("complaint"), kReported);
  const auto* d = Find(complaint, "feedback");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->due_at, kReported + 72 * kHour);
}

// "field:rule: message" of a refusal, "" when the step is allowed.
std::string Refusal(const SafetyEvent& e, std::string_view to) {
  const auto why = TransitionRefused(e, to);
  return why ? why->field + ":" + why->rule + ": " + why->message : "";
}

TEST(SafetyWorkflow, OneStepForwardAtATime) {
  auto e = Event();
  EXPECT_EQ(Refusal(e, "acknowledged"), "");
  EXPECT_EQ(Refusal(e, "investigating"),
            "state:transition: the event is reported; the next step is acknowledged");
  e.state = "acknowledged";
  EXPECT_EQ(Refusal(e, "reported"),
            "state:transition: the event is acknowledged; the next step is investigating");
  EXPECT_EQ(Refusal(e, "investigating"), "");
  e.state = "investigating";
  EXPECT_EQ(Refusal(e, "actions"), "");
  e.state = "closed";
  EXPECT_EQ(Refusal(e, "closed"),
            "state:transition: the event is closed; the next step is none (closed)");
  EXPECT_EQ(Refusal(e, "lost"), "to:enum: is not a state of a safety event");
}

TEST(SafetyWorkflow, ClosingNeedsTheWrittenReportAndComplaintFeedback) {
  auto e = Event("complaint");
  e.state = "actions";
  EXPECT_EQ(Refusal(e, "closed"), "written_report:required: the written report is missing");
  e.written_report_at = kReported + kHour;
  EXPECT_EQ(Refusal(e, "closed"), "feedback:required: the feedback to the complainant is missing");
  e.feedback_at = kReported + kHour;
  EXPECT_EQ(Refusal(e, "closed"), "");
}

TEST(SafetyReport, ChecksTypeClassDescriptionAndTime) {
  EXPECT_TRUE(ValidateReport(Event(), kReported).empty());
  auto e = Event("slip", "V");
  e.description.clear();
  e.occurred_at = kReported + kHour;
  std::vector<std::string> got;
  for (const auto& f : ValidateReport(e, kReported)) got.push_back(f.field + ":" + f.rule);
  EXPECT_EQ(got, (std::vector<std::string>{"type:enum", "severity_class:enum",
                                           "description:required", "occurred_at:future"}));
}

TEST(SafetyJson, AnonymousReportHasNoReporterAndListsOverdueKeys) {
  auto e = Event();
  e.anonymous = true;
  const Json j = SafetyEventJson(e, DeadlinesOf(e, kReported + 200 * kHour));
  EXPECT_TRUE(j["reporter"].is_null());
  EXPECT_EQ(j["overdue"], Json::array({"acknowledgment", "written_report"}));
  EXPECT_EQ(j["deadlines"][0]["due_at"], "2026-11-24T04:05:06Z");
}

}  // namespace
}  // namespace radqs::safety
