// Sign-in, sign-out, own profile and own password.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <mutex>

#include "platform/auth/auth.h"
#include "platform/auth/auth_store.h"
#include "platform/auth/rate_limit.h"
#include "platform/crypto.h"
#include "platform/http/fields.h"

namespace radqs::auth {
namespace {

using http::Context;
using http::Response;

std::optional<store::Account> FindAccount(db::Database& database, const std::string& username) {
  std::optional<store::Account> a;
  database.Read([&](db::Transaction& tx) { a = store::FindAccount(tx, username); });
  return a;
}

// One answer for an unknown name, a wrong password, a locked or a deactivated account, so the
// answer does not tell which accounts exist or are locked (administrators see locks in the
// user list).
Response Refused() {
  return http::ErrorResponse(
      {ErrorCode::kUnauthenticated, "wrong username or password, or the account is locked", {}});
}

// Sign-in floods are refused before any hashing: per client address and per typed name.
RateLimiter g_by_address;
RateLimiter g_by_account;

std::optional<Response> RateLimited(Context& ctx, const std::string& name, Micros now) {
  struct Rule {
    RateLimiter& limiter;
    std::string_view setting;
    std::string_view field;
    const std::string& key;
  };
  for (const Rule& rule :
       {Rule{g_by_address, "auth.signin_per_address_per_minute", "client_address",
             ctx.request.remote_ip},
        Rule{g_by_account, "auth.signin_per_account_per_minute", "username", name}}) {
    const auto wait =
        rule.limiter.Hit(rule.key, ctx.settings().Int(rule.setting), kMicrosPerMinute, now);
    if (!wait) continue;
    const auto seconds = std::max<Micros>(1, (*wait + kMicrosPerSecond - 1) / kMicrosPerSecond);
    auto r = http::ErrorResponse(
        Error::Field(ErrorCode::kTooManyRequests,
                     {std::string(rule.field),
                      std::string(rule.setting),
                      fmt::format("too many sign-in attempts; try again in {} s", seconds),
                      "signin_rate_limit",
                      {{"seconds", static_cast<std::int64_t>(seconds)}}}));
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
  }
  return std::nullopt;
}

// Guesses at one account are checked one at a time on this server, so a burst of parallel
// guesses cannot get more than auth.max_failed_logins of them checked before the lock; the
// count itself is kept in the write, which also holds across servers.
std::mutex& AccountStripe(const std::string& name) {
  static std::array<std::mutex, 64> stripes;
  return stripes[std::hash<std::string>{}(name) % stripes.size()];
}

void Note(Context& ctx, db::Transaction& tx, std::string action, std::optional<std::int64_t> id,
          std::string detail) {
  ctx.Audit(std::move(action), "user", id ? std::to_string(*id) : "", nullptr, nullptr,
            std::move(detail), &tx);
}

// Counts a failed guess in the write and locks when it is the max-th.
void CountFailure(Context& ctx, std::int64_t id, const std::string& shown, Micros now) {
  auto& settings = ctx.settings();
  const int max_failed = static_cast<int>(settings.Int("auth.max_failed_logins"));
  const Micros lockout = settings.Int("auth.lockout_minutes") * kMicrosPerMinute;
  ctx.database().Write([&](db::Transaction& tx) {
    const LockState counted = store::CountFailedLogin(tx, id, now);
    Note(ctx, tx, "auth.login_failed", id,
         fmt::format("username={} failures={}", shown, counted.failed_logins));
    const LockState next = ApplyLockRule(counted, max_failed, lockout, now);
    if (next.locked_until != counted.locked_until) {
      store::SetLockedUntil(tx, id, *next.locked_until);
      Note(ctx, tx, "auth.account_locked", id,
           fmt::format("locked until {} after {} failed sign-ins",
                       FormatInstant(*next.locked_until), next.failed_logins));
    }
  });
}

Response Login(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto username = f->Text("username", {.required = true, .max_length = 64});
  const auto password = f->Text("password", {.required = true, .max_length = 256});
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());

  const std::string shown = TypedUsernameForAudit(*username);
  if (auto refused = RateLimited(ctx, shown, ctx.Now())) return std::move(*refused);
  std::lock_guard one_at_a_time(AccountStripe(*username));
  const Micros now = ctx.Now();
  const auto account = FindAccount(ctx.database(), *username);
  // Every path pays for one hash of the same cost: an unknown name is checked against a dummy
  // hash made at the current cost, a locked account against its own.
  const bool password_ok =
      VerifyPassword(account ? account->password_hash : DummyHash(), *password);
  if (!account) {
    ctx.database().Write([&](db::Transaction& tx) {
      Note(ctx, tx, "auth.login_failed", std::nullopt, "username=" + shown + " unknown user");
    });
    return Refused();
  }
  const auto refuse_locked = [&](db::Transaction& tx) {
    Note(ctx, tx, "auth.login_refused_locked", account->id, "username=" + shown);
  };
  if (IsLocked(account->lock, now)) {
    ctx.database().Write(refuse_locked);
    return Refused();
  }
  if (!password_ok || !account->active) {
    CountFailure(ctx, account->id, shown, now);
    return Refused();
  }

  const std::string token = crypto::RandomToken();
  const std::string csrf = crypto::RandomToken(18);
  const Micros expires = now + ctx.settings().Int("auth.session_absolute_hours") * kMicrosPerHour;
  Json user;
  ctx.database().Write([&](db::Transaction& tx) {
    // The lock is checked again in the write that creates the session: a guess that locked the
    // account after it was read above wins over this right one.
    if (!store::RecordSuccessfulLogin(tx, account->id, now)) return refuse_locked(tx);
    store::InsertSession(
        tx, {crypto::Sha256Hex(token), account->id, csrf, now, expires, ctx.request.remote_ip});
    Note(ctx, tx, "auth.login", account->id, "username=" + shown);
    user = LoadUserJson(tx, account->id, now);
  });
  if (user.is_null()) return Refused();
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
    store::EndSession(ctx.tx(), who.session_id, ctx.Now(), "logout");
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
  ctx.database().Read([&](db::Transaction& tx) { hash = store::PasswordHashOf(tx, who.user_id); });
  if (!VerifyPassword(hash, *current)) {
    return http::ErrorResponse(Error::Field(ErrorCode::kValidationFailed, "current_password",
                                            "mismatch", "is not the current password"));
  }
  const bool admin = std::find(who.roles.begin(), who.roles.end(), "admin") != who.roles.end();
  auto policy = CheckPasswordPolicy(
      *next,
      PasswordPolicyFrom([&](std::string_view key) { return ctx.settings().Int(key); }, admin),
      who.username, "new_password");
  if (*next == *current) {
    policy.push_back({"new_password", "unchanged", "must differ from the current password"});
  }
  if (!policy.empty()) return http::ErrorResponse(Error::Validation(policy));
  const std::string new_hash = HashPassword(*next);
  const Micros now = ctx.Now();
  ctx.database().Write([&](db::Transaction& tx) {
    store::SetPassword(tx, who.user_id, new_hash, false, now);
    // Other sign-ins of this user end; the one that changed the password stays.
    store::EndUserSessions(tx, who.user_id, now, "password_changed", who.session_id);
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
      {Method::kPost, "/api/v1/auth/login", Permission::kPublic, Mode::kCredential, "auth",
       "Sign in with username and password; sets the session cookie and returns the token. "
       "Unknown names, wrong passwords and locked accounts all answer 401; 429 with "
       "Retry-After past auth.signin_per_address_per_minute or auth.signin_per_account_per_minute",
       Json{{"type", "object"},
            {"required", {"username", "password"}},
            {"properties",
             {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}},
       Login},
      {Method::kPost, "/api/v1/auth/logout", Permission::kAuthenticated, Mode::kWrite, "auth",
       "End the current session", nullptr, Logout},
      {Method::kGet, "/api/v1/auth/me", Permission::kAuthenticated, Mode::kRead, "auth",
       "The signed-in account, its permissions and the CSRF token", nullptr, Me},
      {Method::kPost, "/api/v1/auth/password", Permission::kAuthenticated, Mode::kCredential,
       "auth", "Change one's own password; other sessions of the account end",
       Json{{"type", "object"},
            {"required", {"current_password", "new_password"}},
            {"properties",
             {{"current_password", {{"type", "string"}}}, {"new_password", {{"type", "string"}}}}}},
       ChangePassword},
  };
}

}  // namespace radqs::auth
