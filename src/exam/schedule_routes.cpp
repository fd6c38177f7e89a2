// Slot templates, closures, free/used capacity, booking and the room's queue for today.
// spec: domain.md §2 "Schedule": slots from weekly templates; holidays and device downtime close
// them; emergency and green-channel exams bypass booking and go first in the queue.
#include <fmt/format.h>

#include <map>

#include "exam/exam.h"
#include "exam/exam_store.h"
#include "exam/patient_access.h"
#include "exam/screening_record.h"
#include "platform/auth/site_scope.h"
#include "platform/http/fields.h"
#include "platform/http/query_params.h"
#include "platform/json_writer.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

Json TemplateJson(const SlotTemplate& t) {
  return {{"weekday", t.weekday},
          {"start_minute", t.start_minute},
          {"end_minute", t.end_minute},
          {"slot_minutes", t.slot_minutes},
          {"capacity", t.capacity}};
}

Response GetTemplates(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto room = id ? store::LoadRoom(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!room) return http::ErrorResponse(Error::NotFound("room"));
  Json items = Json::array();
  for (const auto& t : store::LoadTemplates(ctx.tx(), room->id)) items.push_back(TemplateJson(t));
  return http::JsonResponse({{"room_id", room->id}, {"items", items}});
}

Response PutTemplates(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto room = id ? store::LoadRoom(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!room) return http::ErrorResponse(Error::NotFound("room"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto items = f->Raw("items", true);
  std::vector<SlotTemplate> templates;
  if (items && !items->is_array()) f->Reject("items", "type", "must be a list of templates");
  if (items && items->is_array()) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Json& t = (*items)[i];
      const std::string at = fmt::format("items[{}]", i);
      SlotTemplate st;
      bool ok = t.is_object();
      for (auto [key, into] : {std::pair{"weekday", &st.weekday},
                               {"start_minute", &st.start_minute},
                               {"end_minute", &st.end_minute},
                               {"slot_minutes", &st.slot_minutes},
                               {"capacity", &st.capacity}}) {
        if (!ok || !t.contains(key) || !t[key].is_number_integer()) {
          f->Reject(at + "." + key, "type", "must be an integer");
          ok = false;
          continue;
        }
        *into = t[key].get<int>();
      }
      if (!ok) continue;
      for (auto& e : ValidateSlotTemplate(st)) {
        e.field = at + "." + e.field;
        f->Reject(e);
      }
      templates.push_back(st);
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  Json before = Json::array(), after = Json::array();
  for (const auto& t : store::LoadTemplates(ctx.tx(), room->id)) before.push_back(TemplateJson(t));
  for (const auto& t : templates) after.push_back(TemplateJson(t));
  store::ReplaceTemplates(ctx.tx(), room->id, templates, ctx.Now());
  ctx.Audit("schedule.templates", "room", std::to_string(room->id), &before, &after);
  return http::JsonResponse({{"room_id", room->id}, {"items", after}});
}

Response CreateClosure(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  store::ClosureRow c;
  const auto site_id = f->Integer("site_id", {.min = 1});
  c.room_id = f->Integer("room_id", {.min = 1});
  const auto kind = f->Enum("kind", {"holiday", "downtime"}, true);
  const auto from = f->Instant("from", true);
  const auto to = f->Instant("to", true);
  const auto reason = f->Text("reason", {.required = true, .max_length = 200});
  if (from && to && *to <= *from) f->Reject("to", "min", "must be after from");
  std::optional<store::RoomInfo> room;
  if (c.room_id) {
    room = store::LoadRoom(ctx.tx(), *c.room_id, ctx.principal.sites);
    if (!room) f->Reject("room_id", "reference", "no such room");
  }
  if (!c.room_id && !site_id) f->Reject("site_id", "required", "site_id or room_id is required");
  if (!c.room_id && site_id && !ctx.principal.sites.Has(*site_id)) {
    f->Reject("site_id", "site", "is not one of your sites");
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  c.site_id = room ? room->site_id : *site_id;
  c.kind = *kind;
  c.closure = {*from, *to, *reason};
  const std::int64_t id = store::InsertClosure(ctx.tx(), c, ctx.principal.ActorId(), ctx.Now());
  ctx.Audit("schedule.closure", "closure", std::to_string(id), nullptr, nullptr,
            fmt::format("{} {}..{} {}", c.kind, FormatInstant(*from), FormatInstant(*to), *reason));
  return http::JsonResponse({{"id", id},
                             {"site_id", c.site_id},
                             {"room_id", c.room_id},
                             {"kind", c.kind},
                             {"from", FormatInstant(*from)},
                             {"to", FormatInstant(*to)},
                             {"reason", *reason}},
                            201);
}

// Closures not yet over, for a room (with its site's holidays) or a whole site.
Response ListClosures(Context& ctx) {
  http::QueryParams params(ctx.request);
  store::ClosureFilter f{.now = ctx.Now(), .sites = ctx.principal.sites};
  if (auto room_id = params.Integer("room_id")) {
    // An unknown room matches no room's closures, and no site's (site 0).
    f.room = store::LoadRoom(ctx.tx(), *room_id).value_or(store::RoomInfo{.id = *room_id});
  }
  f.site_id = params.Integer("site_id");
  if (auto ok = params.Finish(); !ok) return http::ErrorResponse(ok.error());
  Json items = Json::array();
  for (const auto& c : store::ActiveClosures(ctx.tx(), f)) {
    items.push_back({{"id", c.id},
                     {"site_id", c.site_id},
                     {"room_id", c.room_id},
                     {"kind", c.kind},
                     {"from", FormatInstant(c.closure.from)},
                     {"to", FormatInstant(c.closure.to)},
                     {"reason", c.closure.reason}});
  }
  return http::JsonResponse({{"items", items}, {"next_cursor", nullptr}});
}

Response CancelClosure(Context& ctx) {
  const auto id = ctx.request.IdParam();
  if (!id || !store::CancelClosure(ctx.tx(), *id, ctx.Now(), ctx.principal.sites)) {
    return http::ErrorResponse(Error::NotFound("active closure"));
  }
  ctx.Audit("schedule.closure_cancel", "closure", std::to_string(*id));
  return http::NoContent();
}

struct Window {
  Date from, to;  // inclusive local dates
};

Result<Window> ReadWindow(Context& ctx) {
  const Date today = ctx.Today();
  http::QueryParams q(ctx.request);
  const Window w{q.Day("from").value_or(today), q.Day("to").value_or(today)};
  if (!q.HasErrors() && (w.to < w.from || w.to.days - w.from.days > 31)) {
    q.Reject("to", "max", "must be from `from` to 31 days after it");
  }
  if (auto ok = q.Finish(); !ok) return ok.error();
  return w;
}

// The slots a room offers in a window, with their booked count and closures.
std::vector<std::pair<Slot, int>> SlotsOf(Context& ctx, const store::RoomInfo& room, Window w) {
  const int offset = ctx.UtcOffsetMinutes();
  const Micros from = StartOfLocalDate(w.from, offset);
  const Micros to = StartOfLocalDate(Date{w.to.days + 1}, offset);
  std::vector<Closure> closures;
  for (const auto& c : store::ClosuresFor(ctx.tx(), room, from, to)) closures.push_back(c.closure);
  auto slots = BuildSlots(store::LoadTemplates(ctx.tx(), room.id), closures, w.from, w.to, offset);
  const auto booked = BookedPerSlot(slots, store::BookedCounts(ctx.tx(), room.id, from, to));
  std::vector<std::pair<Slot, int>> out;
  for (std::size_t i = 0; i < slots.size(); ++i) out.emplace_back(std::move(slots[i]), booked[i]);
  return out;
}

Response ListSlots(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto room = id ? store::LoadRoom(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!room) return http::ErrorResponse(Error::NotFound("room"));
  auto w = ReadWindow(ctx);
  if (!w) return http::ErrorResponse(w.error());
  Json items = Json::array();
  for (const auto& [s, n] : SlotsOf(ctx, *room, *w)) {
    items.push_back({{"start", FormatInstant(s.start)},
                     {"end", FormatInstant(s.end)},
                     {"capacity", s.capacity},
                     {"booked", n},
                     {"free", s.closed ? 0 : std::max(0, s.capacity - n)},
                     {"closed", s.closed},
                     {"closed_reason", s.closed_reason}});
  }
  return http::JsonResponse({{"room_id", room->id}, {"items", items}});
}

// "2026-12-03 09:15" in the site's local time, for a message a person reads.
std::string LocalMinute(Micros t, int offset) {
  const Date d = LocalDate(t, offset);
  const auto minutes = (t - StartOfLocalDate(d, offset)) / kMicrosPerMinute;
  return fmt::format("{} {:02d}:{:02d}", FormatDate(d), minutes / 60, minutes % 60);
}

// The patient's first booking that the new one at [start, start + the item's minutes) comes too
// close to (setting schedule.patient_booking_gap_minutes), as a conflict the desk may confirm.
std::optional<Error> PatientCollision(Context& ctx, const store::ExamRow& exam, Micros start) {
  const Micros end = start + store::ItemMinutes(ctx.tx(), exam.item_id) * kMicrosPerMinute;
  const Micros gap = ctx.settings().Int("schedule.patient_booking_gap_minutes") * kMicrosPerMinute;
  const auto colliding = CollidingBookings(
      store::PatientBookings(ctx.tx(), exam.patient_id, start - kMicrosPerDay, end + kMicrosPerDay),
      exam.id, start, end, gap);
  if (colliding.empty()) return std::nullopt;
  const PatientBooking& c = colliding.front();
  const auto room = store::LoadRoom(ctx.tx(), c.room_id);
  const std::string room_name = room ? room->name : std::to_string(c.room_id);
  const std::string at = LocalMinute(c.start, ctx.UtcOffsetMinutes());
  return Error::Field(
      ErrorCode::kConflict,
      FieldError{"slot_start",
                 "patient_overlap",
                 fmt::format("the patient is booked for {} in {} at {}; confirm to book both",
                             c.accession_no, room_name, at),
                 "patient_overlap",
                 {{"accession_no", c.accession_no}, {"room", room_name}, {"at", at}}});
}

Response BookExam(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto exam = id ? store::LoadExam(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!exam) return http::ErrorResponse(Error::NotFound("exam"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto room_id = f->Integer("room_id", {.required = true, .min = 1});
  const auto slot_start = f->Instant("slot_start", true);
  const auto version = f->Integer("version", {.required = true});
  // The desk has seen the warning of the patient's other booking close by and books anyway.
  const auto overlap_confirmed = f->Boolean("overlap_confirmed");
  std::optional<store::RoomInfo> room;
  if (room_id) {
    room = store::LoadRoom(ctx.tx(), *room_id, ctx.principal.sites);
    if (!room || !room->active || room->site_id != exam->site_id) {
      f->Reject("room_id", "reference", "no such active room at the exam's site");
      room.reset();
    }
    if (room && room->modality != exam->modality) {
      f->Reject("room_id", "modality",
                fmt::format("is a {} room; the exam is {}", room->modality, exam->modality));
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != exam->version) {
    return http::StaleVersion("exam");
  }
  auto allowed = Transition(exam->state, ExamState::kScheduled);
  if (!allowed) return http::ErrorResponse(allowed.error());
  // The slot must be one the room offers on that day; counting and booking happen in the same
  // write transaction, under the room's booking lock, so two requests (on this server or
  // another) can never both take the last place.
  store::HoldRoomBookings(ctx.tx(), room->id);
  const Date day = LocalDate(*slot_start, ctx.UtcOffsetMinutes());
  std::optional<std::pair<Slot, int>> slot;
  for (auto& s : SlotsOf(ctx, *room, {day, day})) {
    if (s.first.start == *slot_start) slot = s;
  }
  if (!slot) {
    return http::ErrorResponse(Error::Field(ErrorCode::kValidationFailed, "slot_start", "slot",
                                            "is not the start of a slot of this room"));
  }
  // Rebooking into the slot the exam already holds does not count it twice.
  const auto& held = exam->stamps.scheduled_for;
  const bool same = exam->room_id == room->id && held && slot->first.start <= *held &&
                    *held < slot->first.end && exam->state != ExamState::kCancelled &&
                    exam->state != ExamState::kNoShow;
  if (auto ok = CheckBookable(slot->first, slot->second - (same ? 1 : 0), ctx.Now()); !ok) {
    return http::ErrorResponse(ok.error());
  }
  const auto collision = PatientCollision(ctx, *exam, *slot_start);
  if (collision && !overlap_confirmed.value_or(false)) return http::ErrorResponse(*collision);
  store::Book(ctx.tx(), *exam, room->id, *slot_start, ctx.Now(), ctx.principal.ActorId(),
              ctx.principal.username);
  ctx.Audit(exam->state == ExamState::kScheduled ? "exam.rebook" : "exam.book", "exam",
            std::to_string(exam->id), nullptr, nullptr,
            fmt::format("{} room {} {}{}", exam->accession_no, room->id, FormatInstant(*slot_start),
                        collision ? "; close to another booking of the patient, confirmed" : ""));
  auto booked = store::LoadExam(ctx.tx(), exam->id);
  ctx.Publish("queue", {{"room_id", room->id}, {"exam_id", exam->id}, {"state", "scheduled"}},
              auth::Permission::kExamsRead);
  return http::JsonResponse({{"id", booked->id},
                             {"state", StateKey(booked->state)},
                             {"room_id", booked->room_id},
                             {"appointment_at", FormatInstant(*booked->stamps.scheduled_for)},
                             {"version", booked->version}});
}

// A green-channel exam's clock on the queue screen — spec: indicators.md tat.green_channel: the
// limit runs from the start stamp (the order time; the HIS sends no ED arrival yet).
struct GreenClock {
  std::string pathway;
  int limit_minutes = 0;
  Micros start = 0;
};

void WriteQueueItem(JsonWriter& w, const store::ExamListing& q, bool may_read,
                    const std::optional<GreenClock>& green,
                    const std::vector<std::string>* open_gates) {
  const auto& e = q.exam;
  auto instant = [](const std::optional<Micros>& t) {
    return t ? std::optional(FormatInstant(*t)) : std::nullopt;
  };
  w.BeginObject()
      .Field("exam_id", e.id)
      .Field("accession_no", e.accession_no)
      .Field("state", StateKey(e.state))
      .Field("priority", e.priority);
  WritePatientFields(w, q.patient_name, q.patient_sex, may_read);
  w.Field("item_name", q.item_name)
      .Field("appointment_at", instant(e.stamps.scheduled_for))
      .Field("arrived_at", instant(e.stamps.arrived))
      .Field("version", e.version);
  if (green) {
    w.Key("green_channel")
        .BeginObject()
        .Field("pathway", green->pathway)
        .Field("limit_minutes", green->limit_minutes)
        .Field("start", FormatInstant(green->start))
        .Field("deadline", FormatInstant(green->start + green->limit_minutes * kMicrosPerMinute))
        .EndObject();
  }
  if (open_gates) {
    w.Key("open_gates").BeginArray();
    for (const auto& g : *open_gates) w.String(g);
    w.EndArray();
  }
  w.EndObject();
}

Response RoomQueue(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto room = id ? store::LoadRoom(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!room) return http::ErrorResponse(Error::NotFound("room"));
  const int offset = ctx.UtcOffsetMinutes();
  const Date today = LocalDate(ctx.Now(), offset);
  const Micros from = StartOfLocalDate(today, offset);
  const Micros to = StartOfLocalDate(Date{today.days + 1}, offset);
  const auto rows = store::RoomDay(ctx.tx(), room->id, from, to);
  const auto pathways = store::RoomDayPathways(ctx.tx(), room->id, from, to);
  // The gates of those not yet started, for the whole page at once.
  std::vector<store::ExamRow> not_started;
  for (const auto& row : rows) {
    if (row.exam.state != ExamState::kInProgress) not_started.push_back(row.exam);
  }
  const auto gates = OpenGateKeys(ctx, not_started);
  auto gates_of = [&](const store::ExamListing& row) -> const std::vector<std::string>* {
    const auto g = gates.find(row.exam.id);
    return g == gates.end() ? nullptr : &g->second;
  };
  auto clock = [&](const store::ExamListing& row) -> std::optional<GreenClock> {
    const auto& e = row.exam;
    const auto p = pathways.find(e.id);
    if (e.priority != "green_channel" || p == pathways.end() || !e.stamps.ordered) {
      return std::nullopt;
    }
    // The limit in force on the order's local day, as the exam page shows it.
    const int limit = static_cast<int>(ctx.settings().IntOn(
        "tat.green_channel." + p->second + "_minutes", LocalDate(*e.stamps.ordered, offset)));
    const auto t = GreenChannelTime(e.stamps, std::nullopt, limit);
    if (!t.start) return std::nullopt;
    return GreenClock{p->second, limit, *t.start};
  };
  std::vector<QueueEntry> waiting;
  std::map<std::int64_t, const store::ExamListing*> by_id;
  for (const auto& row : rows) {
    by_id[row.exam.id] = &row;
    if (row.exam.state == ExamState::kArrived) {
      const auto& e = row.exam;
      waiting.push_back({e.id, ParsePriority(e.priority).value_or(Priority::kRoutine),
                         e.stamps.arrived.value_or(0), e.stamps.scheduled_for});
    }
  }
  const bool may_read = MayReadPatients(ctx);
  JsonWriter w;
  w.BeginObject().Key("room").BeginObject();
  w.Field("id", room->id).Field("name", room->name).Field("modality", room->modality).EndObject();
  w.Field("date", FormatDate(today));
  for (auto [key, state] : {std::pair{"in_progress", ExamState::kInProgress},
                            std::pair{"expected", ExamState::kScheduled}}) {
    w.Key(key).BeginArray();
    for (const auto& row : rows) {
      if (row.exam.state == state) WriteQueueItem(w, row, may_read, clock(row), gates_of(row));
    }
    w.EndArray();
  }
  w.Key("queue").BeginArray();
  for (const auto& q : OrderQueue(std::move(waiting))) {
    WriteQueueItem(w, *by_id[q.exam_id], may_read, clock(*by_id[q.exam_id]),
                   gates_of(*by_id[q.exam_id]));
  }
  w.EndArray().EndObject();
  std::vector<std::int64_t> shown;
  for (const auto& row : rows) shown.push_back(row.exam.patient_id);
  AuditPatientsListed(ctx, shown);
  Response out;
  out.body = w.Take();
  return out;
}

}  // namespace

std::vector<http::Route> ScheduleRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/rooms/{id}/slot-templates", Permission::kExamsRead, Mode::kRead,
       "schedule", "The room's weekly slot templates", nullptr, GetTemplates},
      {Method::kPut, "/api/v1/rooms/{id}/slot-templates", Permission::kScheduleManage, Mode::kWrite,
       "schedule", "Replace the room's weekly slot templates", nullptr, PutTemplates},
      {Method::kPost, "/api/v1/closures", Permission::kScheduleManage, Mode::kWrite, "schedule",
       "Close a room (device downtime) or a whole site (holiday) for a time range", nullptr,
       CreateClosure},
      {Method::kGet, "/api/v1/closures", Permission::kExamsRead, Mode::kRead, "schedule",
       "Closures not yet over (filters room_id — with its site's holidays — or site_id)", nullptr,
       ListClosures},
      {Method::kPost, "/api/v1/closures/{id}/cancel", Permission::kScheduleManage, Mode::kWrite,
       "schedule", "Cancel a closure", nullptr, CancelClosure},
      {Method::kGet, "/api/v1/rooms/{id}/slots", Permission::kExamsRead, Mode::kRead, "schedule",
       "The room's slots from `from` to `to` (local dates, at most 31 days) with capacity, "
       "booked and free places and closures",
       nullptr, ListSlots},
      {Method::kPost, "/api/v1/exams/{id}/booking", Permission::kExamsWork, Mode::kWrite,
       "schedule", "Book or rebook an exam into a room's slot; never beyond its capacity", nullptr,
       BookExam},
      {Method::kGet, "/api/v1/rooms/{id}/queue", Permission::kExamsRead, Mode::kRead, "schedule",
       "Today's queue of the room: green channel and emergency first, then by appointment and "
       "arrival; also those in the room and those still expected",
       nullptr, RoomQueue},
  };
}

}  // namespace radqs::exam
