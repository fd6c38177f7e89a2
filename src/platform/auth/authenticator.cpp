#include "platform/auth/auth.h"
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
  Principal p;
  SessionTimes times;
  bool user_ok = false;
  bool ended = true;
  services_.database->Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, "
        "s.ended_at, u.username, u.display_name, u.staff_id, u.site_id, u.active, "
        "u.admin_locked, u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ?");
    s.Bind(hash);
    if (!s.Step()) return;
    p.session_id = s.Int(0);
    p.user_id = s.Int(1);
    p.csrf_token = s.Text(2);
    times = {s.Int(3), s.Int(4), s.Int(5)};
    ended = !s.IsNull(6);
    p.username = s.Text(7);
    p.display_name = s.Text(8);
    p.staff_id = s.OptInt(9);
    p.site_id = s.OptInt(10);
    user_ok = s.Bool(11) && !s.Bool(12);
    p.must_change_password = s.Bool(13);
    p.roles = LoadRoles(tx, p.user_id);
    // spec: domain.md §9 — records of the account's site, or of every site for the roles the
    // permission table names.
    p.sites.all = Allows(p.roles, Permission::kAllSites);
    if (p.site_id) p.sites.ids.push_back(*p.site_id);
  });
  if (p.session_id == 0 || ended) return Principal{};
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
                       tx.Exec(
                           "UPDATE sessions SET ended_at = ?, ended_reason = ? WHERE id = ? AND "
                           "ended_at IS NULL",
                           now, why, id);
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
    services_.database->Submit(
        db::WriteJob{[id, now](db::Transaction& tx) {
                       tx.Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, id);
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
  services_.database->Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT id, name, roles, expires_at, revoked_at FROM api_tokens WHERE token_hash = ?");
    s.Bind(hash);
    if (!s.Step()) return;
    const auto expires = s.OptInt(3);
    if (!s.IsNull(4) || (expires && *expires <= now)) return;
    p.api_token_id = s.Int(0);
    p.username = "token:" + s.Text(1);
    p.display_name = s.Text(1);
    p.roles = SplitRoles(s.Text(2));
    // An integration (HIS, modality) serves the whole installation; its roles limit what it does.
    p.sites.all = true;
    p.authenticated = true;
  });
  if (!p.authenticated) return p;
  const std::int64_t id = p.api_token_id;
  services_.database->Submit(
      db::WriteJob{[id, now](db::Transaction& tx) {
                     tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, id);
                     return true;
                   },
                   nullptr});
  std::unique_lock lock(mu_);
  cache_[hash] = Cached{p, {now, now, now + 365 * kMicrosPerDay}, now, now, 0};
  return p;
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
