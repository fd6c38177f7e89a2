// The XLSX exports of the exam workflow's lists (患者, 检查列表, 检查队列, 废片登记, 检查项目,
// 医师批准与核查发现, 待审批): the columns of each screen, names beside ids (docs/decisions.md).
#include <map>

#include "exam/exam.h"
#include "org/directory.h"

namespace radqs::exam {
namespace {

using exporting::Col;
using exporting::Dict;
using exporting::Kind;

void AddRoomNames(db::Transaction& tx, std::vector<Json>& items) {
  std::map<std::int64_t, Json> names;
  for (auto& item : items) {
    const auto it = item.find("room_id");
    if (it == item.end() || !it->is_number_integer()) continue;
    const auto id = it->get<std::int64_t>();
    auto found = names.find(id);
    if (found == names.end()) {
      const auto room = org::FindRoom(tx, id);
      found = names.emplace(id, room ? Json(room->name) : Json(nullptr)).first;
    }
    item["room_name"] = found->second;
  }
}

// Whole years from a birth date to `today` (the age the list shows), else the estimated age.
Json AgeOn(const Json& patient, Date today) {
  const Json birth = patient.value("birth_date", Json(nullptr));
  if (birth.is_string()) {
    if (auto d = ParseDate(birth.get<std::string>())) {
      const CivilDate b = CivilFromDate(*d), t = CivilFromDate(today);
      int age = t.year - b.year;
      if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
      return age;
    }
  }
  return patient.value("estimated_age", Json(nullptr));
}

exporting::ListSpec Patients() {
  exporting::Column doc = Col("", "patient.docNumber", Kind::kText, 22);
  doc.value = [](const Json& p, exporting::Lang) {
    const Json docs = p.value("documents", Json::array());
    return docs.is_array() && !docs.empty() ? docs[0].value("number", Json(nullptr))
                                            : Json(nullptr);
  };
  return {{"患者", "Patients"},
          {Col("patient_no", "patient.patientNo", Kind::kText, 14),
           Col("name", "patient.name", Kind::kText, 12),
           Col("sex", "patient.sex", Kind::kText, 6, &Dict("patient.sexes")),
           Col("age", "patient.age", Kind::kNumber, 6), doc,
           Col("phone", "patient.phone", Kind::kText, 14),
           Col("outpatient_no", "patient.outpatientNo", Kind::kText, 14),
           Col("inpatient_no", "patient.inpatientNo", Kind::kText, 14)},
          [](db::Transaction&, Micros, Date today, std::vector<Json>& items) {
            for (auto& p : items) p["age"] = AgeOn(p, today);
          }};
}

exporting::ListSpec Exams() {
  return {
      {"检查列表", "Exams"},
      {Col("accession_no", "exam.accessionNo", Kind::kText, 18),
       Col("patient_name", "exam.patient", Kind::kText, 12),
       Col("item_name", "exam.item", Kind::kText, 20),
       Col("modality", "exam.modality", Kind::kText, 10, &Dict("room.modalities")),
       Col("priority", "exam.priority", Kind::kText, 10, &Dict("order.priorities")),
       Col("state", "exam.state", Kind::kText, 10, &Dict("exam.states")),
       Col("room_name", "exam.room", Kind::kText, 14),
       Col("ordered_at", "exam.orderedAt", Kind::kInstant, 17),
       Col("appointment_at", "exam.appointmentAt", Kind::kInstant, 17)},
      [](db::Transaction& tx, Micros, Date, std::vector<Json>& items) { AddRoomNames(tx, items); }};
}

// A room's queue answers three sections; the sheet lists them in the screen's order.
Json QueueRows(Json& answer, exporting::Lang lang) {
  static const exporting::Labels kSections{{"in_progress", exporting::Header("queue.inProgress")},
                                           {"queue", exporting::Header("queue.waiting")},
                                           {"expected", exporting::Header("queue.expected")}};
  Json rows = Json::array();
  for (const char* key : {"in_progress", "queue", "expected"}) {
    if (!answer.contains(key) || !answer[key].is_array()) continue;
    int n = 0;
    for (auto& item : answer[key]) {
      item["section"] = kSections.at(key).In(lang);
      item["order"] = ++n;
      rows.push_back(std::move(item));
    }
  }
  return rows;
}

exporting::ListSpec Queue() {
  exporting::ListSpec spec{
      {"检查队列", "Queue"},
      {Col("section", "exporting.queueSection", Kind::kText, 18),
       Col("order", "queue.order", Kind::kNumber, 6),
       Col("accession_no", "exam.accessionNo", Kind::kText, 18),
       Col("patient_name", "exam.patient", Kind::kText, 12),
       Col("item_name", "exam.item", Kind::kText, 20),
       Col("priority", "exam.priority", Kind::kText, 10, &Dict("order.priorities")),
       Col("appointment_at", "exam.appointmentAt", Kind::kInstant, 17),
       Col("arrived_at", "exam.arrivedAt", Kind::kInstant, 17),
       Col("state", "exam.state", Kind::kText, 10, &Dict("exam.states"))}};
  spec.rows_of = QueueRows;
  return spec;
}

exporting::ListSpec Rejects() {
  return {{"废片登记", "Rejects"},
          {Col("recorded_at", "reject.recordedAt", Kind::kInstant, 17),
           Col("accession_no", "exam.accessionNo", Kind::kText, 18),
           Col("modality", "exam.modality", Kind::kText, 10, &Dict("room.modalities")),
           Col("reason", "reject.reason", Kind::kText, 12, &Dict("reject.reasons")),
           Col("images", "reject.images", Kind::kNumber, 8),
           Col("repeated", "reject.repeated", Kind::kBool, 8),
           Col("device_id", "reject.device", Kind::kText, 12),
           Col("technologist_name", "reject.technologist", Kind::kText, 12),
           Col("note", "reject.note", Kind::kText, 30)}};
}

exporting::ListSpec Catalogue() {
  exporting::Column contrast =
      Col("", "catalogue.contrast", Kind::kText, 12, &Dict("catalogue.kinds"));
  contrast.value = [](const Json& i, exporting::Lang) {
    return i.value("contrast", false) ? i.value("contrast_kind", Json("none")) : Json(nullptr);
  };
  exporting::Column status = Col("", "common.status", Kind::kText, 8, &Dict("common.statuses"));
  status.value = [](const Json& i, exporting::Lang) {
    return Json(i.value("active", false) ? "true" : "false");
  };
  return {{"检查项目", "Catalogue"},
          {Col("code", "catalogue.code", Kind::kText, 10),
           Col("name", "catalogue.name", Kind::kText, 22),
           Col("modality", "exam.modality", Kind::kText, 10, &Dict("room.modalities")),
           Col("body_part", "catalogue.bodyPart", Kind::kText, 10), contrast,
           Col("duration_minutes", "catalogue.duration", Kind::kNumber, 10),
           Col("xray", "catalogue.xray", Kind::kBool, 8),
           Col("lower_abdomen", "catalogue.lowerAbdomen", Kind::kBool, 12),
           Col("category", "catalogue.category", Kind::kText, 12, &Dict("catalogue.categories")),
           status}};
}

exporting::ListSpec Overrides() {
  return {{"医师批准", "Approvals given"},
          {Col("at", "overrides.at", Kind::kInstant, 17),
           Col("accession_no", "exam.accessionNo", Kind::kText, 18),
           Col("gate", "overrides.gate", Kind::kText, 18, &Dict("screening.approvalGates")),
           Col("approver", "overrides.approver", Kind::kText, 12),
           Col("reason", "overrides.reason", Kind::kText, 40)}};
}

exporting::ListSpec Findings() {
  return {{"核查发现", "Findings"},
          {Col("at", "findings.at", Kind::kInstant, 17),
           Col("accession_no", "exam.accessionNo", Kind::kText, 18),
           Col("exam_state", "findings.state", Kind::kText, 10, &Dict("exam.states")),
           Col("gates", "findings.gates", Kind::kList, 30, &Dict("screening.gates")),
           Col("recorder", "findings.recorder", Kind::kText, 12),
           Col("reason", "findings.reason", Kind::kText, 40)}};
}

exporting::ListSpec PendingApprovals() {
  exporting::Column gates = Col("", "approvals.gates", Kind::kList, 30, &Dict("screening.gates"));
  gates.value = [](const Json& row, exporting::Lang) {
    Json keys = Json::array();
    for (const auto& g : row.value("gates", Json::array())) keys.push_back(g.value("key", ""));
    return keys;
  };
  return {{"待审批", "Pending approvals"},
          {Col("accession_no", "exam.accessionNo", Kind::kText, 18),
           Col("patient.name", "approvals.patient", Kind::kText, 12),
           Col("item_name", "approvals.item", Kind::kText, 20),
           Col("priority", "approvals.priority", Kind::kText, 10, &Dict("order.priorities")),
           Col("room_name", "approvals.room", Kind::kText, 14), gates,
           Col("waiting_since", "approvals.since", Kind::kInstant, 17)}};
}

}  // namespace

std::vector<http::ListExport> ListExports() {
  std::vector<http::ListExport> out;
  out.push_back({"GET /api/v1/patients", Patients()});
  out.push_back({"GET /api/v1/exams", Exams()});
  out.push_back({"GET /api/v1/rooms/{id}/queue", Queue()});
  out.push_back({"GET /api/v1/rejects", Rejects()});
  out.push_back({"GET /api/v1/catalogue", Catalogue()});
  out.push_back({"GET /api/v1/screening/overrides", Overrides()});
  out.push_back({"GET /api/v1/screening/findings", Findings()});
  out.push_back({"GET /api/v1/screening/pending-approvals", PendingApprovals()});
  return out;
}

}  // namespace radqs::exam
