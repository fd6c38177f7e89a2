// What other modules read of user accounts (the users table belongs to platform/auth; no other
// module's SQL names it — docs/tables.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "platform/db/database.h"

namespace radqs::auth {

struct UserCounts {
  std::int64_t users = 0, locked_users = 0;
};
// Active users, and those of them locked at `now`.
UserCounts CountUsers(db::Transaction& tx, Micros now);

struct LockedUser {
  std::int64_t id = 0;
  std::string username, display_name;
  std::optional<std::int64_t> site_id;
  std::optional<Micros> locked_until;  // none: locked by an administrator
};
std::vector<LockedUser> LockedUsers(db::Transaction& tx, Micros now);

// The name shown for each user (display name, else user name); unknown ids are left out.
std::map<std::int64_t, std::string> UserNames(db::Transaction& tx,
                                              const std::vector<std::int64_t>& user_ids);

// The users a person's name finds for the audit log: display name containing `text`, or user
// name starting with it (both literally, % and _ included); at most `limit` ids.
std::vector<std::int64_t> UsersNamed(db::Transaction& tx, std::string_view text, int limit);

}  // namespace radqs::auth
