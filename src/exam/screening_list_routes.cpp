// The lists of screening work: the physicians' 待审批 (exams not yet started waiting for an
// approval the caller may give), and for the QC group the approvals given and the findings
// (gates reopened after the exam start). spec: domain.md §2 "Every gate and override is audited
// and listed for the QC group".
#include <algorithm>

#include "exam/exam.h"
#include "exam/patient_access.h"
#include "exam/screening_record.h"
#include "org/org.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

// The candidates read for the 待审批 list: exams not started that carry a screening record. A
// department has tens waiting at a time; the cap bounds the work of one refresh.
constexpr int kPendingCandidates = 500;

int PriorityRank(std::string_view priority) {
  if (priority == "green_channel") return 0;
  if (priority == "emergency") return 1;
  if (priority == "urgent") return 2;
  return 3;
}

Response ListPending(Context& ctx) {
  // The staff record is read now, not from the sign-in: a trainee flag set today applies today.
  const bool trainee = ctx.principal.staff_id && org::IsTrainee(ctx.tx(), *ctx.principal.staff_id);
  struct Row {
    LoadedScreening l;
    std::vector<Gate> gates;
  };
  std::vector<Row> rows;
  for (const std::int64_t id :
       store::ScreenedNotStarted(ctx.tx(), ctx.principal.sites, kPendingCandidates)) {
    auto l = LoadScreening(ctx.tx(), id, ctx.principal.sites);
    if (!l) continue;
    auto gates = GatesAwaiting(GatesOf(ctx, *l), l->record, ctx.principal.roles, trainee);
    if (!gates.empty()) rows.push_back({std::move(*l), std::move(gates)});
  }
  // Emergencies first, then the longest waiting.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    const int pa = PriorityRank(a.l.exam.priority), pb = PriorityRank(b.l.exam.priority);
    if (pa != pb) return pa < pb;
    return a.l.recorded_at < b.l.recorded_at;
  });
  const bool may_read = MayReadPatients(ctx);
  Json items = Json::array();
  std::vector<std::int64_t> shown;
  for (const Row& r : rows) {
    const auto& e = r.l.exam;
    Json gates = GatesJson(r.gates, may_read);
    for (std::size_t i = 0; i < r.gates.size(); ++i) {
      gates[i]["approval"] = ApprovalFor(r.gates[i].key);
    }
    const auto room = e.room_id ? store::LoadRoom(ctx.tx(), *e.room_id) : std::nullopt;
    Json j = {{"exam_id", e.id},
              {"accession_no", e.accession_no},
              {"state", StateKey(e.state)},
              {"priority", e.priority},
              {"modality", e.modality},
              {"item_name", r.l.item.name},
              {"room_name", room ? Json(room->name) : Json(nullptr)},
              {"appointment_at",
               e.stamps.scheduled_for ? Json(FormatInstant(*e.stamps.scheduled_for)) : Json()},
              {"waiting_since", FormatInstant(r.l.recorded_at)},
              {"gates", gates}};
    if (may_read) {
      j["patient"] = {
          {"id", r.l.patient.id},
          {"name", r.l.patient.name},
          {"sex", r.l.patient.sex},
          {"birth_date",
           r.l.patient.birth_date ? Json(FormatDate(*r.l.patient.birth_date)) : Json(nullptr)}};
      shown.push_back(r.l.patient.id);
    }
    items.push_back(std::move(j));
  }
  AuditPatientsListed(ctx, shown);
  return http::JsonResponse({{"items", items}, {"trainee", trainee}});
}

Response ListOverrides(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  Json items = Json::array();
  std::vector<std::int64_t> shown;
  for (const auto& o :
       store::ListOverrides(ctx.tx(), ctx.principal.sites, page->after_id, page->limit + 1)) {
    if (shown.size() < static_cast<std::size_t>(page->limit)) shown.push_back(o.patient_id);
    items.push_back({{"id", o.id},
                     {"exam_id", o.entry.exam_id},
                     {"accession_no", o.accession_no},
                     {"gate", o.entry.gate},
                     {"approver", o.entry.approver},
                     {"reason", o.entry.reason},
                     {"at", FormatInstant(o.entry.at)}});
  }
  AuditPatientsListed(ctx, shown);
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response ListFindings(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  Json items = Json::array();
  std::vector<std::int64_t> shown;
  for (const auto& f :
       store::ListFindings(ctx.tx(), ctx.principal.sites, page->after_id, page->limit + 1)) {
    if (shown.size() < static_cast<std::size_t>(page->limit)) shown.push_back(f.patient_id);
    items.push_back({{"id", f.id},
                     {"exam_id", f.entry.exam_id},
                     {"accession_no", f.accession_no},
                     {"version", f.entry.version},
                     {"exam_state", f.entry.exam_state},
                     {"gates", f.entry.gates},
                     {"reason", f.entry.reason},
                     {"recorder", f.entry.recorder},
                     {"at", FormatInstant(f.entry.at)}});
  }
  AuditPatientsListed(ctx, shown);
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

}  // namespace

std::vector<http::Route> ScreeningListRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/screening/pending-approvals", Permission::kScreeningApprove,
       Mode::kRead, "exams",
       "待审批: exams not yet started at the caller's sites with a gate the caller may approve, "
       "emergencies first, then the longest waiting (none for a trainee)",
       nullptr, ListPending},
      {Method::kGet, "/api/v1/screening/overrides", Permission::kExamsRead, Mode::kRead, "exams",
       "Screening approvals and overrides, newest first, for the QC group", nullptr, ListOverrides},
      {Method::kGet, "/api/v1/screening/findings", Permission::kExamsRead, Mode::kRead, "exams",
       "Screening changes after the exam start that reopened a gate, newest first, for the QC "
       "group",
       nullptr, ListFindings},
  };
}

}  // namespace radqs::exam
