// HTTP routes for sites (机构) and their licences (许可证) — spec: domain.md §1, docs/api.md.
#include "org/routes_internal.h"

namespace radqs::org {
namespace {

using detail::Body;
using http::Context;
using http::Response;

// --- sites -------------------------------------------------------------------------------------

void ReadSite(Body& b, Site& s) {
  b.Text("code", s.code, true, 32);
  b.Text("name", s.name, true, 100);
  b.Text("level", s.level, true, 40);
  b.Text("kind", s.kind, true, 40);
  b.Integer("beds", s.beds, false, {.min = 0, .max = 100000});
  b.Text("address", s.address, false, 200);
  b.Text("phone", s.phone, false, 40);
  b.Boolean("active", s.active);
}

Response ListSites(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  http::QueryParams q(ctx.request);
  store::SiteFilter f{.active = q.Boolean("active"), .q = q.Text("q")};
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  Json items = Json::array();
  for (const auto& s : store::ListSites(ctx.tx(), f, detail::CursorOf(*page))) {
    items.push_back(SiteJson(s));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response GetSite(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto s = id ? store::LoadSite(ctx.tx(), *id) : std::nullopt;
  if (!s) return detail::NotFound("site");
  return http::JsonResponse(SiteJson(*s));
}

Response CreateSite(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  Site s;
  Body b(*f, true);
  ReadSite(b, s);
  if (auto ok = detail::Conclude(*f, ValidateSite(s)); !ok) return http::ErrorResponse(ok.error());
  auto& tx = ctx.tx();
  if (store::SiteCodeTaken(tx, s.code, 0)) {
    return detail::Duplicate("code", "another site has this code");
  }
  s.created_at = s.updated_at = ctx.Now();
  s.id = store::InsertSite(tx, s);
  const Json after = SiteJson(*store::LoadSite(tx, s.id));
  detail::AuditChange(ctx, "site.create", "site", s.id, nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response UpdateSite(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadSite(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("site");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Site s = *old;
  Body b(*f, false);
  ReadSite(b, s);
  if (auto ok = detail::Conclude(*f, ValidateSite(s)); !ok) return http::ErrorResponse(ok.error());
  if (*version != old->version) return http::StaleVersion("site");
  if (s.code != old->code && store::SiteCodeTaken(tx, s.code, s.id)) {
    return detail::Duplicate("code", "another site has this code");
  }
  s.version = old->version + 1;
  s.updated_at = ctx.Now();
  store::UpdateSite(tx, s);
  const Json before = SiteJson(*old);
  const Json after = SiteJson(*store::LoadSite(tx, s.id));
  detail::AuditChange(ctx, "site.update", "site", s.id, &before, &after);
  return http::JsonResponse(after);
}

// --- licences ----------------------------------------------------------------------------------

void ReadLicence(Body& b, Licence& l) {
  b.Text("type", l.type, true, 40);
  b.Text("number", l.number, true, 64);
  b.Text("issuer", l.issuer, false, 100);
  b.Text("scope", l.scope, false, 500, true);
  b.OptionalDay("issued_on", l.issued_on);
  b.Day("expires_on", l.expires_on);
  b.Boolean("active", l.active);
}

Response ListLicences(Context& ctx) {
  const auto site_id = ctx.request.IdParam();
  if (!site_id || !store::SiteExists(ctx.tx(), *site_id)) return detail::NotFound("site");
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  const auto today = detail::TodayOf(ctx);
  Json items = Json::array();
  for (const auto& l : store::ListLicences(ctx.tx(), *site_id, detail::CursorOf(*page))) {
    items.push_back(LicenceJson(l, today.date, today.licence_alert_days));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response CreateLicence(Context& ctx) {
  const auto site_id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  if (!site_id || !store::SiteExists(tx, *site_id)) return detail::NotFound("site");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  Licence l;
  l.site_id = *site_id;
  Body b(*f, true);
  ReadLicence(b, l);
  if (auto ok = detail::Conclude(*f, ValidateLicence(l)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (store::LicenceNumberTaken(tx, l.site_id, l.type, l.number, 0)) {
    return detail::Duplicate("number", "this site already has a licence of this type and number");
  }
  l.created_at = l.updated_at = ctx.Now();
  l.id = store::InsertLicence(tx, l);
  const auto today = detail::TodayOf(ctx);
  const Json after =
      LicenceJson(*store::LoadLicence(tx, l.id), today.date, today.licence_alert_days);
  detail::AuditChange(ctx, "licence.create", "licence", l.id, nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response UpdateLicence(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadLicence(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("licence");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Licence l = *old;
  Body b(*f, false);
  ReadLicence(b, l);
  b.NotEditable("site_id", "a licence stays with its site; record a new one at the other site");
  if (auto ok = detail::Conclude(*f, ValidateLicence(l)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (*version != old->version) return http::StaleVersion("licence");
  if ((l.type != old->type || l.number != old->number) &&
      store::LicenceNumberTaken(tx, l.site_id, l.type, l.number, l.id)) {
    return detail::Duplicate("number", "this site already has a licence of this type and number");
  }
  l.version = old->version + 1;
  l.updated_at = ctx.Now();
  store::UpdateLicence(tx, l);
  const auto today = detail::TodayOf(ctx);
  const Json before = LicenceJson(*old, today.date, today.licence_alert_days);
  const Json after =
      LicenceJson(*store::LoadLicence(tx, l.id), today.date, today.licence_alert_days);
  detail::AuditChange(ctx, "licence.update", "licence", l.id, &before, &after);
  return http::JsonResponse(after);
}

const Json& SiteBody() {
  static const Json kBody{
      {"type", "object"},
      {"required", {"code", "name", "level", "kind"}},
      {"properties",
       {{"code", {{"type", "string"}, {"maxLength", 32}}},
        {"name", {{"type", "string"}, {"maxLength", 100}}},
        {"level", {{"type", "string"}, {"enum", kSiteLevels}}},
        {"kind", {{"type", "string"}, {"enum", kSiteKinds}}},
        {"beds", {{"type", "integer"}, {"minimum", 0}}},
        {"address", {{"type", "string"}}},
        {"phone", {{"type", "string"}}},
        {"active", {{"type", "boolean"}}},
        {"version", {{"type", "integer"}, {"description", "PATCH only: the current version"}}}}}};
  return kBody;
}

const Json& LicenceBody() {
  static const Json kBody{
      {"type", "object"},
      {"required", {"type", "number", "expires_on"}},
      {"properties",
       {{"type", {{"type", "string"}, {"enum", kLicenceTypes}}},
        {"number", {{"type", "string"}, {"maxLength", 64}}},
        {"issuer", {{"type", "string"}}},
        {"scope", {{"type", "string"}}},
        {"issued_on", {{"type", "string"}, {"nullable", true}, {"format", "date"}}},
        {"expires_on", {{"type", "string"}, {"format", "date"}}},
        {"active", {{"type", "boolean"}}},
        {"version", {{"type", "integer"}, {"description", "PATCH only: the current version"}}}}}};
  return kBody;
}

}  // namespace

std::vector<http::Route> SiteRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/sites", Permission::kOrgRead, Mode::kRead, "org",
       "机构列表 / List sites (filters active, q)", nullptr, ListSites},
      {Method::kGet, "/api/v1/sites/{id}", Permission::kOrgRead, Mode::kRead, "org",
       "机构详情 / One site", nullptr, GetSite},
      {Method::kPost, "/api/v1/sites", Permission::kOrgWrite, Mode::kWrite, "org",
       "新建机构 / Create a site", SiteBody(), CreateSite},
      {Method::kPatch, "/api/v1/sites/{id}", Permission::kOrgWrite, Mode::kWrite, "org",
       "修改机构（含停用） / Change or deactivate a site; needs version", SiteBody(), UpdateSite},
      {Method::kGet, "/api/v1/sites/{id}/licences", Permission::kOrgRead, Mode::kRead, "org",
       "机构许可证及有效期状态 / A site's licences with validity status", nullptr, ListLicences},
      {Method::kPost, "/api/v1/sites/{id}/licences", Permission::kOrgWrite, Mode::kWrite, "org",
       "登记许可证 / Record a licence of a site", LicenceBody(), CreateLicence},
      {Method::kPatch, "/api/v1/licences/{id}", Permission::kOrgWrite, Mode::kWrite, "org",
       "修改许可证（含停用） / Change or deactivate a licence; needs version", LicenceBody(),
       UpdateLicence},
  };
}

}  // namespace radqs::org
