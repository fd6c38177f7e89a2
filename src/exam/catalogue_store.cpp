#include <fmt/format.h>

#include <map>

#include "exam/exam_store.h"
#include "org/directory.h"

namespace radqs::exam::store {
namespace {

constexpr const char* kColumns =
    "id, code, name, modality, body_part, contrast, contrast_kind, duration_minutes, xray, "
    "lower_abdomen, report_class, category, confirm_images, active, version, preparation";

CatalogueItem ItemAt(db::Statement& s) {
  CatalogueItem i;
  i.id = s.Int(0);
  i.code = s.Text(1);
  i.name = s.Text(2);
  i.modality = s.Text(3);
  i.body_part = s.Text(4);
  i.contrast = s.Bool(5);
  i.contrast_kind = s.Text(6);
  i.duration_minutes = static_cast<int>(s.Int(7));
  i.xray = s.Bool(8);
  i.lower_abdomen = s.Bool(9);
  i.report_class = s.Text(10);
  i.category = s.Text(11);
  i.confirm_images = s.Bool(12);
  i.active = s.Bool(13);
  i.version = s.Int(14);
  i.preparation = s.Text(15);
  return i;
}

std::vector<std::int64_t> SitesOf(db::Transaction& tx, std::int64_t item_id) {
  auto s =
      tx.Prepare("SELECT site_id FROM catalogue_item_sites WHERE item_id = ? ORDER BY site_id");
  s.Bind(item_id);
  std::vector<std::int64_t> out;
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

void WriteSites(db::Transaction& tx, const CatalogueItem& i) {
  tx.Exec("DELETE FROM catalogue_item_sites WHERE item_id = ?", i.id);
  for (const auto site : i.site_ids) {
    tx.Exec("INSERT INTO catalogue_item_sites (item_id, site_id) VALUES (?, ?)", i.id, site);
  }
}

void SaveVersion(db::Transaction& tx, const CatalogueItem& i, std::optional<std::int64_t> actor,
                 Micros now) {
  tx.Exec(
      "INSERT INTO exam_item_versions (item_id, version, snapshot, changed_by, changed_at) "
      "VALUES (?, ?, ?, ?, ?)",
      i.id, i.version, ItemJson(i).dump(), actor, now);
}

}  // namespace

std::map<std::int64_t, CatalogueItem> ItemsById(db::Transaction& tx,
                                                const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, CatalogueItem> out;
  if (ids.empty()) return out;
  db::SqlBuilder q(fmt::format("SELECT {} FROM exam_items WHERE id IN (", kColumns));
  for (std::size_t i = 0; i < ids.size(); ++i) q.Add(i == 0 ? "?" : ", ?", ids[i]);
  auto s = q.Add(")").Prepare(tx);
  while (s.Step()) {
    CatalogueItem it = ItemAt(s);
    out.emplace(it.id, std::move(it));
  }
  return out;
}

std::optional<CatalogueItem> LoadItem(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM exam_items WHERE id = ?", kColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  CatalogueItem i = ItemAt(s);
  i.site_ids = SitesOf(tx, i.id);
  return i;
}

bool OfferedAt(db::Transaction& tx, std::int64_t item_id, std::int64_t site_id) {
  auto s = tx.Prepare("SELECT 1 FROM catalogue_item_sites WHERE item_id = ? AND site_id = ?");
  s.Bind(item_id, site_id);
  return s.Step();
}

std::vector<std::int64_t> ActiveSiteIds(db::Transaction& tx) {
  return org::ActiveSiteIds(tx);  // sites belong to org
}

std::vector<CatalogueItem> ListItems(db::Transaction& tx,
                                     const std::optional<std::string>& modality,
                                     const std::optional<std::string>& q, bool include_inactive,
                                     std::optional<std::int64_t> site_id) {
  db::SqlBuilder b(fmt::format("SELECT {} FROM exam_items WHERE 1 = 1", kColumns));
  if (site_id) {
    b.Add(" AND id IN (SELECT item_id FROM catalogue_item_sites WHERE site_id = ?)", *site_id);
  }
  if (modality) b.Add(" AND modality = ?", *modality);
  if (q) {
    const std::string like = db::LikeContains(*q);
    b.Add(" AND (code LIKE ? ESCAPE '\\'", like).Add(" OR name LIKE ? ESCAPE '\\')", like);
  }
  if (!include_inactive) b.Add(" AND active = 1");
  b.Add(" ORDER BY code");
  auto s = b.Prepare(tx);
  std::vector<CatalogueItem> out;
  while (s.Step()) out.push_back(ItemAt(s));
  // The whole catalogue is small (tens of items): one read of the availability table.
  std::map<std::int64_t, std::vector<std::int64_t>> sites;
  auto a = tx.Prepare("SELECT item_id, site_id FROM catalogue_item_sites ORDER BY site_id");
  while (a.Step()) sites[a.Int(0)].push_back(a.Int(1));
  for (auto& i : out) i.site_ids = sites[i.id];
  return out;
}

bool ItemCodeTaken(db::Transaction& tx, const std::string& code, std::int64_t except) {
  auto s = tx.Prepare("SELECT 1 FROM exam_items WHERE code = ? AND id <> ?");
  s.Bind(code, except);
  return s.Step();
}

void InsertItem(db::Transaction& tx, CatalogueItem& i, std::optional<std::int64_t> actor,
                Micros now) {
  auto s = tx.Prepare(
      "INSERT INTO exam_items (code, name, modality, body_part, contrast, contrast_kind, "
      "duration_minutes, xray, lower_abdomen, report_class, category, confirm_images, active, "
      "preparation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?) "
      "RETURNING id");
  s.Bind(i.code, i.name, i.modality, i.body_part, i.contrast, i.contrast_kind, i.duration_minutes,
         i.xray, i.lower_abdomen, i.report_class, i.category, i.confirm_images, i.active,
         i.preparation, now, now);
  s.Step();
  i.id = s.Int(0);
  i.version = 1;
  WriteSites(tx, i);
  SaveVersion(tx, i, actor, now);
}

void UpdateItem(db::Transaction& tx, CatalogueItem& i, std::optional<std::int64_t> actor,
                Micros now) {
  i.version += 1;
  tx.Exec(
      "UPDATE exam_items SET code = ?, name = ?, modality = ?, body_part = ?, contrast = ?, "
      "contrast_kind = ?, duration_minutes = ?, xray = ?, lower_abdomen = ?, report_class = ?, "
      "category = ?, confirm_images = ?, active = ?, preparation = ?, updated_at = ?, version = ? "
      "WHERE id = ?",
      i.code, i.name, i.modality, i.body_part, i.contrast, i.contrast_kind, i.duration_minutes,
      i.xray, i.lower_abdomen, i.report_class, i.category, i.confirm_images, i.active,
      i.preparation, now, i.version, i.id);
  WriteSites(tx, i);
  SaveVersion(tx, i, actor, now);
}

}  // namespace radqs::exam::store
