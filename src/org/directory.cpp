#include "org/directory.h"

#include "org/org_store.h"

namespace radqs::org {

bool SiteExists(db::Transaction& tx, std::int64_t site_id) {
  return store::SiteExists(tx, site_id);
}

bool StaffExists(db::Transaction& tx, std::int64_t staff_id) {
  return store::StaffExists(tx, staff_id);
}

bool DepartmentActive(db::Transaction& tx, std::int64_t department_id,
                      std::optional<std::int64_t> site_id) {
  const auto d = store::LoadDepartment(tx, department_id);
  return d && d->active && (!site_id || d->site_id == *site_id);
}

std::optional<Site> FindSite(db::Transaction& tx, std::int64_t site_id) {
  return store::LoadSite(tx, site_id);
}

std::optional<Room> FindRoom(db::Transaction& tx, std::int64_t room_id) {
  return store::LoadRoom(tx, room_id);
}

std::vector<Room> ActiveRoomsOf(db::Transaction& tx, std::int64_t site_id) {
  // A site has tens of rooms: one page holds them all.
  return store::ListRooms(tx, {.site_id = site_id, .active = true}, {.limit = 1000});
}

std::vector<std::int64_t> ActiveSiteIds(db::Transaction& tx) { return store::ActiveSiteIds(tx); }

}  // namespace radqs::org
