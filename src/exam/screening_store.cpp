// SQL of the safety screening: its record (a new version per save) and the gate overrides.
#include <limits>

#include "exam/exam_store.h"
#include "platform/auth/accounts.h"
#include "platform/auth/site_scope.h"

namespace radqs::exam::store {
namespace {

std::vector<ScreeningRow> Versions(db::Transaction& tx, std::int64_t exam_id, std::int64_t limit) {
  auto s = tx.Prepare(
      "SELECT record, version, recorded_at, recorded_by, reason FROM exam_screenings WHERE "
      "exam_id = ? ORDER BY version DESC LIMIT ?");
  s.Bind(exam_id, limit);
  std::vector<ScreeningRow> out;
  std::vector<std::optional<std::int64_t>> by;
  while (s.Step()) {
    out.push_back({Json::parse(s.Text(0)), s.Int(1), s.Int(2), {}, s.Text(4)});
    by.push_back(s.OptInt(3));
  }
  std::vector<std::int64_t> ids;
  for (const auto& id : by) {
    if (id) ids.push_back(*id);
  }
  const auto names = auth::UserNames(tx, ids);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!by[i]) continue;
    if (auto n = names.find(*by[i]); n != names.end()) out[i].recorded_by = n->second;
  }
  return out;
}

}  // namespace

std::optional<ScreeningRow> LatestScreening(db::Transaction& tx, std::int64_t exam_id) {
  auto rows = Versions(tx, exam_id, 1);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::map<std::int64_t, Json> LatestScreeningRecords(db::Transaction& tx,
                                                    const std::vector<std::int64_t>& exam_ids) {
  std::map<std::int64_t, Json> out;
  if (exam_ids.empty()) return out;
  db::SqlBuilder q(
      "SELECT s.exam_id, s.record FROM exam_screenings s WHERE s.version = (SELECT MAX(version) "
      "FROM exam_screenings v WHERE v.exam_id = s.exam_id) AND s.exam_id IN (");
  for (std::size_t i = 0; i < exam_ids.size(); ++i) q.Add(i == 0 ? "?" : ", ?", exam_ids[i]);
  auto s = q.Add(")").Prepare(tx);
  while (s.Step()) out[s.Int(0)] = Json::parse(s.Text(1));
  return out;
}

std::vector<ScreeningRow> ScreeningVersions(db::Transaction& tx, std::int64_t exam_id) {
  return Versions(tx, exam_id, std::numeric_limits<std::int64_t>::max());
}

void SaveScreening(db::Transaction& tx, std::int64_t exam_id, std::int64_t version,
                   const Json& record, std::optional<std::int64_t> actor, Micros now,
                   const std::string& reason) {
  tx.Exec(
      "INSERT INTO exam_screenings (exam_id, version, record, recorded_by, recorded_at, reason) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      exam_id, version, record.dump(), actor, now, reason);
}

std::vector<std::int64_t> ScreenedNotStarted(db::Transaction& tx, const auth::SiteScope& sites,
                                             int limit) {
  db::SqlBuilder q(
      "SELECT e.id FROM exams e WHERE e.state IN ('ordered', 'scheduled', 'arrived') AND EXISTS "
      "(SELECT 1 FROM exam_screenings s WHERE s.exam_id = e.id)");
  auth::AddSiteScope(q, "e.site_id", sites);
  q.Add(" ORDER BY e.ordered_at DESC, e.id DESC LIMIT ?", limit);
  std::vector<std::int64_t> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

void InsertFinding(db::Transaction& tx, const Finding& f) {
  tx.Exec(
      "INSERT INTO screening_findings (exam_id, version, exam_state, gates, reason, recorded_by, "
      "recorder, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      f.exam_id, f.version, f.exam_state, Json(f.gates).dump(), f.reason, f.recorded_by, f.recorder,
      f.at);
}

std::vector<FindingRow> ListFindings(db::Transaction& tx, const auth::SiteScope& sites,
                                     std::optional<std::int64_t> before_id, int limit) {
  db::SqlBuilder q(
      "SELECT f.id, f.exam_id, f.version, f.exam_state, f.gates, f.reason, f.recorded_by, "
      "f.recorder, f.at, e.accession_no, e.patient_id FROM screening_findings f JOIN exams e ON "
      "e.id = f.exam_id WHERE 1 = 1");
  auth::AddSiteScope(q, "e.site_id", sites);
  if (before_id) q.Add(" AND f.id < ?", *before_id);
  q.Add(" ORDER BY f.id DESC LIMIT ?", limit);
  std::vector<FindingRow> out;
  auto s = q.Prepare(tx);
  while (s.Step()) {
    FindingRow row;
    row.id = s.Int(0);
    row.entry = {.exam_id = s.Int(1),
                 .version = s.Int(2),
                 .exam_state = s.Text(3),
                 .gates = Json::parse(s.Text(4)).get<std::vector<std::string>>(),
                 .reason = s.Text(5),
                 .recorded_by = s.OptInt(6),
                 .recorder = s.Text(7),
                 .at = s.Int(8)};
    row.accession_no = s.Text(9);
    row.patient_id = s.Int(10);
    out.push_back(std::move(row));
  }
  return out;
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
