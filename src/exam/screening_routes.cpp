// Safety screening records (检查前安全核查), their versions and the gate approvals.
// spec: domain.md §2 "Safety screening before the exam".
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "exam/exam.h"
#include "exam/exam_store.h"
#include "exam/identity.h"
#include "exam/patient_access.h"
#include "exam/screening.h"
#include "exam/screening_record.h"
#include "org/org.h"
#include "platform/auth/accounts.h"
#include "platform/auth/site_scope.h"
#include "platform/http/fields.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

using Loaded = LoadedScreening;

void Save(Context& ctx, const Loaded& l, const ScreeningRecord& r, const std::string& reason) {
  store::SaveScreening(ctx.tx(), l.exam.id, l.version + 1, RecordJson(r), ctx.principal.ActorId(),
                       ctx.Now(), reason);
  // The physicians' approvals list refreshes on this event.
  ctx.Publish("screening", {{"exam_id", l.exam.id}}, auth::Permission::kScreeningApprove);
}

// After the start (检查中 and later), a change to the screening that reopens a gate is a
// finding for the QC group, never a silent change.
// `version`: the screening version the finding belongs to (a new one, or the current one when a
// patient correction reopened the gate).
void RecordFinding(Context& ctx, const Loaded& l, std::int64_t version,
                   const std::vector<Gate>& before, const std::vector<Gate>& after,
                   const std::string& reason) {
  if (!ChangeNeedsReason(l.exam.state)) return;
  const std::vector<std::string> reopened = ReopenedGates(before, after);
  if (reopened.empty()) return;
  store::InsertFinding(ctx.tx(), {.exam_id = l.exam.id,
                                  .version = version,
                                  .exam_state = std::string(StateKey(l.exam.state)),
                                  .gates = reopened,
                                  .reason = reason,
                                  .recorded_by = ctx.principal.ActorId(),
                                  .recorder = ctx.principal.Name(),
                                  .at = ctx.Now()});
  std::string list;
  for (const auto& key : reopened) list += (list.empty() ? "" : ", ") + key;
  ctx.Audit(
      "screening.finding", "exam", std::to_string(l.exam.id), nullptr, nullptr,
      fmt::format("{} reopened after the start ({}): {}", list, StateKey(l.exam.state), reason));
}

// The physicians named in a record, id → name, so that screens show who approved.
Json ApproverNames(db::Transaction& tx, const ScreeningRecord& r) {
  std::vector<std::optional<std::int64_t>> ids = {
      r.pregnancy_override ? r.pregnancy_override->approver_id : std::nullopt,
      r.mr_clearance ? r.mr_clearance->radiologist_id : std::nullopt};
  for (const auto* a :
       {&r.low_egfr_approval, &r.severe_reaction_override, &r.gadolinium_pregnancy_justification}) {
    if (*a) ids.push_back((*a)->approver_id);
  }
  std::vector<std::int64_t> known;
  for (const auto& id : ids) {
    if (id) known.push_back(*id);
  }
  Json names = Json::object();
  for (const auto& [id, name] : auth::UserNames(tx, known)) names[std::to_string(id)] = name;
  return names;
}

// spec: domain.md §0 — the record (pregnancy, signers, companions) is the patient's; without
// patients.read the answer tells only which gates are open.
Json Answer(Context& ctx, const Loaded& l) {
  const bool may_read = MayReadPatients(ctx);
  Json j = {{"exam_id", l.exam.id},
            {"version", l.version},
            {"open_gates", GatesJson(GatesOf(ctx, l), may_read)},
            {"notices", NoticesJson(NoticesOf(ctx, l), may_read)},
            // A change now needs a reason and, when it reopens a gate, is a QC finding.
            {"reason_required", ChangeNeedsReason(l.exam.state)}};
  if (may_read) {
    j["record"] = RecordJson(l.record);
    j["approvers"] = ApproverNames(ctx.tx(), l.record);
  }
  return j;
}

Response Get(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto l = id ? LoadScreening(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!l) return http::ErrorResponse(Error::NotFound("exam"));
  // spec: domain.md §9 — the screening record is part of the patient's record.
  if (MayReadPatients(ctx)) ctx.AuditRead("screening.view", "exam", std::to_string(l->exam.id));
  return http::JsonResponse(Answer(ctx, *l));
}

// The nested parts of a screening body, with their types; the gates check the content.
const http::Shape& ShapeOf(std::string_view key) {
  using http::Shape;
  const auto text = [](std::size_t max) { return Shape::Text({.max_length = max}); };
  const Shape free_text = Shape::Text({.max_length = 1000, .multiline = true});
  static const std::map<std::string_view, Shape> kShapes = {
      {"pregnancy", Shape::Object({{"status", text(32)},
                                   {"gestational_days_lmp", Shape::Integer()},
                                   {"assessed_on", text(10)},
                                   {"lmp_date", text(10)},
                                   {"dating_method", text(32)}})},
      {"consents", Shape::List(Shape::Object({{"type", text(64)},
                                              {"signer_name", text(64)},
                                              {"signer_relation", text(32)},
                                              {"relation_detail", text(32)},
                                              {"signed_at", text(32)}}))},
      {"mr", Shape::Object({{"active_implant", Shape::Boolean()},
                            {"ferromagnetic_implant", Shape::Boolean()},
                            {"metal_foreign_body", Shape::Boolean()},
                            {"tattoo", Shape::Boolean()},
                            {"claustrophobia", Shape::Boolean()},
                            {"previous_mr", Shape::Boolean()},
                            {"implant_detail", text(200)},
                            {"flag_note", text(500)}})},
      {"shielding", Shape::Object({{"used", Shape::Boolean()}, {"reason_if_not", free_text}})},
      {"contrast", Shape::Object({{"prior_reaction_grade", text(32)},
                                  {"prior_reaction_agent", text(100)},
                                  {"asthma_or_allergy", Shape::Boolean()},
                                  {"egfr", Shape::Number()},
                                  {"egfr_date", text(10)},
                                  {"metformin", Shape::Boolean()},
                                  {"hyperthyroidism", Shape::Boolean()}})},
      {"pregnancy_override", Shape::Object({{"reason", free_text},
                                            {"approver_id", Shape::Integer()},
                                            {"signer_name", text(64)},
                                            {"signer_relation", text(32)}})},
      {"companions", Shape::List(Shape::Object(
                         {{"name", text(64)}, {"relation", text(32)}, {"protection", text(200)}}))},
  };
  return kShapes.at(key);
}

// Records the facts of the screening (not the approvals, which need their own role).
Response Put(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto l = id ? LoadScreening(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!l) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 0});
  const auto reason =
      f->Text("reason", {.max_length = 500, .allow_empty = true, .multiline = true});
  Json body = Json::object();
  for (const char* key : {"pregnancy", "consents", "shielding", "contrast", "pregnancy_override",
                          "companions", "mr"}) {
    if (auto v = f->Raw(key, ShapeOf(key))) body[key] = *v;
  }
  // spec: issue 14 item 6 — after the start a change needs a reason, kept with its version.
  const bool needs_reason = ChangeNeedsReason(l->exam.state);
  if (needs_reason && (!reason || reason->find_first_not_of(" \t\r\n") == std::string::npos)) {
    f->Reject("reason", "required",
              fmt::format("the exam is {}: a change to the screening needs a reason",
                          StateKey(l->exam.state)));
  }
  // Shape checks; the content rules are the gates themselves.
  if (body.contains("pregnancy")) {
    const Json& p = body["pregnancy"];
    if (!p.is_object() || !ParsePregnancyStatus(p.value("status", ""))) {
      f->Reject("pregnancy.status", "enum",
                "must be one of: not_asked, not_pregnant, possibly_pregnant, pregnant");
    } else if (p.contains("lmp_date") && !p["lmp_date"].is_null() &&
               (!p["lmp_date"].is_string() || !ParseDate(p["lmp_date"].get<std::string>()))) {
      f->Reject("pregnancy.lmp_date", "date", "must be a real date as YYYY-MM-DD");
    }
  }
  for (const char* list : {"consents", "companions"}) {
    if (body.contains(list) && !body[list].is_array()) f->Reject(list, "type", "must be a list");
  }
  if (body.contains("companions") && body["companions"].is_array()) {
    const Json& list = body["companions"];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Json& c = list[i];
      if (!c.is_object() || c.value("name", "").empty() || c.value("relation", "").empty()) {
        f->Reject(fmt::format("companions[{}]", i), "required", "needs a name and a relation");
      }
    }
  }
  if (body.contains("shielding")) {
    const Json& s = body["shielding"];
    if (!s.is_object() || !s.value("used", Json()).is_boolean()) {
      f->Reject("shielding.used", "type", "must be true or false");
    } else if (!s["used"].get<bool>() && s.value("reason_if_not", "").empty()) {
      f->Reject("shielding.reason_if_not", "required", "a reason is needed when no shield is used");
    }
  }
  if (body.contains("pregnancy_override") && !body["pregnancy_override"].is_object()) {
    f->Reject("pregnancy_override", "type", "must be an object");
  }
  const ScreeningRecord given = RecordOf(body);
  if (body.contains("consents") && body["consents"].is_array()) {
    for (auto& e : ConsentErrors(given.consents)) f->Reject(e.field, e.rule, e.message);
  }
  if (body.contains("mr")) {
    for (auto& e : MrAnswerErrors(FactsOf(ctx, l->patient), given.mr)) {
      f->Reject(e.field, e.rule, e.message);
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != l->version) {
    return http::StaleVersion("screening");
  }
  ScreeningRecord next = l->record;
  if (body.contains("mr")) next.mr = given.mr;
  if (body.contains("pregnancy")) next.pregnancy = given.pregnancy;
  if (body.contains("consents")) next.consents = given.consents;
  if (body.contains("shielding")) next.shielding = given.shielding;
  if (body.contains("contrast")) next.contrast = given.contrast;
  if (body.contains("companions")) next.companions = given.companions;
  if (body.contains("pregnancy_override")) {
    // The signer and reason are recorded here; the approver only through an approval.
    auto o = given.pregnancy_override;
    if (o)
      o->approver_id =
          l->record.pregnancy_override ? l->record.pregnancy_override->approver_id : std::nullopt;
    next.pregnancy_override = o;
  }
  // An approval covers the facts it was given on; a change to them re-opens its gate.
  const std::vector<std::string> voided = VoidChangedApprovals(l->record, next);
  const std::string why = needs_reason ? *reason : reason.value_or("");
  const std::vector<Gate> gates_before = GatesOf(ctx, *l);
  Loaded after = *l;
  after.record = next;
  RecordFinding(ctx, *l, l->version + 1, gates_before, GatesOf(ctx, after), why);
  Save(ctx, *l, next, why);
  ctx.Audit("screening.record", "exam", std::to_string(l->exam.id));
  std::string list;
  for (const auto& key : voided) list += (list.empty() ? "" : ", ") + key;
  if (!voided.empty()) {
    ctx.Audit("screening.approval_voided", "exam", std::to_string(l->exam.id), nullptr, nullptr,
              list + ": the approved facts changed");
  }
  l->record = next;
  l->version += 1;
  Json answer = Answer(ctx, *l);
  answer["voided_approvals"] = voided;
  return http::JsonResponse(answer);
}

// An approval or override by the signed-in physician; the gate names the role it needs.
Response Approve(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto l = id ? LoadScreening(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!l) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto gate = f->Enum(
      "gate",
      {"pregnancy_override", "mr_clearance", "low_egfr", "severe_reaction", "gadolinium_pregnancy"},
      true);
  const auto reason = f->Text("reason", {.required = true, .max_length = 500, .multiline = true});
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const std::string needed = *gate == "severe_reaction" ? "director" : "radiologist";
  // The staff record is read now, not from the sign-in: a trainee flag set today applies today.
  const bool trainee = ctx.principal.staff_id && org::IsTrainee(ctx.tx(), *ctx.principal.staff_id);
  if (auto why = ApproverRefused(ctx.principal.roles, needed, trainee)) {
    return http::ErrorResponse(Error::Field(ErrorCode::kForbidden, *why));
  }
  // An approval answers an open gate: one given for nothing would count as a screening override
  // (spec: domain.md §2 "Every gate and override is audited and listed for the QC group")
  // without anything overridden.
  static const std::map<std::string, std::string> kGateApproved = {
      {"pregnancy_override", "pregnancy_blocked_8_15_weeks"},
      {"mr_clearance", "mr_implant"},
      {"low_egfr", "egfr_low"},
      {"severe_reaction", "severe_prior_reaction"},
      {"gadolinium_pregnancy", "gadolinium_pregnancy"}};
  const std::string& answered = kGateApproved.at(*gate);
  const auto open = GatesOf(ctx, *l);
  if (std::none_of(open.begin(), open.end(), [&](const Gate& g) { return g.key == answered; })) {
    return http::ErrorResponse(
        Error::Field(ErrorCode::kConflict, FieldError{"gate",
                                                      "not_open",
                                                      "the gate this approval answers is not open",
                                                      "approval_gate_not_open",
                                                      {{"gate", answered}}}));
  }
  const auto me = ctx.principal.ActorId();
  ScreeningRecord next = l->record;
  if (*gate == "pregnancy_override") {
    if (!next.pregnancy_override) {
      return http::ErrorResponse(Error::Field(
          ErrorCode::kValidationFailed, "gate", "order",
          "record the special need and the signer (pregnancy_override) before approving"));
    }
    next.pregnancy_override->approver_id = me;
  } else if (*gate == "mr_clearance") {
    // The clearance covers the implants reported now; one reported later opens the gate again.
    next.mr_clearance = MrClearance{me, *reason, MrImplantsOf(FactsOf(ctx, l->patient), next.mr)};
  } else if (*gate == "low_egfr") {
    next.low_egfr_approval = Approval{me, *reason};
  } else if (*gate == "severe_reaction") {
    next.severe_reaction_override = Approval{me, *reason};
  } else {
    next.gadolinium_pregnancy_justification = Approval{me, *reason};
  }
  Save(ctx, *l, next, *reason);
  store::InsertOverride(ctx.tx(), {.exam_id = l->exam.id,
                                   .gate = *gate,
                                   .approver_id = me,
                                   .approver = ctx.principal.Name(),
                                   .reason = *reason,
                                   .at = ctx.Now()});
  ctx.Audit("screening.override", "exam", std::to_string(l->exam.id), nullptr, nullptr,
            *gate + ": " + *reason);
  l->record = next;
  l->version += 1;
  return http::JsonResponse(Answer(ctx, *l), 201);
}

// Every version of the record, newest first, with who changed it, when and why.
Response Versions(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  const bool may_read = MayReadPatients(ctx);
  Json items = Json::array();
  for (const auto& v : store::ScreeningVersions(ctx.tx(), e->id)) {
    Json j = {{"version", v.version},
              {"recorded_by", v.recorded_by},
              {"recorded_at", FormatInstant(v.recorded_at)},
              {"reason", v.reason}};
    if (may_read) j["record"] = v.record;
    items.push_back(std::move(j));
  }
  if (may_read) ctx.AuditRead("screening.versions", "exam", std::to_string(e->id));
  return http::JsonResponse({{"exam_id", e->id}, {"items", items}});
}

}  // namespace

void RecordPatientChangeFindings(http::Context& ctx, const Patient& before,
                                 const std::string& reason) {
  store::ExamFilter f;
  f.sites = ctx.principal.sites;
  f.patient_id = before.id;
  f.limit = 1000;  // a patient's exams; only started ones can hold a finding
  for (const auto& row : store::SearchExams(ctx.tx(), f)) {
    if (!ChangeNeedsReason(row.exam.state)) continue;
    const auto now = LoadScreening(ctx.tx(), row.exam.id, ctx.principal.sites);
    if (!now) continue;
    Loaded then = *now;
    then.patient = before;
    RecordFinding(ctx, *now, now->version, GatesOf(ctx, then), GatesOf(ctx, *now),
                  "更正患者信息：" + reason);
  }
}

std::optional<http::Response> StartBlockedBy(http::Context& ctx, std::int64_t exam_id) {
  auto l = LoadScreening(ctx.tx(), exam_id, ctx.principal.sites);
  if (!l) return http::ErrorResponse(Error::NotFound("exam"));
  const auto gates = GatesOf(ctx, *l);
  if (gates.empty()) return std::nullopt;
  std::vector<FieldError> fields;
  std::string names;
  for (const auto& g : gates) {
    fields.push_back({"screening." + g.key, "gate_open", g.message, "", {{"gate", g.key}}});
    names += (names.empty() ? "" : ", ") + g.key;
  }
  return http::ErrorResponse(
      Error{ErrorCode::kConflict, "the exam cannot start: open screening gates: " + names, fields});
}

std::vector<http::Route> ScreeningRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  std::vector<http::Route> routes = {
      {Method::kGet, "/api/v1/exams/{id}/screening", Permission::kExamsRead, Mode::kRead, "exams",
       "The exam's safety screening record, the gates still open and the notices", nullptr, Get},
      {Method::kGet, "/api/v1/exams/{id}/screening/versions", Permission::kExamsRead, Mode::kRead,
       "exams", "Every version of the screening record, newest first, with who, when and why",
       nullptr, Versions},
      {Method::kPut, "/api/v1/exams/{id}/screening", Permission::kExamsWork, Mode::kWrite, "exams",
       "Record screening facts (MR questionnaire, pregnancy, consents, shielding, contrast "
       "checks); each save is a new version; after the start a reason is required and a reopened "
       "gate is a QC finding",
       nullptr, Put},
      {Method::kPost, "/api/v1/exams/{id}/screening/approvals", Permission::kScreeningApprove,
       Mode::kWrite, "exams",
       "Approve or override a gate as the signed-in radiologist (director for a severe prior "
       "reaction)",
       nullptr, Approve},
  };
  for (auto& r : ScreeningListRoutes()) routes.push_back(std::move(r));
  return routes;
}

}  // namespace radqs::exam
