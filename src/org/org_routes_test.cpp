// The organisation routes driven directly, without a server, against a temporary SQLite file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "org/org.h"
#include "platform/audit/audit.h"
#include "platform/config/settings.h"
#include "platform/db/test_database.h"

namespace radqs::org {
namespace {

using http::Method;

// 2026-11-23T04:05:06Z: the local (+08:00) date is 2026-11-23.
constexpr Micros kNow = 1'795'406'706'000'000;

struct Reply {
  int status = 0;
  Json body;
};

class OrgRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    test_db_ = std::make_unique<db::TestDatabase>(std::string("org_") + info->name());
    db_ = test_db_->get();
    db_->Write([](db::Transaction& tx) {
      tx.Exec(
          "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) "
          "VALUES (1, 'admin', '管理员', 'x', 0, 0)");
    });
    settings_ = std::make_unique<config::Settings>(*db_, clock_);
    services_.database = db_;
    services_.clock = &clock_;
    services_.settings = settings_.get();
    services_.read_audit = &read_audit_;
    services_.on_user_changed = [](auto) {};
    who_.authenticated = true;
    who_.user_id = 1;
    who_.username = "admin";
    who_.roles = {"admin"};
    today_ = LocalDate(kNow);
  }
  void TearDown() override { test_db_.reset(); }

  // Runs a route as the server would: permission, then a read transaction or the writer's
  // savepoint, rolled back when the answer is an error.
  Reply Call(Method method, const std::string& target, const Json& body = nullptr) {
    http::Request req;
    req.method = method;
    req.target = target;
    req.request_id = "t-1";
    req.remote_ip = "127.0.0.1";
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = target.substr(q + 1);
      for (std::size_t start = 0; start <= rest.size();) {
        auto end = rest.find('&', start);
        if (end == std::string::npos) end = rest.size();
        const std::string pair = rest.substr(start, end - start);
        const auto eq = pair.find('=');
        if (eq != std::string::npos) req.query[pair.substr(0, eq)] = pair.substr(eq + 1);
        start = end + 1;
      }
    }
    if (!body.is_null()) req.body = body.is_string() ? body.get<std::string>() : body.dump();
    for (const auto& r : routes_) {
      req.params.clear();
      if (r.method != method || !http::MatchPattern(r.pattern, req.path, req.params)) continue;
      if (!auth::Allows(who_.roles, r.permission)) return {403, nullptr};
      http::Response res;
      if (r.mode == http::Mode::kRead) {
        db_->Read([&](db::Transaction& tx) {
          http::Context ctx(req, who_, services_, &tx);
          res = r.handler(ctx);
        });
      } else {
        std::promise<void> done;
        db_->Submit({[&](db::Transaction& tx) {
                       http::Context ctx(req, who_, services_, &tx);
                       res = r.handler(ctx);
                       return res.status < 400;
                     },
                     [&](std::exception_ptr e) {
                       if (e) {
                         done.set_exception(e);
                       } else {
                         done.set_value();
                       }
                     }});
        done.get_future().get();
      }
      return {res.status, res.body.empty() ? Json() : Json::parse(res.body)};
    }
    ADD_FAILURE() << "no route for " << target;
    return {};
  }

  std::int64_t AuditCount(const std::string& action) {
    std::int64_t n = 0;
    db_->Read([&](db::Transaction& tx) {
      auto s = tx.Prepare("SELECT COUNT(*) FROM audit_log WHERE action = ?");
      s.Bind(action);
      s.Step();
      n = s.Int(0);
    });
    return n;
  }

  std::string InDays(int days) const { return FormatDate(Date{today_.days + days}); }

  Json Site(const std::string& code) {
    auto r = Call(Method::kPost, "/api/v1/sites",
                  {{"code", code},
                   {"name", "医院" + code},
                   {"level", "tertiary"},
                   {"kind", "hospital_department"},
                   {"beds", 800}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.body;
  }

  static bool Names(const Reply& r, const std::string& field, const std::string& rule) {
    if (!r.body.contains("error")) return false;
    for (const auto& f : r.body["error"]["fields"]) {
      if (f["field"] == field && f["rule"] == rule) return true;
    }
    return false;
  }

  std::unique_ptr<db::TestDatabase> test_db_;
  db::Database* db_ = nullptr;
  FakeClock clock_{kNow};
  std::unique_ptr<config::Settings> settings_;
  audit::ReadQueue read_audit_;
  http::Services services_;
  auth::Principal who_;
  std::vector<http::Route> routes_ = Routes();
  Date today_;
};

TEST_F(OrgRoutes, SitesAreCreatedCheckedVersionedAndAudited) {
  const Json site = Site("H1");
  EXPECT_EQ(site["code"], "H1");
  EXPECT_EQ(site["version"], 1);
  EXPECT_EQ(site["active"], true);
  EXPECT_EQ(site["created_at"], FormatInstant(kNow));

  auto dup =
      Call(Method::kPost, "/api/v1/sites",
           {{"code", "H1"}, {"name", "x"}, {"level", "primary"}, {"kind", "hospital_department"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.body["error"]["code"], "conflict");
  EXPECT_TRUE(Names(dup, "code", "unique"));

  auto beds = Call(Method::kPost, "/api/v1/sites",
                   {{"code", "H2"},
                    {"name", "x"},
                    {"level", "primary"},
                    {"kind", "hospital_department"},
                    {"beds", -3}});
  EXPECT_EQ(beds.status, 400);
  EXPECT_EQ(beds.body["error"]["code"], "validation_failed");
  EXPECT_TRUE(Names(beds, "beds", "min"));

  auto unknown = Call(Method::kPost, "/api/v1/sites",
                      {{"code", "H3"},
                       {"name", "x"},
                       {"level", "primary"},
                       {"kind", "hospital_department"},
                       {"colour", "red"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"]["code"], "unknown_field");
  EXPECT_TRUE(Names(unknown, "colour", "unknown_field"));

  auto missing = Call(Method::kPost, "/api/v1/sites", {{"level", "x"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(Names(missing, "code", "required"));
  EXPECT_TRUE(Names(missing, "kind", "required"));
  EXPECT_TRUE(Names(missing, "level", "enum"));

  const std::string url = "/api/v1/sites/" + site["id"].dump();
  auto no_version = Call(Method::kPatch, url, {{"beds", 900}});
  EXPECT_EQ(no_version.status, 400);
  EXPECT_TRUE(Names(no_version, "version", "required"));

  clock_.Advance(kMicrosPerMinute);
  auto ok = Call(Method::kPatch, url, {{"beds", 900}, {"active", false}, {"version", 1}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body["beds"], 900);
  EXPECT_EQ(ok.body["active"], false);
  EXPECT_EQ(ok.body["version"], 2);
  EXPECT_EQ(ok.body["updated_at"], FormatInstant(kNow + kMicrosPerMinute));

  auto stale = Call(Method::kPatch, url, {{"beds", 10}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["error"]["code"], "version_conflict");
  EXPECT_EQ(Call(Method::kGet, url).body["beds"], 900);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/sites/999").status, 404);

  EXPECT_EQ(AuditCount("site.create"), 1);
  EXPECT_EQ(AuditCount("site.update"), 1);
  const auto verified = audit::Verify(*db_);
  EXPECT_TRUE(verified.ok) << verified.reason;
  EXPECT_EQ(verified.checked, 2);
}

TEST_F(OrgRoutes, SiteListsPageByCursorAndFilter) {
  for (const char* code : {"A", "B", "C"}) Site(code);
  auto first = Call(Method::kGet, "/api/v1/sites?limit=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body["items"].size(), 2u);
  ASSERT_TRUE(first.body["next_cursor"].is_string());
  auto second = Call(
      Method::kGet, "/api/v1/sites?limit=2&cursor=" + first.body["next_cursor"].get<std::string>());
  EXPECT_EQ(second.body["items"].size(), 1u);
  EXPECT_EQ(second.body["items"][0]["code"], "C");
  EXPECT_TRUE(second.body["next_cursor"].is_null());
  EXPECT_EQ(Call(Method::kGet, "/api/v1/sites?limit=0").status, 400);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/sites?active=maybe").status, 400);
}

TEST_F(OrgRoutes, LicencesShowTheirValidityAndRaiseHomeAlerts) {
  const Json site = Site("H1");
  const std::string url = "/api/v1/sites/" + site["id"].dump() + "/licences";
  auto soon = Call(Method::kPost, url,
                   {{"type", "radiation_diagnosis"},
                    {"number", "RD-1"},
                    {"issuer", "市卫健委"},
                    {"issued_on", "2022-01-01"},
                    {"expires_on", InDays(30)}});
  ASSERT_EQ(soon.status, 201) << soon.body;
  EXPECT_EQ(soon.body["status"], "expiring");
  EXPECT_EQ(soon.body["days_left"], 30);
  EXPECT_EQ(soon.body["issued_on"], "2022-01-01");

  auto gone = Call(Method::kPost, url,
                   {{"type", "radiation_safety"}, {"number", "RS-1"}, {"expires_on", InDays(-1)}});
  EXPECT_EQ(gone.body["status"], "expired");
  auto fine = Call(Method::kPost, url,
                   {{"type", "large_equipment"}, {"number", "LE-1"}, {"expires_on", InDays(365)}});
  EXPECT_EQ(fine.body["status"], "valid");
  EXPECT_TRUE(fine.body["issued_on"].is_null());

  auto dup = Call(Method::kPost, url,
                  {{"type", "radiation_diagnosis"}, {"number", "RD-1"}, {"expires_on", InDays(9)}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_TRUE(Names(dup, "number", "unique"));
  auto backwards = Call(Method::kPost, url,
                        {{"type", "radiation_safety"},
                         {"number", "RS-2"},
                         {"issued_on", InDays(5)},
                         {"expires_on", InDays(4)}});
  EXPECT_EQ(backwards.status, 400);
  EXPECT_TRUE(Names(backwards, "expires_on", "min"));
  EXPECT_EQ(Call(Method::kPost, "/api/v1/sites/99/licences",
                 {{"type", "radiation_safety"}, {"number", "X"}, {"expires_on", InDays(4)}})
                .status,
            404);

  auto list = Call(Method::kGet, url);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 3u);

  auto home = Call(Method::kGet, "/api/v1/home");
  ASSERT_EQ(home.status, 200);
  ASSERT_EQ(home.body["alerts"].size(), 2u);
  EXPECT_EQ(home.body["alerts"][0]["kind"], "licence_expired");
  EXPECT_EQ(home.body["alerts"][0]["severity"], "danger");
  EXPECT_EQ(home.body["alerts"][1]["kind"], "licence_expiring");
  EXPECT_EQ(home.body["alerts"][1]["entity"], "licence");
  EXPECT_EQ(home.body["alerts"][1]["entity_id"], soon.body["id"]);
  EXPECT_EQ(home.body["alerts"][1]["site_id"], site["id"]);
  EXPECT_EQ(home.body["alerts"][1]["days_left"], 30);

  // A shorter alert window, in force from today, turns the 30-day licence valid.
  db_->Write([&](db::Transaction& tx) {
    ASSERT_TRUE(settings_->AddVersion(tx, "org.licence_alert_days", 20, today_, "test", 1));
  });
  EXPECT_EQ(Call(Method::kGet, url).body["items"][0]["status"], "valid");
  EXPECT_EQ(Call(Method::kGet, "/api/v1/home").body["alerts"].size(), 1u);

  // Deactivating (never deleting) a licence ends its alert.
  auto off = Call(Method::kPatch, "/api/v1/licences/" + gone.body["id"].dump(),
                  {{"active", false}, {"version", 1}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.body["version"], 2);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/home").body["alerts"].size(), 0u);
  auto moved = Call(Method::kPatch, "/api/v1/licences/" + gone.body["id"].dump(),
                    {{"site_id", 5}, {"version", 2}});
  EXPECT_TRUE(Names(moved, "site_id", "not_editable"));
  EXPECT_EQ(AuditCount("licence.create"), 3);
  EXPECT_EQ(AuditCount("licence.update"), 1);
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

TEST_F(OrgRoutes, RoomsBelongToAnExistingSiteWithUniqueCodes) {
  const Json a = Site("A");
  const Json b = Site("B");
  auto room = [&](const Json& site, const char* code, const char* modality) {
    return Call(Method::kPost, "/api/v1/rooms",
                {{"site_id", site["id"]},
                 {"code", code},
                 {"name", std::string("机房") + code},
                 {"modality", modality},
                 {"active", true}});
  };
  auto ct = room(a, "CT1", "CT");
  ASSERT_EQ(ct.status, 201) << ct.body;
  EXPECT_EQ(ct.body["modality"], "CT");
  EXPECT_EQ(ct.body["open_24h"], false);
  EXPECT_EQ(room(a, "CT1", "CT").status, 409);
  EXPECT_EQ(room(b, "CT1", "CT").status, 201);
  EXPECT_EQ(room(a, "MR1", "MR").status, 201);
  EXPECT_TRUE(Names(room(a, "X1", "PET"), "modality", "enum"));
  auto orphan = Call(Method::kPost, "/api/v1/rooms",
                     {{"site_id", 999}, {"code", "Z"}, {"name", "Z"}, {"modality", "DR"}});
  EXPECT_EQ(orphan.status, 400);
  EXPECT_TRUE(Names(orphan, "site_id", "reference"));

  EXPECT_EQ(Call(Method::kGet, "/api/v1/rooms?modality=CT").body["items"].size(), 2u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/rooms?site_id=" + a["id"].dump()).body["items"].size(), 2u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/rooms?modality=PET").status, 400);

  const std::string url = "/api/v1/rooms/" + ct.body["id"].dump();
  auto off = Call(Method::kPatch, url, {{"active", false}, {"open_24h", true}, {"version", 1}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.body["open_24h"], true);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/rooms?active=false").body["items"].size(), 1u);
  auto clash = Call(Method::kPatch, url, {{"code", "MR1"}, {"version", 2}});
  EXPECT_EQ(clash.status, 409);
  EXPECT_TRUE(Names(clash, "code", "unique"));
  auto null_name = Call(Method::kPatch, url, {{"name", nullptr}, {"version", 2}});
  EXPECT_TRUE(Names(null_name, "name", "required"));

  auto home = Call(Method::kGet, "/api/v1/home");
  EXPECT_EQ(home.body["counts"]["sites"], 2);
  EXPECT_EQ(home.body["counts"]["rooms"], 2);  // the CT room of A is inactive
  EXPECT_EQ(home.body["rooms_by_modality"], Json({{"CT", 1}, {"MR", 1}}));
}

TEST_F(OrgRoutes, StaffCarryRulesTitlesAndAuditedReads) {
  const Json site = Site("H1");
  Json zhang{{"site_id", site["id"]},
             {"employee_no", "1001"},
             {"name", "张三"},
             {"sex", "M"},
             {"category", "physician"},
             {"title", "resident"},
             {"title_effective_from", "2015-09-01"}};
  auto created = Call(Method::kPost, "/api/v1/staff", zhang);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body["title"], "resident");
  EXPECT_EQ(created.body["title_history"],
            Json::array({{{"title", "resident"}, {"effective_from", "2015-09-01"}}}));
  EXPECT_EQ(created.body["status"], "active");
  EXPECT_TRUE(created.body["radiation_work_since"].is_null());
  const std::string url = "/api/v1/staff/" + created.body["id"].dump();

  EXPECT_TRUE(Names(Call(Method::kPost, "/api/v1/staff", zhang), "employee_no", "unique"));
  Json bad = zhang;
  bad["employee_no"] = "1002";
  bad["title"] = "senior_technician";
  bad["trainee"] = true;
  bad["emergency_signoff"] = true;
  bad["radiation_worker"] = true;
  auto refused = Call(Method::kPost, "/api/v1/staff", bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Names(refused, "title", "category"));
  EXPECT_TRUE(Names(refused, "emergency_signoff", "trainee"));
  EXPECT_TRUE(Names(refused, "radiation_work_since", "required"));

  // Titles change by dated entries only.
  auto promoted = Call(Method::kPost, url + "/titles",
                       {{"title", "attending"}, {"effective_from", "2020-12-01"}});
  ASSERT_EQ(promoted.status, 201) << promoted.body;
  EXPECT_EQ(promoted.body["title"], "attending");
  EXPECT_EQ(promoted.body["title_history"].size(), 2u);
  EXPECT_EQ(promoted.body["version"], 2);
  auto same_day = Call(Method::kPost, url + "/titles",
                       {{"title", "associate_chief"}, {"effective_from", "2020-12-01"}});
  EXPECT_EQ(same_day.status, 409);
  EXPECT_TRUE(Names(same_day, "effective_from", "unique"));
  EXPECT_TRUE(
      Names(Call(Method::kPost, url + "/titles", {{"title", "chief_nurse"}}), "title", "category"));
  auto future = Call(Method::kPost, url + "/titles",
                     {{"title", "associate_chief"}, {"effective_from", InDays(10)}});
  EXPECT_EQ(future.body["title"], "attending");  // not yet in force

  auto retitle = Call(Method::kPatch, url, {{"title", "chief"}, {"version", 3}});
  EXPECT_TRUE(Names(retitle, "title", "not_editable"));
  auto patched = Call(Method::kPatch, url,
                      {{"radiation_worker", true},
                       {"radiation_work_since", "2016-03-01"},
                       {"dosimeter_id", "D-77"},
                       {"version", 3}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.body["radiation_work_since"], "2016-03-01");
  EXPECT_EQ(
      Call(Method::kPatch, url, {{"trainee", true}, {"emergency_signoff", true}, {"version", 4}})
          .status,
      400);
  EXPECT_EQ(Call(Method::kPatch, url, {{"status", "left"}, {"version", 3}}).status, 409);

  Json li = zhang;
  li["employee_no"] = "T-01";
  li["name"] = "李四";
  li["category"] = "technologist";
  li["title"] = nullptr;
  li.erase("title_effective_from");
  li["trainee"] = true;
  li["status"] = nullptr;  // keeps the default
  ASSERT_EQ(Call(Method::kPost, "/api/v1/staff", li).status, 201);

  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?q=张").body["items"].size(), 1u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?q=T-0").body["items"].size(), 1u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?trainee=true").body["items"][0]["name"], "李四");
  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?status=active").body["items"].size(), 2u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?radiation_worker=true").body["items"].size(), 1u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?category=nurse").body["items"].size(), 0u);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/staff?status=gone").status, 400);
  EXPECT_EQ(read_audit_.Size(), 0u);  // lists are not single-record reads
  auto one = Call(Method::kGet, url);
  EXPECT_EQ(one.body["name"], "张三");
  EXPECT_EQ(read_audit_.Size(), 1u);

  auto home = Call(Method::kGet, "/api/v1/home");
  EXPECT_EQ(home.body["counts"]["staff"], 2);
  EXPECT_EQ(home.body["counts"]["trainees"], 1);
  EXPECT_EQ(home.body["counts"]["radiation_workers"], 1);
  EXPECT_EQ(home.body["staff_by_category"], Json({{"physician", 1}, {"technologist", 1}}));
  EXPECT_EQ(AuditCount("staff.create"), 2);
  EXPECT_EQ(AuditCount("staff.title"), 2);
  EXPECT_EQ(AuditCount("staff.update"), 1);
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

TEST_F(OrgRoutes, CertificatesAndWhatEachRoleSeesOnHome) {
  const Json site = Site("H1");
  auto staff = Call(Method::kPost, "/api/v1/staff",
                    {{"site_id", site["id"]},
                     {"employee_no", "9"},
                     {"name", "王五"},
                     {"sex", "F"},
                     {"category", "nurse"},
                     {"title", "senior_nurse"}});
  ASSERT_EQ(staff.status, 201) << staff.body;
  EXPECT_EQ(staff.body["title_history"][0]["effective_from"], FormatDate(today_));
  const std::string url = "/api/v1/staff/" + staff.body["id"].dump() + "/certificates";
  auto cert = Call(Method::kPost, url,
                   {{"type", "practising_licence"},
                    {"number", "P-1"},
                    {"registrations", {"市一院", " 市二院 "}},
                    {"expires_on", InDays(15)}});
  ASSERT_EQ(cert.status, 201) << cert.body;
  EXPECT_EQ(cert.body["status"], "expiring");
  EXPECT_EQ(cert.body["days_left"], 15);
  EXPECT_EQ(cert.body["registrations"], Json({"市一院", "市二院"}));
  auto open = Call(Method::kPost, url, {{"type", "cpr"}, {"number", "C-1"}});
  EXPECT_EQ(open.body["status"], "valid");
  EXPECT_TRUE(open.body["days_left"].is_null());
  EXPECT_EQ(Call(Method::kPost, url, {{"type", "cpr"}, {"number", ""}}).status, 400);
  EXPECT_EQ(Call(Method::kGet, url).body["items"].size(), 2u);
  auto cleared = Call(Method::kPatch, "/api/v1/certificates/" + cert.body["id"].dump(),
                      {{"expires_on", nullptr}, {"version", 1}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.body["expires_on"].is_null());
  auto renewed = Call(Method::kPatch, "/api/v1/certificates/" + cert.body["id"].dump(),
                      {{"expires_on", InDays(-2)}, {"version", 2}});
  EXPECT_EQ(renewed.body["status"], "expired");
  Call(Method::kPost, "/api/v1/sites/" + site["id"].dump() + "/licences",
       {{"type", "radiation_safety"}, {"number", "RS"}, {"expires_on", InDays(40)}});
  db_->Write([](db::Transaction& tx) {
    tx.Exec(
        "INSERT INTO users (username, display_name, password_hash, admin_locked, created_at, "
        "updated_at) VALUES ('locked', '锁定用户', 'x', 1, 0, 0)");
  });

  auto admin = Call(Method::kGet, "/api/v1/home").body;
  EXPECT_EQ(admin["counts"]["users"], 2);
  EXPECT_EQ(admin["counts"]["locked_users"], 1);
  ASSERT_EQ(admin["alerts"].size(), 3u);
  EXPECT_EQ(admin["alerts"][0]["kind"], "certificate_expired");
  EXPECT_EQ(admin["alerts"][0]["site_id"], site["id"]);
  EXPECT_EQ(admin["alerts"][1]["kind"], "licence_expiring");
  EXPECT_EQ(admin["alerts"][2]["kind"], "user_locked");

  who_.roles = {"safety_officer"};  // org.read and staff.read, not users.read
  auto officer = Call(Method::kGet, "/api/v1/home").body;
  EXPECT_TRUE(officer["counts"].contains("staff"));
  EXPECT_FALSE(officer["counts"].contains("users"));
  EXPECT_EQ(officer["alerts"].size(), 2u);

  who_.roles = {"technologist"};  // org.read only
  auto tech = Call(Method::kGet, "/api/v1/home").body;
  EXPECT_EQ(tech["counts"], Json({{"sites", 1}, {"rooms", 0}}));
  EXPECT_FALSE(tech.contains("staff_by_category"));
  ASSERT_EQ(tech["alerts"].size(), 1u);
  EXPECT_EQ(tech["alerts"][0]["kind"], "licence_expiring");
  EXPECT_EQ(Call(Method::kGet, url).status, 403);
  EXPECT_EQ(AuditCount("certificate.update"), 2);
  EXPECT_TRUE(audit::Verify(*db_).ok);
}

}  // namespace
}  // namespace radqs::org
