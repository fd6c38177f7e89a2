// HTTP routes for ordering departments (申请科室) — spec: domain.md §1 "Departments carry an
// emergency department flag", docs/api.md.
#include "org/routes_internal.h"

namespace radqs::org {
namespace {

using detail::Body;
using http::Context;
using http::Response;

void ReadDepartment(Body& b, Department& d) {
  b.Integer("site_id", d.site_id, true, {.min = 1});
  b.Text("code", d.code, true, 32);
  b.Text("name", d.name, true, 64);
  b.Boolean("emergency", d.emergency);
  b.Text("his_code", d.his_code, false, 32);
  b.Boolean("active", d.active);
}

std::vector<FieldError> DepartmentErrors(db::Transaction& tx, const Department& d,
                                         bool site_changed) {
  auto errors = ValidateDepartment(d);
  if (site_changed && d.site_id > 0 && !store::SiteExists(tx, d.site_id)) {
    errors.push_back({"site_id", "reference", "no such site"});
  }
  return errors;
}

// Code, then HIS code, unique per site.
std::optional<Response> Taken(db::Transaction& tx, const Department& d) {
  if (store::DepartmentCodeTaken(tx, d.site_id, d.code, d.id)) {
    return detail::Duplicate("code", "this site already has a department with this code");
  }
  if (store::DepartmentHisCodeTaken(tx, d.site_id, d.his_code, d.id)) {
    return detail::Duplicate("his_code", "another department of this site has this HIS code");
  }
  return std::nullopt;
}

Response ListDepartments(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  http::QueryParams q(ctx.request);
  store::DepartmentFilter f{.site_id = q.Integer("site_id"),
                            .active = q.Boolean("active"),
                            .emergency = q.Boolean("emergency"),
                            .q = q.Text("q"),
                            .his_code = q.Text("his_code")};
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  Json items = Json::array();
  for (const auto& d : store::ListDepartments(ctx.tx(), f, detail::CursorOf(*page))) {
    items.push_back(DepartmentJson(d));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response GetDepartment(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto d = id ? store::LoadDepartment(ctx.tx(), *id) : std::nullopt;
  if (!d) return detail::NotFound("department");
  return http::JsonResponse(DepartmentJson(*d));
}

Response CreateDepartment(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  auto& tx = ctx.tx();
  Department d;
  Body b(*f, true);
  ReadDepartment(b, d);
  if (auto ok = detail::Conclude(*f, DepartmentErrors(tx, d, true)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (auto taken = Taken(tx, d)) return *taken;
  d.created_at = d.updated_at = ctx.Now();
  d.id = store::InsertDepartment(tx, d);
  const Json after = DepartmentJson(*store::LoadDepartment(tx, d.id));
  detail::AuditChange(ctx, "department.create", "department", d.id, nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response UpdateDepartment(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadDepartment(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("department");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Department d = *old;
  Body b(*f, false);
  ReadDepartment(b, d);
  if (auto ok = detail::Conclude(*f, DepartmentErrors(tx, d, d.site_id != old->site_id)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (*version != old->version) return http::StaleVersion("department");
  if (auto taken = Taken(tx, d)) return *taken;
  d.version = old->version + 1;
  d.updated_at = ctx.Now();
  store::UpdateDepartment(tx, d);
  const Json before = DepartmentJson(*old);
  const Json after = DepartmentJson(*store::LoadDepartment(tx, d.id));
  detail::AuditChange(ctx, "department.update", "department", d.id, &before, &after);
  return http::JsonResponse(after);
}

const Json& DepartmentBody() {
  static const Json kBody{
      {"type", "object"},
      {"required", {"site_id", "code", "name"}},
      {"properties",
       {{"site_id", {{"type", "integer"}}},
        {"code", {{"type", "string"}, {"maxLength", 32}}},
        {"name", {{"type", "string"}, {"maxLength", 64}}},
        {"emergency", {{"type", "boolean"}}},
        {"his_code", {{"type", "string"}, {"maxLength", 32}}},
        {"active", {{"type", "boolean"}}},
        {"version", {{"type", "integer"}, {"description", "PATCH only: the current version"}}}}}};
  return kBody;
}

}  // namespace

std::vector<http::Route> DepartmentRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/departments", Permission::kOrgRead, Mode::kRead, "org",
       "申请科室列表 / List ordering departments (filters site_id, active, emergency, q, his_code)",
       nullptr, ListDepartments},
      {Method::kGet, "/api/v1/departments/{id}", Permission::kOrgRead, Mode::kRead, "org",
       "申请科室详情 / One ordering department", nullptr, GetDepartment},
      {Method::kPost, "/api/v1/departments", Permission::kOrgWrite, Mode::kWrite, "org",
       "新建申请科室 / Create an ordering department", DepartmentBody(), CreateDepartment},
      {Method::kPatch, "/api/v1/departments/{id}", Permission::kOrgWrite, Mode::kWrite, "org",
       "修改申请科室（含停用） / Change or deactivate a department; needs version",
       DepartmentBody(), UpdateDepartment},
  };
}

}  // namespace radqs::org
