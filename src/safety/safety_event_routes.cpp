// Safety event routes: report, list, view (audited), workflow steps, reclassification, written
// report and complaint feedback; and the event opened by a recorded extravasation.
#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "exam/exam.h"
#include "exam/patient.h"
#include "exam/patient_access.h"
#include "org/directory.h"
#include "platform/http/fields.h"
#include "platform/http/query_params.h"
#include "safety/safety_event.h"
#include "safety/safety_event_store.h"

namespace radqs::safety {
namespace {

using http::Context;
using http::Response;

// The cap on anonymous reports per account and hour (setting safety.anonymous_reports_per_hour):
// anonymity wins over tracing (docs/decisions.md), so abuse is bounded here, in memory only —
// the counts name no one in the database or the trail and are gone at restart.
class AnonymousReportLimit {
 public:
  bool Allow(std::int64_t account, Micros now, std::int64_t per_hour) {
    std::lock_guard lock(mu_);
    auto& times = recent_[account];
    std::erase_if(times, [&](Micros t) { return t <= now - kHourMicros; });
    if (static_cast<std::int64_t>(times.size()) >= per_hour) return false;
    times.push_back(now);
    // Forget accounts with nothing recent, so the map holds only the last hour's reporters.
    std::erase_if(recent_, [](const auto& entry) { return entry.second.empty(); });
    return true;
  }

 private:
  static constexpr Micros kHourMicros = 3600 * kMicrosPerSecond;
  std::mutex mu_;
  std::unordered_map<std::int64_t, std::vector<Micros>> recent_;
};

AnonymousReportLimit& AnonymousLimit() {
  static AnonymousReportLimit limit;
  return limit;
}

// The trail's entry for an anonymous report: no account, no address, no request id (which the
// server log could tie to a connection) — spec: domain.md §7 "optionally anonymously".
void AuditAnonymousReport(Context& ctx, const std::string& event_id, const Json& after,
                          const std::string& event_no) {
  audit::Entry e;
  e.at = ctx.Now();
  e.actor = "anonymous";
  e.action = "safety_event.report";
  e.entity = "safety_event";
  e.entity_id = event_id;
  e.after_digest = audit::Digest(after);
  e.detail = event_no;
  audit::Append(ctx.tx(), e);
}

// Fills in the labels shown with an event's links (patient number and name, accession number)
// from the exam module.
void Label(db::Transaction& tx, std::vector<SafetyEvent*> events) {
  std::vector<std::int64_t> patients, exams;
  for (const auto* e : events) {
    if (e->patient_id) patients.push_back(*e->patient_id);
    if (e->exam_id) exams.push_back(*e->exam_id);
  }
  const auto labels = exam::PatientLabels(tx, patients);
  const auto accessions = exam::AccessionNumbers(tx, exams);
  for (auto* e : events) {
    if (auto p = e->patient_id ? labels.find(*e->patient_id) : labels.end(); p != labels.end()) {
      e->patient_no = p->second.patient_no;
      e->patient_name = p->second.name;
    }
    if (auto x = e->exam_id ? accessions.find(*e->exam_id) : accessions.end();
        x != accessions.end()) {
      e->accession_no = x->second;
    }
  }
}

std::optional<SafetyEvent> LoadLabelled(db::Transaction& tx, std::int64_t id) {
  auto e = store::LoadEvent(tx, id);
  if (e) Label(tx, {&*e});
  return e;
}

Person Actor(const Context& ctx) { return {ctx.principal.ActorId(), ctx.principal.Name()}; }

// The event as the caller may see it — the patient's number and name only with patients.read
// (spec: domain.md §0) — or, for the audit digests, as stored.
Json EventJson(Context& ctx, const SafetyEvent& e, bool as_stored = false) {
  Json j = SafetyEventJson(e, DeadlinesOf(e, ctx.Now()));
  if (!as_stored && e.patient_id && !exam::MayReadPatients(ctx)) {
    j["patient"] = {{"id", *e.patient_id}};
  }
  return j;
}

// Who saw which patients in a list of events — spec: domain.md §9.
void AuditListed(Context& ctx, const std::vector<const SafetyEvent*>& shown) {
  std::vector<std::int64_t> ids;
  for (const auto* e : shown) {
    if (e->patient_id) ids.push_back(*e->patient_id);
  }
  exam::AuditPatientsListed(ctx, ids);
}

Json StepsJson(const std::vector<Step>& steps) {
  Json out = Json::array();
  for (const auto& s : steps) {
    out.push_back({{"kind", s.kind},
                   {"from_state", s.from_state},
                   {"to_state", s.to_state},
                   {"note", s.note},
                   {"at", FormatInstant(s.at)},
                   {"by", {{"user_id", s.by.user_id}, {"name", s.by.name}}}});
  }
  return out;
}

Response Detail(Context& ctx, const SafetyEvent& e, int status = 200) {
  Json j = EventJson(ctx, e);
  j["steps"] = StepsJson(store::StepsOf(ctx.tx(), e.id));
  return http::JsonResponse(j, status);
}

Response Report(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  SafetyEvent e;
  // Type, class and description are checked by ValidateReport, so that every error shows at once.
  e.type = f->Text("type", {.max_length = 40, .allow_empty = true}).value_or("");
  e.severity_class = f->Text("severity_class", {.max_length = 3, .allow_empty = true}).value_or("");
  e.occurred_at = f->Instant("occurred_at", true).value_or(0);
  e.place = f->Text("place", {.max_length = 200, .allow_empty = true}).value_or("");
  e.people_involved =
      f->Text("people_involved", {.max_length = 500, .allow_empty = true, .multiline = true})
          .value_or("");
  e.description =
      f->Text("description", {.max_length = 4000, .allow_empty = true, .multiline = true})
          .value_or("");
  e.immediate_action =
      f->Text("immediate_action", {.max_length = 2000, .allow_empty = true, .multiline = true})
          .value_or("");
  e.anonymous = f->Boolean("anonymous").value_or(false);
  const auto exam_id = f->Integer("exam_id", {.min = 1});
  const auto patient_id = f->Integer("patient_id", {.min = 1});
  const auto site_id = f->Integer("site_id", {.min = 1});
  e.reported_at = ctx.Now();
  for (auto& err : ValidateReport(e, ctx.Now())) f->Reject(err);
  auto& tx = ctx.tx();
  // spec: domain.md §9 — only records of the caller's sites can be named.
  if (exam_id) {
    const auto link = exam::FindExam(tx, *exam_id);
    if (link && ctx.principal.sites.Has(link->site_id)) {
      e.exam_id = exam_id;
      e.patient_id = link->patient_id;
      e.site_id = link->site_id;
    } else {
      f->Reject("exam_id", "reference", "no such exam");
    }
  } else if (patient_id) {
    if (exam::PatientVisible(ctx, *patient_id)) {
      e.patient_id = patient_id;
    } else {
      f->Reject("patient_id", "reference", "no such patient");
    }
  }
  if (site_id && !e.exam_id) e.site_id = *site_id;  // an exam reported on fixes the site
  if (e.site_id == 0) e.site_id = ctx.principal.site_id.value_or(0);
  if (e.site_id == 0 && !site_id) f->Reject("site_id", "required", "is required");
  if (site_id && !org::SiteExists(tx, *site_id)) {
    f->Reject("site_id", "reference", "no such site");
  } else if (site_id && !e.exam_id && !ctx.principal.sites.Has(*site_id)) {
    f->Reject("site_id", "site", "is not one of your sites");
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (e.anonymous) {
    const std::int64_t account =
        ctx.principal.user_id != 0 ? ctx.principal.user_id : -ctx.principal.api_token_id;
    if (!AnonymousLimit().Allow(account, ctx.Now(),
                                ctx.settings().Int("safety.anonymous_reports_per_hour"))) {
      return http::ErrorResponse(Error::Field(
          ErrorCode::kTooManyRequests, "anonymous", "rate_limit",
          "too many anonymous reports from this account in the last hour; try later or report "
          "under your name"));
    }
  } else {
    e.reporter = Actor(ctx);
  }
  RecordReport(tx, e, LocalDate(e.reported_at, ctx.UtcOffsetMinutes()));
  auto saved = LoadLabelled(tx, e.id);
  Json after = EventJson(ctx, *saved, true);
  // Anonymity wins (docs/decisions.md): the trail of an anonymous report names no account.
  if (e.anonymous) {
    AuditAnonymousReport(ctx, std::to_string(e.id), after, e.event_no);
  } else {
    ctx.Audit("safety_event.report", "safety_event", std::to_string(e.id), nullptr, &after,
              e.event_no);
  }
  return Detail(ctx, *saved, 201);
}

Response List(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  http::QueryParams q(ctx.request);
  store::EventFilter f;
  f.state = q.Text("state").value_or("");
  f.type = q.Text("type").value_or("");
  f.severity_class = q.Text("severity_class").value_or("");
  f.overdue_only = q.Text("overdue").value_or("") == "1";
  f.exam_id = q.Integer("exam_id");
  f.reported_from = q.DayStart("from", ctx.UtcOffsetMinutes());
  f.reported_before = q.DayStart("to", ctx.UtcOffsetMinutes(), 1);
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  f.before_id = page->after_id;
  f.limit = page->limit + 1;
  f.now = ctx.Now();
  f.sites = ctx.principal.sites;
  auto events = store::ListEvents(ctx.tx(), f);
  std::vector<SafetyEvent*> all;
  for (auto& e : events) all.push_back(&e);
  Label(ctx.tx(), all);
  Json items = Json::array();
  std::vector<const SafetyEvent*> shown;
  for (const auto& e : events) {
    items.push_back(EventJson(ctx, e));
    if (shown.size() < static_cast<std::size_t>(page->limit)) shown.push_back(&e);
  }
  AuditListed(ctx, shown);
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

// What the handlers of safety events look at first: the open events, the deadlines they have
// missed (oldest report first) and the year's events by type.
Response Summary(Context& ctx) {
  store::EventFilter f;
  f.open_only = true;
  f.limit = 5000;  // a department has tens open at a time
  f.sites = ctx.principal.sites;
  const Micros now = ctx.Now();
  const auto open = store::ListEvents(ctx.tx(), f);
  Json overdue_by_key = {{"acknowledgment", 0}, {"written_report", 0}, {"feedback", 0}};
  std::vector<const SafetyEvent*> late;
  for (const auto& e : open) {
    bool any = false;
    for (const auto& d : DeadlinesOf(e, now)) {
      if (!d.overdue || d.done_at) continue;
      overdue_by_key[d.key] = overdue_by_key[d.key].get<int>() + 1;
      any = true;
    }
    if (any) late.push_back(&e);
  }
  std::sort(late.begin(), late.end(), [](const SafetyEvent* a, const SafetyEvent* b) {
    return a->reported_at < b->reported_at;
  });
  Json list = Json::array();
  std::vector<SafetyEvent> most;
  for (std::size_t i = 0; i < std::min<std::size_t>(late.size(), 10); ++i) most.push_back(*late[i]);
  std::vector<SafetyEvent*> shown;
  for (auto& e : most) shown.push_back(&e);
  Label(ctx.tx(), shown);
  for (const auto& e : most) list.push_back(EventJson(ctx, e));
  AuditListed(ctx, {shown.begin(), shown.end()});
  Json by_type = Json::object();
  for (const auto& [type, n] : store::CountByType(
           ctx.tx(), now - 365 * 24 * 3600 * kMicrosPerSecond, ctx.principal.sites)) {
    by_type[type] = n;
  }
  return http::JsonResponse({{"open", open.size()},
                             {"overdue_events", late.size()},
                             {"overdue_by_deadline", overdue_by_key},
                             {"most_overdue", list},
                             {"last_365_days_by_type", by_type}});
}

std::optional<SafetyEvent> Target(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto e = id ? LoadLabelled(ctx.tx(), *id) : std::nullopt;
  if (e && !ctx.principal.sites.Has(e->site_id)) return std::nullopt;  // spec: domain.md §9
  return e;
}

Response View(Context& ctx) {
  auto e = Target(ctx);
  if (!e) return http::ErrorResponse(Error::NotFound("safety event"));
  ctx.AuditRead("safety_event.view", "safety_event", std::to_string(e->id));
  return Detail(ctx, *e);
}

// Applies one change to an event: reads `version` and the change's own fields, refuses a stale
// version, writes the event with the step and audits it.
template <class Change>
Response Apply(Context& ctx, const char* action, Change change) {
  auto e = Target(ctx);
  if (!e) return http::ErrorResponse(Error::NotFound("safety event"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Step step{.at = ctx.Now(), .by = Actor(ctx)};
  const Json before = EventJson(ctx, *e, true);
  std::optional<Response> refused = change(*f, *e, step);
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != e->version) return http::StaleVersion("safety event");
  if (refused) return *refused;
  store::UpdateEvent(ctx.tx(), *e, step);
  const Json after = EventJson(ctx, *e, true);
  ctx.Audit(action, "safety_event", std::to_string(e->id), &before, &after, step.note);
  return Detail(ctx, *e);
}

const FieldError kClosed{"state", "transition", "the event is closed"};

// A refusal that the event's state or record explains: 409 naming the field and the rule.
Response Conflict(FieldError why) {
  return http::ErrorResponse(Error::Field(ErrorCode::kConflict, std::move(why)));
}

Response Transition(Context& ctx) {
  return Apply(
      ctx, "safety_event.transition",
      [&](http::Fields& f, SafetyEvent& e, Step& step) -> std::optional<Response> {
        const auto to = f.Enum("to", {"acknowledged", "investigating", "actions", "closed"}, true);
        const auto note =
            f.Text("note", {.max_length = 4000, .allow_empty = true, .multiline = true});
        if (!to) return std::nullopt;
        if (*to == "closed" && note.value_or("").empty()) {
          f.Reject("note", "required", "closing needs the conclusion");
        }
        if (auto why = TransitionRefused(e, *to)) return Conflict(*why);
        step.kind = "transition";
        step.from_state = e.state;
        step.to_state = *to;
        step.note = note.value_or("");
        e.state = *to;
        if (*to == "acknowledged") e.acknowledged_at = step.at;
        if (*to == "closed") e.closed_at = step.at;
        return std::nullopt;
      });
}

Response Classify(Context& ctx) {
  return Apply(ctx, "safety_event.classify",
               [&](http::Fields& f, SafetyEvent& e, Step& step) -> std::optional<Response> {
                 const auto cls = f.Enum("severity_class", {"I", "II", "III", "IV"}, true);
                 const auto reason =
                     f.Text("reason", {.required = true, .max_length = 1000, .multiline = true});
                 if (!cls || !reason) return std::nullopt;
                 if (e.state == "closed") return Conflict(kClosed);
                 if (*cls == e.severity_class) {
                   f.Reject("severity_class", "unchanged", "is the event's class already");
                 }
                 step.kind = "classification";
                 step.note = fmt::format("{} → {}: {}", e.severity_class, *cls, *reason);
                 e.severity_class = *cls;
                 return std::nullopt;
               });
}

// A text recorded once per event (书面报告, 投诉反馈); stamping it meets its deadline.
Response Record(Context& ctx, const char* action, const char* kind,
                std::optional<Micros> SafetyEvent::*stamp) {
  return Apply(
      ctx, action, [&](http::Fields& f, SafetyEvent& e, Step& step) -> std::optional<Response> {
        const auto text = f.Text("text", {.required = true, .max_length = 8000, .multiline = true});
        if (!text) return std::nullopt;
        if (e.state == "closed") return Conflict(kClosed);
        if (e.state == "reported") {
          return Conflict({"state", "transition", "acknowledge the event first"});
        }
        if (std::string_view(kind) == "feedback" && e.type != "complaint") {
          f.Reject("type", "complaint", "feedback is recorded for complaints only");
        }
        if (e.*stamp) {
          return Conflict({kind, "unique", fmt::format("the {} was recorded already", kind)});
        }
        step.kind = kind;
        step.note = *text;
        e.*stamp = step.at;
        return std::nullopt;
      });
}

Response WrittenReport(Context& ctx) {
  return Record(ctx, "safety_event.written_report", "written_report",
                &SafetyEvent::written_report_at);
}

Response Feedback(Context& ctx) {
  return Record(ctx, "safety_event.feedback", "feedback", &SafetyEvent::feedback_at);
}

}  // namespace

DeadlineHours DeadlineHoursOn(db::Transaction& tx, Date local_day) {
  const auto hours = [&](const char* key) {
    return static_cast<int>(config::IntInForce(tx, key, local_day));
  };
  return {hours("safety.ack_hours"), hours("safety.written_report_hours_major"),
          hours("safety.written_report_hours_minor"), hours("safety.complaint_feedback_hours")};
}

// spec: regulations.md preamble — the deadlines in force at the report are kept with the event.
void RecordReport(db::Transaction& tx, SafetyEvent& e, Date local_day) {
  e.hours = DeadlineHoursOn(tx, local_day);
  store::InsertEvent(tx, e, local_day);
}

// spec: domain.md §2 "Acquisition record" — a recorded extravasation creates a safety event.
exam::SafetyEventRef ReportExtravasation(db::Transaction& tx,
                                         const exam::ExtravasationRecorded& x) {
  if (auto existing = store::EventOfExam(tx, x.exam_id, "contrast_extravasation")) {
    return {existing->id, existing->event_no};
  }
  SafetyEvent e;
  e.site_id = x.site_id;
  e.type = "contrast_extravasation";
  // No harm needing treatment is the usual course; the QC group reclassifies if it was worse.
  e.severity_class = "III";
  e.occurred_at = e.reported_at = x.at;
  e.exam_id = x.exam_id;
  e.patient_id = x.patient_id;
  e.source = "acquisition";
  const auto& v = x.extravasation;
  e.place = x.room_name;
  e.description = fmt::format(
      "检查 {} 静脉对比剂外渗：{} 批号 {}，注射 {} mL，外渗约 {} mL，部位 {}。症状：{}",
      x.accession_no, x.contrast.agent, x.contrast.lot, x.contrast.volume_ml, v.volume_ml,
      v.site.empty() ? "未记录" : v.site, v.symptoms.empty() ? "未记录" : v.symptoms);
  e.immediate_action = v.treatment;
  e.people_involved = x.recorded_by_name;
  e.reporter = Person{x.recorded_by, x.recorded_by_name};
  RecordReport(tx, e, LocalDate(x.at, x.utc_offset_minutes));
  return {e.id, e.event_no};
}

std::vector<http::Route> SafetyEventRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  // Mounting the safety routes brings the events along on a patient merge (issue C.26).
  exam::RegisterMergeListener(
      "safety_events", [](db::Transaction& tx, std::int64_t from, std::int64_t into, Micros) {
        return store::RepointPatient(tx, from, into);
      });
  return {
      {Method::kGet, "/api/v1/safety-events", Permission::kSafetyRead, Mode::kRead, "safety",
       "Safety events, newest first; filters state, type, severity_class, overdue=1, exam_id, "
       "from/to (report date)",
       nullptr, List},
      {Method::kGet, "/api/v1/safety-events/summary", Permission::kSafetyRead, Mode::kRead,
       "safety",
       "Open events, missed deadlines by kind with the oldest overdue events, and the last 365 "
       "days by type",
       nullptr, Summary},
      {Method::kGet, "/api/v1/safety-events/{id}", Permission::kSafetyRead, Mode::kRead, "safety",
       "One safety event with its steps (the view is audited)", nullptr, View},
      {Method::kPost, "/api/v1/safety-events", Permission::kSafetyReport, Mode::kWrite, "safety",
       "Report a safety event (医疗安全不良事件), optionally anonymously", nullptr, Report},
      {Method::kPost, "/api/v1/safety-events/{id}/transitions", Permission::kSafetyManage,
       Mode::kWrite, "safety",
       "Next workflow step: acknowledged, investigating, actions, closed (needs the written "
       "report, and feedback for a complaint)",
       nullptr, Transition},
      {Method::kPost, "/api/v1/safety-events/{id}/classification", Permission::kSafetyManage,
       Mode::kWrite, "safety", "Change the severity class with a reason", nullptr, Classify},
      {Method::kPost, "/api/v1/safety-events/{id}/written-report", Permission::kSafetyManage,
       Mode::kWrite, "safety", "Record the written report (书面报告)", nullptr, WrittenReport},
      {Method::kPost, "/api/v1/safety-events/{id}/feedback", Permission::kSafetyManage,
       Mode::kWrite, "safety", "Record the feedback to a complainant (投诉反馈)", nullptr,
       Feedback},
  };
}

}  // namespace radqs::safety
