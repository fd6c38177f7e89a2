#include "platform/auth/auth.h"

#include <gtest/gtest.h>

#include "platform/auth/rate_limit.h"
#include "platform/auth/site_scope.h"
#include "platform/crypto.h"

namespace radqs::auth {
namespace {

TEST(Permissions, FollowTheRoleTable) {
  EXPECT_TRUE(Allows({"admin"}, Permission::kUsersWrite));
  EXPECT_FALSE(Allows({"director"}, Permission::kUsersWrite));
  EXPECT_TRUE(Allows({"inspector"}, Permission::kAuditRead));
  EXPECT_FALSE(Allows({"inspector"}, Permission::kOrgWrite));
  EXPECT_FALSE(Allows({"technologist"}, Permission::kStaffRead));
  EXPECT_TRUE(Allows({"technologist", "qc_officer"}, Permission::kStaffRead));
  EXPECT_FALSE(Allows({}, Permission::kOrgRead));
  const auto p = PermissionsOf({"inspector"});
  EXPECT_NE(std::find(p.begin(), p.end(), "audit.read"), p.end());
  EXPECT_EQ(std::find(p.begin(), p.end(), "users.read"), p.end());
  for (auto role : kRoles) EXPECT_TRUE(Allows({std::string(role)}, Permission::kOrgRead)) << role;
}

// spec: domain.md §9 — access by role and site.
TEST(SiteScope, OnlyAdminsAndInspectorsSpanSites) {
  for (auto role : kRoles) {
    const bool spans = role == "admin" || role == "inspector";
    EXPECT_EQ(Allows({std::string(role)}, Permission::kAllSites), spans) << role;
  }
  const SiteScope mine{false, {3}};
  EXPECT_TRUE(mine.Has(3));
  EXPECT_FALSE(mine.Has(4));
  EXPECT_TRUE((SiteScope{true, {}}).Has(4));
  EXPECT_FALSE(SiteScope{}.Has(3));

  db::SqlBuilder q("SELECT 1 FROM exams WHERE 1 = 1");
  AddSiteScope(q, "site_id", SiteScope{false, {3, 5}});
  EXPECT_EQ(q.sql(), "SELECT 1 FROM exams WHERE 1 = 1 AND site_id IN (?, ?)");
  db::SqlBuilder none("SELECT 1");
  EXPECT_EQ(AddSiteScope(none, "site_id", SiteScope{}).sql(), "SELECT 1 AND 0");
  db::SqlBuilder all("SELECT 1");
  EXPECT_EQ(AddSiteScope(all, "site_id", SiteScope{true, {}}).sql(), "SELECT 1");
}

TEST(Passwords, HashAndVerifyWithArgon2id) {
  crypto::Init();
  SetPasswordCost(PasswordCost::kMinimum);
  const std::string h = HashPassword("Secret123");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(h, "Secret123"));
  EXPECT_FALSE(VerifyPassword(h, "secret123"));
  EXPECT_NE(HashPassword("Secret123"), h);  // salted
}

// Same cost for an unknown name as for a wrong password: the dummy hash has the parameters of a
// fresh hash at the level in force (the old fixed literal kept interactive's at every level).
// `moderate` is measured end to end by tests/api/signin.test.mjs.
TEST(Passwords, TheDummyHashCostsWhatARealOneCostsAtEachLevel) {
  crypto::Init();
  const auto params = [](const std::string& h) { return h.substr(0, h.find('$', 15)); };
  for (auto cost : {PasswordCost::kMinimum, PasswordCost::kInteractive}) {
    SetPasswordCost(cost);
    const std::string real = HashPassword("Secret123");
    EXPECT_EQ(params(DummyHash()), params(real)) << real;
    EXPECT_FALSE(VerifyPassword(DummyHash(), "Secret123"));
    EXPECT_EQ(&DummyHash(), &DummyHash());  // made once per level
  }
  SetPasswordCost(PasswordCost::kMinimum);
}

std::string CheckOf(std::string_view password, const PasswordPolicy& policy,
                    std::string_view username = "nurse") {
  const auto errors = CheckPasswordPolicy(password, policy, username, "password");
  if (errors.empty()) return "";
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "password");
  EXPECT_EQ(errors[0].rule, "weak_password");
  return errors[0].key;
}

TEST(Passwords, PolicyNamesTheFieldRuleAndCheck) {
  const PasswordPolicy user{8, 2}, admin{9, 3};
  EXPECT_EQ(CheckOf("Xk4pq9wz", user), "");
  EXPECT_EQ(CheckOf("ab12", user), "weak_password_length");
  EXPECT_EQ(CheckOf("abcdefghij", user), "weak_password_classes");
  EXPECT_EQ(CheckOf("1234567890", user), "weak_password_classes");
  EXPECT_EQ(CheckOf("My-nurse-77", user, "nurse"), "weak_password_username");
  EXPECT_EQ(CheckOf("My-NURSE-77", user, "nurse"), "weak_password_username");
  // issue 14 item 13: password1 was accepted for an administrator.
  EXPECT_EQ(CheckOf("password1", user), "weak_password_common");
  EXPECT_EQ(CheckOf("password1", admin), "weak_password_classes");
  EXPECT_EQ(CheckOf("Password1", admin), "weak_password_common");
  EXPECT_EQ(CheckOf("Xk4pq9wz", admin), "weak_password_length");
  EXPECT_EQ(CheckOf("xk4pq9wzt", admin), "weak_password_classes");
  const auto e = CheckPasswordPolicy("ab12", admin, "admin", "new_password");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "new_password");
  bool has_min = false;
  for (const auto& [name, value] : e[0].params) {
    has_min = has_min || (name == "min_length" && std::get<std::int64_t>(value) == 9);
  }
  EXPECT_TRUE(has_min);
}

TEST(Passwords, TheDemoPasswordMeetsEveryDefaultPolicy) {
  EXPECT_EQ(CheckOf("Radqs2026", PasswordPolicy{8, 2}, "qc"), "");
  EXPECT_EQ(CheckOf("Radqs2026", PasswordPolicy{9, 3}, "admin"), "");
}

TEST(Passwords, CommonListMatchesInLowerCaseAndWithTrailingDigits) {
  EXPECT_TRUE(IsCommonPassword("123456"));
  EXPECT_TRUE(IsCommonPassword("QWERTY"));
  EXPECT_TRUE(IsCommonPassword("Dragon2026!"));
  EXPECT_TRUE(IsCommonPassword("woaini1314"));
  EXPECT_FALSE(IsCommonPassword("Radqs2026"));
  EXPECT_FALSE(IsCommonPassword("Xk4pq9wz"));
}

TEST(Lockout, TheMaxthFailureLocksForTheLockoutPeriod) {
  LockState s;
  const Micros now = 1'000'000'000;
  for (int i = 0; i < 4; ++i) s = AfterFailedLogin(s, 5, 15 * kMicrosPerMinute, now);
  EXPECT_FALSE(IsLocked(s, now));
  s = AfterFailedLogin(s, 5, 15 * kMicrosPerMinute, now);
  EXPECT_TRUE(IsLocked(s, now));
  EXPECT_TRUE(IsLocked(s, now + 15 * kMicrosPerMinute - 1));
  EXPECT_FALSE(IsLocked(s, now + 15 * kMicrosPerMinute));
  // After the lock runs out the count starts again.
  s = AfterFailedLogin(s, 5, 15 * kMicrosPerMinute, now + 16 * kMicrosPerMinute);
  EXPECT_EQ(s.failed_logins, 1);
  EXPECT_FALSE(IsLocked(s, now + 16 * kMicrosPerMinute));
}

// The count comes from the database write; the rule only decides on it.
TEST(Lockout, TheLockIsDecidedOnTheCountTheWriteReturned) {
  const Micros now = 1'000'000'000;
  const Micros lockout = 15 * kMicrosPerMinute;
  EXPECT_FALSE(IsLocked(ApplyLockRule({false, std::nullopt, 4}, 5, lockout, now), now));
  const LockState fifth = ApplyLockRule({false, std::nullopt, 5}, 5, lockout, now);
  EXPECT_EQ(fifth.locked_until, now + lockout);
  // A failure checked while another one locked the account does not extend the lock.
  const LockState sixth = ApplyLockRule({false, now + 10, 6}, 5, lockout, now + 5);
  EXPECT_EQ(sixth.locked_until, now + 10);
  // An administrator's lock gets no timed lock on top.
  EXPECT_FALSE(ApplyLockRule({true, std::nullopt, 9}, 5, lockout, now).locked_until);
}

TEST(Lockout, AnAdministratorLockHasNoEnd) {
  LockState s{.admin_locked = true};
  EXPECT_TRUE(IsLocked(s, 0));
  EXPECT_TRUE(IsLocked(s, 1LL << 60));
}

TEST(Sessions, EndWhenIdleOrPastTheirLifetime) {
  const SessionTimes t{0, 10 * kMicrosPerMinute, 12 * kMicrosPerHour};
  const Micros idle = 30 * kMicrosPerMinute;
  EXPECT_EQ(SessionEndReason(t, idle, 40 * kMicrosPerMinute), "");
  EXPECT_EQ(SessionEndReason(t, idle, 40 * kMicrosPerMinute + 1), "idle");
  const SessionTimes busy{0, 12 * kMicrosPerHour - 1, 12 * kMicrosPerHour};
  EXPECT_EQ(SessionEndReason(busy, idle, 12 * kMicrosPerHour), "absolute");
}

TEST(Audit, TypedUserNamesAreBoundedAndPrintable) {
  EXPECT_EQ(TypedUsernameForAudit("doctor"), "doctor");
  EXPECT_EQ(TypedUsernameForAudit("bad\a\r\nname\x7f"), "badname");
  EXPECT_EQ(TypedUsernameForAudit("\xe2\x80\xae"
                                  "evil\xe2\x81\xa6"),
            "evil");  // RLO, LRI
  EXPECT_EQ(TypedUsernameForAudit("王医生"), "王医生");
  const std::string long_name(200, 'x');
  EXPECT_EQ(TypedUsernameForAudit(long_name).size(), 64u);
  EXPECT_EQ(TypedUsernameForAudit(std::string(100, '\x01')), "");
}

TEST(PasswordChange, OnlyTheChangeSignOutAndWhoAmIBeforeIt) {
  EXPECT_TRUE(AllowedBeforePasswordChange("POST /api/v1/auth/password"));
  EXPECT_TRUE(AllowedBeforePasswordChange("POST /api/v1/auth/logout"));
  EXPECT_TRUE(AllowedBeforePasswordChange("GET /api/v1/auth/me"));
  EXPECT_FALSE(AllowedBeforePasswordChange("POST /api/v1/orders"));
  EXPECT_FALSE(AllowedBeforePasswordChange("GET /api/v1/patients"));
  const Error e = PasswordChangeRequired();
  EXPECT_EQ(Describe(e.code).http_status, 403);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].rule, "password_change_required");
}

TEST(RateLimit, CountsPerKeyWithinTheWindow) {
  RateLimiter limiter;
  const Micros minute = kMicrosPerMinute;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Hit("10.0.0.1", 3, minute, 1000 + i));
  const auto wait = limiter.Hit("10.0.0.1", 3, minute, 2000);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1000 + minute - 2000);
  EXPECT_FALSE(limiter.Hit("10.0.0.2", 3, minute, 2000));           // another key has its own count
  EXPECT_FALSE(limiter.Hit("10.0.0.1", 3, minute, 1000 + minute));  // a new window
}

TEST(RateLimit, AFullTableDropsExpiredWindowsFirst) {
  RateLimiter limiter(2);
  EXPECT_FALSE(limiter.Hit("a", 1, 10, 0));
  EXPECT_FALSE(limiter.Hit("b", 1, 10, 0));
  EXPECT_FALSE(limiter.Hit("c", 1, 10, 5));  // full and nothing expired: let through, uncounted
  EXPECT_EQ(limiter.Size(), 2u);
  EXPECT_FALSE(limiter.Hit("c", 1, 10, 20));  // a and b expired and were dropped
  EXPECT_TRUE(limiter.Hit("c", 1, 10, 21));
  EXPECT_EQ(limiter.Size(), 1u);
}

}  // namespace
}  // namespace radqs::auth
