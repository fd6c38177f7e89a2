// The XLSX exports of the organisation's lists and of the account lists, whose screens show
// staff and site names beside the ids (docs/decisions.md, exports).
#include <map>

#include "org/directory.h"
#include "org/org.h"
#include "org/org_store.h"

namespace radqs::org {
namespace {

using exporting::Col;
using exporting::Dict;
using exporting::Kind;

// Adds `<key>_name` beside each item's `<key>_id`, looked up once per id.
template <class Lookup>
void AddNames(std::vector<Json>& items, const char* id_key, const char* name_key, Lookup lookup) {
  std::map<std::int64_t, Json> names;
  for (auto& item : items) {
    const auto it = item.find(id_key);
    if (it == item.end() || !it->is_number_integer()) continue;
    const auto id = it->get<std::int64_t>();
    auto found = names.find(id);
    if (found == names.end()) found = names.emplace(id, lookup(id)).first;
    item[name_key] = found->second;
  }
}

void AddSiteNames(db::Transaction& tx, std::vector<Json>& items) {
  AddNames(items, "site_id", "site_name", [&](std::int64_t id) {
    const auto s = FindSite(tx, id);
    return s ? Json(s->name) : Json(nullptr);
  });
}

exporting::Column StatusCol() {
  exporting::Column c = Col("active", "common.status", Kind::kText, 8, &Dict("common.statuses"));
  c.value = [](const Json& item, exporting::Lang) {
    return Json(item.value("active", false) ? "true" : "false");
  };
  return c;
}

exporting::ListSpec Sites() {
  return {{"机构", "Sites"},
          {Col("code", "site.code", Kind::kText, 12), Col("name", "site.name", Kind::kText, 28),
           Col("level", "site.level", Kind::kText, 8, &Dict("site.levels")),
           Col("kind", "site.kind", Kind::kText, 22, &Dict("site.kinds")),
           Col("beds", "site.beds", Kind::kNumber, 8), StatusCol()}};
}

exporting::ListSpec Rooms() {
  return {
      {"检查室", "Rooms"},
      {Col("site_name", "room.site", Kind::kText, 24), Col("code", "room.code", Kind::kText, 10),
       Col("name", "room.name", Kind::kText, 18),
       Col("modality", "room.modality", Kind::kText, 12, &Dict("room.modalities")),
       Col("location", "room.location", Kind::kText, 20),
       Col("open_24h", "room.open24h", Kind::kBool, 10), StatusCol()},
      [](db::Transaction& tx, Micros, Date, std::vector<Json>& items) { AddSiteNames(tx, items); }};
}

exporting::ListSpec Departments() {
  return {
      {"申请科室", "Departments"},
      {Col("site_name", "department.site", Kind::kText, 24),
       Col("code", "department.code", Kind::kText, 10),
       Col("name", "department.name", Kind::kText, 18),
       Col("emergency", "department.emergency", Kind::kBool, 10),
       Col("his_code", "department.hisCode", Kind::kText, 12), StatusCol()},
      [](db::Transaction& tx, Micros, Date, std::vector<Json>& items) { AddSiteNames(tx, items); }};
}

exporting::ListSpec StaffList() {
  return {
      {"人员", "Staff"},
      {Col("employee_no", "staff.employeeNo", Kind::kText, 10),
       Col("name", "staff.name", Kind::kText, 12),
       Col("sex", "staff.sex", Kind::kText, 6, &Dict("staff.sexes")),
       Col("site_name", "staff.site", Kind::kText, 24),
       Col("category", "staff.category", Kind::kText, 10, &Dict("staff.categories")),
       Col("title", "staff.jobTitle", Kind::kText, 12, &Dict("staff.titles")),
       Col("radiation_worker", "staff.radiationWorker", Kind::kBool, 12),
       Col("trainee", "staff.trainee", Kind::kBool, 10),
       Col("status", "staff.status", Kind::kText, 14, &Dict("staff.statuses"))},
      [](db::Transaction& tx, Micros, Date, std::vector<Json>& items) { AddSiteNames(tx, items); }};
}

exporting::ListSpec Users() {
  exporting::Column status = Col("", "user.status", Kind::kText, 10, &Dict("user.statuses"));
  status.value = [](const Json& u, exporting::Lang) {
    if (!u.value("active", false)) return Json("inactive");
    return Json(u.value("locked", false) ? "locked" : "ok");
  };
  return {{"用户", "Users"},
          {Col("username", "user.username", Kind::kText, 14),
           Col("display_name", "user.displayName", Kind::kText, 14),
           Col("roles", "user.roles", Kind::kList, 30, &Dict("roles")),
           Col("staff_name", "user.staff", Kind::kText, 14),
           Col("site_name", "user.site", Kind::kText, 24), status,
           Col("failed_logins", "user.failedLogins", Kind::kNumber, 10),
           Col("last_login_at", "user.lastLoginAt", Kind::kInstant, 17)},
          [](db::Transaction& tx, Micros, Date, std::vector<Json>& items) {
            AddSiteNames(tx, items);
            AddNames(items, "staff_id", "staff_name", [&](std::int64_t id) {
              const auto s = store::LoadStaff(tx, id);
              return s ? Json(s->name) : Json(nullptr);
            });
          }};
}

}  // namespace

std::vector<http::ListExport> ListExports() {
  std::vector<http::ListExport> out;
  out.push_back({"GET /api/v1/sites", Sites()});
  out.push_back({"GET /api/v1/rooms", Rooms()});
  out.push_back({"GET /api/v1/departments", Departments()});
  out.push_back({"GET /api/v1/staff", StaffList()});
  out.push_back({"GET /api/v1/users", Users()});
  return out;
}

}  // namespace radqs::org
