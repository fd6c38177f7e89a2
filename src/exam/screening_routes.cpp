// Safety screening records (检查前安全核查), gate approvals and the overrides list.
// spec: domain.md §2 "Safety screening before the exam".
#include <fmt/format.h>

#include <map>

#include "exam/exam.h"
#include "exam/exam_store.h"
#include "exam/identity.h"
#include "exam/patient_access.h"
#include "exam/screening.h"
#include "org/org.h"
#include "platform/auth/accounts.h"
#include "platform/auth/site_scope.h"
#include "platform/http/fields.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

std::optional<Date> DateOf(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return ParseDate(j[key].get<std::string>());
}
Json DateJson(const std::optional<Date>& d) { return d ? Json(FormatDate(*d)) : Json(nullptr); }
Json ApprovalJson(const std::optional<Approval>& a) {
  if (!a) return nullptr;
  return {{"approver_id", a->approver_id}, {"reason", a->reason}};
}
std::optional<Approval> ApprovalOf(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  return Approval{j.value("approver_id", std::optional<std::int64_t>()), j.value("reason", "")};
}

Json RecordJson(const ScreeningRecord& r) {
  Json consents = Json::array();
  for (const auto& c : r.consents) {
    consents.push_back({{"type", c.type},
                        {"signer_name", c.signer_name},
                        {"signer_relation", c.signer_relation},
                        {"signed_at", c.signed_at ? Json(FormatInstant(*c.signed_at)) : Json()}});
  }
  Json j = Json::object();
  j["pregnancy"] = {{"status", PregnancyStatusKey(r.pregnancy.status)},
                    {"gestational_days_lmp", r.pregnancy.gestational_days_lmp},
                    {"assessed_on", DateJson(r.pregnancy.assessed_on)},
                    {"lmp_date", DateJson(r.pregnancy.lmp_date)},
                    {"dating_method", DatingMethodKey(r.pregnancy.dating_method)}};
  if (r.pregnancy_override) {
    const auto& o = *r.pregnancy_override;
    j["pregnancy_override"] = {{"reason", o.reason},
                               {"approver_id", o.approver_id},
                               {"signer_name", o.signer_name},
                               {"signer_relation", o.signer_relation}};
  } else {
    j["pregnancy_override"] = nullptr;
  }
  j["consents"] = consents;
  j["shielding"] =
      r.shielding ? Json{{"used", r.shielding->used}, {"reason_if_not", r.shielding->reason_if_not}}
                  : Json(nullptr);
  j["mr_clearance"] = r.mr_clearance ? Json{{"radiologist_id", r.mr_clearance->radiologist_id},
                                            {"note", r.mr_clearance->note}}
                                     : Json(nullptr);
  const auto& c = r.contrast;
  j["contrast"] = {{"prior_reaction_grade", ReactionGradeKey(c.prior_reaction_grade)},
                   {"prior_reaction_agent", c.prior_reaction_agent},
                   {"asthma_or_allergy", c.asthma_or_allergy},
                   {"egfr", c.egfr},
                   {"egfr_date", DateJson(c.egfr_date)},
                   {"metformin", c.metformin},
                   {"hyperthyroidism", c.hyperthyroidism}};
  j["low_egfr_approval"] = ApprovalJson(r.low_egfr_approval);
  j["severe_reaction_override"] = ApprovalJson(r.severe_reaction_override);
  j["gadolinium_pregnancy_justification"] = ApprovalJson(r.gadolinium_pregnancy_justification);
  Json companions = Json::array();
  for (const auto& person : r.companions) {
    companions.push_back(
        {{"name", person.name}, {"relation", person.relation}, {"protection", person.protection}});
  }
  j["companions"] = companions;
  return j;
}

ScreeningRecord RecordOf(const Json& j) {
  ScreeningRecord r;
  if (const Json& p = j.value("pregnancy", Json::object()); p.is_object()) {
    r.pregnancy.status =
        ParsePregnancyStatus(p.value("status", "not_asked")).value_or(PregnancyStatus::kNotAsked);
    r.pregnancy.gestational_days_lmp = p.value("gestational_days_lmp", std::optional<int>());
    r.pregnancy.assessed_on = DateOf(p, "assessed_on");
    r.pregnancy.lmp_date = DateOf(p, "lmp_date");
    r.pregnancy.dating_method =
        ParseDatingMethod(p.value("dating_method", "unknown")).value_or(DatingMethod::kUnknown);
  }
  if (const Json& o = j.value("pregnancy_override", Json()); o.is_object()) {
    r.pregnancy_override = PregnancyOverride{
        o.value("reason", ""), o.value("approver_id", std::optional<std::int64_t>()),
        o.value("signer_name", ""), o.value("signer_relation", "")};
  }
  for (const auto& c : j.value("consents", Json::array())) {
    ConsentRecord rec{c.value("type", ""), c.value("signer_name", ""),
                      c.value("signer_relation", ""), std::nullopt};
    if (c.contains("signed_at") && c["signed_at"].is_string()) {
      rec.signed_at = ParseInstant(c["signed_at"].get<std::string>());
    }
    r.consents.push_back(std::move(rec));
  }
  if (const Json& s = j.value("shielding", Json()); s.is_object()) {
    r.shielding = ShieldingRecord{s.value("used", false), s.value("reason_if_not", "")};
  }
  if (const Json& m = j.value("mr_clearance", Json()); m.is_object()) {
    r.mr_clearance =
        MrClearance{m.value("radiologist_id", std::optional<std::int64_t>()), m.value("note", "")};
  }
  if (const Json& c = j.value("contrast", Json()); c.is_object()) {
    r.contrast.prior_reaction_grade =
        ParseReactionGrade(c.value("prior_reaction_grade", "none")).value_or(ReactionGrade::kNone);
    r.contrast.prior_reaction_agent = c.value("prior_reaction_agent", "");
    r.contrast.asthma_or_allergy = c.value("asthma_or_allergy", false);
    r.contrast.egfr = c.value("egfr", std::optional<double>());
    r.contrast.egfr_date = DateOf(c, "egfr_date");
    r.contrast.metformin = c.value("metformin", false);
    r.contrast.hyperthyroidism = c.value("hyperthyroidism", false);
  }
  r.low_egfr_approval = ApprovalOf(j.value("low_egfr_approval", Json()));
  r.severe_reaction_override = ApprovalOf(j.value("severe_reaction_override", Json()));
  r.gadolinium_pregnancy_justification =
      ApprovalOf(j.value("gadolinium_pregnancy_justification", Json()));
  for (const auto& c : j.value("companions", Json::array())) {
    if (c.is_object()) {
      r.companions.push_back(
          {c.value("name", ""), c.value("relation", ""), c.value("protection", "")});
    }
  }
  return r;
}

struct Loaded {
  store::ExamRow exam;
  Patient patient;
  CatalogueItem item;
  ScreeningRecord record;
  std::int64_t version = 0;
};

std::optional<Loaded> Load(db::Transaction& tx, std::int64_t exam_id,
                           const auth::SiteScope& scope) {
  auto e = store::LoadExam(tx, exam_id, scope);
  if (!e) return std::nullopt;
  Loaded l{*e, *store::LoadPatient(tx, e->patient_id), *store::LoadItem(tx, e->item_id), {}, 0};
  if (auto latest = store::LatestScreening(tx, exam_id)) {
    l.record = RecordOf(latest->record);
    l.version = latest->version;
  }
  return l;
}

std::vector<Gate> GatesOf(Context& ctx, const Loaded& l) {
  PatientFacts p;
  const int offset = ctx.UtcOffsetMinutes();
  p.sex = l.patient.sex.empty() ? 'U' : l.patient.sex[0];
  // No birth date (无名氏): the estimated age, as estimated at registration.
  p.birth_date = l.patient.birth_date;
  p.estimated_age = l.patient.estimated_age;
  p.estimated_on = LocalDate(l.patient.created_at, offset);
  p.contrast_allergy_known = l.patient.contrast_allergy;
  p.has_pacemaker = l.patient.pacemaker;
  p.has_ferromagnetic_implant = l.patient.ferromagnetic_implant;
  ExamFacts x;
  x.modality = l.item.modality;
  x.xray = l.item.xray;
  x.lower_abdomen_pelvis = l.item.lower_abdomen;
  x.contrast = l.item.contrast;
  x.contrast_kind = l.item.contrast_kind;
  auto& st = ctx.settings();
  ScreeningSettings settings;
  settings.childbearing_age_min = static_cast<int>(st.Int("screening.childbearing_age_min"));
  settings.childbearing_age_max = static_cast<int>(st.Int("screening.childbearing_age_max"));
  const Date today = LocalDate(ctx.Now(), offset);
  // spec: regulations.md preamble — versioned settings, the version in force on the exam day.
  settings.egfr_threshold_iodinated =
      st.ValueOn("screening.egfr_threshold_iodinated", today).get<double>();
  settings.egfr_threshold_gadolinium =
      st.ValueOn("screening.egfr_threshold_gadolinium", today).get<double>();
  settings.egfr_validity_days = static_cast<int>(st.IntOn("screening.egfr_validity_days", today));
  return OpenGates(p, x, l.record, settings, today);
}

// Messages name the patient's sex and age, so only those who may read patients get them.
Json GatesJson(const std::vector<Gate>& gates, bool may_read) {
  Json out = Json::array();
  for (const auto& g : gates) {
    Json j = {{"key", g.key}, {"overridable", g.overridable}, {"override_by", g.override_by}};
    if (may_read) j["message"] = g.message;
    out.push_back(std::move(j));
  }
  return out;
}

void Save(Context& ctx, const Loaded& l, const ScreeningRecord& r) {
  store::SaveScreening(ctx.tx(), l.exam.id, l.version + 1, RecordJson(r), ctx.principal.ActorId(),
                       ctx.Now());
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
            {"open_gates", GatesJson(GatesOf(ctx, l), may_read)}};
  if (may_read) {
    j["record"] = RecordJson(l.record);
    j["approvers"] = ApproverNames(ctx.tx(), l.record);
  }
  return j;
}

Response Get(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto l = id ? Load(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
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
                                              {"signed_at", text(32)}}))},
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
  auto l = id ? Load(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!l) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 0});
  Json body = Json::object();
  for (const char* key :
       {"pregnancy", "consents", "shielding", "contrast", "pregnancy_override", "companions"}) {
    if (auto v = f->Raw(key, ShapeOf(key))) body[key] = *v;
  }
  // Shape checks; the content rules are the gates themselves.
  if (body.contains("pregnancy")) {
    const Json& p = body["pregnancy"];
    if (!p.is_object() || !ParsePregnancyStatus(p.value("status", ""))) {
      f->Reject("pregnancy.status", "enum",
                "must be one of: not_asked, not_pregnant, possibly_pregnant, pregnant");
    } else if (p.contains("lmp_date") && !p["lmp_date"].is_null() && !DateOf(p, "lmp_date")) {
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
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != l->version) {
    return http::StaleVersion("screening");
  }
  ScreeningRecord next = l->record;
  const ScreeningRecord given = RecordOf(body);
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
  Save(ctx, *l, next);
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
  auto l = id ? Load(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
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
    return http::ErrorResponse(
        Error::Field(ErrorCode::kForbidden, why->field, why->rule, why->message));
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
    next.mr_clearance = MrClearance{me, *reason};
  } else if (*gate == "low_egfr") {
    next.low_egfr_approval = Approval{me, *reason};
  } else if (*gate == "severe_reaction") {
    next.severe_reaction_override = Approval{me, *reason};
  } else {
    next.gadolinium_pregnancy_justification = Approval{me, *reason};
  }
  Save(ctx, *l, next);
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

}  // namespace

std::optional<http::Response> StartBlockedBy(http::Context& ctx, std::int64_t exam_id) {
  auto l = Load(ctx.tx(), exam_id, ctx.principal.sites);
  if (!l) return http::ErrorResponse(Error::NotFound("exam"));
  const auto gates = GatesOf(ctx, *l);
  if (gates.empty()) return std::nullopt;
  std::vector<FieldError> fields;
  std::string names;
  for (const auto& g : gates) {
    fields.push_back({"screening." + g.key, "gate_open", g.message});
    names += (names.empty() ? "" : ", ") + g.key;
  }
  return http::ErrorResponse(
      Error{ErrorCode::kConflict, "the exam cannot start: open screening gates: " + names, fields});
}

std::vector<http::Route> ScreeningRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/exams/{id}/screening", Permission::kExamsRead, Mode::kRead, "exams",
       "The exam's safety screening record and the gates still open", nullptr, Get},
      {Method::kPut, "/api/v1/exams/{id}/screening", Permission::kExamsWork, Mode::kWrite, "exams",
       "Record screening facts (pregnancy, consents, shielding, contrast checks); each save is a "
       "new version",
       nullptr, Put},
      {Method::kPost, "/api/v1/exams/{id}/screening/approvals", Permission::kScreeningApprove,
       Mode::kWrite, "exams",
       "Approve or override a gate as the signed-in radiologist (director for a severe prior "
       "reaction)",
       nullptr, Approve},
      {Method::kGet, "/api/v1/screening/overrides", Permission::kExamsRead, Mode::kRead, "exams",
       "Screening approvals and overrides, newest first, for the QC group", nullptr, ListOverrides},
  };
}

}  // namespace radqs::exam
