#include <fmt/format.h>

#include "platform/auth/site_scope.h"
#include "safety/safety_event_store.h"

namespace radqs::safety::store {
namespace {

constexpr const char* kSelect =
    "SELECT v.id, v.event_no, v.site_id, v.type, v.severity_class, v.state, v.occurred_at, "
    "v.reported_at, v.place, v.people_involved, v.description, v.immediate_action, v.anonymous, "
    "v.reporter_user_id, v.reporter_name, v.patient_id, v.exam_id, v.source, v.acknowledged_at, "
    "v.written_report_at, v.feedback_at, v.closed_at, v.version, v.ack_hours, "
    "v.written_report_hours_major, v.written_report_hours_minor, v.complaint_feedback_hours "
    "FROM safety_events v";

constexpr Micros kHour = 3600 * kMicrosPerSecond;

SafetyEvent EventAt(db::Statement& s) {
  SafetyEvent e;
  e.id = s.Int(0);
  e.event_no = s.Text(1);
  e.site_id = s.Int(2);
  e.type = s.Text(3);
  e.severity_class = s.Text(4);
  e.state = s.Text(5);
  e.occurred_at = s.Int(6);
  e.reported_at = s.Int(7);
  e.place = s.Text(8);
  e.people_involved = s.Text(9);
  e.description = s.Text(10);
  e.immediate_action = s.Text(11);
  e.anonymous = s.Bool(12);
  if (!e.anonymous) e.reporter = Person{s.OptInt(13), s.Text(14)};
  e.patient_id = s.OptInt(15);
  e.exam_id = s.OptInt(16);
  e.source = s.Text(17);
  e.acknowledged_at = s.OptInt(18);
  e.written_report_at = s.OptInt(19);
  e.feedback_at = s.OptInt(20);
  e.closed_at = s.OptInt(21);
  e.version = s.Int(22);
  e.hours = {static_cast<int>(s.Int(23)), static_cast<int>(s.Int(24)), static_cast<int>(s.Int(25)),
             static_cast<int>(s.Int(26))};
  return e;
}

}  // namespace

std::optional<SafetyEvent> LoadEvent(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("{} WHERE v.id = ?", kSelect));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return EventAt(s);
}

std::vector<SafetyEvent> ListEvents(db::Transaction& tx, const EventFilter& f) {
  db::SqlBuilder q(fmt::format("{} WHERE 1 = 1", kSelect));
  auth::AddSiteScope(q, "v.site_id", f.sites);
  if (!f.state.empty()) q.Add(" AND v.state = ?", f.state);
  if (f.open_only) q.Add(" AND v.state <> 'closed'");
  if (!f.type.empty()) q.Add(" AND v.type = ?", f.type);
  if (!f.severity_class.empty()) q.Add(" AND v.severity_class = ?", f.severity_class);
  if (f.exam_id) q.Add(" AND v.exam_id = ?", *f.exam_id);
  if (f.reported_from) q.Add(" AND v.reported_at >= ?", *f.reported_from);
  if (f.reported_before) q.Add(" AND v.reported_at < ?", *f.reported_before);
  if (f.overdue_only) {
    // The same deadlines as DeadlinesOf: a step still missing after the event's stored hours.
    q.Add(" AND ((v.acknowledged_at IS NULL AND v.reported_at + v.ack_hours * ? < ?)", kHour, f.now)
        .Add(
            " OR (v.written_report_at IS NULL AND v.reported_at + CASE WHEN v.severity_class IN "
            "('I', 'II') THEN v.written_report_hours_major ELSE v.written_report_hours_minor END "
            "* ? < ?)",
            kHour, f.now)
        .Add(
            " OR (v.type = 'complaint' AND v.feedback_at IS NULL AND "
            "v.reported_at + v.complaint_feedback_hours * ? < ?))",
            kHour, f.now);
  }
  if (f.before_id) q.Add(" AND v.id < ?", *f.before_id);
  q.Add(" ORDER BY v.id DESC LIMIT ?", f.limit);
  std::vector<SafetyEvent> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(EventAt(s));
  return out;
}

std::optional<SafetyEvent> EventOfExam(db::Transaction& tx, std::int64_t exam_id,
                                       const std::string& type) {
  auto s = tx.Prepare(
      fmt::format("{} WHERE v.exam_id = ? AND v.type = ? ORDER BY v.id LIMIT 1", kSelect));
  s.Bind(exam_id, type);
  if (!s.Step()) return std::nullopt;
  return EventAt(s);
}

void InsertEvent(db::Transaction& tx, SafetyEvent& e, Date local_day) {
  // Autonomous, as accession numbers: no writer waits for another's batch to number an event.
  std::int64_t last = 0;
  tx.Autonomous([&](db::Transaction& counters) {
    auto counter = counters.Prepare(
        "INSERT INTO safety_event_counters (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE "
        "SET last = safety_event_counters.last + 1 RETURNING last");
    counter.Bind(static_cast<std::int64_t>(local_day.days));
    counter.Step();
    last = counter.Int(0);
  });
  const CivilDate d = CivilFromDate(local_day);
  e.event_no = fmt::format("SE{:04d}{:02d}{:02d}{:03d}", d.year, d.month, d.day, last);
  e.version = 1;
  auto ins = tx.Prepare(
      "INSERT INTO safety_events (site_id, event_no, type, severity_class, state, occurred_at, "
      "reported_at, place, people_involved, description, immediate_action, anonymous, "
      "reporter_user_id, reporter_name, patient_id, exam_id, source, ack_hours, "
      "written_report_hours_major, written_report_hours_minor, complaint_feedback_hours) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  ins.Bind(e.site_id, e.event_no, e.type, e.severity_class, e.state, e.occurred_at, e.reported_at,
           e.place, e.people_involved, e.description, e.immediate_action, e.anonymous,
           e.reporter ? e.reporter->user_id : std::nullopt,
           e.reporter ? e.reporter->name : std::string(), e.patient_id, e.exam_id, e.source,
           e.hours.acknowledgment, e.hours.written_report_major, e.hours.written_report_minor,
           e.hours.complaint_feedback);
  ins.Step();
  e.id = ins.Int(0);
  const Person who = e.reporter.value_or(Person{});
  tx.Exec(
      "INSERT INTO safety_event_steps (event_id, kind, to_state, at, by_user_id, by_name) VALUES "
      "(?, 'reported', 'reported', ?, ?, ?)",
      e.id, e.reported_at, who.user_id, who.name);
}

void UpdateEvent(db::Transaction& tx, SafetyEvent& e, const Step& step) {
  e.version += 1;
  tx.Exec(
      "UPDATE safety_events SET state = ?, severity_class = ?, acknowledged_at = ?, "
      "written_report_at = ?, feedback_at = ?, closed_at = ?, version = ? WHERE id = ?",
      e.state, e.severity_class, e.acknowledged_at, e.written_report_at, e.feedback_at, e.closed_at,
      e.version, e.id);
  tx.Exec(
      "INSERT INTO safety_event_steps (event_id, kind, from_state, to_state, note, at, "
      "by_user_id, by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      e.id, step.kind, step.from_state, step.to_state, step.note, step.at, step.by.user_id,
      step.by.name);
}

std::vector<Step> StepsOf(db::Transaction& tx, std::int64_t event_id) {
  auto s = tx.Prepare(
      "SELECT kind, from_state, to_state, note, at, by_user_id, by_name FROM safety_event_steps "
      "WHERE event_id = ? ORDER BY id");
  s.Bind(event_id);
  std::vector<Step> out;
  while (s.Step()) {
    out.push_back(
        {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), Person{s.OptInt(5), s.Text(6)}});
  }
  return out;
}

std::map<std::string, std::int64_t> CountByType(db::Transaction& tx, Micros since,
                                                const auth::SiteScope& sites) {
  db::SqlBuilder q("SELECT type, COUNT(*) FROM safety_events");
  q.Add(" WHERE reported_at >= ?", since);
  auth::AddSiteScope(q, "site_id", sites).Add(" GROUP BY type ORDER BY type");
  auto s = q.Prepare(tx);
  std::map<std::string, std::int64_t> out;
  while (s.Step()) out[s.Text(0)] = s.Int(1);
  return out;
}

std::int64_t RepointPatient(db::Transaction& tx, std::int64_t from, std::int64_t into) {
  return tx.Exec("UPDATE safety_events SET patient_id = ? WHERE patient_id = ?", into, from);
}

}  // namespace radqs::safety::store
