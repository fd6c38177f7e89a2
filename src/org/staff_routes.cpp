// HTTP routes for staff (人员) and their title history (职称) — spec: domain.md §1, docs/api.md.
// Staff records hold personal data: reading one is audited (spec: domain.md §9).
#include "org/routes_internal.h"

namespace radqs::org {
namespace {

using detail::Body;
using http::Context;
using http::Response;

void ReadStaff(Body& b, Staff& s) {
  b.Integer("site_id", s.site_id, true, {.min = 1});
  b.Text("employee_no", s.employee_no, true, 32);
  b.Text("name", s.name, true, 64);
  b.Text("sex", s.sex, true, 8);
  b.Text("category", s.category, true, 40);
  b.Text("phone", s.phone, false, 40);
  b.Boolean("radiation_worker", s.radiation_worker);
  b.OptionalDay("radiation_work_since", s.radiation_work_since);
  b.Text("dosimeter_id", s.dosimeter_id, false, 64);
  b.Boolean("thyroid_collar", s.thyroid_collar);
  b.Boolean("trainee", s.trainee);
  b.Boolean("emergency_signoff", s.emergency_signoff);
  b.OptionalDay("diagnostic_practice_since", s.diagnostic_practice_since);
  b.Keyword("status", s.status, 40);
}

// Record rules plus the site reference.
std::vector<FieldError> StaffErrors(db::Transaction& tx, const Staff& s, bool site_changed) {
  auto errors = ValidateStaff(s);
  if (site_changed && s.site_id > 0 && !store::SiteExists(tx, s.site_id)) {
    errors.push_back({"site_id", "reference", "no such site"});
  }
  return errors;
}

Response ListStaff(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  http::QueryParams q(ctx.request);
  store::StaffFilter f{.site_id = q.Integer("site_id"),
                       .q = q.Text("q"),
                       .category = q.Enum("category", kStaffCategories),
                       .status = q.Enum("status", kStaffStatuses),
                       .trainee = q.Boolean("trainee"),
                       .radiation_worker = q.Boolean("radiation_worker")};
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  const auto today = detail::TodayOf(ctx);
  Json items = Json::array();
  for (const auto& s : store::ListStaff(ctx.tx(), f, detail::CursorOf(*page))) {
    items.push_back(StaffJson(s, today.date));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response GetStaff(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto s = id ? store::LoadStaff(ctx.tx(), *id) : std::nullopt;
  if (!s) return detail::NotFound("staff member");
  ctx.AuditRead("staff.view", "staff", std::to_string(s->id));
  JsonWriter w;
  WriteStaff(w, *s, detail::TodayOf(ctx).date);
  Response out;
  out.body = w.Take();
  return out;
}

Response CreateStaff(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  auto& tx = ctx.tx();
  const auto today = detail::TodayOf(ctx);
  Staff s;
  Body b(*f, true);
  ReadStaff(b, s);
  // The first title may come with the record; it opens the title history.
  std::string title;
  b.Text("title", title, false, 40);
  const auto title_from = f->Day("title_effective_from");
  auto errors = StaffErrors(tx, s, true);
  if (!title.empty()) {
    for (auto& e : ValidateTitle(title, s.category)) errors.push_back(std::move(e));
  } else if (title_from) {
    errors.push_back({"title", "required", "is required with title_effective_from"});
  }
  if (auto ok = detail::Conclude(*f, errors); !ok) return http::ErrorResponse(ok.error());
  if (store::EmployeeNoTaken(tx, s.site_id, s.employee_no, 0)) {
    return detail::Duplicate("employee_no", "this site already has staff with this number");
  }
  s.created_at = s.updated_at = ctx.Now();
  s.id = store::InsertStaff(tx, s);
  if (!title.empty()) {
    store::AddTitle(tx, s.id, {title, title_from.value_or(today.date)}, s.created_at,
                    ctx.principal.ActorId());
  }
  const Json after = StaffJson(*store::LoadStaff(tx, s.id), today.date);
  detail::AuditChange(ctx, "staff.create", "staff", s.id, nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response UpdateStaff(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadStaff(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("staff member");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Staff s = *old;
  Body b(*f, false);
  ReadStaff(b, s);
  // spec: domain.md §1 "title with dated history" — titles change only by a new dated entry.
  b.NotEditable("title", "record a title change with POST /api/v1/staff/{id}/titles");
  b.NotEditable("title_effective_from", "record a title change with POST .../titles");
  if (auto ok = detail::Conclude(*f, StaffErrors(tx, s, s.site_id != old->site_id)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (*version != old->version) return http::StaleVersion("staff member");
  if ((s.site_id != old->site_id || s.employee_no != old->employee_no) &&
      store::EmployeeNoTaken(tx, s.site_id, s.employee_no, s.id)) {
    return detail::Duplicate("employee_no", "this site already has staff with this number");
  }
  s.version = old->version + 1;
  s.updated_at = ctx.Now();
  store::UpdateStaff(tx, s);
  const Date today = detail::TodayOf(ctx).date;
  const Json before = StaffJson(*old, today);
  const Json after = StaffJson(*store::LoadStaff(tx, s.id), today);
  detail::AuditChange(ctx, "staff.update", "staff", s.id, &before, &after);
  return http::JsonResponse(after);
}

Response AddTitle(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadStaff(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("staff member");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto today = detail::TodayOf(ctx);
  const auto title = f->Text("title", {.required = true, .max_length = 40});
  const auto from = f->Day("effective_from");
  std::vector<FieldError> errors;
  if (title) errors = ValidateTitle(*title, old->category);
  if (auto ok = detail::Conclude(*f, errors); !ok) return http::ErrorResponse(ok.error());
  const Date effective_from = from.value_or(today.date);
  if (store::TitleDateTaken(tx, old->id, effective_from)) {
    return detail::Duplicate("effective_from", "a title is already recorded from this date");
  }
  const Micros now = ctx.Now();
  store::AddTitle(tx, old->id, {*title, effective_from}, now, ctx.principal.ActorId());
  // The staff record as shown changed, so its version moves: an open edit form must reload.
  Staff s = *old;
  s.version = old->version + 1;
  s.updated_at = now;
  store::UpdateStaff(tx, s);
  const Json before = StaffJson(*old, today.date);
  const Json after = StaffJson(*store::LoadStaff(tx, s.id), today.date);
  ctx.Audit("staff.title", "staff", std::to_string(s.id), &before, &after,
            "title=" + *title + " effective_from=" + FormatDate(effective_from));
  return http::JsonResponse(after, 201);
}

const Json& StaffBody() {
  static const Json kBody{
      {"type", "object"},
      {"required", {"site_id", "employee_no", "name", "sex", "category"}},
      {"properties",
       {{"site_id", {{"type", "integer"}}},
        {"employee_no", {{"type", "string"}, {"maxLength", 32}}},
        {"name", {{"type", "string"}, {"maxLength", 64}}},
        {"sex", {{"type", "string"}, {"enum", kSexes}}},
        {"category", {{"type", "string"}, {"enum", kStaffCategories}}},
        {"title",
         {{"type", "string"},
          {"nullable", true},
          {"enum", kTitles},
          {"description", "POST only: the first title"}}},
        {"title_effective_from",
         {{"type", "string"}, {"format", "date"}, {"description", "POST only: default today"}}},
        {"phone", {{"type", "string"}}},
        {"radiation_worker", {{"type", "boolean"}}},
        {"radiation_work_since", {{"type", "string"}, {"nullable", true}, {"format", "date"}}},
        {"dosimeter_id", {{"type", "string"}}},
        {"thyroid_collar", {{"type", "boolean"}}},
        {"trainee", {{"type", "boolean"}}},
        {"emergency_signoff", {{"type", "boolean"}}},
        {"diagnostic_practice_since", {{"type", "string"}, {"nullable", true}, {"format", "date"}}},
        {"status", {{"type", "string"}, {"enum", kStaffStatuses}}},
        {"version", {{"type", "integer"}, {"description", "PATCH only: the current version"}}}}}};
  return kBody;
}

}  // namespace

std::vector<http::Route> StaffRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/staff", Permission::kStaffRead, Mode::kRead, "staff",
       "人员列表 / List staff (filters site_id, q, category, status, trainee, radiation_worker)",
       nullptr, ListStaff},
      {Method::kGet, "/api/v1/staff/{id}", Permission::kStaffRead, Mode::kRead, "staff",
       "人员详情（访问留痕） / One staff member; the read is audited", nullptr, GetStaff},
      {Method::kPost, "/api/v1/staff", Permission::kStaffWrite, Mode::kWrite, "staff",
       "新建人员 / Create a staff member, optionally with the first title", StaffBody(),
       CreateStaff},
      {Method::kPatch, "/api/v1/staff/{id}", Permission::kStaffWrite, Mode::kWrite, "staff",
       "修改人员（含状态） / Change a staff member or set status; needs version", StaffBody(),
       UpdateStaff},
      {Method::kPost, "/api/v1/staff/{id}/titles", Permission::kStaffWrite, Mode::kWrite, "staff",
       "职称变更 / Record a title from a date (one per date); answers the staff member",
       Json{{"type", "object"},
            {"required", {"title"}},
            {"properties",
             {{"title", {{"type", "string"}, {"enum", kTitles}}},
              {"effective_from",
               {{"type", "string"}, {"format", "date"}, {"description", "default today"}}}}}},
       AddTitle},
  };
}

}  // namespace radqs::org
