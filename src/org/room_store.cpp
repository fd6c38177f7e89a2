// SQL for rooms (检查室 / 机房).
#include <fmt/format.h>

#include "org/org_store.h"

namespace radqs::org::store {
namespace {

constexpr const char* kRoomColumns =
    "id, site_id, code, name, modality, location, open_24h, active, created_at, updated_at, "
    "version";

Room RoomAt(const db::Statement& s) {
  Room x;
  x.id = s.Int(0);
  x.site_id = s.Int(1);
  x.code = s.Text(2);
  x.name = s.Text(3);
  x.modality = s.Text(4);
  x.location = s.Text(5);
  x.open_24h = s.Bool(6);
  x.active = s.Bool(7);
  x.created_at = s.Int(8);
  x.updated_at = s.Int(9);
  x.version = s.Int(10);
  return x;
}

}  // namespace

std::optional<Room> LoadRoom(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM rooms WHERE id = ?", kRoomColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return RoomAt(s);
}

std::vector<Room> ListRooms(db::Transaction& tx, const RoomFilter& f, const Cursor& c) {
  db::SqlBuilder q(fmt::format("SELECT {} FROM rooms WHERE 1 = 1", kRoomColumns));
  if (f.site_id) q.Add(" AND site_id = ?", *f.site_id);
  if (f.modality) q.Add(" AND modality = ?", *f.modality);
  if (f.active) q.Add(" AND active = ?", *f.active);
  if (c.after_id) q.Add(" AND id > ?", *c.after_id);
  q.Add(" ORDER BY id LIMIT ?", c.limit);
  std::vector<Room> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(RoomAt(s));
  return out;
}

std::int64_t InsertRoom(db::Transaction& tx, const Room& x) {
  auto s = tx.Prepare(
      "INSERT INTO rooms (site_id, code, name, modality, location, open_24h, active, created_at, "
      "updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(x.site_id, x.code, x.name, x.modality, x.location, x.open_24h, x.active, x.created_at,
         x.updated_at, x.version);
  s.Step();
  return s.Int(0);
}

void UpdateRoom(db::Transaction& tx, const Room& x) {
  tx.Exec(
      "UPDATE rooms SET site_id = ?, code = ?, name = ?, modality = ?, location = ?, "
      "open_24h = ?, active = ?, updated_at = ?, version = ? WHERE id = ?",
      x.site_id, x.code, x.name, x.modality, x.location, x.open_24h, x.active, x.updated_at,
      x.version, x.id);
}

bool RoomCodeTaken(db::Transaction& tx, std::int64_t site_id, std::string_view code,
                   std::int64_t except_id) {
  auto s = tx.Prepare("SELECT 1 FROM rooms WHERE site_id = ? AND code = ? AND id <> ?");
  s.Bind(site_id, code, except_id);
  return s.Step();
}

}  // namespace radqs::org::store
