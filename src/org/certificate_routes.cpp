// HTTP routes for staff certificates (人员证书: 执业证书, 放射工作人员证, training records) —
// spec: domain.md §1 and §6, docs/api.md.
#include "org/routes_internal.h"

namespace radqs::org {
namespace {

using detail::Body;
using http::Context;
using http::Response;

void ReadCertificate(Body& b, Certificate& c) {
  b.Text("type", c.type, true, 40);
  b.Text("number", c.number, true, 64);
  b.Text("issuer", c.issuer, false, 100);
  b.Text("scope", c.scope, false, 500, true);
  b.TextList("registrations", c.registrations, 20, 100);
  b.OptionalDay("issued_on", c.issued_on);
  b.OptionalDay("expires_on", c.expires_on);
  b.Boolean("active", c.active);
}

Response ListCertificates(Context& ctx) {
  const auto staff_id = ctx.request.IdParam();
  if (!staff_id || !store::StaffExists(ctx.tx(), *staff_id)) {
    return detail::NotFound("staff member");
  }
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  const auto today = detail::TodayOf(ctx);
  Json items = Json::array();
  for (const auto& c : store::ListCertificates(ctx.tx(), *staff_id, detail::CursorOf(*page))) {
    items.push_back(CertificateJson(c, today.date, today.certificate_alert_days));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response CreateCertificate(Context& ctx) {
  const auto staff_id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  if (!staff_id || !store::StaffExists(tx, *staff_id)) return detail::NotFound("staff member");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  Certificate c;
  c.staff_id = *staff_id;
  Body b(*f, true);
  ReadCertificate(b, c);
  if (auto ok = detail::Conclude(*f, ValidateCertificate(c)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  c.created_at = c.updated_at = ctx.Now();
  c.id = store::InsertCertificate(tx, c);
  const auto today = detail::TodayOf(ctx);
  const Json after =
      CertificateJson(*store::LoadCertificate(tx, c.id), today.date, today.certificate_alert_days);
  detail::AuditChange(ctx, "certificate.create", "certificate", c.id, nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response UpdateCertificate(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadCertificate(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("certificate");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Certificate c = *old;
  Body b(*f, false);
  ReadCertificate(b, c);
  b.NotEditable("staff_id", "a certificate stays with its holder");
  if (auto ok = detail::Conclude(*f, ValidateCertificate(c)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (*version != old->version) return http::StaleVersion("certificate");
  c.version = old->version + 1;
  c.updated_at = ctx.Now();
  store::UpdateCertificate(tx, c);
  const auto today = detail::TodayOf(ctx);
  const Json before = CertificateJson(*old, today.date, today.certificate_alert_days);
  const Json after =
      CertificateJson(*store::LoadCertificate(tx, c.id), today.date, today.certificate_alert_days);
  detail::AuditChange(ctx, "certificate.update", "certificate", c.id, &before, &after);
  return http::JsonResponse(after);
}

const Json& CertificateBody() {
  static const Json kBody{
      {"type", "object"},
      {"required", {"type", "number"}},
      {"properties",
       {{"type", {{"type", "string"}, {"enum", kCertificateTypes}}},
        {"number", {{"type", "string"}, {"maxLength", 64}}},
        {"issuer", {{"type", "string"}}},
        {"scope", {{"type", "string"}}},
        {"registrations",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "registered institutions (多点执业)"}}},
        {"issued_on", {{"type", "string"}, {"nullable", true}, {"format", "date"}}},
        {"expires_on",
         {{"type", "string"},
          {"nullable", true},
          {"format", "date"},
          {"description", "null: no expiry"}}},
        {"active", {{"type", "boolean"}}},
        {"version", {{"type", "integer"}, {"description", "PATCH only: the current version"}}}}}};
  return kBody;
}

}  // namespace

std::vector<http::Route> CertificateRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/staff/{id}/certificates", Permission::kStaffRead, Mode::kRead,
       "staff", "人员证书及有效期状态 / A staff member's certificates with validity status",
       nullptr, ListCertificates},
      {Method::kPost, "/api/v1/staff/{id}/certificates", Permission::kCertificatesWrite,
       Mode::kWrite, "staff", "登记人员证书 / Record a certificate of a staff member",
       CertificateBody(), CreateCertificate},
      {Method::kPatch, "/api/v1/certificates/{id}", Permission::kCertificatesWrite, Mode::kWrite,
       "staff", "修改人员证书（含停用） / Change or deactivate a certificate; needs version",
       CertificateBody(), UpdateCertificate},
  };
}

}  // namespace radqs::org
