// The XLSX export of the safety events list (不良事件), as the list screen shows it.
#include "safety/safety_event.h"

namespace radqs::safety {

std::vector<http::ListExport> ListExports() {
  using exporting::Col;
  using exporting::Dict;
  using exporting::Kind;
  exporting::ListSpec spec{
      {"不良事件", "Safety events"},
      {Col("event_no", "safety.eventNo", Kind::kText, 18),
       Col("type", "safety.type", Kind::kText, 16, &Dict("safety.types")),
       Col("severity_class", "safety.severityClass", Kind::kText, 14, &Dict("safety.classes")),
       Col("state", "safety.state", Kind::kText, 10, &Dict("safety.states")),
       Col("occurred_at", "safety.occurredAt", Kind::kInstant, 17),
       Col("reported_at", "safety.reportedAt", Kind::kInstant, 17),
       Col("patient.name", "safety.patient", Kind::kText, 12),
       Col("exam.accession_no", "exam.accessionNo", Kind::kText, 18),
       Col("overdue", "safety.overdue", Kind::kList, 20, &Dict("safety.overdueKeys"))}};
  std::vector<http::ListExport> out;
  out.push_back({"GET /api/v1/safety-events", std::move(spec)});
  return out;
}

}  // namespace radqs::safety
