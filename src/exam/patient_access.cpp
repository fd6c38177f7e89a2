#include "exam/patient_access.h"

#include <algorithm>

#include "exam/exam_store.h"

namespace radqs::exam {

bool MayReadPatients(const http::Context& ctx) { return ctx.Can(auth::Permission::kPatientsRead); }

void WritePatientFields(JsonWriter& w, std::string_view name, std::string_view sex, bool may_read) {
  if (!may_read) return;
  w.Field("patient_name", name).Field("patient_sex", sex);
}

bool PatientVisible(http::Context& ctx, std::int64_t patient_id) {
  return store::LoadPatient(ctx.tx(), patient_id, ctx.principal.sites).has_value();
}

void AuditPatientsListed(http::Context& ctx, const std::vector<std::int64_t>& patient_ids) {
  if (patient_ids.empty() || !MayReadPatients(ctx)) return;
  // spec: domain.md §9 — who saw which patients; one entry per answer keeps the read-audit
  // volume that of the requests, not of the rows.
  std::vector<std::int64_t> ids = patient_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string joined;
  for (const auto id : ids) {
    if (!joined.empty()) joined += ',';
    joined += std::to_string(id);
  }
  ctx.AuditRead("patient.list", "patient", std::move(joined),
                std::string(http::MethodName(ctx.request.method)) + " " + ctx.request.path);
}

std::map<std::int64_t, PatientLabel> PatientLabels(db::Transaction& tx,
                                                   const std::vector<std::int64_t>& patient_ids) {
  return store::PatientLabels(tx, patient_ids);
}

std::map<std::int64_t, std::string> AccessionNumbers(db::Transaction& tx,
                                                     const std::vector<std::int64_t>& exam_ids) {
  return store::AccessionNumbers(tx, exam_ids);
}

}  // namespace radqs::exam
