#include "main/app.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <unistd.h>
#include <optional>
#include <thread>

#include "demo/demo.h"
#include "exam/acquisition.h"
#include "exam/catalogue.h"
#include "exam/exam.h"
#include "exam/patient.h"
#include "main/app_internal.h"
#include "main/database_lock.h"
#include "org/directory.h"
#include "org/org.h"
#include "platform/audit/anchor.h"
#include "platform/audit/audit.h"
#include "platform/auth/auth.h"
#include "platform/config/settings.h"
#include "platform/crypto.h"
#include "platform/db/migrations.h"
#include "platform/http/server.h"
#include "platform/jobs/jobs.h"
#include "platform/list_exports.h"
#include "platform/log.h"
#include "platform/platform_routes.h"
#include "safety/safety_event.h"

namespace radqs::app {
namespace {

int Cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace

void Prepare(const config::Config& c) {
  if (c.log_level == "debug") log::SetMinimumLevel(log::Level::kDebug);
  if (c.log_level == "warn") log::SetMinimumLevel(log::Level::kWarn);
  if (c.log_level == "error") log::SetMinimumLevel(log::Level::kError);
  auth::SetPasswordCost(*auth::ParsePasswordCost(c.password_hash));
  // spec: domain.md §2 — a recorded extravasation also opens a safety event.
  exam::SetExtravasationListener(&safety::ReportExtravasation);
}

bool OnPostgres(const config::Config& c) { return !c.database_url.empty(); }

std::string DatabaseLabel(const config::Config& c) {
  if (!OnPostgres(c)) return c.database;
  // postgresql://user:secret@host/db → postgresql://user@host/db; key=value: password=… dropped.
  std::string url = c.database_url;
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    const auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) url.erase(colon, at - colon);
  }
  if (const auto p = url.find("password="); p != std::string::npos) {
    url.erase(p, url.find(' ', p) == std::string::npos ? std::string::npos : url.find(' ', p) - p);
  }
  return url;
}

namespace {
std::unique_ptr<db::Database> OpenDatabase(const config::Config& c, int readers) {
  if (OnPostgres(c)) {
    db::PostgresOptions o;
    o.url = c.database_url;
    o.readers = readers;
    o.writers = c.db_writers;
    return db::OpenPostgres(o);
  }
  const auto dir = std::filesystem::path(c.database).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  db::SqliteOptions o;
  o.path = c.database;
  o.readers = readers;
  return db::OpenSqlite(o);
}
}  // namespace

std::unique_ptr<db::Database> OpenExisting(const config::Config& c) { return OpenDatabase(c, 1); }

std::unique_ptr<db::Database> Open(const config::Config& c) {
  Prepare(c);
  // The audit key and anchors live beside the SQLite file, or in its directory on PostgreSQL.
  const auto dir = std::filesystem::path(c.database).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  auto database = OpenDatabase(c, c.db_threads > 0 ? c.db_threads : Cores());
  db::Migrate(*database, db::MigrationsFor(database->Dialect()));
  UseAuditKey(c, *database);
  if (const auto filled = exam::FillMissingPinyin(*database)) {
    log::Info("patients: pinyin search forms added to {} records", filled);
  }
  return database;
}

void SystemAudit(db::Database& database, const std::string& action, const std::string& entity,
                 const std::string& entity_id, const std::string& detail) {
  audit::Entry e;
  e.at = SystemClock().Now();
  const char* who = std::getenv("USER");
  e.actor = std::string("cli:") + (who != nullptr ? who : "unknown");
  if (action.starts_with("server.")) e.actor = "system";
  e.action = action;
  e.entity = entity;
  e.entity_id = entity_id;
  e.detail = detail;
  database.Write([&](db::Transaction& tx) { audit::Append(tx, e); });
}

namespace {

// Read-access entries are queued for up to a second; after a crash the last second may be
// missing, which is said in the log and in the trail itself (architecture.md "Audit chain").
void NoteStart(db::Database& database) {
  std::string last;
  database.Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT action FROM audit_log WHERE action LIKE 'server.%' ORDER BY seq DESC LIMIT 1");
    if (s.Step()) last = s.Text(0);
  });
  if (last == "server.start") {
    log::Warn(
        "the previous run did not stop cleanly: up to one second of read-access audit "
        "entries may be missing");
    SystemAudit(database, "server.unclean_stop", "server", "",
                "previous run ended without a clean stop; up to 1 s of read-access entries may "
                "be lost");
  }
  SystemAudit(database, "server.start", "server", "", "");
}

std::string ReadPassword(const std::optional<std::string>& given) {
  if (given) return *given;
  std::string line;
  std::cerr << "password: ";
  std::getline(std::cin, line);
  return line;
}

}  // namespace

namespace {
// This server among several: host and process, as claimed_by shows it.
std::string WorkerName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "server");
  return std::string(host) + ":" + std::to_string(::getpid());
}
}  // namespace

int Serve(const config::Config& c) {
  // One server per SQLite file; on PostgreSQL several servers share the database.
  std::optional<DatabaseLock> lock;
  if (!OnPostgres(c)) lock.emplace(c.database);
  if (lock && !lock->held()) {
    std::cerr << "another radqs server is using " << c.database << "\n";
    return 1;
  }
  auto database = Open(c);
  SystemClock clock;
  config::Settings settings(*database, clock);
  audit::ReadQueue reads;
  reads.Attach(*database);
  notify::EventHub events;
  http::Services services{database.get(), &clock, &settings, &reads, &events, nullptr};
  auth::Authenticator authenticator(services);
  services.on_user_changed = [&authenticator](std::int64_t id) { authenticator.ForgetUser(id); };

  std::vector<http::Route> routes = auth::Routes({.staff_exists = org::StaffExists,
                                                  .site_exists = org::SiteExists,
                                                  .department_active = org::DepartmentActive});
  for (auto& r : platform::Routes()) routes.push_back(std::move(r));
  for (auto& r : org::Routes()) routes.push_back(std::move(r));
  for (auto* module :
       {&exam::PatientRoutes, &exam::CatalogueRoutes, &exam::OrderRoutes, &exam::ScreeningRoutes,
        &exam::ScheduleRoutes, &exam::TodayRoutes, &exam::AcquisitionRoutes}) {
    for (auto& r : (*module)()) routes.push_back(std::move(r));
  }
  for (auto& r : safety::SafetyEventRoutes()) routes.push_back(std::move(r));
  for (auto* module :
       {&platform::ListExports, &org::ListExports, &exam::ListExports, &safety::ListExports}) {
    http::AttachExports(routes, (*module)());
  }

  http::ServerOptions o;
  o.address = c.address;
  o.port = static_cast<std::uint16_t>(c.port);
  o.io_threads = c.io_threads > 0 ? c.io_threads : Cores();
  o.db_threads = c.db_threads > 0 ? c.db_threads : Cores();
  o.credential_threads = c.hash_threads;
  o.max_body_bytes = static_cast<std::size_t>(c.max_body_bytes);
  o.request_timeout_seconds = c.request_timeout_seconds;
  o.max_connections = c.max_connections;
  o.tls_cert = c.tls_cert;
  o.tls_key = c.tls_key;
  o.public_url = c.public_url;
  o.metrics_token = c.metrics_token;
  o.stream_buffer_bytes = static_cast<std::size_t>(c.stream_buffer_bytes);
  o.stream_write_timeout_seconds = c.stream_write_timeout_seconds;
  o.web_root = c.web_root;
  o.access_log = c.access_log;
  // Background jobs: every server runs them; the database sees to it that each runs once.
  jobs::Runner runner(*database, clock, {.worker = WorkerName()});
  services.more_metrics = [&runner] { return jobs::MetricsText(runner.Stats()); };
  http::Server server(o, services, std::move(routes), authenticator);
  const auto port = server.Listen();
  NoteStart(*database);
  audit::ChainWatch watch(*database, clock, config::AuditAnchorPath(c), std::chrono::hours(24));
  runner.Start();
  std::cout << "RadQS listening on " << (server.Tls() ? "https" : "http") << "://" << c.address
            << ":" << port << "/" << std::endl;
  server.Run();
  runner.Stop();
  SystemAudit(*database, "server.stop", "server", "", "");
  database->Close();
  return 0;
}

int Migrate(const config::Config& c) {
  auto database = Open(c);
  std::cout << "schema version " << db::SchemaVersion(*database) << "\n";
  return 0;
}

int Init(const config::Config& c, const std::optional<std::string>& demo_size, std::uint64_t seed,
         const std::optional<std::string>& admin_password) {
  auto database = Open(c);
  std::int64_t users = 0;
  database->Read([&](db::Transaction& tx) {
    auto s = tx.Prepare("SELECT COUNT(*) FROM users");
    s.Step();
    users = s.Int(0);
  });
  if (users == 0 && (!demo_size || admin_password)) {
    const std::string password = admin_password.value_or(crypto::RandomToken(9) + "Za7");
    UserCommand add{"add", "admin", "系统管理员", {"admin"}, password};
    if (int rc = User(c, add); rc != 0) return rc;
    if (!admin_password) std::cout << "administrator: admin / " << password << "\n";
  }
  if (demo_size) {
    bool has_sites = false;
    database->Read([&](db::Transaction& tx) {
      auto s = tx.Prepare("SELECT 1 FROM sites LIMIT 1");
      has_sites = s.Step();
    });
    if (!has_sites) return Demo(c, *demo_size, seed);
  }
  std::cout << "database ready: " << DatabaseLabel(c) << "\n";
  return 0;
}

int Demo(const config::Config& c, const std::string& size, std::uint64_t seed) {
  auto database = Open(c);
  SystemClock clock;
  const auto sum = demo::Generate(*database, clock, demo::SizeNamed(size), seed);
  std::cout << "demo data (" << size << ", seed " << seed << "): " << sum.sites << " sites, "
            << sum.rooms << " rooms, " << sum.staff << " staff, " << sum.licences << " licences, "
            << sum.certificates << " certificates, " << sum.catalogue_items << " catalogue items, "
            << sum.patients << " patients, " << sum.exams << " exams, " << sum.rejects
            << " rejects, " << sum.safety_events << " safety events\n";
  std::cout << "demo logins (password " << demo::kDemoPassword << "):\n";
  for (const auto& l : sum.logins) {
    std::cout << "  " << l.username << "\t" << l.role << "\t" << l.display_name << "\n";
  }
  return 0;
}

// The password policy of the settings in force, as the API applies it; prints why not.
bool PasswordAllowed(db::Database& database, const std::string& password,
                     const std::string& username, bool admin) {
  SystemClock clock;
  config::Settings settings(database, clock);
  const auto policy =
      auth::PasswordPolicyFrom([&](std::string_view key) { return settings.Int(key); }, admin);
  const auto errors = auth::CheckPasswordPolicy(password, policy, username, "password");
  if (!errors.empty()) std::cerr << "password " << errors.front().message << "\n";
  return errors.empty();
}

int User(const config::Config& c, const UserCommand& cmd) {
  auto database = Open(c);
  const Micros now = SystemClock().Now();
  std::optional<std::int64_t> id;
  database->Read([&](db::Transaction& tx) {
    auto s = tx.Prepare("SELECT id FROM users WHERE username = ?");
    s.Bind(cmd.username);
    if (s.Step()) id = s.Int(0);
  });
  if (cmd.action == "add") {
    if (id) {
      std::cerr << "user " << cmd.username << " already exists\n";
      return 1;
    }
    for (const auto& r : cmd.roles) {
      if (!auth::IsRole(r)) {
        std::cerr << "unknown role " << r << "\n";
        return 1;
      }
    }
    const std::string password = ReadPassword(cmd.password);
    const bool admin = std::find(cmd.roles.begin(), cmd.roles.end(), "admin") != cmd.roles.end();
    if (!PasswordAllowed(*database, password, cmd.username, admin)) return 1;
    const std::string hash = auth::HashPassword(password);
    database->Write([&](db::Transaction& tx) {
      auto s = tx.Prepare(
          "INSERT INTO users (username, display_name, password_hash, password_changed_at, "
          "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
      s.Bind(cmd.username, cmd.display_name.empty() ? cmd.username : cmd.display_name, hash, now,
             now, now);
      s.Step();
      id = s.Int(0);
      for (const auto& r : cmd.roles) {
        tx.Exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING", *id,
                r);
      }
    });
    SystemAudit(*database, "user.create", "user", std::to_string(*id), "via CLI");
    std::cout << "created user " << cmd.username << "\n";
    return 0;
  }
  if (!id) {
    std::cerr << "no user " << cmd.username << "\n";
    return 1;
  }
  if (cmd.action == "passwd") {
    const std::string password = ReadPassword(cmd.password);
    bool admin = false;
    database->Read([&](db::Transaction& tx) {
      const auto roles = auth::LoadRoles(tx, *id);
      admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
    });
    if (!PasswordAllowed(*database, password, cmd.username, admin)) return 1;
    const std::string hash = auth::HashPassword(password);
    database->Write([&](db::Transaction& tx) {
      tx.Exec(
          "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?, "
          "version = version + 1 WHERE id = ?",
          hash, now, now, *id);
      tx.Exec(
          "UPDATE sessions SET ended_at = ?, ended_reason = 'password_reset' WHERE user_id "
          "= ? AND ended_at IS NULL",
          now, *id);
    });
  } else {
    const bool lock = cmd.action == "lock";
    database->Write([&](db::Transaction& tx) {
      if (lock) {
        tx.Exec("UPDATE users SET admin_locked = 1, version = version + 1 WHERE id = ?", *id);
        tx.Exec(
            "UPDATE sessions SET ended_at = ?, ended_reason = 'locked' WHERE user_id = ? "
            "AND ended_at IS NULL",
            now, *id);
      } else {
        tx.Exec(
            "UPDATE users SET admin_locked = 0, locked_until = NULL, failed_logins = 0, "
            "version = version + 1 WHERE id = ?",
            *id);
      }
    });
  }
  SystemAudit(*database,
              "user." + std::string(cmd.action == "passwd" ? "password_reset" : cmd.action), "user",
              std::to_string(*id), "via CLI");
  std::cout << cmd.action << ": " << cmd.username << " done\n";
  return 0;
}

}  // namespace radqs::app
