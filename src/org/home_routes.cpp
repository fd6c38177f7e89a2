// GET /api/v1/home (首页): counts, breakdowns and alerts, each only for callers allowed to see the
// records behind it (docs/api.md "Home"), and the assembly of the module's routes.
#include "org/routes_internal.h"
#include "platform/auth/accounts.h"

namespace radqs::org {
namespace {

using auth::Permission;
using http::Context;
using http::Response;

Alert UserLockedAlert(const auth::LockedUser& u) {
  Alert a;
  a.kind = "user_locked";
  a.severity = "warning";
  a.message = "账户 " + u.username + "（" + u.display_name + "）" +
              (u.locked_until ? "因连续登录失败暂时锁定" : "已被管理员锁定");
  a.entity = "user";
  a.entity_id = u.id;
  a.site_id = u.site_id;
  return a;
}

Response Home(Context& ctx) {
  auto& tx = ctx.tx();
  const auto today = detail::TodayOf(ctx);
  HomeFigures fig;
  if (ctx.Can(Permission::kOrgRead)) {
    auto c = store::CountSites(tx);
    fig.sites = c.sites;
    fig.rooms = c.rooms;
    fig.rooms_by_modality = std::move(c.rooms_by_modality);
    // spec: domain.md §1 — expired or expiring licences raise alerts.
    const Date until{static_cast<std::int32_t>(today.date.days + today.licence_alert_days)};
    for (const auto& [licence, site_name] : store::LicencesDueBy(tx, until)) {
      if (auto a = LicenceAlert(licence, site_name, today.date, today.licence_alert_days)) {
        fig.alerts.push_back(std::move(*a));
      }
    }
  }
  if (ctx.Can(Permission::kStaffRead)) {
    auto c = store::CountStaff(tx);
    fig.staff = c.staff;
    fig.radiation_workers = c.radiation_workers;
    fig.trainees = c.trainees;
    fig.staff_by_category = std::move(c.staff_by_category);
    const Date until{static_cast<std::int32_t>(today.date.days + today.certificate_alert_days)};
    for (const auto& d : store::CertificatesDueBy(tx, until)) {
      if (auto a = CertificateAlert(d.certificate, d.staff_name, d.site_id, today.date,
                                    today.certificate_alert_days)) {
        fig.alerts.push_back(std::move(*a));
      }
    }
  }
  if (ctx.Can(Permission::kUsersRead)) {
    const Micros now = ctx.Now();
    const auto c = auth::CountUsers(tx, now);
    fig.users = c.users;
    fig.locked_users = c.locked_users;
    for (const auto& u : auth::LockedUsers(tx, now)) fig.alerts.push_back(UserLockedAlert(u));
  }
  return http::JsonResponse(HomeSummary(std::move(fig)));
}

}  // namespace

std::vector<http::Route> Routes() {
  std::vector<http::Route> routes = {
      {http::Method::kGet, "/api/v1/home", Permission::kAuthenticated, http::Mode::kRead, "home",
       "首页概况与预警 / Home: counts, breakdowns and alerts the caller may see", nullptr, Home},
  };
  for (auto group :
       {SiteRoutes(), RoomRoutes(), DepartmentRoutes(), StaffRoutes(), CertificateRoutes()}) {
    routes.insert(routes.end(), group.begin(), group.end());
  }
  return routes;
}

}  // namespace radqs::org
