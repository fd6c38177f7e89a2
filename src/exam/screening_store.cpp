// SQL of the safety screening: its record (a new version per save) and the gate overrides.
#include "exam/exam_store.h"
#include "platform/auth/site_scope.h"

namespace radqs::exam::store {

std::optional<ScreeningRow> LatestScreening(db::Transaction& tx, std::int64_t exam_id) {
  auto s = tx.Prepare(
      "SELECT record, version FROM exam_screenings WHERE exam_id = ? ORDER BY version DESC "
      "LIMIT 1");
  s.Bind(exam_id);
  if (!s.Step()) return std::nullopt;
  return ScreeningRow{Json::parse(s.Text(0)), s.Int(1)};
}

void SaveScreening(db::Transaction& tx, std::int64_t exam_id, std::int64_t version,
                   const Json& record, std::optional<std::int64_t> actor, Micros now) {
  tx.Exec(
      "INSERT INTO exam_screenings (exam_id, version, record, recorded_by, recorded_at) VALUES "
      "(?, ?, ?, ?, ?)",
      exam_id, version, record.dump(), actor, now);
}

void InsertOverride(db::Transaction& tx, const Override& o) {
  tx.Exec(
      "INSERT INTO screening_overrides (exam_id, gate, approver_id, approver, reason, at) VALUES "
      "(?, ?, ?, ?, ?, ?)",
      o.exam_id, o.gate, o.approver_id, o.approver, o.reason, o.at);
}

std::vector<OverrideRow> ListOverrides(db::Transaction& tx, const auth::SiteScope& sites,
                                       std::optional<std::int64_t> before_id, int limit) {
  db::SqlBuilder q(
      "SELECT o.id, o.exam_id, e.accession_no, o.gate, o.approver, o.reason, o.at, e.patient_id "
      "FROM screening_overrides o JOIN exams e ON e.id = o.exam_id WHERE 1 = 1");
  auth::AddSiteScope(q, "e.site_id", sites);
  if (before_id) q.Add(" AND o.id < ?", *before_id);
  q.Add(" ORDER BY o.id DESC LIMIT ?", limit);
  std::vector<OverrideRow> out;
  auto s = q.Prepare(tx);
  while (s.Step()) {
    OverrideRow row;
    row.id = s.Int(0);
    row.entry = {.exam_id = s.Int(1),
                 .gate = s.Text(3),
                 .approver = s.Text(4),
                 .reason = s.Text(5),
                 .at = s.Int(6)};
    row.accession_no = s.Text(2);
    row.patient_id = s.Int(7);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace radqs::exam::store
