// Sign-in, sign-out, own profile and own password.
#include <fmt/format.h>

#include "platform/auth/auth.h"
#include "platform/crypto.h"
#include "platform/http/fields.h"

namespace radqs::auth {
namespace {

using http::Context;
using http::Response;

struct Account {
  std::int64_t id = 0;
  std::string password_hash;
  bool active = false;
  LockState lock;
};

std::optional<Account> FindAccount(db::Database& database, const std::string& username) {
  std::optional<Account> a;
  database.Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT id, password_hash, active, admin_locked, locked_until, failed_logins FROM users "
        "WHERE username = ?");
    s.Bind(username);
    if (!s.Step()) return;
    a = Account{
        s.Int(0), s.Text(1), s.Bool(2), {s.Bool(3), s.OptInt(4), static_cast<int>(s.Int(5))}};
  });
  return a;
}

// 423 with the time the lock ends (null for an administrator's lock, which has no end).
Response Locked(std::optional<Micros> until) {
  return http::JsonResponse(
      {{"error",
        {{"code", "locked"},
         {"message", "account is locked"},
         {"fields", Json::array()},
         {"locked_until", until ? Json(FormatInstant(*until)) : Json(nullptr)}}}},
      Describe(ErrorCode::kLocked).http_status);
}

Response Login(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto username = f->Text("username", {.required = true, .max_length = 64});
  const auto password = f->Text("password", {.required = true, .max_length = 256});
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());

  const Micros now = ctx.Now();
  auto& settings = ctx.settings();
  const auto account = FindAccount(ctx.database(), *username);
  const auto unauthenticated = [&](std::string detail) {
    ctx.database().Write([&](db::Transaction& tx) {
      ctx.Audit("auth.login_failed", "user", account ? std::to_string(account->id) : "", nullptr,
                nullptr, fmt::format("username={} {}", *username, detail), &tx);
    });
    return http::ErrorResponse({ErrorCode::kUnauthenticated, "wrong username or password", {}});
  };
  if (!account) {
    // Same work as for a real account, so timing does not tell whether the user exists.
    VerifyPassword(
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
        "9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ",
        *password);
    return unauthenticated("unknown user");
  }
  if (IsLocked(account->lock, now)) {
    ctx.database().Write([&](db::Transaction& tx) {
      ctx.Audit("auth.login_refused_locked", "user", std::to_string(account->id), nullptr, nullptr,
                "username=" + *username, &tx);
    });
    return Locked(account->lock.admin_locked ? std::nullopt : account->lock.locked_until);
  }
  if (!VerifyPassword(account->password_hash, *password) || !account->active) {
    const LockState next =
        AfterFailedLogin(account->lock, static_cast<int>(settings.Int("auth.max_failed_logins")),
                         settings.Int("auth.lockout_minutes") * kMicrosPerMinute, now);
    ctx.database().Write([&](db::Transaction& tx) {
      tx.Exec("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
              next.failed_logins, next.locked_until, account->id);
      ctx.Audit("auth.login_failed", "user", std::to_string(account->id), nullptr, nullptr,
                fmt::format("username={} failures={}", *username, next.failed_logins), &tx);
      if (IsLocked(next, now)) {
        ctx.Audit("auth.account_locked", "user", std::to_string(account->id), nullptr, nullptr,
                  fmt::format("locked until {} after {} failed sign-ins",
                              FormatInstant(*next.locked_until), next.failed_logins),
                  &tx);
      }
    });
    if (IsLocked(next, now)) return Locked(next.locked_until);
    return http::ErrorResponse({ErrorCode::kUnauthenticated, "wrong username or password", {}});
  }

  const std::string token = crypto::RandomToken();
  const std::string csrf = crypto::RandomToken(18);
  const Micros expires = now + settings.Int("auth.session_absolute_hours") * kMicrosPerHour;
  Json user;
  ctx.database().Write([&](db::Transaction& tx) {
    tx.Exec(
        "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
        now, account->id);
    tx.Exec(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
        "expires_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
        crypto::Sha256Hex(token), account->id, csrf, now, now, expires, ctx.request.remote_ip);
    ctx.Audit("auth.login", "user", std::to_string(account->id), nullptr, nullptr,
              "username=" + *username, &tx);
    user = LoadUserJson(tx, account->id, now);
  });
  auto r = http::JsonResponse({{"token", token},
                               {"csrf_token", csrf},
                               {"expires_at", FormatInstant(expires)},
                               {"user", user}});
  r.headers.emplace_back(
      "Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", kSessionCookie, token));
  return r;
}

Response Logout(Context& ctx) {
  const auto& who = ctx.principal;
  if (who.session_id != 0) {
    ctx.tx().Exec(
        "UPDATE sessions SET ended_at = ?, ended_reason = 'logout' WHERE id = ? AND ended_at IS "
        "NULL",
        ctx.Now(), who.session_id);
    ctx.Audit("auth.logout", "user", std::to_string(who.user_id));
    ctx.services().on_user_changed(who.user_id);
  }
  auto r = http::NoContent();
  r.headers.emplace_back(
      "Set-Cookie",
      fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
  return r;
}

Response Me(Context& ctx) {
  const auto& who = ctx.principal;
  Json user;
  if (who.user_id != 0) {
    user = LoadUserJson(ctx.tx(), who.user_id, ctx.Now());
  } else {
    user = {{"id", nullptr},
            {"username", who.username},
            {"display_name", who.display_name},
            {"roles", who.roles}};
  }
  return http::JsonResponse(
      {{"user", user}, {"csrf_token", who.csrf_token}, {"permissions", PermissionsOf(who.roles)}});
}

Response ChangePassword(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto current = f->Text("current_password", {.required = true, .max_length = 256});
  const auto next = f->Text("new_password", {.required = true, .max_length = 256});
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const auto& who = ctx.principal;
  if (who.user_id == 0) return http::ErrorResponse(Error::Forbidden());

  std::string hash;
  ctx.database().Read([&](db::Transaction& tx) {
    auto s = tx.Prepare("SELECT password_hash FROM users WHERE id = ?");
    s.Bind(who.user_id);
    if (s.Step()) hash = s.Text(0);
  });
  if (!VerifyPassword(hash, *current)) {
    return http::ErrorResponse(Error::Field(ErrorCode::kValidationFailed, "current_password",
                                            "mismatch", "is not the current password"));
  }
  auto policy = CheckPasswordPolicy(
      *next, static_cast<std::size_t>(ctx.settings().Int("auth.password_min_length")),
      "new_password");
  if (*next == *current) {
    policy.push_back({"new_password", "unchanged", "must differ from the current password"});
  }
  if (!policy.empty()) return http::ErrorResponse(Error::Validation(policy));
  const std::string new_hash = HashPassword(*next);
  const Micros now = ctx.Now();
  ctx.database().Write([&](db::Transaction& tx) {
    tx.Exec(
        "UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ?, "
        "updated_at = ?, version = version + 1 WHERE id = ?",
        new_hash, now, now, who.user_id);
    // Other sign-ins of this user end; the one that changed the password stays.
    tx.Exec(
        "UPDATE sessions SET ended_at = ?, ended_reason = 'password_changed' WHERE user_id = ? "
        "AND id <> ? AND ended_at IS NULL",
        now, who.user_id, who.session_id);
    ctx.Audit("auth.password_changed", "user", std::to_string(who.user_id), nullptr, nullptr, {},
              &tx);
  });
  ctx.services().on_user_changed(who.user_id);
  return http::NoContent();
}

}  // namespace

std::vector<http::Route> SessionRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kPost, "/api/v1/auth/login", Permission::kPublic, Mode::kPlain, "auth",
       "Sign in with username and password; sets the session cookie and returns the token",
       Json{{"type", "object"},
            {"required", {"username", "password"}},
            {"properties",
             {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}},
       Login},
      {Method::kPost, "/api/v1/auth/logout", Permission::kAuthenticated, Mode::kWrite, "auth",
       "End the current session", nullptr, Logout},
      {Method::kGet, "/api/v1/auth/me", Permission::kAuthenticated, Mode::kRead, "auth",
       "The signed-in account, its permissions and the CSRF token", nullptr, Me},
      {Method::kPost, "/api/v1/auth/password", Permission::kAuthenticated, Mode::kPlain, "auth",
       "Change one's own password; other sessions of the account end",
       Json{{"type", "object"},
            {"required", {"current_password", "new_password"}},
            {"properties",
             {{"current_password", {{"type", "string"}}}, {"new_password", {{"type", "string"}}}}}},
       ChangePassword},
  };
}

}  // namespace radqs::auth
