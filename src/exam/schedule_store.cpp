#include <fmt/format.h>

#include "exam/exam.h"
#include "exam/exam_store.h"
#include "org/directory.h"
#include "platform/auth/site_scope.h"

namespace radqs::exam::store {

std::optional<RoomInfo> LoadRoom(db::Transaction& tx, std::int64_t room_id) {
  auto r = org::FindRoom(tx, room_id);  // rooms belong to org
  if (!r) return std::nullopt;
  return RoomInfo{r->id, r->site_id, r->name, r->modality, r->active};
}

std::optional<RoomInfo> LoadRoom(db::Transaction& tx, std::int64_t room_id,
                                 const auth::SiteScope& scope) {
  auto room = LoadRoom(tx, room_id);
  if (!room || !scope.Has(room->site_id)) return std::nullopt;
  return room;
}

std::vector<SlotTemplate> LoadTemplates(db::Transaction& tx, std::int64_t room_id) {
  auto s = tx.Prepare(
      "SELECT weekday, start_minute, end_minute, slot_minutes, capacity FROM slot_templates "
      "WHERE room_id = ? ORDER BY weekday, start_minute");
  s.Bind(room_id);
  std::vector<SlotTemplate> out;
  while (s.Step()) {
    out.push_back({static_cast<int>(s.Int(0)), static_cast<int>(s.Int(1)),
                   static_cast<int>(s.Int(2)), static_cast<int>(s.Int(3)),
                   static_cast<int>(s.Int(4))});
  }
  return out;
}

void ReplaceTemplates(db::Transaction& tx, std::int64_t room_id,
                      const std::vector<SlotTemplate>& templates, Micros now) {
  tx.Exec("DELETE FROM slot_templates WHERE room_id = ?", room_id);
  for (const auto& t : templates) {
    tx.Exec(
        "INSERT INTO slot_templates (room_id, weekday, start_minute, end_minute, slot_minutes, "
        "capacity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        room_id, t.weekday, t.start_minute, t.end_minute, t.slot_minutes, t.capacity, now);
  }
}

std::vector<ClosureRow> ClosuresFor(db::Transaction& tx, const RoomInfo& room, Micros from,
                                    Micros to) {
  auto s = tx.Prepare(
      "SELECT id, site_id, room_id, kind, from_at, to_at, reason FROM closures WHERE site_id = ? "
      "AND (room_id IS NULL OR room_id = ?) AND cancelled_at IS NULL AND from_at < ? AND to_at > "
      "? ORDER BY from_at");
  s.Bind(room.site_id, room.id, to, from);
  std::vector<ClosureRow> out;
  while (s.Step()) {
    out.push_back({s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), {s.Int(4), s.Int(5), s.Text(6)}});
  }
  return out;
}

std::int64_t InsertClosure(db::Transaction& tx, const ClosureRow& c,
                           std::optional<std::int64_t> actor, Micros now) {
  auto s = tx.Prepare(
      "INSERT INTO closures (site_id, room_id, kind, from_at, to_at, reason, created_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(c.site_id, c.room_id, c.kind, c.closure.from, c.closure.to, c.closure.reason, actor, now);
  s.Step();
  return s.Int(0);
}

std::vector<ClosureRow> ActiveClosures(db::Transaction& tx, const ClosureFilter& f) {
  db::SqlBuilder q(
      "SELECT id, site_id, room_id, kind, from_at, to_at, reason FROM closures WHERE "
      "cancelled_at IS NULL");
  q.Add(" AND to_at > ?", f.now);
  auth::AddSiteScope(q, "site_id", f.sites);
  if (f.room) {
    q.Add(" AND (room_id = ?", f.room->id)
        .Add(" OR (room_id IS NULL AND site_id = ?))", f.room->site_id);
  }
  if (f.site_id) q.Add(" AND site_id = ?", *f.site_id);
  q.Add(" ORDER BY from_at LIMIT 500");
  std::vector<ClosureRow> out;
  auto s = q.Prepare(tx);
  while (s.Step()) {
    out.push_back(
        {s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), Closure{s.Int(4), s.Int(5), s.Text(6)}});
  }
  return out;
}

bool CancelClosure(db::Transaction& tx, std::int64_t id, Micros now, const auth::SiteScope& scope) {
  db::SqlBuilder q("UPDATE closures SET cancelled_at = ?");
  q.Add(" WHERE id = ? AND cancelled_at IS NULL", now, id);  // binds in placeholder order
  auth::AddSiteScope(q, "site_id", scope);
  auto s = q.Prepare(tx);
  s.Run();
  return tx.Changes() > 0;
}

void HoldRoomBookings(db::Transaction& tx, std::int64_t room_id) {
  if (tx.Dialect() != "postgresql") return;
  // A transaction-scoped advisory lock: (1, room) is the booking lock's key, released at commit.
  tx.Prepare("SELECT pg_advisory_xact_lock(1, ?)").Bind(room_id).Run();
}

std::vector<std::pair<Micros, int>> BookedCounts(db::Transaction& tx, std::int64_t room_id,
                                                 Micros from, Micros to) {
  auto s = tx.Prepare(
      "SELECT appointment_at, COUNT(*) FROM exams WHERE room_id = ? AND appointment_at >= ? AND "
      "appointment_at < ? AND state NOT IN ('cancelled', 'no_show') GROUP BY appointment_at");
  s.Bind(room_id, from, to);
  std::vector<std::pair<Micros, int>> out;
  while (s.Step()) out.emplace_back(s.Int(0), static_cast<int>(s.Int(1)));
  return out;
}

std::int64_t ItemMinutes(db::Transaction& tx, std::int64_t item_id) {
  auto s = tx.Prepare("SELECT duration_minutes FROM exam_items WHERE id = ?");
  s.Bind(item_id);
  return s.Step() ? s.Int(0) : 0;
}

std::vector<PatientBooking> PatientBookings(db::Transaction& tx, std::int64_t patient_id,
                                            Micros from, Micros to) {
  auto s = tx.Prepare(
      "SELECT e.id, e.accession_no, e.room_id, e.appointment_at, i.duration_minutes FROM exams e "
      "JOIN exam_items i ON i.id = e.item_id WHERE e.patient_id = ? AND e.appointment_at >= ? "
      "AND e.appointment_at < ? AND e.room_id IS NOT NULL AND e.state IN ('scheduled', "
      "'arrived', 'in_progress')");
  s.Bind(patient_id, from, to);
  std::vector<PatientBooking> out;
  while (s.Step()) {
    out.push_back({.exam_id = s.Int(0),
                   .accession_no = s.Text(1),
                   .room_id = s.Int(2),
                   .start = s.Int(3),
                   .end = s.Int(3) + s.Int(4) * kMicrosPerMinute});
  }
  return out;
}

void Book(db::Transaction& tx, const ExamRow& exam, std::int64_t room_id, Micros slot_start,
          Micros now, std::optional<std::int64_t> actor_id, const std::string& actor) {
  tx.Exec(
      "UPDATE exams SET state = 'scheduled', room_id = ?, appointment_at = ?, booked_at = "
      "COALESCE(booked_at, ?), updated_at = ?, version = version + 1 WHERE id = ?",
      room_id, slot_start, now, now, exam.id);
  tx.Exec(
      "INSERT INTO exam_events (exam_id, from_state, to_state, at, actor_user_id, actor, detail) "
      "VALUES (?, ?, 'scheduled', ?, ?, ?, ?)",
      exam.id, StateKey(exam.state), now, actor_id, actor,
      FormatBookingNote({room_id, slot_start}));
}

namespace {
// The exams of the room's day, as RoomDay and RoomDayPathways both select them.
void AddRoomDay(db::SqlBuilder& q, std::int64_t room_id, Micros from, Micros to) {
  // The (room_id, state) index narrows to today's few live exams of the room.
  q.Add(" AND e.room_id = ?", room_id)
      .Add(" AND e.state IN ('arrived', 'in_progress', 'scheduled')")
      .Add(" AND ((e.state <> 'scheduled' AND e.arrived_at >= ?)", from - kMicrosPerDay)
      .Add(" OR (e.state = 'scheduled' AND e.appointment_at >= ?", from)
      .Add(" AND e.appointment_at < ?))", to);
}
}  // namespace

std::vector<ExamListing> RoomDay(db::Transaction& tx, std::int64_t room_id, Micros from,
                                 Micros to) {
  db::SqlBuilder q = ListingQuery();
  AddRoomDay(q, room_id, from, to);
  q.Add(" ORDER BY e.id");
  return RunListing(tx, q);
}

std::map<std::string, std::int64_t> RoomDayCounts(db::Transaction& tx, std::int64_t room_id,
                                                  Micros from, Micros to) {
  db::SqlBuilder q("SELECT e.state, COUNT(*) FROM exams e WHERE 1 = 1");
  AddRoomDay(q, room_id, from, to);
  q.Add(" GROUP BY e.state");
  auto s = q.Prepare(tx);
  std::map<std::string, std::int64_t> out;
  while (s.Step()) out[s.Text(0)] = s.Int(1);
  return out;
}

std::map<std::string, std::int64_t> DevicesAcquired(db::Transaction& tx, std::int64_t room_id,
                                                    Micros from, Micros to) {
  // exams_room_acquired (0018) narrows to the day's exams of the room.
  auto s = tx.Prepare(
      "SELECT a.record FROM exams e JOIN exam_acquisitions a ON a.exam_id = e.id AND a.version = "
      "(SELECT MAX(version) FROM exam_acquisitions WHERE exam_id = e.id) "
      "WHERE e.room_id = ? AND e.acquired_at >= ? AND e.acquired_at < ?");
  s.Bind(room_id, from, to);
  std::map<std::string, std::int64_t> out;
  while (s.Step()) {
    const Json record = Json::parse(s.Text(0), nullptr, false);
    ++out[record.is_object() ? record.value("device_id", "") : ""];
  }
  return out;
}

std::map<std::int64_t, std::string> RoomDayPathways(db::Transaction& tx, std::int64_t room_id,
                                                    Micros from, Micros to) {
  db::SqlBuilder q(
      "SELECT e.id, o.pathway FROM exams e JOIN orders o ON o.id = e.order_id "
      "WHERE o.pathway <> ''");
  AddRoomDay(q, room_id, from, to);
  auto s = q.Prepare(tx);
  std::map<std::int64_t, std::string> out;
  while (s.Step()) out[s.Int(0)] = s.Text(1);
  return out;
}

}  // namespace radqs::exam::store
