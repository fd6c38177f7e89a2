// SQL for sites (机构) and their licences (许可证), plus the helpers the other stores share.
#include <fmt/format.h>

#include "org/org_store.h"

namespace radqs::org::store {

std::optional<Date> DateAt(const db::Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return Date{static_cast<std::int32_t>(s.Int(column))};
}

std::optional<std::int64_t> DaysOf(std::optional<Date> d) {
  return d ? std::optional<std::int64_t>(d->days) : std::nullopt;
}

bool SiteExists(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare("SELECT 1 FROM sites WHERE id = ?");
  s.Bind(id);
  return s.Step();
}

std::vector<std::int64_t> ActiveSiteIds(db::Transaction& tx) {
  auto s = tx.Prepare("SELECT id FROM sites WHERE active = 1 ORDER BY id");
  std::vector<std::int64_t> out;
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

bool StaffExists(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare("SELECT 1 FROM staff WHERE id = ?");
  s.Bind(id);
  return s.Step();
}

namespace {

constexpr const char* kSiteColumns =
    "id, code, name, level, kind, beds, address, phone, active, created_at, updated_at, version";

Site SiteAt(const db::Statement& s) {
  Site x;
  x.id = s.Int(0);
  x.code = s.Text(1);
  x.name = s.Text(2);
  x.level = s.Text(3);
  x.kind = s.Text(4);
  x.beds = s.Int(5);
  x.address = s.Text(6);
  x.phone = s.Text(7);
  x.active = s.Bool(8);
  x.created_at = s.Int(9);
  x.updated_at = s.Int(10);
  x.version = s.Int(11);
  return x;
}

constexpr const char* kLicenceColumns =
    "id, site_id, type, number, issuer, scope, issued_on, expires_on, active, created_at, "
    "updated_at, version";

Licence LicenceAt(const db::Statement& s) {
  Licence x;
  x.id = s.Int(0);
  x.site_id = s.Int(1);
  x.type = s.Text(2);
  x.number = s.Text(3);
  x.issuer = s.Text(4);
  x.scope = s.Text(5);
  x.issued_on = DateAt(s, 6);
  x.expires_on = Date{static_cast<std::int32_t>(s.Int(7))};
  x.active = s.Bool(8);
  x.created_at = s.Int(9);
  x.updated_at = s.Int(10);
  x.version = s.Int(11);
  return x;
}

}  // namespace

std::optional<Site> LoadSite(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM sites WHERE id = ?", kSiteColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return SiteAt(s);
}

std::vector<Site> ListSites(db::Transaction& tx, const SiteFilter& f, const Cursor& c) {
  db::SqlBuilder q(fmt::format("SELECT {} FROM sites WHERE 1 = 1", kSiteColumns));
  if (f.active) q.Add(" AND active = ?", *f.active);
  if (f.q) {
    const std::string like = db::LikeContains(*f.q);
    q.Add(" AND (code LIKE ? ESCAPE '\\'", like).Add(" OR name LIKE ? ESCAPE '\\')", like);
  }
  if (c.after_id) q.Add(" AND id > ?", *c.after_id);
  q.Add(" ORDER BY id LIMIT ?", c.limit);
  std::vector<Site> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(SiteAt(s));
  return out;
}

std::int64_t InsertSite(db::Transaction& tx, const Site& x) {
  auto s = tx.Prepare(
      "INSERT INTO sites (code, name, level, kind, beds, address, phone, active, created_at, "
      "updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(x.code, x.name, x.level, x.kind, x.beds, x.address, x.phone, x.active, x.created_at,
         x.updated_at, x.version);
  s.Step();
  return s.Int(0);
}

void UpdateSite(db::Transaction& tx, const Site& x) {
  tx.Exec(
      "UPDATE sites SET code = ?, name = ?, level = ?, kind = ?, beds = ?, address = ?, "
      "phone = ?, active = ?, updated_at = ?, version = ? WHERE id = ?",
      x.code, x.name, x.level, x.kind, x.beds, x.address, x.phone, x.active, x.updated_at,
      x.version, x.id);
}

bool SiteCodeTaken(db::Transaction& tx, std::string_view code, std::int64_t except_id) {
  auto s = tx.Prepare("SELECT 1 FROM sites WHERE code = ? AND id <> ?");
  s.Bind(code, except_id);
  return s.Step();
}

std::optional<Licence> LoadLicence(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM site_licences WHERE id = ?", kLicenceColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return LicenceAt(s);
}

std::vector<Licence> ListLicences(db::Transaction& tx, std::int64_t site_id, const Cursor& c) {
  db::SqlBuilder q(fmt::format("SELECT {} FROM site_licences WHERE 1 = 1", kLicenceColumns));
  q.Add(" AND site_id = ?", site_id);
  if (c.after_id) q.Add(" AND id > ?", *c.after_id);
  q.Add(" ORDER BY id LIMIT ?", c.limit);
  std::vector<Licence> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(LicenceAt(s));
  return out;
}

std::int64_t InsertLicence(db::Transaction& tx, const Licence& x) {
  auto s = tx.Prepare(
      "INSERT INTO site_licences (site_id, type, number, issuer, scope, issued_on, expires_on, "
      "active, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  s.Bind(x.site_id, x.type, x.number, x.issuer, x.scope, DaysOf(x.issued_on),
         static_cast<std::int64_t>(x.expires_on.days), x.active, x.created_at, x.updated_at,
         x.version);
  s.Step();
  return s.Int(0);
}

void UpdateLicence(db::Transaction& tx, const Licence& x) {
  tx.Exec(
      "UPDATE site_licences SET type = ?, number = ?, issuer = ?, scope = ?, issued_on = ?, "
      "expires_on = ?, active = ?, updated_at = ?, version = ? WHERE id = ?",
      x.type, x.number, x.issuer, x.scope, DaysOf(x.issued_on),
      static_cast<std::int64_t>(x.expires_on.days), x.active, x.updated_at, x.version, x.id);
}

bool LicenceNumberTaken(db::Transaction& tx, std::int64_t site_id, std::string_view type,
                        std::string_view number, std::int64_t except_id) {
  auto s = tx.Prepare(
      "SELECT 1 FROM site_licences WHERE site_id = ? AND type = ? AND number = ? AND id <> ?");
  s.Bind(site_id, type, number, except_id);
  return s.Step();
}

}  // namespace radqs::org::store
