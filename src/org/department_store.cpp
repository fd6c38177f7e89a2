// SQL for ordering departments (申请科室).
#include <fmt/format.h>

#include "org/org_store.h"

namespace radqs::org::store {
namespace {

constexpr const char* kDepartmentColumns =
    "id, site_id, code, name, emergency, his_code, active, created_at, updated_at, version";

Department DepartmentAt(const db::Statement& s) {
  Department x;
  x.id = s.Int(0);
  x.site_id = s.Int(1);
  x.code = s.Text(2);
  x.name = s.Text(3);
  x.emergency = s.Bool(4);
  x.his_code = s.Text(5);
  x.active = s.Bool(6);
  x.created_at = s.Int(7);
  x.updated_at = s.Int(8);
  x.version = s.Int(9);
  return x;
}

}  // namespace

std::optional<Department> LoadDepartment(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(
      fmt::format("SELECT {} FROM ordering_departments WHERE id = ?", kDepartmentColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return DepartmentAt(s);
}

std::vector<Department> ListDepartments(db::Transaction& tx, const DepartmentFilter& f,
                                        const Cursor& c) {
  db::SqlBuilder q(
      fmt::format("SELECT {} FROM ordering_departments WHERE 1 = 1", kDepartmentColumns));
  if (f.site_id) q.Add(" AND site_id = ?", *f.site_id);
  if (f.active) q.Add(" AND active = ?", *f.active);
  if (f.emergency) q.Add(" AND emergency = ?", *f.emergency);
  if (f.his_code) q.Add(" AND his_code = ?", *f.his_code);
  if (f.q) {
    const std::string like = db::LikeContains(*f.q);
    q.Add(" AND (code LIKE ? ESCAPE '\\'", like).Add(" OR name LIKE ? ESCAPE '\\')", like);
  }
  if (c.after_id) q.Add(" AND id > ?", *c.after_id);
  q.Add(" ORDER BY id LIMIT ?", c.limit);
  std::vector<Department> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(DepartmentAt(s));
  return out;
}

std::int64_t InsertDepartment(db::Transaction& tx, const Department& x) {
  auto s = tx.Prepare(
      "INSERT INTO ordering_departments (site_id, code, name, emergency, his_code, active, "
      "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(x.site_id, x.code, x.name, x.emergency, x.his_code, x.active, x.created_at, x.updated_at,
         x.version);
  s.Step();
  return s.Int(0);
}

void UpdateDepartment(db::Transaction& tx, const Department& x) {
  tx.Exec(
      "UPDATE ordering_departments SET site_id = ?, code = ?, name = ?, emergency = ?, "
      "his_code = ?, active = ?, updated_at = ?, version = ? WHERE id = ?",
      x.site_id, x.code, x.name, x.emergency, x.his_code, x.active, x.updated_at, x.version, x.id);
}

bool DepartmentCodeTaken(db::Transaction& tx, std::int64_t site_id, std::string_view code,
                         std::int64_t except_id) {
  auto s =
      tx.Prepare("SELECT 1 FROM ordering_departments WHERE site_id = ? AND code = ? AND id <> ?");
  s.Bind(site_id, code, except_id);
  return s.Step();
}

bool DepartmentHisCodeTaken(db::Transaction& tx, std::int64_t site_id, std::string_view his_code,
                            std::int64_t except_id) {
  if (his_code.empty()) return false;
  auto s = tx.Prepare(
      "SELECT 1 FROM ordering_departments WHERE site_id = ? AND his_code = ? AND id <> ?");
  s.Bind(site_id, his_code, except_id);
  return s.Step();
}

}  // namespace radqs::org::store

namespace radqs::org {

std::optional<Department> FindDepartment(db::Transaction& tx, std::int64_t id) {
  return store::LoadDepartment(tx, id);
}

std::optional<Department> FindDepartmentByHisCode(db::Transaction& tx, std::int64_t site_id,
                                                  std::string_view his_code) {
  if (his_code.empty()) return std::nullopt;
  auto found = store::ListDepartments(tx, {.site_id = site_id, .his_code = std::string(his_code)},
                                      {.limit = 1});
  if (found.empty()) return std::nullopt;
  return found.front();
}

}  // namespace radqs::org
