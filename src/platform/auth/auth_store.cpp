// SQL of the auth module: users, roles, sessions and API tokens.
#include "platform/auth/auth_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "platform/auth/accounts.h"

namespace radqs::auth::store {
namespace {

constexpr const char* kTokenColumns =
    "id, name, roles, created_at, expires_at, revoked_at, last_used_at";

TokenRow TokenAt(const db::Statement& s) {
  return {s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.OptInt(4), s.OptInt(5), s.OptInt(6)};
}

}  // namespace

// --- sign-in -----------------------------------------------------------------------------------

std::optional<Account> FindAccount(db::Transaction& tx, const std::string& username) {
  auto s = tx.Prepare(
      "SELECT id, password_hash, active, admin_locked, locked_until, failed_logins FROM users "
      "WHERE username = ?");
  s.Bind(username);
  if (!s.Step()) return std::nullopt;
  return Account{
      s.Int(0), s.Text(1), s.Bool(2), {s.Bool(3), s.OptInt(4), static_cast<int>(s.Int(5))}};
}

std::string PasswordHashOf(db::Transaction& tx, std::int64_t user_id) {
  auto s = tx.Prepare("SELECT password_hash FROM users WHERE id = ?");
  s.Bind(user_id);
  return s.Step() ? s.Text(0) : std::string();
}

LockState CountFailedLogin(db::Transaction& tx, std::int64_t user_id, Micros now) {
  auto s = tx.Prepare(
      "UPDATE users SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? "
      "THEN 1 ELSE failed_logins + 1 END, locked_until = CASE WHEN locked_until IS NOT NULL AND "
      "locked_until <= ? THEN NULL ELSE locked_until END WHERE id = ? "
      "RETURNING failed_logins, locked_until, admin_locked");
  s.Bind(now, now, user_id);
  if (!s.Step()) return {};
  const LockState counted{s.Bool(2), s.OptInt(1), static_cast<int>(s.Int(0))};
  s.Run();
  return counted;
}

void SetLockedUntil(db::Transaction& tx, std::int64_t user_id, Micros until) {
  tx.Exec("UPDATE users SET locked_until = ? WHERE id = ?", until, user_id);
}

bool RecordSuccessfulLogin(db::Transaction& tx, std::int64_t user_id, Micros now) {
  return tx.Exec(
             "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE "
             "id = ? AND active = 1 AND admin_locked = 0 AND (locked_until IS NULL OR "
             "locked_until <= ?)",
             now, user_id, now) == 1;
}

void InsertSession(db::Transaction& tx, const NewSession& s) {
  tx.Exec(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
      "expires_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
      s.token_hash, s.user_id, s.csrf_token, s.created_at, s.created_at, s.expires_at, s.ip);
}

// --- sessions ----------------------------------------------------------------------------------

std::optional<SessionRow> FindSession(db::Transaction& tx, const std::string& token_hash) {
  auto s = tx.Prepare(
      "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, "
      "s.ended_at, u.username, u.display_name, u.staff_id, u.site_id, u.active, "
      "u.admin_locked, u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_hash = ?");
  s.Bind(token_hash);
  if (!s.Step()) return std::nullopt;
  SessionRow r;
  Principal& p = r.principal;
  p.session_id = s.Int(0);
  p.user_id = s.Int(1);
  p.csrf_token = s.Text(2);
  r.times = {s.Int(3), s.Int(4), s.Int(5)};
  r.ended = !s.IsNull(6);
  p.username = s.Text(7);
  p.display_name = s.Text(8);
  p.staff_id = s.OptInt(9);
  p.site_id = s.OptInt(10);
  r.user_ok = s.Bool(11) && !s.Bool(12);
  p.must_change_password = s.Bool(13);
  return r;
}

void EndSession(db::Transaction& tx, std::int64_t session_id, Micros now, std::string_view reason) {
  tx.Exec("UPDATE sessions SET ended_at = ?, ended_reason = ? WHERE id = ? AND ended_at IS NULL",
          now, reason, session_id);
}

void EndUserSessions(db::Transaction& tx, std::int64_t user_id, Micros now, std::string_view reason,
                     std::int64_t keep) {
  tx.Exec(
      "UPDATE sessions SET ended_at = ?, ended_reason = ? WHERE user_id = ? AND id <> ? AND "
      "ended_at IS NULL",
      now, reason, user_id, keep);
}

void TouchSession(db::Transaction& tx, std::int64_t session_id, Micros now) {
  tx.Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, session_id);
}

// --- users -------------------------------------------------------------------------------------

std::optional<UserRow> FindUser(db::Transaction& tx, std::int64_t user_id) {
  auto s = tx.Prepare(
      "SELECT id, username, display_name, staff_id, site_id, active, admin_locked, locked_until, "
      "failed_logins, must_change_password, last_login_at, created_at, version, "
      "ordering_department_id FROM users WHERE id = ?");
  s.Bind(user_id);
  if (!s.Step()) return std::nullopt;
  UserRow u;
  u.id = s.Int(0);
  u.username = s.Text(1);
  u.display_name = s.Text(2);
  u.staff_id = s.OptInt(3);
  u.site_id = s.OptInt(4);
  u.active = s.Bool(5);
  u.lock = {s.Bool(6), s.OptInt(7), static_cast<int>(s.Int(8))};
  u.must_change_password = s.Bool(9);
  u.last_login_at = s.OptInt(10);
  u.created_at = s.Int(11);
  u.version = s.Int(12);
  u.ordering_department_id = s.OptInt(13);
  return u;
}

std::vector<std::string> RolesOf(db::Transaction& tx, std::int64_t user_id) {
  std::vector<std::string> roles;
  auto s = tx.Prepare("SELECT role FROM user_roles WHERE user_id = ? ORDER BY role");
  s.Bind(user_id);
  while (s.Step()) roles.push_back(s.Text(0));
  return roles;
}

void SetRoles(db::Transaction& tx, std::int64_t user_id, const std::vector<std::string>& roles) {
  tx.Exec("DELETE FROM user_roles WHERE user_id = ?", user_id);
  for (const auto& r : roles) {
    tx.Exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING", user_id,
            r);
  }
}

std::vector<std::int64_t> ListUserIds(db::Transaction& tx, const UserFilter& f) {
  db::SqlBuilder q("SELECT id FROM users WHERE 1 = 1");
  if (f.q && !f.q->empty()) {
    const std::string like = db::LikeContains(*f.q);
    q.Add(" AND (username LIKE ? ESCAPE '\\'", like)
        .Add(" OR display_name LIKE ? ESCAPE '\\')", like);
  }
  if (f.role && !f.role->empty()) {
    q.Add(" AND id IN (SELECT user_id FROM user_roles WHERE role = ?)", *f.role);
  }
  if (f.after_id) q.Add(" AND id > ?", *f.after_id);
  q.Add(" ORDER BY id LIMIT ?", f.limit);
  std::vector<std::int64_t> ids;
  auto s = q.Prepare(tx);
  while (s.Step()) ids.push_back(s.Int(0));
  return ids;
}

bool UserExists(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare("SELECT 1 FROM users WHERE id = ?");
  s.Bind(id);
  return s.Step();
}

bool UsernameTaken(db::Transaction& tx, const std::string& username) {
  auto s = tx.Prepare("SELECT id FROM users WHERE username = ?");
  s.Bind(username);
  return s.Step();
}

std::int64_t InsertUser(db::Transaction& tx, const NewUser& u, Micros now) {
  auto ins = tx.Prepare(
      "INSERT INTO users (username, display_name, password_hash, staff_id, site_id, "
      "ordering_department_id, must_change_password, password_changed_at, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  ins.Bind(u.username, u.display_name, u.password_hash, u.staff_id, u.site_id,
           u.ordering_department_id, u.must_change_password, now, now, now);
  ins.Step();
  return ins.Int(0);
}

void UpdateUser(db::Transaction& tx, std::int64_t id, const UserChange& c, Micros now) {
  tx.Exec(
      "UPDATE users SET display_name = COALESCE(?, display_name), staff_id = CASE WHEN ? THEN ? "
      "ELSE staff_id END, site_id = CASE WHEN ? THEN ? ELSE site_id END, ordering_department_id "
      "= CASE WHEN ? THEN ? ELSE ordering_department_id END, active = COALESCE(?, active), "
      "updated_at = ?, version = version + 1 WHERE id = ?",
      c.display_name, c.set_staff, c.staff_id, c.set_site, c.site_id, c.set_department,
      c.ordering_department_id, c.active ? std::optional<std::int64_t>(*c.active) : std::nullopt,
      now, id);
}

void SetAdminLock(db::Transaction& tx, std::int64_t id, Micros now) {
  tx.Exec("UPDATE users SET admin_locked = 1, updated_at = ?, version = version + 1 WHERE id = ?",
          now, id);
}

void ClearLocks(db::Transaction& tx, std::int64_t id, Micros now) {
  tx.Exec(
      "UPDATE users SET admin_locked = 0, locked_until = NULL, failed_logins = 0, updated_at = ?, "
      "version = version + 1 WHERE id = ?",
      now, id);
}

void SetPassword(db::Transaction& tx, std::int64_t id, const std::string& hash, bool must_change,
                 Micros now) {
  tx.Exec(
      "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, "
      "updated_at = ?, version = version + 1 WHERE id = ?",
      hash, must_change, now, now, id);
}

// --- API tokens --------------------------------------------------------------------------------

std::vector<TokenRow> ListTokens(db::Transaction& tx) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM api_tokens ORDER BY id", kTokenColumns));
  std::vector<TokenRow> out;
  while (s.Step()) out.push_back(TokenAt(s));
  return out;
}

std::optional<TokenRow> FindToken(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM api_tokens WHERE id = ?", kTokenColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return TokenAt(s);
}

std::optional<TokenRow> FindTokenByHash(db::Transaction& tx, const std::string& token_hash) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM api_tokens WHERE token_hash = ?", kTokenColumns));
  s.Bind(token_hash);
  if (!s.Step()) return std::nullopt;
  return TokenAt(s);
}

std::int64_t InsertToken(db::Transaction& tx, const std::string& name,
                         const std::string& token_hash, const std::string& roles,
                         std::optional<std::int64_t> created_by, Micros now,
                         std::optional<Micros> expires_at) {
  auto ins = tx.Prepare(
      "INSERT INTO api_tokens (name, token_hash, roles, created_by, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  ins.Bind(name, token_hash, roles, created_by, now, expires_at);
  ins.Step();
  return ins.Int(0);
}

bool RevokeToken(db::Transaction& tx, std::int64_t id, Micros now) {
  return tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now,
                 id) != 0;
}

void TouchToken(db::Transaction& tx, std::int64_t id, Micros now) {
  tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, id);
}

}  // namespace radqs::auth::store

namespace radqs::auth {

UserCounts CountUsers(db::Transaction& tx, Micros now) {
  UserCounts out;
  auto s = tx.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN admin_locked = 1 OR locked_until > ? THEN 1 "
      "ELSE 0 END), 0) FROM users WHERE active = 1");
  s.Bind(now);
  if (s.Step()) {
    out.users = s.Int(0);
    out.locked_users = s.Int(1);
  }
  return out;
}

std::vector<LockedUser> LockedUsers(db::Transaction& tx, Micros now) {
  std::vector<LockedUser> out;
  auto s = tx.Prepare(
      "SELECT id, username, display_name, site_id, admin_locked, locked_until FROM users "
      "WHERE active = 1 AND (admin_locked = 1 OR locked_until > ?) ORDER BY id");
  s.Bind(now);
  while (s.Step()) {
    LockedUser u;
    u.id = s.Int(0);
    u.username = s.Text(1);
    u.display_name = s.Text(2);
    u.site_id = s.OptInt(3);
    if (!s.Bool(4)) u.locked_until = s.OptInt(5);
    out.push_back(std::move(u));
  }
  return out;
}

std::map<std::int64_t, std::string> UserNames(db::Transaction& tx,
                                              const std::vector<std::int64_t>& user_ids) {
  std::map<std::int64_t, std::string> out;
  std::vector<std::int64_t> ids = user_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return out;
  db::SqlBuilder b(
      "SELECT id, COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id IN (");
  for (std::size_t i = 0; i < ids.size(); ++i) b.Add(i == 0 ? "?" : ", ?", ids[i]);
  auto s = b.Add(")").Prepare(tx);
  while (s.Step()) out[s.Int(0)] = s.Text(1);
  return out;
}

std::vector<std::int64_t> UsersNamed(db::Transaction& tx, std::string_view text, int limit) {
  auto s = tx.Prepare(
      "SELECT id FROM users WHERE display_name LIKE ? ESCAPE '\\' OR username LIKE ? ESCAPE "
      "'\\' ORDER BY id LIMIT ?");
  s.Bind(db::LikeContains(text), db::LikePrefix(text), limit);
  std::vector<std::int64_t> out;
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

}  // namespace radqs::auth
