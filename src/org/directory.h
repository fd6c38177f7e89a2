// What other modules read of the organisation (sites, rooms, staff), so that no module's SQL names
// org's tables (docs/tables.md).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "org/org.h"
#include "platform/db/database.h"

namespace radqs::org {

bool SiteExists(db::Transaction& tx, std::int64_t site_id);
bool StaffExists(db::Transaction& tx, std::int64_t staff_id);
// An active ordering department (申请科室), of `site_id` when one is given.
bool DepartmentActive(db::Transaction& tx, std::int64_t department_id,
                      std::optional<std::int64_t> site_id);
std::optional<Site> FindSite(db::Transaction& tx, std::int64_t site_id);
std::optional<Room> FindRoom(db::Transaction& tx, std::int64_t room_id);
// The active rooms of a site, in the order they were set up.
std::vector<Room> ActiveRoomsOf(db::Transaction& tx, std::int64_t site_id);
// The ids of the active sites, ascending.
std::vector<std::int64_t> ActiveSiteIds(db::Transaction& tx);

}  // namespace radqs::org
