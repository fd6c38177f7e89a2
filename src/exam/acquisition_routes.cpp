// The acquisition record of an exam (versions kept) and the reject/repeat log.
#include <fmt/format.h>

#include <charconv>

#include "exam/acquisition.h"
#include "exam/exam_store.h"
#include "exam/patient_access.h"
#include "exam/screening.h"
#include "platform/auth/site_scope.h"
#include "platform/http/fields.h"
#include "platform/http/query_params.h"

namespace radqs::exam {

namespace {

using http::Context;
using http::Response;

bool Acquiring(ExamState s) { return s == ExamState::kInProgress || s == ExamState::kAcquired; }

Response NotAcquiring(const store::ExamRow& e) {
  return http::ErrorResponse(
      Error{ErrorCode::kConflict,
            fmt::format("the exam is {}; acquisition is recorded in progress or after",
                        StateKey(e.state)),
            {{"state", "transition", fmt::format("current state is {}", StateKey(e.state))}}});
}

// The nested parts a body may carry: numbers and text must have their types (Fields names the
// path of any that does not, e.g. "contrast.volume_ml").
const http::Shape& ShapeOf(std::string_view key) {
  using http::Shape;
  static const Shape kContrast = Shape::Object({{"agent", Shape::Text({.max_length = 100})},
                                                {"lot", Shape::Text({.max_length = 64})},
                                                {"volume_ml", Shape::Number()},
                                                {"concentration", Shape::Text({.max_length = 64})},
                                                {"injection_site", Shape::Text()},
                                                {"cannula_gauge", Shape::Text({.max_length = 32})},
                                                {"flow_rate_ml_s", Shape::Number()},
                                                {"injector", Shape::Text({.max_length = 100})}});
  static const Shape kExtravasation =
      Shape::Object({{"volume_ml", Shape::Number()},
                     {"site", Shape::Text()},
                     {"symptoms", Shape::Text({.max_length = 1000, .multiline = true})},
                     {"treatment", Shape::Text({.max_length = 1000, .multiline = true})},
                     {"follow_up", Shape::Text({.max_length = 1000, .multiline = true})}});
  return key == "contrast" ? kContrast : kExtravasation;
}

Json RowJson(const store::ExamRow& e, const std::optional<store::AcquisitionRow>& a) {
  Json j = {{"exam_id", e.id}, {"version", a ? a->version : 0}};
  j["record"] = a ? AcquisitionJson(a->record) : Json(nullptr);
  j["recorded_by"] = a ? Json(a->recorded_by) : Json(nullptr);
  j["recorded_at"] = a ? Json(FormatInstant(a->recorded_at)) : Json(nullptr);
  j["reason"] = a ? Json(a->reason) : Json(nullptr);
  // Recorded during the exam, so every change of a recorded version needs a reason.
  j["reason_required"] = a && ChangeNeedsReason(e.state);
  return j;
}

Response Get(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  // spec: domain.md §9 — the acquisition record (contrast, extravasation) is the patient's.
  if (MayReadPatients(ctx)) ctx.AuditRead("acquisition.view", "exam", std::to_string(e->id));
  return http::JsonResponse(RowJson(*e, store::LoadAcquisition(ctx.tx(), e->id)));
}

std::string RoomName(db::Transaction& tx, std::optional<std::int64_t> room_id) {
  const auto room = room_id ? store::LoadRoom(tx, *room_id) : std::nullopt;
  return room ? room->name : "";
}

Response Put(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  Json body = Json::object();
  const auto version = f->Integer("version", {.required = true, .min = 0});
  if (auto v = f->Text("device_id", {.required = true, .max_length = 64})) body["device_id"] = *v;
  if (auto v = f->Text("protocol", {.max_length = 200, .allow_empty = true})) body["protocol"] = *v;
  if (auto v = f->Integer("image_count", {.required = true, .min = 0, .max = 100000})) {
    body["image_count"] = *v;
  }
  if (auto v = f->Boolean("images_checked")) body["images_checked"] = *v;
  const auto reason =
      f->Text("reason", {.max_length = 500, .allow_empty = true, .multiline = true});
  for (const char* k : {"contrast", "extravasation"}) {
    if (auto v = f->Raw(k, ShapeOf(k))) body[k] = *v;
  }
  if (f->HasErrors()) return http::ErrorResponse(f->Finish().error());
  const Acquisition a = AcquisitionOf(body);
  for (auto& err : ValidateAcquisition(a)) f->Reject(err);
  if (auto why = CheckDevice(a.device_id, ctx.Now())) f->Reject("device_id", "device", *why);
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (!Acquiring(e->state)) return NotAcquiring(*e);
  const auto current = store::LoadAcquisition(ctx.tx(), e->id);
  if (*version != (current ? current->version : 0)) {
    return http::StaleVersion("record");
  }
  // spec: issue 14 item 6 — the acquisition is recorded after the start, so a change of a
  // recorded version needs a reason, kept with the new version.
  const bool blank = !reason || reason->find_first_not_of(" \t\r\n") == std::string::npos;
  if (current && ChangeNeedsReason(e->state) && blank) {
    return http::ErrorResponse(Error::Validation(
        {{"reason", "required",
          fmt::format("the exam is {}: a change to the acquisition record needs a reason",
                      StateKey(e->state))}}));
  }
  store::SaveAcquisition(ctx.tx(), e->id, *version + 1, a, ctx.principal.ActorId(), ctx.Now(),
                         reason.value_or(""));
  std::optional<SafetyEventRef> event;
  if (a.extravasation && a.contrast) {
    event = NotifyExtravasation(ctx.tx(), {.exam_id = e->id,
                                           .patient_id = e->patient_id,
                                           .site_id = e->site_id,
                                           .accession_no = e->accession_no,
                                           .room_name = RoomName(ctx.tx(), e->room_id),
                                           .contrast = *a.contrast,
                                           .extravasation = *a.extravasation,
                                           .recorded_by = ctx.principal.ActorId(),
                                           .recorded_by_name = ctx.principal.Name(),
                                           .at = ctx.Now(),
                                           .utc_offset_minutes = ctx.UtcOffsetMinutes()});
  }
  Json after = AcquisitionJson(a);
  ctx.Audit("exam.acquisition", "exam", std::to_string(e->id), nullptr, &after,
            event ? "extravasation recorded: safety event " + event->event_no : "");
  Json answer = RowJson(*e, store::LoadAcquisition(ctx.tx(), e->id));
  answer["safety_event"] =
      event ? Json{{"id", event->id}, {"event_no", event->event_no}} : Json(nullptr);
  return http::JsonResponse(answer);
}

// Every version of the record, newest first, with who changed it, when and why.
Response Versions(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  if (MayReadPatients(ctx)) ctx.AuditRead("acquisition.versions", "exam", std::to_string(e->id));
  Json items = Json::array();
  for (const auto& v : store::AcquisitionVersions(ctx.tx(), e->id)) {
    items.push_back({{"version", v.version},
                     {"record", AcquisitionJson(v.record)},
                     {"recorded_by", v.recorded_by},
                     {"recorded_at", FormatInstant(v.recorded_at)},
                     {"reason", v.reason}});
  }
  return http::JsonResponse({{"exam_id", e->id}, {"items", items}});
}

Response AddReject(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto reason = f->Enum(
      "reason",
      {"positioning", "exposure", "motion", "artifact", "equipment", "labelling", "other"}, true);
  const auto images = f->Integer("images", {.required = true, .min = 1, .max = 1000});
  // No defaults (issue 14 item 9): the technologist says whether the images were taken again.
  const auto repeated = f->Boolean("repeated", true);
  const auto note = f->Text("note", {.max_length = 500, .allow_empty = true, .multiline = true});
  auto device = f->Text("device_id", {.max_length = 64, .allow_empty = true});
  if (reason == "other" && (!note || note->empty())) {
    f->Reject("note", "required", "say what the other reason was");
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (!Acquiring(e->state)) return NotAcquiring(*e);
  if (!device || device->empty()) {
    const auto a = store::LoadAcquisition(ctx.tx(), e->id);
    device = a ? a->record.device_id : "";
  }
  const std::int64_t reject_id =
      store::InsertReject(ctx.tx(), {.exam_id = e->id,
                                     .reason = *reason,
                                     .images = *images,
                                     .repeated = *repeated,
                                     .device_id = *device,
                                     .technologist_user_id = ctx.principal.ActorId(),
                                     .technologist = ctx.principal.username,
                                     .note = note.value_or(""),
                                     .recorded_at = ctx.Now()});
  ctx.Audit("exam.reject", "exam", std::to_string(e->id), nullptr, nullptr,
            fmt::format("{} x{} {}", *reason, *images, note.value_or("")));
  return http::JsonResponse({{"id", reject_id},
                             {"exam_id", e->id},
                             {"reason", *reason},
                             {"images", *images},
                             {"device_id", *device},
                             {"technologist", ctx.principal.username}},
                            201);
}

Response ListRejects(Context& ctx) {
  const auto limit = http::ReadLimit(ctx.request);
  if (!limit) return http::ErrorResponse(limit.error());
  const int offset = ctx.UtcOffsetMinutes();
  http::QueryParams params(ctx.request);
  store::RejectFilter f{.sites = ctx.principal.sites,
                        .from = params.DayStart("from", offset),
                        .to = params.DayStart("to", offset, 1),
                        .reason = params.Text("reason"),
                        .exam_id = params.Integer("exam_id"),
                        .before = std::nullopt,
                        .limit = *limit + 1};
  // Newest first by time: the cursor is "<recorded_at>_<id>" of the last entry shown.
  if (auto c = params.Text("cursor")) {
    const auto sep = c->find('_');
    std::int64_t at = 0, id = 0;
    if (sep != std::string::npos &&
        std::from_chars(c->data(), c->data() + sep, at).ec == std::errc() &&
        std::from_chars(c->data() + sep + 1, c->data() + c->size(), id).ec == std::errc()) {
      f.before = std::pair(at, id);
    } else {
      params.Reject("cursor", "format", "is not a cursor from a previous page");
    }
  }
  if (auto ok = params.Finish(); !ok) return http::ErrorResponse(ok.error());
  auto rows = store::ListRejects(ctx.tx(), f);
  Json next = nullptr;
  if (rows.size() > static_cast<std::size_t>(*limit)) {
    rows.pop_back();
    next = fmt::format("{}_{}", rows.back().reject.recorded_at, rows.back().id);
  }
  Json items = Json::array();
  std::vector<std::int64_t> shown;
  for (const auto& r : rows) {
    shown.push_back(r.patient_id);
    items.push_back({{"id", r.id},
                     {"exam_id", r.reject.exam_id},
                     {"accession_no", r.accession_no},
                     {"modality", r.modality},
                     {"reason", r.reject.reason},
                     {"images", r.reject.images},
                     {"repeated", r.reject.repeated},
                     {"device_id", r.reject.device_id},
                     {"technologist", r.reject.technologist},
                     {"technologist_name", r.technologist_name},
                     {"note", r.reject.note},
                     {"recorded_at", FormatInstant(r.reject.recorded_at)}});
  }
  AuditPatientsListed(ctx, shown);
  return http::JsonResponse({{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

std::vector<http::Route> AcquisitionRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/exams/{id}/acquisition", Permission::kExamsRead, Mode::kRead, "exams",
       "The exam's acquisition record (latest version)", nullptr, Get},
      {Method::kPut, "/api/v1/exams/{id}/acquisition", Permission::kExamsWork, Mode::kWrite,
       "exams",
       "Record the acquisition: device, protocol, images, IV contrast, extravasation; each save "
       "is a new version, a change of a recorded version needs a reason",
       nullptr, Put},
      {Method::kGet, "/api/v1/exams/{id}/acquisition/versions", Permission::kExamsRead, Mode::kRead,
       "exams", "Every version of the acquisition record, newest first, with who, when and why",
       nullptr, Versions},
      {Method::kPost, "/api/v1/exams/{id}/rejects", Permission::kExamsWork, Mode::kWrite, "exams",
       "Log rejected or repeated images (废片登记) with the reason", nullptr, AddReject},
      {Method::kGet, "/api/v1/rejects", Permission::kExamsRead, Mode::kRead, "exams",
       "The reject/repeat log, newest first (filters from, to, reason, exam_id)", nullptr,
       ListRejects},
  };
}

}  // namespace radqs::exam
