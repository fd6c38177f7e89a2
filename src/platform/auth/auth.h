// Sign-in, sessions, lockout, API tokens and user accounts (用户).
//
// Passwords are argon2id hashes (libsodium). A session token is 32 random bytes shown to the
// client once; only its SHA-256 is stored. Sessions end after an idle period and at an absolute
// lifetime (settings auth.session_*). Repeated failed sign-ins lock the account for a while
// (auth.max_failed_logins, auth.lockout_minutes); an administrator can also lock and unlock.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "platform/auth/principal.h"
#include "platform/db/database.h"
#include "platform/http/route.h"

namespace radqs::auth {

// --- passwords -------------------------------------------------------------------------------
enum class PasswordCost { kInteractive, kModerate, kMinimum };  // kMinimum: tests and benches
std::optional<PasswordCost> ParsePasswordCost(std::string_view name);
void SetPasswordCost(PasswordCost cost);
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);
// A hash of a random secret at the current cost, made once per cost level: unknown names are
// checked against it so they cost as much as a wrong password and their time does not
// tell which names exist.
const std::string& DummyHash();
// The password policy (密码策略), from the versioned settings auth.password_* — administrators
// have their own, stricter minimums (auth.password_admin_*): their accounts reach everything.
struct PasswordPolicy {
  std::size_t min_length = 8;  // in characters (code points)
  int min_classes = 2;         // of: lower-case, upper-case, digits, other characters
};
// `setting` reads an integer setting by key (Settings::Int, or IntInForce in a transaction).
PasswordPolicy PasswordPolicyFrom(const std::function<std::int64_t(std::string_view)>& setting,
                                  bool admin);
// True when the password is on the shipped list (common_passwords.txt, compared in lower case),
// or its letters before trailing digits and symbols are ("Dragon2026!" → "dragon").
bool IsCommonPassword(std::string_view password);
// Empty when the password meets the policy, else one error naming `field`, rule
// "weak_password", the key of the check that failed first (weak_password_length,
// weak_password_classes, weak_password_username, weak_password_common) and params min_length,
// min_classes and classes (the classes the password has).
std::vector<FieldError> CheckPasswordPolicy(std::string_view password, const PasswordPolicy& policy,
                                            std::string_view username, std::string_view field);

// --- lockout rule ------------------------------------------------------------------------------
struct LockState {
  bool admin_locked = false;
  std::optional<Micros> locked_until;
  int failed_logins = 0;
};
bool IsLocked(const LockState& s, Micros now);
// The state after one more failed sign-in: the max-th consecutive failure locks the account.
LockState AfterFailedLogin(LockState s, int max_failed, Micros lockout, Micros now);
// The lock decision on a count already made (by the database write): locks for `lockout` when
// the count reached max_failed and the account is not locked yet (a running lock is not
// extended by failures that were checked while it began).
LockState ApplyLockRule(LockState counted, int max_failed, Micros lockout, Micros now);

// A typed user name as the trail keeps it: control characters and bidirectional overrides
// dropped, at most 64 characters, so a failed sign-in cannot forge or bloat audit entries.
std::string TypedUsernameForAudit(std::string_view typed);

// --- session expiry rule -----------------------------------------------------------------------
struct SessionTimes {
  Micros created_at = 0;
  Micros last_seen_at = 0;
  Micros expires_at = 0;  // absolute end
};
// "idle", "absolute" or empty while the session is alive.
std::string_view SessionEndReason(const SessionTimes& t, Micros idle, Micros now);

// --- resolving a bearer or cookie token ---------------------------------------------------------
class Authenticator {
 public:
  explicit Authenticator(const http::Services& services) : services_(services) {}

  // Non-blocking: a principal from memory if it was checked against the database recently.
  std::optional<Principal> FromCache(const std::string& token);
  // May block on the database; unauthenticated Principal when the token is unknown or ended.
  Principal Resolve(const std::string& token);
  void ForgetUser(std::int64_t user_id);
  void ForgetToken(const std::string& token);

 private:
  struct Cached {
    Principal principal;
    SessionTimes times;
    Micros persisted_last_seen = 0;
    Micros fetched_at = 0;
    Micros idle_limit = 0;  // read from settings on the DB pool, never on an I/O thread
  };
  Principal ResolveSession(const std::string& hash);
  Principal ResolveApiToken(const std::string& hash);

  const http::Services& services_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
};

// --- forced password change --------------------------------------------------------------------
// After an administrator's reset (must_change_password) a session may only change the password,
// sign out and ask who it is; `route` is "METHOD /pattern". Everything else answers
// PasswordChangeRequired(): 403 naming the rule `password_change_required`.
bool AllowedBeforePasswordChange(std::string_view route);
Error PasswordChangeRequired();

inline constexpr std::string_view kSessionCookie = "radqs_session";
inline constexpr std::string_view kApiTokenPrefix = "rqt_";

// API tokens store their roles as "a,b,c".
std::vector<std::string> SplitRoles(const std::string& joined);

// The organisation's records an account may link to (staff member, site). They belong to org,
// above the platform, so the composition root passes org's lookups in.
struct OrgReferences {
  std::function<bool(db::Transaction&, std::int64_t)> staff_exists, site_exists;
  // An active ordering department (申请科室) of the given site, or of any site when none is given.
  std::function<bool(db::Transaction&, std::int64_t department_id,
                     std::optional<std::int64_t> site_id)>
      department_active;
};

// Routes of this module: /api/v1/auth/*, /api/v1/users*, /api/v1/api-tokens*.
std::vector<http::Route> Routes(OrgReferences org);

// The account as the API shows it.
Json LoadUserJson(db::Transaction& tx, std::int64_t user_id, Micros now);
std::vector<std::string> LoadRoles(db::Transaction& tx, std::int64_t user_id);

}  // namespace radqs::auth
