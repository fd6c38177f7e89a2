// SQL of the acquisition record (versions kept) and the reject/repeat log.
#include <limits>

#include "exam/exam_store.h"
#include "platform/auth/accounts.h"
#include "platform/auth/site_scope.h"

namespace radqs::exam::store {

namespace {

std::vector<AcquisitionRow> Versions(db::Transaction& tx, std::int64_t exam_id,
                                     std::int64_t limit) {
  auto s = tx.Prepare(
      "SELECT record, version, recorded_by, recorded_at, reason FROM exam_acquisitions WHERE "
      "exam_id = ? ORDER BY version DESC LIMIT ?");
  s.Bind(exam_id, limit);
  std::vector<AcquisitionRow> out;
  std::vector<std::optional<std::int64_t>> by;
  while (s.Step()) {
    out.push_back({AcquisitionOf(Json::parse(s.Text(0))), s.Int(1), {}, s.Int(3), s.Text(4)});
    by.push_back(s.OptInt(2));
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

std::optional<AcquisitionRow> LoadAcquisition(db::Transaction& tx, std::int64_t exam_id) {
  auto rows = Versions(tx, exam_id, 1);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<AcquisitionRow> AcquisitionVersions(db::Transaction& tx, std::int64_t exam_id) {
  return Versions(tx, exam_id, std::numeric_limits<std::int64_t>::max());
}

void SaveAcquisition(db::Transaction& tx, std::int64_t exam_id, std::int64_t version,
                     const Acquisition& a, std::optional<std::int64_t> actor, Micros now,
                     const std::string& reason) {
  tx.Exec(
      "INSERT INTO exam_acquisitions (exam_id, version, record, recorded_by, recorded_at, "
      "reason) VALUES (?, ?, ?, ?, ?, ?)",
      exam_id, version, AcquisitionJson(a).dump(), actor, now, reason);
}

std::int64_t InsertReject(db::Transaction& tx, const Reject& r) {
  auto s = tx.Prepare(
      "INSERT INTO rejects (exam_id, reason, images, repeated, device_id, technologist_user_id, "
      "technologist, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(r.exam_id, r.reason, r.images, r.repeated, r.device_id, r.technologist_user_id,
         r.technologist, r.note, r.recorded_at);
  s.Step();
  return s.Int(0);
}

std::vector<RejectRow> ListRejects(db::Transaction& tx, const RejectFilter& f) {
  db::SqlBuilder q(
      "SELECT r.id, r.exam_id, e.accession_no, e.modality, r.reason, r.images, r.repeated, "
      "r.device_id, r.technologist, r.note, r.recorded_at, e.patient_id, r.technologist_user_id "
      "FROM rejects r JOIN "
      "exams e ON e.id = r.exam_id WHERE 1 = 1");
  auth::AddSiteScope(q, "e.site_id", f.sites);
  if (f.from) q.Add(" AND r.recorded_at >= ?", *f.from);
  if (f.to) q.Add(" AND r.recorded_at < ?", *f.to);
  if (f.reason) q.Add(" AND r.reason = ?", *f.reason);
  if (f.exam_id) q.Add(" AND r.exam_id = ?", *f.exam_id);
  if (f.before) {
    q.Add(" AND (r.recorded_at < ? OR (r.recorded_at = ? AND r.id < ?))", f.before->first,
          f.before->first, f.before->second);
  }
  // Time order (issue 14 item 9): rows are inserted out of time order (demo data, late entries).
  q.Add(" ORDER BY r.recorded_at DESC, r.id DESC LIMIT ?", f.limit);
  std::vector<RejectRow> out;
  auto s = q.Prepare(tx);
  while (s.Step()) {
    RejectRow row;
    row.id = s.Int(0);
    row.reject = {.exam_id = s.Int(1),
                  .reason = s.Text(4),
                  .images = s.Int(5),
                  .repeated = s.Bool(6),
                  .device_id = s.Text(7),
                  .technologist = s.Text(8),
                  .note = s.Text(9),
                  .recorded_at = s.Int(10)};
    row.accession_no = s.Text(2);
    row.modality = s.Text(3);
    row.patient_id = s.Int(11);
    row.reject.technologist_user_id = s.OptInt(12);
    out.push_back(std::move(row));
  }
  // The technologist's name now (users belong to auth), else the account recorded.
  std::vector<std::int64_t> ids;
  for (const auto& r : out) ids.push_back(r.reject.technologist_user_id.value_or(0));
  const auto names = auth::UserNames(tx, ids);
  for (auto& r : out) {
    const auto n = names.find(r.reject.technologist_user_id.value_or(0));
    r.technologist_name = n != names.end() ? n->second : r.reject.technologist;
  }
  return out;
}

}  // namespace radqs::exam::store
