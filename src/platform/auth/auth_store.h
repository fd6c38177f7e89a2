// SQL of the auth module (users, user_roles, sessions, api_tokens), internal to platform/auth:
// the routes and the authenticator call these functions and hold no SQL of their own.
// Every function runs in the caller's transaction; times are UTC microseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "platform/auth/auth.h"
#include "platform/db/database.h"

namespace radqs::auth::store {

// --- sign-in -----------------------------------------------------------------------------------
struct Account {
  std::int64_t id = 0;
  std::string password_hash;
  bool active = false;
  LockState lock;
};
std::optional<Account> FindAccount(db::Transaction& tx, const std::string& username);
std::string PasswordHashOf(db::Transaction& tx, std::int64_t user_id);

// One more failed sign-in, counted in the write itself (a lock that has run out starts a fresh
// count), so concurrent failures never overwrite each other's count. Returns the state after it.
LockState CountFailedLogin(db::Transaction& tx, std::int64_t user_id, Micros now);
void SetLockedUntil(db::Transaction& tx, std::int64_t user_id, Micros until);
// Clears the failure count and stamps the sign-in, only while the account is active and not
// locked (checked in this write, not from an earlier read); false when it is not.
bool RecordSuccessfulLogin(db::Transaction& tx, std::int64_t user_id, Micros now);

struct NewSession {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;
  Micros created_at = 0;
  Micros expires_at = 0;
  std::string ip;
};
void InsertSession(db::Transaction& tx, const NewSession& s);

// --- sessions ----------------------------------------------------------------------------------
// The session and its account, by token hash; nullopt when unknown.
struct SessionRow {
  Principal principal;  // session_id, user_id, csrf, names, staff, site, must_change_password
  SessionTimes times;
  bool ended = false;
  bool user_ok = false;  // active and not locked by an administrator
};
std::optional<SessionRow> FindSession(db::Transaction& tx, const std::string& token_hash);
// Ends one open session (no effect when it has already ended).
void EndSession(db::Transaction& tx, std::int64_t session_id, Micros now, std::string_view reason);
// Ends every open session of a user except `keep` (0: none kept).
void EndUserSessions(db::Transaction& tx, std::int64_t user_id, Micros now, std::string_view reason,
                     std::int64_t keep = 0);
void TouchSession(db::Transaction& tx, std::int64_t session_id, Micros now);

// --- users -------------------------------------------------------------------------------------
struct UserRow {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::int64_t> staff_id;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> ordering_department_id;
  bool active = false;
  LockState lock;
  bool must_change_password = false;
  std::optional<Micros> last_login_at;
  Micros created_at = 0;
  std::int64_t version = 0;
};
std::optional<UserRow> FindUser(db::Transaction& tx, std::int64_t user_id);
std::vector<std::string> RolesOf(db::Transaction& tx, std::int64_t user_id);
void SetRoles(db::Transaction& tx, std::int64_t user_id, const std::vector<std::string>& roles);

struct UserFilter {
  std::optional<std::string> q;  // part of the username or display name
  std::optional<std::string> role;
  std::optional<std::int64_t> after_id;
  int limit = 51;
};
std::vector<std::int64_t> ListUserIds(db::Transaction& tx, const UserFilter& f);

bool UserExists(db::Transaction& tx, std::int64_t id);
bool UsernameTaken(db::Transaction& tx, const std::string& username);

struct NewUser {
  std::string username;
  std::string display_name;
  std::string password_hash;
  std::optional<std::int64_t> staff_id;
  std::optional<std::int64_t> site_id;
  bool must_change_password = true;
  std::optional<std::int64_t> ordering_department_id;
};
std::int64_t InsertUser(db::Transaction& tx, const NewUser& u, Micros now);

// The fields an administrator changes; a set flag with an empty value clears staff, site or
// department.
struct UserChange {
  std::optional<std::string> display_name;
  bool set_staff = false;
  std::optional<std::int64_t> staff_id;
  bool set_site = false;
  std::optional<std::int64_t> site_id;
  bool set_department = false;
  std::optional<std::int64_t> ordering_department_id;
  std::optional<bool> active;
};
void UpdateUser(db::Transaction& tx, std::int64_t id, const UserChange& c, Micros now);
void SetAdminLock(db::Transaction& tx, std::int64_t id, Micros now);
// Lifts both kinds of lock and the failure count.
void ClearLocks(db::Transaction& tx, std::int64_t id, Micros now);
// A new password; `must_change` is set after an administrator's reset, cleared by the owner.
void SetPassword(db::Transaction& tx, std::int64_t id, const std::string& hash, bool must_change,
                 Micros now);

// --- API tokens --------------------------------------------------------------------------------
struct TokenRow {
  std::int64_t id = 0;
  std::string name;
  std::string roles;  // "a,b,c"
  Micros created_at = 0;
  std::optional<Micros> expires_at, revoked_at, last_used_at;
};
std::vector<TokenRow> ListTokens(db::Transaction& tx);
std::optional<TokenRow> FindToken(db::Transaction& tx, std::int64_t id);
std::optional<TokenRow> FindTokenByHash(db::Transaction& tx, const std::string& token_hash);
std::int64_t InsertToken(db::Transaction& tx, const std::string& name,
                         const std::string& token_hash, const std::string& roles,
                         std::optional<std::int64_t> created_by, Micros now,
                         std::optional<Micros> expires_at);
// False when there is no such token or it was already revoked.
bool RevokeToken(db::Transaction& tx, std::int64_t id, Micros now);
void TouchToken(db::Transaction& tx, std::int64_t id, Micros now);

}  // namespace radqs::auth::store
