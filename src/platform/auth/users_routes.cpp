// User accounts (用户) managed by administrators, and API tokens for integrations.
#include <algorithm>

#include "platform/auth/auth.h"
#include "platform/auth/auth_store.h"
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

PasswordPolicy PolicyOf(Context& ctx, bool admin) {
  return PasswordPolicyFrom([&](std::string_view key) { return ctx.settings().Int(key); }, admin);
}

void CheckRoles(http::Fields& f, const std::optional<std::vector<std::string>>& roles) {
  if (!roles) return;
  if (roles->empty()) f.Reject("roles", "required", "needs at least one role");
  for (const auto& r : *roles) {
    if (!IsRole(r)) f.Reject("roles", "enum", "unknown role: " + r);
  }
}

// The staff member, site and department an account links to exist; the department is an active
// one of `department_site`, the account's site as it will be after the change.
void CheckReferences(const OrgReferences& org, http::Fields& f, db::Transaction& tx,
                     std::optional<std::int64_t> staff_id, std::optional<std::int64_t> site_id,
                     std::optional<std::int64_t> department_id,
                     std::optional<std::int64_t> department_site) {
  if (staff_id && !org.staff_exists(tx, *staff_id)) {
    f.Reject("staff_id", "reference", "no such staff member");
  }
  if (site_id && !org.site_exists(tx, *site_id)) f.Reject("site_id", "reference", "no such site");
  if (department_id && !org.department_active(tx, *department_id, department_site)) {
    f.Reject({"ordering_department_id", "reference",
              "no such active ordering department at the account's site", "department_of_site"});
  }
}

Response ListUsers(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  store::UserFilter filter;
  filter.q = ctx.request.Query("q");
  filter.role = ctx.request.Query("role");
  filter.after_id = page->after_id;
  filter.limit = page->limit + 1;
  Json items = Json::array();
  for (auto id : store::ListUserIds(ctx.tx(), filter))
    items.push_back(LoadUserJson(ctx.tx(), id, ctx.Now()));
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response GetUser(Context& ctx) {
  const auto id = ctx.request.IdParam();
  Json u = id ? LoadUserJson(ctx.tx(), *id, ctx.Now()) : Json();
  if (u.is_null()) return http::ErrorResponse(Error::NotFound("user"));
  return http::JsonResponse(u);
}

Response CreateUser(Context& ctx, const OrgReferences& org) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto username = f->Text("username", {.required = true, .max_length = 32});
  const auto display = f->Text("display_name", {.required = true, .max_length = 64});
  const auto password = f->Text("password", {.required = true, .max_length = 256});
  const auto roles = f->TextList("roles", true);
  const auto staff_id = f->Integer("staff_id", {.min = 1});
  const auto site_id = f->Integer("site_id", {.min = 1});
  const auto department_id = f->Integer("ordering_department_id", {.min = 1});
  const auto must_change = f->Boolean("must_change_password");
  if (username && !ValidUsername(*username)) {
    f->Reject("username", "format", "3-32 characters: lower-case letters, digits, . _ -");
  }
  CheckRoles(*f, roles);
  if (password) {
    const bool admin = roles && std::find(roles->begin(), roles->end(), "admin") != roles->end();
    for (auto& e :
         CheckPasswordPolicy(*password, PolicyOf(ctx, admin), username.value_or(""), "password")) {
      f->Reject(e);
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const std::string hash = HashPassword(*password);  // slow on purpose: not on the writer
  const Micros now = ctx.Now();
  Response out;
  ctx.database().Write([&](db::Transaction& tx) {
    http::Fields refs(Json::object());
    CheckReferences(org, refs, tx, staff_id, site_id, department_id, site_id);
    if (store::UsernameTaken(tx, *username)) refs.Reject("username", "unique", "is already taken");
    if (auto ok = refs.Finish(); !ok) {
      Error e = ok.error();
      if (e.fields.size() == 1 && e.fields[0].rule == "unique") e.code = ErrorCode::kConflict;
      out = http::ErrorResponse(e);
      return;
    }
    const std::int64_t id = store::InsertUser(
        tx,
        {*username, *display, hash, staff_id, site_id, must_change.value_or(true), department_id},
        now);
    store::SetRoles(tx, id, *roles);
    Json after = LoadUserJson(tx, id, now);
    ctx.Audit("user.create", "user", std::to_string(id), nullptr, &after, {}, &tx);
    out = http::JsonResponse(after, 201);
  });
  return out;
}

Response UpdateUser(Context& ctx, const OrgReferences& org) {
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
  const auto department_id = f->Integer("ordering_department_id", {.min = 1});
  const auto active = f->Boolean("active");
  CheckRoles(*f, roles);
  // A kept department is checked again when the site changes.
  const auto kept = [&](const char* field, std::optional<std::int64_t> sent) {
    return f->Has(field) ? sent : before[field].get<std::optional<std::int64_t>>();
  };
  CheckReferences(org, *f, ctx.tx(), staff_id, site_id,
                  kept("ordering_department_id", department_id), kept("site_id", site_id));
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
  store::UpdateUser(tx, *id,
                    {display, f->Has("staff_id"), staff_id, f->Has("site_id"), site_id,
                     f->Has("ordering_department_id"), department_id, active},
                    now);
  if (roles) store::SetRoles(tx, *id, *roles);
  if (active && !*active) store::EndUserSessions(tx, *id, now, "deactivated");
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
    store::SetAdminLock(tx, *id, now);
    store::EndUserSessions(tx, *id, now, "locked");
  } else {
    store::ClearLocks(tx, *id, now);
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
  Json user;
  if (id)
    ctx.database().Read([&](db::Transaction& tx) { user = LoadUserJson(tx, *id, ctx.Now()); });
  if (user.is_null()) return http::ErrorResponse(Error::NotFound("user"));
  if (password) {
    const auto roles = user.value("roles", Json::array());
    const bool admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
    for (auto& e : CheckPasswordPolicy(*password, PolicyOf(ctx, admin), user.value("username", ""),
                                       "new_password")) {
      f->Reject(e);
    }
  }
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  const std::string hash = HashPassword(*password);
  const Micros now = ctx.Now();
  Json after;
  ctx.database().Write([&](db::Transaction& tx) {
    store::SetPassword(tx, *id, hash, true, now);
    store::EndUserSessions(tx, *id, now, "password_reset");
    ctx.Audit("user.password_reset", "user", std::to_string(*id), nullptr, nullptr, {}, &tx);
    after = LoadUserJson(tx, *id, now);
  });
  ctx.services().on_user_changed(*id);
  return http::JsonResponse(after);
}

Json TokenJson(const store::TokenRow& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"roles", SplitRoles(t.roles)},
          {"created_at", FormatInstant(t.created_at)},
          {"expires_at", OptInstant(t.expires_at)},
          {"revoked_at", OptInstant(t.revoked_at)},
          {"last_used_at", OptInstant(t.last_used_at)}};
}

Response ListTokens(Context& ctx) {
  Json items = Json::array();
  for (const auto& t : store::ListTokens(ctx.tx())) items.push_back(TokenJson(t));
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
  const std::int64_t id = store::InsertToken(ctx.tx(), *name, crypto::Sha256Hex(token), joined,
                                             ctx.principal.ActorId(), ctx.Now(), expires);
  ctx.Audit("api_token.create", "api_token", std::to_string(id), nullptr, nullptr,
            "name=" + *name + " roles=" + joined);
  Json out = TokenJson(*store::FindToken(ctx.tx(), id));
  out["token"] = token;  // shown once
  return http::JsonResponse(out, 201);
}

Response RevokeToken(Context& ctx) {
  const auto id = ctx.request.IdParam();
  if (!id || !store::RevokeToken(ctx.tx(), *id, ctx.Now()))
    return http::ErrorResponse(Error::NotFound("active API token"));
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
  return store::RolesOf(tx, user_id);
}

Json LoadUserJson(db::Transaction& tx, std::int64_t user_id, Micros now) {
  const auto u = store::FindUser(tx, user_id);
  if (!u) return nullptr;
  const LockState& lock = u->lock;
  const bool timed_lock = lock.locked_until && *lock.locked_until > now;
  Json j = Json::object();
  j["id"] = u->id;
  j["username"] = u->username;
  j["display_name"] = u->display_name;
  j["staff_id"] = u->staff_id;
  j["site_id"] = u->site_id;
  j["ordering_department_id"] = u->ordering_department_id;
  j["active"] = u->active;
  j["locked"] = IsLocked(lock, now);
  j["admin_locked"] = lock.admin_locked;
  j["locked_until"] = timed_lock ? OptInstant(lock.locked_until) : std::nullopt;
  j["failed_logins"] = lock.failed_logins;
  j["must_change_password"] = u->must_change_password;
  j["last_login_at"] = OptInstant(u->last_login_at);
  j["created_at"] = FormatInstant(u->created_at);
  j["version"] = u->version;
  j["roles"] = store::RolesOf(tx, user_id);
  return j;
}

std::vector<http::Route> Routes(OrgReferences org) {
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
                         {"ordering_department_id", {{"type", "integer"}}},
                         {"active", {{"type", "boolean"}}},
                         {"must_change_password", {{"type", "boolean"}}},
                         {"version", {{"type", "integer"}}}}}};
  std::vector<http::Route> more = {
      {Method::kGet, "/api/v1/users", Permission::kUsersRead, Mode::kRead, "users",
       "List user accounts (filters q, role)", nullptr, ListUsers},
      {Method::kGet, "/api/v1/users/{id}", Permission::kUsersRead, Mode::kRead, "users",
       "One user account", nullptr, GetUser},
      {Method::kPost, "/api/v1/users", Permission::kUsersWrite, Mode::kCredential, "users",
       "Create a user account with roles", user_body,
       [org](Context& c) { return CreateUser(c, org); }},
      {Method::kPatch, "/api/v1/users/{id}", Permission::kUsersWrite, Mode::kWrite, "users",
       "Change display name, roles, staff link, site or active flag", user_body,
       [org](Context& c) { return UpdateUser(c, org); }},
      {Method::kPost, "/api/v1/users/{id}/lock", Permission::kUsersWrite, Mode::kWrite, "users",
       "Lock an account and end its sessions", nullptr,
       [](Context& c) { return SetLock(c, true); }},
      {Method::kPost, "/api/v1/users/{id}/unlock", Permission::kUsersWrite, Mode::kWrite, "users",
       "Unlock an account (administrator lock or failed sign-ins)", nullptr,
       [](Context& c) { return SetLock(c, false); }},
      {Method::kPost, "/api/v1/users/{id}/password", Permission::kUsersWrite, Mode::kCredential,
       "users", "Set a new password; the user must change it at next sign-in", nullptr,
       ResetPassword},
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
