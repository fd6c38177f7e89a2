// User accounts (用户) managed by administrators, and API tokens for integrations.
#include <fmt/format.h>

#include <algorithm>

#include "platform/auth/auth.h"
#include "platform/crypto.h"
#include "platform/http/fields.h"

namespace radqs::auth {

std::vector<http::Route> SessionRoutes();

namespace {

using http::Context;
using http::Response;

std::optional<std::string> OptInstant(const std::optional<std::int64_t>& t) {
  return t ? std::optional(FormatInstant(*t)) : std::nullopt;
}

bool ValidUsername(std::string_view u) {
  return u.size() >= 3 && u.size() <= 32 && std::all_of(u.begin(), u.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) ||
                  std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
         });
}

void CheckRoles(http::Fields& f, const std::optional<std::vector<std::string>>& roles) {
  if (!roles) return;
  if (roles->empty()) f.Reject("roles", "required", "needs at least one role");
  for (const auto& r : *roles) {
    if (!IsRole(r)) f.Reject("roles", "enum", "unknown role: " + r);
  }
}

bool Exists(db::Transaction& tx, std::string_view table, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT 1 FROM {} WHERE id = ?", table));
  s.Bind(id);
  return s.Step();
}

void CheckReferences(http::Fields& f, db::Transaction& tx, std::optional<std::int64_t> staff_id,
                     std::optional<std::int64_t> site_id) {
  if (staff_id && !Exists(tx, "staff", *staff_id)) {
    f.Reject("staff_id", "reference", "no such staff member");
  }
  if (site_id && !Exists(tx, "sites", *site_id)) f.Reject("site_id", "reference", "no such site");
}

void SetRoles(db::Transaction& tx, std::int64_t user_id, const std::vector<std::string>& roles) {
  tx.Exec("DELETE FROM user_roles WHERE user_id = ?", user_id);
  for (const auto& r : roles) {
    tx.Exec("INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)", user_id, r);
  }
}

Response ListUsers(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  db::SqlBuilder q("SELECT id FROM users WHERE 1 = 1");
  if (auto s = ctx.request.Query("q"); s && !s->empty()) {
    q.Add(" AND (username LIKE ? ", "%" + *s + "%").Add("OR display_name LIKE ?)", "%" + *s + "%");
  }
  if (auto r = ctx.request.Query("role"); r && !r->empty()) {
    q.Add(" AND id IN (SELECT user_id FROM user_roles WHERE role = ?)", *r);
  }
  if (page->after_id) q.Add(" AND id > ?", *page->after_id);
  q.Add(" ORDER BY id LIMIT ?", page->limit + 1);
  Json items = Json::array();
  std::vector<std::int64_t> ids;
  {
    auto s = q.Prepare(ctx.tx());
    while (s.Step()) ids.push_back(s.Int(0));
  }
  for (auto id : ids) items.push_back(LoadUserJson(ctx.tx(), id, ctx.Now()));
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response GetUser(Context& ctx) {
  const auto id = ctx.request.IdParam();
  Json u = id ? LoadUserJson(ctx.tx(), *id, ctx.Now()) : Json();
  if (u.is_null()) return http::ErrorResponse(Error::NotFound("user"));
  return http::JsonResponse(u);
}

Response CreateUser(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto username = f->Text("username", {.required = true, .max_length = 32});
  const auto display = f->Text("display_name", {.required = true, .max_length = 64});
  const auto password = f->Text("password", {.required = true, .max_length = 256});
  const auto roles = f->TextList("roles", true);
  const auto staff_id = f->Integer("staff_id", {.min = 1});
  const auto site_id = f->Integer("site_id", {.min = 1});
  const auto must_change = f->Boolean("must_change_password");
  if (username && !ValidUsername(*username)) {
    f->Reject("username", "format", "3-32 characters: lower-case letters, digits, . _ -");
  }
  CheckRoles(*f, roles);
  if (password) {
    for (auto& e : CheckPasswordPolicy(
             *password, static_cast<std::size_t>(ctx.settings().Int("auth.password_min_length")),
             "password")) {
      f->Reject(e.field, e.rule, e.message);
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const std::string hash = HashPassword(*password);  // slow on purpose: not on the writer
  const Micros now = ctx.Now();
  Response out;
  ctx.database().Write([&](db::Transaction& tx) {
    http::Fields refs(Json::object());
    CheckReferences(refs, tx, staff_id, site_id);
    auto dup = tx.Prepare("SELECT id FROM users WHERE username = ?");
    dup.Bind(*username);
    if (dup.Step()) refs.Reject("username", "unique", "is already taken");
    if (auto ok = refs.Finish(); !ok) {
      Error e = ok.error();
      if (e.fields.size() == 1 && e.fields[0].rule == "unique") e.code = ErrorCode::kConflict;
      out = http::ErrorResponse(e);
      return;
    }
    auto ins = tx.Prepare(
        "INSERT INTO users (username, display_name, password_hash, staff_id, site_id, "
        "must_change_password, password_changed_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    ins.Bind(*username, *display, hash, staff_id, site_id, must_change.value_or(true), now, now,
             now);
    ins.Step();
    const std::int64_t id = ins.Int(0);
    SetRoles(tx, id, *roles);
    Json after = LoadUserJson(tx, id, now);
    ctx.Audit("user.create", "user", std::to_string(id), nullptr, &after, {}, &tx);
    out = http::JsonResponse(after, 201);
  });
  return out;
}

Response UpdateUser(Context& ctx) {
  const auto id = ctx.request.IdParam();
  Json before = id ? LoadUserJson(ctx.tx(), *id, ctx.Now()) : Json();
  if (before.is_null()) return http::ErrorResponse(Error::NotFound("user"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true});
  const auto display =
      f->Text("display_name", {.required = f->Has("display_name"), .max_length = 64});
  const auto roles = f->TextList("roles");
  const auto staff_id = f->Integer("staff_id", {.min = 1});
  const auto site_id = f->Integer("site_id", {.min = 1});
  const auto active = f->Boolean("active");
  CheckRoles(*f, roles);
  CheckReferences(*f, ctx.tx(), staff_id, site_id);
  if (*id == ctx.principal.user_id) {
    if (active && !*active) f->Reject("active", "self", "you cannot deactivate your own account");
    if (roles && std::find(roles->begin(), roles->end(), "admin") == roles->end()) {
      f->Reject("roles", "self", "you cannot remove your own admin role");
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != before["version"].get<std::int64_t>()) {
    return http::StaleVersion("user");
  }
  const Micros now = ctx.Now();
  auto& tx = ctx.tx();
  tx.Exec(
      "UPDATE users SET display_name = COALESCE(?, display_name), staff_id = CASE WHEN ? THEN ? "
      "ELSE staff_id END, site_id = CASE WHEN ? THEN ? ELSE site_id END, active = "
      "COALESCE(?, active), updated_at = ?, version = version + 1 WHERE id = ?",
      display, f->Has("staff_id"), staff_id, f->Has("site_id"), site_id,
      active ? std::optional<std::int64_t>(*active) : std::nullopt, now, *id);
  if (roles) SetRoles(tx, *id, *roles);
  if (active && !*active) {
    tx.Exec(
        "UPDATE sessions SET ended_at = ?, ended_reason = 'deactivated' WHERE user_id = ? AND "
        "ended_at IS NULL",
        now, *id);
  }
  Json after = LoadUserJson(tx, *id, now);
  ctx.Audit("user.update", "user", std::to_string(*id), &before, &after);
  ctx.services().on_user_changed(*id);
  return http::JsonResponse(after);
}

Response SetLock(Context& ctx, bool lock) {
  const auto id = ctx.request.IdParam();
  Json before = id ? LoadUserJson(ctx.tx(), *id, ctx.Now()) : Json();
  if (before.is_null()) return http::ErrorResponse(Error::NotFound("user"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto reason = f->Text("reason", {.max_length = 200});
  if (lock && *id == ctx.principal.user_id) f->Reject("id", "self", "you cannot lock yourself");
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const Micros now = ctx.Now();
  auto& tx = ctx.tx();
  if (lock) {
    tx.Exec("UPDATE users SET admin_locked = 1, updated_at = ?, version = version + 1 WHERE id = ?",
            now, *id);
    tx.Exec(
        "UPDATE sessions SET ended_at = ?, ended_reason = 'locked' WHERE user_id = ? AND "
        "ended_at IS NULL",
        now, *id);
  } else {
    tx.Exec(
        "UPDATE users SET admin_locked = 0, locked_until = NULL, failed_logins = 0, updated_at = "
        "?, version = version + 1 WHERE id = ?",
        now, *id);
  }
  Json after = LoadUserJson(tx, *id, now);
  ctx.Audit(lock ? "user.lock" : "user.unlock", "user", std::to_string(*id), &before, &after,
            reason.value_or(""));
  ctx.services().on_user_changed(*id);
  return http::JsonResponse(after);
}

Response ResetPassword(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto password = f->Text("new_password", {.required = true, .max_length = 256});
  if (password) {
    for (auto& e : CheckPasswordPolicy(
             *password, static_cast<std::size_t>(ctx.settings().Int("auth.password_min_length")),
             "new_password")) {
      f->Reject(e.field, e.rule, e.message);
    }
  }
  bool found = false;
  if (id) {
    ctx.database().Read([&](db::Transaction& tx) { found = Exists(tx, "users", *id); });
  }
  if (!found) return http::ErrorResponse(Error::NotFound("user"));
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const std::string hash = HashPassword(*password);
  const Micros now = ctx.Now();
  Json after;
  ctx.database().Write([&](db::Transaction& tx) {
    tx.Exec(
        "UPDATE users SET password_hash = ?, must_change_password = 1, password_changed_at = ?, "
        "updated_at = ?, version = version + 1 WHERE id = ?",
        hash, now, now, *id);
    tx.Exec(
        "UPDATE sessions SET ended_at = ?, ended_reason = 'password_reset' WHERE user_id = ? "
        "AND ended_at IS NULL",
        now, *id);
    ctx.Audit("user.password_reset", "user", std::to_string(*id), nullptr, nullptr, {}, &tx);
    after = LoadUserJson(tx, *id, now);
  });
  ctx.services().on_user_changed(*id);
  return http::JsonResponse(after);
}

Json TokenJson(db::Statement& s) {
  return {{"id", s.Int(0)},
          {"name", s.Text(1)},
          {"roles", SplitRoles(s.Text(2))},
          {"created_at", FormatInstant(s.Int(3))},
          {"expires_at", OptInstant(s.OptInt(4))},
          {"revoked_at", OptInstant(s.OptInt(5))},
          {"last_used_at", OptInstant(s.OptInt(6))}};
}

constexpr const char* kTokenColumns =
    "id, name, roles, created_at, expires_at, revoked_at, last_used_at";

Response ListTokens(Context& ctx) {
  auto s = ctx.tx().Prepare(fmt::format("SELECT {} FROM api_tokens ORDER BY id", kTokenColumns));
  Json items = Json::array();
  while (s.Step()) items.push_back(TokenJson(s));
  return http::JsonResponse({{"items", items}, {"next_cursor", nullptr}});
}

Response CreateToken(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto name = f->Text("name", {.required = true, .max_length = 64});
  const auto roles = f->TextList("roles", true);
  const auto expires = f->Instant("expires_at");
  CheckRoles(*f, roles);
  if (roles && std::find(roles->begin(), roles->end(), "admin") != roles->end()) {
    f->Reject("roles", "enum", "an API token cannot hold the admin role");
  }
  if (expires && *expires <= ctx.Now()) f->Reject("expires_at", "min", "must be in the future");
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const std::string token = std::string(kApiTokenPrefix) + crypto::RandomToken();
  std::string joined;
  for (const auto& r : *roles) joined += (joined.empty() ? "" : ",") + r;
  auto ins = ctx.tx().Prepare(
      "INSERT INTO api_tokens (name, token_hash, roles, created_by, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  ins.Bind(*name, crypto::Sha256Hex(token), joined, ctx.principal.ActorId(), ctx.Now(), expires);
  ins.Step();
  const std::int64_t id = ins.Int(0);
  ctx.Audit("api_token.create", "api_token", std::to_string(id), nullptr, nullptr,
            "name=" + *name + " roles=" + joined);
  auto s = ctx.tx().Prepare(fmt::format("SELECT {} FROM api_tokens WHERE id = ?", kTokenColumns));
  s.Bind(id);
  s.Step();
  Json out = TokenJson(s);
  out["token"] = token;  // shown once
  return http::JsonResponse(out, 201);
}

Response RevokeToken(Context& ctx) {
  const auto id = ctx.request.IdParam();
  const std::int64_t changed =
      id ? ctx.tx().Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                         ctx.Now(), *id)
         : 0;
  if (changed == 0) return http::ErrorResponse(Error::NotFound("active API token"));
  ctx.Audit("api_token.revoke", "api_token", std::to_string(*id));
  ctx.services().on_user_changed(0);  // API-token principals carry user id 0
  return http::NoContent();
}

}  // namespace

std::vector<std::string> SplitRoles(const std::string& joined) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < joined.size();) {
    auto end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> LoadRoles(db::Transaction& tx, std::int64_t user_id) {
  std::vector<std::string> roles;
  auto s = tx.Prepare("SELECT role FROM user_roles WHERE user_id = ? ORDER BY role");
  s.Bind(user_id);
  while (s.Step()) roles.push_back(s.Text(0));
  return roles;
}

Json LoadUserJson(db::Transaction& tx, std::int64_t user_id, Micros now) {
  auto s = tx.Prepare(
      "SELECT id, username, display_name, staff_id, site_id, active, admin_locked, locked_until, "
      "failed_logins, must_change_password, last_login_at, created_at, version FROM users "
      "WHERE id = ?");
  s.Bind(user_id);
  if (!s.Step()) return nullptr;
  const LockState lock{s.Bool(6), s.OptInt(7), static_cast<int>(s.Int(8))};
  const bool timed_lock = lock.locked_until && *lock.locked_until > now;
  Json j = Json::object();
  j["id"] = s.Int(0);
  j["username"] = s.Text(1);
  j["display_name"] = s.Text(2);
  j["staff_id"] = s.OptInt(3);
  j["site_id"] = s.OptInt(4);
  j["active"] = s.Bool(5);
  j["locked"] = IsLocked(lock, now);
  j["admin_locked"] = lock.admin_locked;
  j["locked_until"] = timed_lock ? OptInstant(lock.locked_until) : std::nullopt;
  j["failed_logins"] = lock.failed_logins;
  j["must_change_password"] = s.Bool(9);
  j["last_login_at"] = OptInstant(s.OptInt(10));
  j["created_at"] = FormatInstant(s.Int(11));
  j["version"] = s.Int(12);
  j["roles"] = LoadRoles(tx, user_id);
  return j;
}

std::vector<http::Route> Routes() {
  using http::Method;
  using http::Mode;
  auto routes = SessionRoutes();
  const Json user_body{{"type", "object"},
                       {"properties",
                        {{"username", {{"type", "string"}}},
                         {"display_name", {{"type", "string"}}},
                         {"password", {{"type", "string"}}},
                         {"roles", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                         {"staff_id", {{"type", "integer"}}},
                         {"site_id", {{"type", "integer"}}},
                         {"active", {{"type", "boolean"}}},
                         {"must_change_password", {{"type", "boolean"}}},
                         {"version", {{"type", "integer"}}}}}};
  std::vector<http::Route> more = {
      {Method::kGet, "/api/v1/users", Permission::kUsersRead, Mode::kRead, "users",
       "List user accounts (filters q, role)", nullptr, ListUsers},
      {Method::kGet, "/api/v1/users/{id}", Permission::kUsersRead, Mode::kRead, "users",
       "One user account", nullptr, GetUser},
      {Method::kPost, "/api/v1/users", Permission::kUsersWrite, Mode::kPlain, "users",
       "Create a user account with roles", user_body, CreateUser},
      {Method::kPatch, "/api/v1/users/{id}", Permission::kUsersWrite, Mode::kWrite, "users",
       "Change display name, roles, staff link, site or active flag", user_body, UpdateUser},
      {Method::kPost, "/api/v1/users/{id}/lock", Permission::kUsersWrite, Mode::kWrite, "users",
       "Lock an account and end its sessions", nullptr,
       [](Context& c) { return SetLock(c, true); }},
      {Method::kPost, "/api/v1/users/{id}/unlock", Permission::kUsersWrite, Mode::kWrite, "users",
       "Unlock an account (administrator lock or failed sign-ins)", nullptr,
       [](Context& c) { return SetLock(c, false); }},
      {Method::kPost, "/api/v1/users/{id}/password", Permission::kUsersWrite, Mode::kPlain, "users",
       "Set a new password; the user must change it at next sign-in", nullptr, ResetPassword},
      {Method::kGet, "/api/v1/api-tokens", Permission::kTokensManage, Mode::kRead, "users",
       "List API tokens for integrations", nullptr, ListTokens},
      {Method::kPost, "/api/v1/api-tokens", Permission::kTokensManage, Mode::kWrite, "users",
       "Create an API token; the token value is returned once", nullptr, CreateToken},
      {Method::kPost, "/api/v1/api-tokens/{id}/revoke", Permission::kTokensManage, Mode::kWrite,
       "users", "Revoke an API token", nullptr, RevokeToken},
  };
  routes.insert(routes.end(), more.begin(), more.end());
  return routes;
}

}  // namespace radqs::auth
