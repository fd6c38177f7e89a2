#include "platform/auth/auth.h"
#include "platform/auth/auth_store.h"
#include "platform/crypto.h"
#include "platform/log.h"

namespace radqs::auth {
namespace {
// How long a checked session is trusted from memory before the database is asked again (picks
// up sign-outs and locks made by another server), and how often last-seen is written back.
constexpr Micros kRecheck = 10 * kMicrosPerSecond;
constexpr Micros kPersistLastSeen = 60 * kMicrosPerSecond;
}  // namespace

std::optional<Principal> Authenticator::FromCache(const std::string& token) {
  const std::string hash = crypto::Sha256Hex(token);
  const Micros now = services_.clock->Now();
  std::unique_lock lock(mu_);
  auto it = cache_.find(hash);
  if (it == cache_.end() || now - it->second.fetched_at > kRecheck) return std::nullopt;
  Cached& c = it->second;
  if (c.principal.session_id != 0 && !SessionEndReason(c.times, c.idle_limit, now).empty()) {
    return std::nullopt;  // the slow path ends it in the database
  }
  c.times.last_seen_at = now;
  return c.principal;
}

Principal Authenticator::Resolve(const std::string& token) {
  const std::string hash = crypto::Sha256Hex(token);
  return token.starts_with(kApiTokenPrefix) ? ResolveApiToken(hash) : ResolveSession(hash);
}

Principal Authenticator::ResolveSession(const std::string& hash) {
  const Micros now = services_.clock->Now();
  const Micros idle = services_.settings->Int("auth.session_idle_minutes") * kMicrosPerMinute;
  std::optional<store::SessionRow> row;
  services_.database->Read([&](db::Transaction& tx) {
    row = store::FindSession(tx, hash);
    if (row) row->principal.roles = store::RolesOf(tx, row->principal.user_id);
    // spec: domain.md §9 — records of the account's site, or of every site for the roles the
    // permission table names.
    if (row) {
      auto& p = row->principal;
      p.sites.all = Allows(p.roles, Permission::kAllSites);
      if (p.site_id) p.sites.ids.push_back(*p.site_id);
    }
  });
  if (!row || row->ended) return Principal{};
  Principal& p = row->principal;
  SessionTimes& times = row->times;
  const bool user_ok = row->user_ok;
  std::optional<Micros> persisted;
  {
    std::shared_lock lock(mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) {
      times.last_seen_at = std::max(times.last_seen_at, it->second.times.last_seen_at);
      persisted = it->second.persisted_last_seen;
    }
  }
  const std::string_view reason = user_ok ? SessionEndReason(times, idle, now) : "account_locked";
  if (!reason.empty()) {
    const std::int64_t id = p.session_id;
    services_.database->Submit(
        db::WriteJob{[id, now, why = std::string(reason)](db::Transaction& tx) {
                       store::EndSession(tx, id, now, why);
                       return true;
                     },
                     nullptr});
    std::unique_lock lock(mu_);
    cache_.erase(hash);
    return Principal{};
  }
  p.authenticated = true;
  Cached c{p, times, persisted.value_or(times.last_seen_at), now, idle};
  c.times.last_seen_at = now;
  if (now - c.persisted_last_seen > kPersistLastSeen) {
    const std::int64_t id = p.session_id;
    services_.database->Submit(db::WriteJob{[id, now](db::Transaction& tx) {
                                              store::TouchSession(tx, id, now);
                                              return true;
                                            },
                                            nullptr});
    c.persisted_last_seen = now;
  }
  std::unique_lock lock(mu_);
  cache_[hash] = std::move(c);
  return p;
}

Principal Authenticator::ResolveApiToken(const std::string& hash) {
  const Micros now = services_.clock->Now();
  Principal p;
  std::optional<store::TokenRow> t;
  services_.database->Read([&](db::Transaction& tx) { t = store::FindTokenByHash(tx, hash); });
  if (t && !t->revoked_at && !(t->expires_at && *t->expires_at <= now)) {
    p.api_token_id = t->id;
    p.username = "token:" + t->name;
    p.display_name = t->name;
    p.roles = SplitRoles(t->roles);
    // An integration (HIS, modality) serves the whole installation; its roles limit what it does.
    p.sites.all = true;
    p.authenticated = true;
  }
  if (!p.authenticated) return p;
  const std::int64_t id = p.api_token_id;
  services_.database->Submit(db::WriteJob{[id, now](db::Transaction& tx) {
                                            store::TouchToken(tx, id, now);
                                            return true;
                                          },
                                          nullptr});
  std::unique_lock lock(mu_);
  cache_[hash] = Cached{p, {now, now, now + 365 * kMicrosPerDay}, now, now, 0};
  return p;
}

bool AllowedBeforePasswordChange(std::string_view route) {
  // A password an administrator set (and so knows) is replaced before any work is done with it.
  return route == "POST /api/v1/auth/password" || route == "POST /api/v1/auth/logout" ||
         route == "GET /api/v1/auth/me";
}

Error PasswordChangeRequired() {
  return Error::Field(ErrorCode::kForbidden, "password", "password_change_required",
                      "the password was reset: change it before anything else");
}

void Authenticator::ForgetUser(std::int64_t user_id) {
  std::unique_lock lock(mu_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.principal.user_id == user_id; });
}

void Authenticator::ForgetToken(const std::string& token) {
  std::unique_lock lock(mu_);
  cache_.erase(crypto::Sha256Hex(token));
}

}  // namespace radqs::auth
