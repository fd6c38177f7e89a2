#include "org/org.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace radqs::org {
namespace {

Date D(const char* text) { return *ParseDate(text); }

bool Names(const std::vector<FieldError>& errors, std::string_view field, std::string_view rule) {
  for (const auto& e : errors) {
    if (e.field == field && e.rule == rule) return true;
  }
  return false;
}

// --- rules -------------------------------------------------------------------------------------

TEST(OrgRules, SiteErrorsNameTheFieldAndRule) {
  Site s{.code = "H1", .name = "市一院", .level = "tertiary", .kind = "hospital_department"};
  EXPECT_TRUE(ValidateSite(s).empty());
  s.beds = -1;
  s.level = "national";
  const auto errors = ValidateSite(s);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_TRUE(Names(errors, "beds", "min"));
  EXPECT_TRUE(Names(errors, "level", "enum"));
}

TEST(OrgRules, ALicenceMustExpireAfterItWasIssued) {
  Licence l{.type = "radiation_safety", .number = "RS-1", .expires_on = D("2027-01-01")};
  EXPECT_TRUE(ValidateLicence(l).empty());  // issued_on unknown
  l.issued_on = D("2027-01-01");
  EXPECT_TRUE(Names(ValidateLicence(l), "expires_on", "min"));
  l.issued_on = D("2022-01-01");
  EXPECT_TRUE(ValidateLicence(l).empty());
  l.type = "x";
  EXPECT_TRUE(Names(ValidateLicence(l), "type", "enum"));
}

TEST(OrgRules, ExpiryStatusBoundaries) {
  const Date today = D("2026-11-23");
  // Expiring today is still valid that day: not expired, zero days left.
  auto e = ExpiryStatus(today, today, 90);
  EXPECT_EQ(e.status, "expiring");
  EXPECT_EQ(e.days_left, 0);
  e = ExpiryStatus(D("2026-11-22"), today, 90);
  EXPECT_EQ(e.status, "expired");
  EXPECT_EQ(e.days_left, -1);
  EXPECT_EQ(ExpiryStatus(D("2025-01-01"), today, 90).status, "expired");
  // The alert window includes its last day.
  e = ExpiryStatus(Date{today.days + 30}, today, 30);
  EXPECT_EQ(e.status, "expiring");
  EXPECT_EQ(e.days_left, 30);
  e = ExpiryStatus(Date{today.days + 31}, today, 30);
  EXPECT_EQ(e.status, "valid");
  EXPECT_EQ(e.days_left, 31);
  EXPECT_EQ(ExpiryStatus(Date{today.days + 1}, today, 1).status, "expiring");
}

TEST(OrgRules, TitleOnPicksTheLatestEntryInForce) {
  const std::vector<TitleEntry> history = {{"associate_chief", D("2024-07-01")},
                                           {"resident", D("2015-09-01")},
                                           {"attending", D("2019-12-01")}};
  EXPECT_EQ(TitleOn(history, D("2015-08-31")), std::nullopt);
  EXPECT_EQ(TitleOn(history, D("2015-09-01")), "resident");
  EXPECT_EQ(TitleOn(history, D("2019-11-30")), "resident");
  EXPECT_EQ(TitleOn(history, D("2019-12-01")), "attending");
  EXPECT_EQ(TitleOn(history, D("2024-06-30")), "attending");
  EXPECT_EQ(TitleOn(history, D("2030-01-01")), "associate_chief");
  EXPECT_EQ(TitleOn({}, D("2030-01-01")), std::nullopt);
}

TEST(OrgRules, TitleMustFitTheCategory) {
  EXPECT_TRUE(ValidateTitle("attending", "physician").empty());
  EXPECT_TRUE(ValidateTitle("senior_technician", "technologist").empty());
  EXPECT_TRUE(ValidateTitle("supervising_nurse", "nurse").empty());
  EXPECT_TRUE(ValidateTitle("engineer", "engineer").empty());
  EXPECT_TRUE(ValidateTitle("senior_engineer", "physicist").empty());
  EXPECT_TRUE(ValidateTitle("chief_nurse", "other").empty());
  EXPECT_TRUE(Names(ValidateTitle("attending", "technologist"), "title", "category"));
  EXPECT_TRUE(Names(ValidateTitle("chief_technician", "physician"), "title", "category"));
  EXPECT_TRUE(Names(ValidateTitle("nurse", "engineer"), "title", "category"));
  EXPECT_TRUE(Names(ValidateTitle("professor", "physician"), "title", "enum"));
  EXPECT_EQ(TitleLevel("attending"), 2);
  EXPECT_EQ(TitleLevel("senior_nurse"), 1);
  EXPECT_EQ(TitleLevel("professor"), 0);
}

TEST(OrgRules, StaffRules) {
  Staff s{.site_id = 1, .employee_no = "1001", .name = "张三", .sex = "M", .category = "physician"};
  EXPECT_TRUE(ValidateStaff(s).empty());
  s.trainee = true;
  s.emergency_signoff = true;
  EXPECT_TRUE(Names(ValidateStaff(s), "emergency_signoff", "trainee"));
  s.emergency_signoff = false;
  s.radiation_worker = true;
  EXPECT_TRUE(Names(ValidateStaff(s), "radiation_work_since", "required"));
  s.radiation_work_since = D("2020-01-01");
  EXPECT_TRUE(ValidateStaff(s).empty());
  s.sex = "X";
  s.status = "retired";
  EXPECT_TRUE(Names(ValidateStaff(s), "sex", "enum"));
  EXPECT_TRUE(Names(ValidateStaff(s), "status", "enum"));
}

TEST(OrgRules, CertificatesWithoutExpiryStayValid) {
  Certificate c{.type = "practising_licence", .number = "P1"};
  const Json j = CertificateJson(c, D("2026-11-23"), 90);
  EXPECT_EQ(j["status"], "valid");
  EXPECT_TRUE(j["days_left"].is_null());
  EXPECT_FALSE(CertificateAlert(c, "张三", 1, D("2026-11-23"), 90));
  c.expires_on = D("2026-11-20");
  auto a = CertificateAlert(c, "张三", 1, D("2026-11-23"), 90);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, "certificate_expired");
  EXPECT_EQ(a->severity, "danger");
  EXPECT_EQ(a->days_left, -3);
}

TEST(OrgRules, HomeSummaryOmitsHiddenFiguresAndSortsAlerts) {
  HomeFigures f;
  f.sites = 2;
  f.rooms = 3;
  f.rooms_by_modality = std::map<std::string, std::int64_t>{{"CT", 2}, {"MR", 1}};
  const Date today = D("2026-11-23");
  Licence soon{.id = 1,
               .site_id = 1,
               .type = "radiation_diagnosis",
               .number = "A",
               .expires_on = Date{today.days + 10}};
  Licence later{.id = 2,
                .site_id = 1,
                .type = "radiation_safety",
                .number = "B",
                .expires_on = Date{today.days + 60}};
  Licence gone{.id = 3,
               .site_id = 1,
               .type = "large_equipment",
               .number = "C",
               .expires_on = Date{today.days - 5}};
  Licence fine{.id = 4,
               .site_id = 1,
               .type = "radiation_safety",
               .number = "D",
               .expires_on = Date{today.days + 400}};
  EXPECT_FALSE(LicenceAlert(fine, "市一院", today, 90));
  for (const auto* l : {&later, &soon, &gone}) {
    f.alerts.push_back(*LicenceAlert(*l, "市一院", today, 90));
  }
  f.alerts.push_back(
      {.kind = "user_locked", .severity = "warning", .entity = "user", .entity_id = 7});
  const Json j = HomeSummary(f);
  EXPECT_EQ(j["counts"], Json({{"sites", 2}, {"rooms", 3}}));
  EXPECT_EQ(j["rooms_by_modality"]["CT"], 2);
  EXPECT_FALSE(j.contains("staff_by_category"));
  ASSERT_EQ(j["alerts"].size(), 4u);
  EXPECT_EQ(j["alerts"][0]["kind"], "licence_expired");
  EXPECT_EQ(j["alerts"][0]["days_left"], -5);
  EXPECT_EQ(j["alerts"][1]["entity_id"], 1);
  EXPECT_EQ(j["alerts"][1]["due_on"], FormatDate(Date{today.days + 10}));
  EXPECT_EQ(j["alerts"][2]["entity_id"], 2);
  EXPECT_EQ(j["alerts"][3]["kind"], "user_locked");
  EXPECT_TRUE(j["alerts"][3]["days_left"].is_null());
}

TEST(OrgRoutesTable, EveryRouteOfTheContractIsDeclaredAndDocumented) {
  using auth::Permission;
  using http::Method;
  const std::vector<std::tuple<Method, std::string, Permission>> expected = {
      {Method::kGet, "/api/v1/home", Permission::kAuthenticated},
      {Method::kGet, "/api/v1/sites", Permission::kOrgRead},
      {Method::kGet, "/api/v1/sites/{id}", Permission::kOrgRead},
      {Method::kPost, "/api/v1/sites", Permission::kOrgWrite},
      {Method::kPatch, "/api/v1/sites/{id}", Permission::kOrgWrite},
      {Method::kGet, "/api/v1/sites/{id}/licences", Permission::kOrgRead},
      {Method::kPost, "/api/v1/sites/{id}/licences", Permission::kOrgWrite},
      {Method::kPatch, "/api/v1/licences/{id}", Permission::kOrgWrite},
      {Method::kGet, "/api/v1/rooms", Permission::kOrgRead},
      {Method::kGet, "/api/v1/rooms/{id}", Permission::kOrgRead},
      {Method::kPost, "/api/v1/rooms", Permission::kOrgWrite},
      {Method::kPatch, "/api/v1/rooms/{id}", Permission::kOrgWrite},
      {Method::kGet, "/api/v1/departments", Permission::kOrgRead},
      {Method::kGet, "/api/v1/departments/{id}", Permission::kOrgRead},
      {Method::kPost, "/api/v1/departments", Permission::kOrgWrite},
      {Method::kPatch, "/api/v1/departments/{id}", Permission::kOrgWrite},
      {Method::kGet, "/api/v1/staff", Permission::kStaffRead},
      {Method::kGet, "/api/v1/staff/{id}", Permission::kStaffRead},
      {Method::kPost, "/api/v1/staff", Permission::kStaffWrite},
      {Method::kPatch, "/api/v1/staff/{id}", Permission::kStaffWrite},
      {Method::kPost, "/api/v1/staff/{id}/titles", Permission::kStaffWrite},
      {Method::kGet, "/api/v1/staff/{id}/certificates", Permission::kStaffRead},
      {Method::kPost, "/api/v1/staff/{id}/certificates", Permission::kCertificatesWrite},
      {Method::kPatch, "/api/v1/certificates/{id}", Permission::kCertificatesWrite},
  };
  const auto routes = Routes();
  EXPECT_EQ(routes.size(), expected.size());
  for (const auto& [method, pattern, permission] : expected) {
    const auto it = std::find_if(routes.begin(), routes.end(), [&](const http::Route& r) {
      return r.method == method && r.pattern == pattern;
    });
    ASSERT_NE(it, routes.end()) << pattern;
    EXPECT_EQ(it->permission, permission) << pattern;
    EXPECT_EQ(it->mode, method == Method::kGet ? http::Mode::kRead : http::Mode::kWrite);
    EXPECT_FALSE(it->summary.empty()) << pattern;
    EXPECT_FALSE(it->tag.empty()) << pattern;
  }
  const Json doc = http::OpenApi(routes);
  EXPECT_EQ(doc["paths"]["/api/v1/staff/{id}"]["get"]["x-permission"], "staff.read");
}

}  // namespace
}  // namespace radqs::org
