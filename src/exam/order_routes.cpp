// Orders and exams: ordering, searching, the exam's timeline, and state changes.
#include <fmt/format.h>

#include <charconv>
#include <cstdint>

#include "exam/exam.h"
#include "exam/exam_store.h"
#include "exam/patient_access.h"
#include "exam/scheduling.h"
#include "org/org.h"
#include "platform/http/fields.h"
#include "platform/http/query_params.h"
#include "platform/json_writer.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

std::optional<std::string> Instant(const std::optional<Micros>& t) {
  return t ? std::optional(FormatInstant(*t)) : std::nullopt;
}
std::optional<double> Minutes(const std::optional<Micros>& d) {
  return d ? std::optional(static_cast<double>(*d) / kMicrosPerMinute) : std::nullopt;
}

// The fields of an exam, listed once: lists write them straight into the answer, single
// answers parse them back into a Json to add to.
void WriteExam(JsonWriter& w, const store::ExamRow& e) {
  w.Field("id", e.id)
      .Field("accession_no", e.accession_no)
      .Field("order_id", e.order_id)
      .Field("site_id", e.site_id)
      .Field("patient_id", e.patient_id)
      .Field("item_id", e.item_id)
      .Field("modality", e.modality)
      .Field("priority", e.priority)
      .Field("room_id", e.room_id)
      .Field("state", StateKey(e.state))
      .Field("ordered_at", Instant(e.stamps.ordered))
      .Field("appointment_at", Instant(e.stamps.scheduled_for))
      .Field("arrived_at", Instant(e.stamps.arrived))
      .Field("started_at", Instant(e.stamps.started))
      .Field("acquired_at", Instant(e.stamps.acquired))
      .Field("final_at", Instant(e.stamps.final_))
      .Field("cancel_reason", e.cancel_reason)
      .Field("location", e.location)
      .Key("arrival")
      .Raw(e.arrival_record.empty() ? std::string_view("null") : e.arrival_record)
      .Field("version", e.version);
}

Json ExamJson(const store::ExamRow& e) {
  JsonWriter w;
  w.BeginObject();
  WriteExam(w, e);
  w.EndObject();
  return Json::parse(w.str());
}

Response CreateOrder(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  Order o;
  const auto patient_id = f->Integer("patient_id", {.required = true, .min = 1});
  const auto item_id = f->Integer("item_id", {.required = true, .min = 1});
  auto text = [&](const char* key, std::string& into, std::size_t max, bool multiline = false) {
    if (auto v = f->Text(key, {.required = true, .max_length = max, .multiline = multiline})) {
      into = *v;
    }
  };
  const auto department_id = f->Integer("ordering_department_id", {.required = true, .min = 1});
  text("ordering_physician", o.ordering_physician, 64);
  text("clinical_history", o.clinical_history, 2000, true);
  text("clinical_question", o.clinical_question, 1000, true);
  if (auto v =
          f->Enum("patient_class", {"outpatient", "inpatient", "emergency", "checkup"}, true)) {
    o.patient_class = *v;
  }
  if (auto v = f->Enum("priority", {"routine", "urgent", "emergency", "green_channel"}, true)) {
    o.priority = *v;
  }
  if (auto v = f->Text("pathway", {.max_length = 32, .allow_empty = true})) o.pathway = *v;
  auto& tx = ctx.tx();
  for (auto& e : ValidateOrder(o, store::ActivePathways(tx))) {
    // Required-field errors are already listed by the field readers.
    if (e.rule != "required" || e.field == "pathway") f->Reject(e);
  }
  std::optional<Patient> patient;
  std::optional<CatalogueItem> item;
  if (patient_id) {
    patient = store::LoadPatient(tx, *patient_id, ctx.principal.sites);
    if (!patient) f->Reject("patient_id", "reference", "no such patient");
    if (patient && patient->merged_into) {
      f->Reject("patient_id", "merged", "this record was merged; order for the merged patient");
    }
  }
  if (item_id) {
    item = store::LoadItem(tx, *item_id);
    if (!item || !item->active) f->Reject("item_id", "reference", "no such active catalogue item");
  }
  if (patient && item) {
    o.site_id = patient->site_id;
    // spec: domain.md §1 independent centre rule (a), then the site's own catalogue.
    if (auto e =
            OfferRefused(store::SiteKind(tx, o.site_id), item->category, o.site_id, "item_id")) {
      f->Reject(*e);
    } else if (!store::OfferedAt(tx, item->id, o.site_id)) {
      f->Reject("item_id", "site", "is not offered at the patient's site");
    }
  }
  if (patient && department_id) {
    const auto d = org::FindDepartment(tx, *department_id);
    if (auto e = DepartmentRefused(d.has_value(), d && d->active, d ? d->site_id : 0,
                                   patient->site_id)) {
      f->Reject(*e);
    } else {
      o.ordering_department_id = d->id;
      o.ordering_department = d->name;
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  o.patient_id = *patient_id;
  o.item_id = *item_id;
  const Micros now = ctx.Now();
  const int offset = ctx.UtcOffsetMinutes();
  const Date today = LocalDate(now, offset);
  const std::string accession = AccessionNumber(today, store::NextAccession(tx, today));
  const std::int64_t exam_id =
      store::InsertOrder(tx, o, *item, accession, ctx.principal.ActorId(), now);
  ctx.Audit("order.create", "order", std::to_string(o.id), nullptr, nullptr,
            fmt::format("exam {} {} {}", accession, item->code, o.priority));
  Json out = ExamJson(*store::LoadExam(tx, exam_id));
  out["order"] = {{"id", o.id},
                  {"ordering_department_id", o.ordering_department_id},
                  {"ordering_department", o.ordering_department},
                  {"ordering_physician", o.ordering_physician},
                  {"patient_class", o.patient_class},
                  {"pathway", o.pathway}};
  return http::JsonResponse(out, 201);
}

Response SearchExams(Context& ctx) {
  http::QueryParams q(ctx.request);
  store::ExamFilter f;
  f.sites = ctx.principal.sites;
  const int limit = static_cast<int>(q.Integer("limit", 1, 500).value_or(50));
  f.room_id = q.Integer("room_id");
  f.patient_id = q.Integer("patient_id");
  // Newest first by order time unless `sort` says otherwise (ordered_at, appointment_at, a
  // leading "-" for descending); the cursor is "<sort value>_<id>" of the last exam shown.
  if (auto s = q.Text("sort")) {
    const bool desc = s->starts_with('-');
    const std::string_view key = std::string_view(*s).substr(desc ? 1 : 0);
    f.ascending = !desc;
    if (key == "ordered_at") {
      f.sort_by = store::ExamFilter::SortBy::kOrderedAt;
    } else if (key == "appointment_at") {
      f.sort_by = store::ExamFilter::SortBy::kAppointmentAt;
    } else {
      q.Reject("sort", "enum", "must be ordered_at or appointment_at, with - for descending");
    }
  }
  if (auto c = q.Text("cursor")) {
    const auto sep = c->find('_');
    std::int64_t at = 0, id = 0;
    const bool ok =
        sep != std::string::npos &&
        std::from_chars(c->data(), c->data() + sep, at).ec == std::errc() &&
        std::from_chars(c->data() + sep + 1, c->data() + c->size(), id).ec == std::errc();
    if (ok) {
      f.before = std::pair(at, id);
    } else {
      q.Reject("cursor", "format", "is not a cursor from a previous page");
    }
  }
  const int offset = ctx.UtcOffsetMinutes();
  f.from = q.DayStart("from", offset);
  f.to = q.DayStart("to", offset, 1);  // the whole "to" day
  if (auto m = q.Text("modality")) f.modality = *m;
  if (auto a = q.Text("accession_no")) f.accession_no = *a;
  if (auto s = q.Text("state")) {
    if (!ParseState(*s)) q.Reject("state", "enum", "is not an exam state");
    f.state = *s;
  }
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  f.limit = limit + 1;
  auto rows = store::SearchExams(ctx.tx(), f);
  std::optional<std::string> next;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.pop_back();
    next = fmt::format("{}_{}", store::ExamSortValue(f, rows.back().exam), rows.back().exam.id);
  }
  const bool may_read = MayReadPatients(ctx);
  std::vector<std::int64_t> shown;
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& row : rows) {
    w.BeginObject();
    WriteExam(w, row.exam);
    WritePatientFields(w, row.patient_name, row.patient_sex, may_read);
    w.Field("item_name", row.item_name).EndObject();
    shown.push_back(row.exam.patient_id);
  }
  w.EndArray().Field("next_cursor", next);
  if (!f.before && http::TotalAsked(ctx.request)) {
    http::WriteListTotal(w, [&](std::int64_t cap) { return store::CountExams(ctx.tx(), f, cap); });
  }
  w.EndObject();
  AuditPatientsListed(ctx, shown);
  Response out;
  out.body = w.Take();
  return out;
}

Response GetExam(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  auto patient = store::LoadPatient(ctx.tx(), e->patient_id);
  auto item = store::LoadItem(ctx.tx(), e->item_id);
  ctx.AuditRead("exam.view", "exam", std::to_string(e->id));
  Json j = ExamJson(*e);
  // spec: domain.md §0 — without patients.read the exam shows its accession number, not who.
  if (MayReadPatients(ctx)) {
    j["patient"] = PatientJson(*patient, ctx.Can(auth::Permission::kPatientsIdentity));
  }
  j["item"] = ItemJson(*item);
  if (const auto order = store::LoadOrder(ctx.tx(), e->order_id)) {
    const Order& o = order->order;
    j["order"] = {{"id", o.id},
                  {"ordering_department_id", o.ordering_department_id},
                  {"ordering_department", o.ordering_department},
                  {"ordering_department_code", order->department_code},
                  {"emergency_department", order->department_emergency},
                  {"ordering_physician", o.ordering_physician},
                  {"clinical_history", o.clinical_history},
                  {"clinical_question", o.clinical_question},
                  {"patient_class", o.patient_class},
                  {"pathway", o.pathway}};
    if (!o.pathway.empty()) {
      // spec: indicators.md tat.green_channel — the limit in force on the order's local day.
      const Date day = LocalDate(*e->stamps.ordered, ctx.UtcOffsetMinutes());
      const int limit = static_cast<int>(
          ctx.settings().IntOn("tat.green_channel." + o.pathway + "_minutes", day));
      const auto t = GreenChannelTime(e->stamps, std::nullopt, limit);
      j["green_channel"] = {{"pathway", o.pathway},
                            {"limit_minutes", limit},
                            {"start_source", std::string(t.start_source)},
                            {"elapsed_minutes", Minutes(t.elapsed)},
                            {"on_time", t.on_time ? Json(*t.on_time) : Json(nullptr)}};
    }
  }
  Json timeline = Json::array();
  for (const auto& ev : store::LoadEvents(ctx.tx(), e->id)) {
    Json step{{"from", ev.from},
              {"to", ev.to},
              {"at", FormatInstant(ev.at)},
              {"actor", ev.actor},
              {"actor_name", ev.actor_name},
              {"detail", ev.detail}};
    // A booking's note names the room by id and the time in UTC: the screen shows the room's
    // name and the site's local time instead (issue 14 item 2).
    if (const auto note = ev.to == "scheduled" ? ParseBookingNote(ev.detail) : std::nullopt) {
      const auto room = store::LoadRoom(ctx.tx(), note->room_id);
      step["detail"] = "";
      step["booking"] = {{"room_id", note->room_id},
                         {"room_name", room ? room->name : ""},
                         {"appointment_at", FormatInstant(note->appointment_at)}};
    }
    timeline.push_back(std::move(step));
  }
  j["timeline"] = timeline;
  const Turnaround t = ComputeTurnaround(e->stamps);
  j["turnaround_minutes"] = {{"order_to_appointment", Minutes(t.order_to_appointment)},
                             {"arrival_to_start", Minutes(t.arrival_to_start)},
                             {"start_to_acquired", Minutes(t.start_to_acquired)},
                             {"acquired_to_final", Minutes(t.acquired_to_final)},
                             {"order_to_final", Minutes(t.order_to_final)}};
  return http::JsonResponse(j);
}

// At check-in: where the exam happens and, for a critical patient, the escort — spec:
// domain.md §2 "Exam". Outside the room a mobile device, the staff distance and the shielding
// are recorded; a critical patient comes with an escorting physician and rescue drugs.
struct Arrival {
  std::string location = "room";
  Json record = Json::object();
};

Arrival ReadArrival(http::Fields& f, bool arriving) {
  Arrival a;
  const auto location = f.Enum("location", {"room", "bedside", "ward", "operating_room"});
  const auto device = f.Text("mobile_device", {.max_length = 64});
  const auto distance = f.Raw("staff_distance_m");
  const auto shielding = f.Text("shielding", {.max_length = 200});
  const auto critical = f.Boolean("critical");
  const auto escort = f.Text("escort_physician", {.max_length = 64});
  const auto drugs = f.Text("rescue_drugs", {.max_length = 200});
  if (!arriving) {
    for (const char* key : {"location", "mobile_device", "staff_distance_m", "shielding",
                            "critical", "escort_physician", "rescue_drugs"}) {
      if (f.Has(key)) f.Reject(key, "transition", "is recorded at check-in only");
    }
    return a;
  }
  if (location) a.location = *location;
  if (a.location != "room") {
    if (!device || device->empty()) {
      f.Reject("mobile_device", "required", "is required outside the exam room");
    }
    if (!distance || !distance->is_number() || distance->get<double>() < 0) {
      f.Reject("staff_distance_m", "required", "is required outside the exam room, in metres");
    }
    if (!shielding || shielding->empty()) {
      f.Reject("shielding", "required", "say how the people around were shielded");
    }
    a.record["mobile_device"] = device.value_or("");
    a.record["staff_distance_m"] = distance && distance->is_number() ? *distance : Json(nullptr);
    a.record["shielding"] = shielding.value_or("");
  }
  if (critical.value_or(false)) {
    if (!escort || escort->empty()) {
      f.Reject("escort_physician", "required", "a critical patient comes with a physician");
    }
    if (!drugs || drugs->empty()) {
      f.Reject("rescue_drugs", "required", "record the rescue drugs brought along");
    }
    a.record["critical"] = true;
    a.record["escort_physician"] = escort.value_or("");
    a.record["rescue_drugs"] = drugs.value_or("");
  }
  return a;
}

// A start passing over an emergency or green-channel exam of the room that has waited longer
// (issue 14 item 5): the refusal asking for a reason, or nullopt. The room's checked-in exams of
// today are the queue screen's, so what the screen shows waiting is what is compared.
std::optional<Error> QueueJumpBy(Context& ctx, const store::ExamRow& e) {
  if (!e.room_id || !e.stamps.arrived) return std::nullopt;
  const int offset = ctx.UtcOffsetMinutes();
  const Date today = LocalDate(ctx.Now(), offset);
  const auto rows = store::RoomDay(ctx.tx(), *e.room_id, StartOfLocalDate(today, offset),
                                   StartOfLocalDate(Date{today.days + 1}, offset));
  auto entry = [](const store::ExamRow& x) {
    return QueueEntry{x.id, ParsePriority(x.priority).value_or(Priority::kRoutine),
                      x.stamps.arrived.value_or(0), x.stamps.scheduled_for};
  };
  std::vector<QueueEntry> waiting;
  for (const auto& r : rows) {
    if (r.exam.state == ExamState::kArrived) waiting.push_back(entry(r.exam));
  }
  const auto passed = PassedOver(entry(e), waiting);
  if (!passed) return std::nullopt;
  for (const auto& r : rows) {
    if (r.exam.id == passed->exam_id) return QueueJumpError(*passed, r.exam.accession_no);
  }
  return std::nullopt;
}

// Check-in, start, end of acquisition, cancellation and no-show. Booking (scheduled) and the
// report states have their own routes; the screening gates guard the start.
Response ChangeState(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!e) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto to_key =
      f->Enum("to", {"arrived", "in_progress", "acquired", "cancelled", "no_show"}, true);
  const auto reason = f->Text("reason", {.max_length = 500, .multiline = true});
  const auto room_id = f->Integer("room_id", {.min = 1});
  const auto version = f->Integer("version", {.required = true});
  if (to_key == "cancelled" && (!reason || reason->empty())) {
    f->Reject("reason", "required", "a cancellation needs a reason");
  }
  if (room_id) {
    const auto room = store::LoadRoom(ctx.tx(), *room_id, ctx.principal.sites);
    if (!room || !room->active || room->site_id != e->site_id) {
      f->Reject("room_id", "reference", "no such active room at the exam's site");
    }
  }
  const Arrival arrival = ReadArrival(*f, to_key == "arrived");
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != e->version) {
    return http::StaleVersion("exam");
  }
  const ExamState to = *ParseState(*to_key);
  auto allowed = Transition(e->state, to);
  if (!allowed) return http::ErrorResponse(allowed.error());
  if (to == ExamState::kArrived && e->state == ExamState::kOrdered) {
    // spec: domain.md §2 "Schedule" — an order arriving with no booking.
    std::vector<std::string> walk_in;
    const Json walk_in_setting = ctx.settings().ValueOn(
        "schedule.walk_in_modalities", LocalDate(ctx.Now(), ctx.UtcOffsetMinutes()));
    for (const auto& m : walk_in_setting) {
      if (m.is_string()) walk_in.push_back(m.get<std::string>());
    }
    auto ok =
        CheckWalkIn(ParsePriority(e->priority).value_or(Priority::kRoutine), e->modality, walk_in);
    if (!ok) return http::ErrorResponse(ok.error());
  }
  if (to == ExamState::kInProgress) {
    if (auto blocked = StartBlockedBy(ctx, e->id)) return *blocked;
    if (!reason || reason->empty()) {
      if (auto jump = QueueJumpBy(ctx, *e)) return http::ErrorResponse(*jump);
    }
  }
  if (to == ExamState::kAcquired) {
    const auto item = store::LoadItem(ctx.tx(), e->item_id);
    const auto acquisition = store::LoadAcquisition(ctx.tx(), e->id);
    const std::string why = AcquiredBlockedBy(
        acquisition ? std::optional(acquisition->record) : std::nullopt, item->confirm_images);
    if (!why.empty()) {
      return http::ErrorResponse(
          Error::Field(ErrorCode::kConflict, "acquisition", "required", why));
    }
  }
  store::ApplyTransition(ctx.tx(), *e, to, ctx.Now(), ctx.principal.ActorId(),
                         ctx.principal.username, reason.value_or(""), room_id);
  if (to == ExamState::kArrived) {
    store::SaveArrival(ctx.tx(), e->id, arrival.location, arrival.record);
  }
  std::string audit_detail =
      fmt::format("{} {} -> {}", e->accession_no, StateKey(e->state), StateKey(to));
  if (reason && !reason->empty()) audit_detail += "; reason: " + *reason;
  ctx.Audit("exam." + std::string(StateKey(to)), "exam", std::to_string(e->id), nullptr, nullptr,
            audit_detail);
  const auto after = store::LoadExam(ctx.tx(), e->id);
  // Today's queue screens of the room refresh on this event.
  ctx.Publish("queue",
              {{"room_id", after->room_id}, {"exam_id", after->id}, {"state", StateKey(to)}},
              auth::Permission::kExamsRead);
  return http::JsonResponse(ExamJson(*after));
}

}  // namespace

std::vector<http::Route> OrderRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kPost, "/api/v1/orders", Permission::kOrdersWrite, Mode::kWrite, "exams",
       "Write an order (检查申请单); its exam is created in state ordered with an accession number",
       nullptr, CreateOrder},
      {Method::kGet, "/api/v1/exams", Permission::kExamsRead, Mode::kRead, "exams",
       "Search exams by order date range (from, to), modality, state, room_id, patient_id, "
       "accession_no; newest first, with patient name and item",
       nullptr, SearchExams},
      {Method::kGet, "/api/v1/exams/{id}", Permission::kExamsRead, Mode::kRead, "exams",
       "One exam with its patient, item, timeline of stamps and turnaround (the view is audited)",
       nullptr, GetExam},
      {Method::kPost, "/api/v1/exams/{id}/transitions", Permission::kExamsWork, Mode::kWrite,
       "exams",
       "Check in, start (screening gates must be closed), end acquisition, cancel with a reason, "
       "or mark no-show",
       nullptr, ChangeState},
  };
}

}  // namespace radqs::exam
