#include "platform/auth/auth.h"

#include <gtest/gtest.h>

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

TEST(Passwords, PolicyNamesTheFieldAndRule) {
  EXPECT_TRUE(CheckPasswordPolicy("abcd1234", 8, "password").empty());
  auto short_one = CheckPasswordPolicy("ab12", 8, "password");
  ASSERT_EQ(short_one.size(), 1u);
  EXPECT_EQ(short_one[0].field, "password");
  EXPECT_EQ(short_one[0].rule, "weak_password");
  EXPECT_FALSE(CheckPasswordPolicy("abcdefghij", 8, "password").empty());
  EXPECT_FALSE(CheckPasswordPolicy("1234567890", 8, "password").empty());
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

}  // namespace
}  // namespace radqs::auth
