// radqs: the one binary of the system. `radqs --help` documents every command and setting.
#include <CLI/CLI.hpp>

#include <iostream>

#include "main/app.h"
#include "platform/crypto.h"

namespace {

constexpr const char* kEnvHelp = R"(
Settings come from --config FILE (TOML) and then these environment variables:
  RADQS_ADDRESS         listen address                [server] address      (127.0.0.1)
  RADQS_PORT            listen port, 0 = any free one [server] port         (8080)
  RADQS_DATABASE        SQLite database file          [database] path       (var/radqs.db)
  RADQS_DATABASE_URL    PostgreSQL instead, e.g. postgresql://radqs@db.example.org/radqs
                                                      [database] url        (none: SQLite)
  RADQS_WEB_ROOT        web UI build directory        [server] web_root     (web/dist)
  RADQS_IO_THREADS      I/O threads, 0 = one per core [server] io_threads   (0)
  RADQS_DB_THREADS      database threads, 0 = cores   [database] threads    (0)
  RADQS_MAX_BODY_BYTES  largest request body          [server] max_body_bytes (1048576)
  RADQS_REQUEST_TIMEOUT seconds to read a request     [server] request_timeout_seconds (30)
  RADQS_MAX_CONNECTIONS open connections at most; beyond: 503  [server] max_connections (4096)
  RADQS_TLS_CERT        HTTPS certificate chain (PEM)  [server] tls_cert     (none: plain HTTP)
  RADQS_TLS_KEY         HTTPS private key (PEM)        [server] tls_key      (set with tls_cert)
  RADQS_PUBLIC_URL      address users reach, e.g. https://radqs.example.org behind a proxy;
                        https: Secure cookie and HSTS  [server] public_url   (none)
  RADQS_METRICS_TOKEN   bearer token for /metrics      [server] metrics_token (none: 127.0.0.1 only)
  RADQS_STREAM_BUFFER_BYTES  event stream backlog before a slow client is dropped
                                                       [server] stream_buffer_bytes (262144)
  RADQS_STREAM_WRITE_TIMEOUT seconds an event stream write may take
                                                       [server] stream_write_timeout_seconds (10)
  RADQS_PASSWORD_HASH   argon2id cost: interactive | moderate | minimum  [auth] password_hash
  RADQS_HASH_THREADS    threads that hash passwords [auth] hash_threads   (1)
  RADQS_ACCESS_LOG      1 logs every request          [server] access_log   (0)
  RADQS_LOG_LEVEL       debug | info | warn | error   [log] level           (info)
  RADQS_AUDIT_KEY_FILE  audit trail key (keep apart)  [audit] key_file      (audit.key beside the database)
  RADQS_AUDIT_ANCHOR_FILE  audit anchors, appended    [audit] anchor_file   (audit-anchors.jsonl beside it)
)";

}  // namespace

int main(int argc, char** argv) {
  radqs::crypto::Init();
  CLI::App cli{"RadQS 放射科医疗质量与安全管理系统 — radiology quality and safety management"};
  cli.footer(kEnvHelp);
  cli.require_subcommand(1);
  std::optional<std::string> config_path;
  cli.add_option("--config", config_path, "TOML configuration file");
  std::optional<int> port;
  std::optional<std::string> database, address;
  cli.add_option("--port", port, "listen port (overrides RADQS_PORT)");
  cli.add_option("--address", address, "listen address (overrides RADQS_ADDRESS)");
  cli.add_option("--database", database, "database file (overrides RADQS_DATABASE)");

  auto* serve = cli.add_subcommand("serve", "run the server (HTTP API and web UI)");
  auto* init = cli.add_subcommand("init",
                                  "create the database, the first administrator and, "
                                  "with --demo, demo data");
  std::optional<std::string> demo_size, admin_password;
  std::uint64_t seed = 20261123;
  init->add_option("--demo", demo_size, "also generate demo data: small | medium | large")
      ->check(CLI::IsMember({"small", "medium", "large"}));
  init->add_option("--admin-password", admin_password,
                   "password of the first administrator (default: printed, random)");
  init->add_option("--seed", seed, "demo data seed (same seed, same data)");
  auto* migrate = cli.add_subcommand("migrate", "apply pending schema migrations");
  auto* demo = cli.add_subcommand("demo", "generate demo data into the database");
  std::string size = "small";
  demo->add_option("--size", size, "small | medium | large")
      ->check(CLI::IsMember({"small", "medium", "large"}));
  demo->add_option("--seed", seed, "seed (same seed, same data)");

  auto* user = cli.add_subcommand("user", "manage user accounts");
  user->require_subcommand(1);
  radqs::app::UserCommand uc;
  auto* user_add = user->add_subcommand("add", "create a user");
  user_add->add_option("username", uc.username)->required();
  user_add->add_option("--name", uc.display_name, "display name (default: username)");
  user_add->add_option("--role", uc.roles, "role key, repeatable (e.g. --role admin)")->required();
  user_add->add_option("--password", uc.password, "password (default: asked on standard input)");
  auto* user_passwd = user->add_subcommand("passwd", "set a user's password");
  user_passwd->add_option("username", uc.username)->required();
  user_passwd->add_option("--password", uc.password, "password (default: standard input)");
  auto* user_lock = user->add_subcommand("lock", "lock a user and end their sessions");
  user_lock->add_option("username", uc.username)->required();
  auto* user_unlock = user->add_subcommand("unlock", "unlock a user");
  user_unlock->add_option("username", uc.username)->required();

  auto* audit = cli.add_subcommand("audit", "audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify",
                                       "check the hash chain; exit 1 naming the "
                                       "first bad entry");
  std::optional<std::string> anchor_in, anchor_out;
  verify->add_option("--anchor", anchor_in,
                     "also check the anchors in FILE (written by `audit anchor`)");
  auto* anchor = audit->add_subcommand("anchor",
                                       "append the chain head (sequence, hash, time) to the "
                                       "anchor file and the log");
  anchor->add_option("--out", anchor_out, "anchor file (default: [audit] anchor_file)");
  std::string path;
  auto* backup = cli.add_subcommand("backup", "online, consistent copy of the database");
  backup->add_option("file", path, "new file to write")->required();
  auto* restore = cli.add_subcommand("restore",
                                     "replace the database with a backup (server "
                                     "stopped)");
  restore->add_option("file", path, "backup file")->required();
  std::string target_url;
  auto* copy_to = cli.add_subcommand(
      "copy-to", "copy this SQLite database into an empty PostgreSQL database (moving up)");
  copy_to->add_option("url", target_url, "postgresql://user@host:port/db")->required();

  CLI11_PARSE(cli, argc, argv);

  auto loaded = radqs::config::LoadConfig(config_path);
  if (!loaded) {
    std::cerr << "configuration: " << loaded.error().message << "\n";
    return 2;
  }
  radqs::config::Config c = *loaded;
  if (port) c.port = *port;
  if (address) c.address = *address;
  if (database) c.database = *database;

  try {
    if (*serve) return radqs::app::Serve(c);
    if (*init) return radqs::app::Init(c, demo_size, seed, admin_password);
    if (*migrate) return radqs::app::Migrate(c);
    if (*demo) return radqs::app::Demo(c, size, seed);
    if (*verify) return radqs::app::AuditVerify(c, anchor_in);
    if (*anchor) return radqs::app::AuditAnchor(c, anchor_out);
    if (*backup) return radqs::app::Backup(c, path);
    if (*restore) return radqs::app::Restore(c, path);
    if (*copy_to) return radqs::app::CopyTo(c, target_url);
    for (auto [sub, name] : {std::pair{user_add, "add"}, std::pair{user_passwd, "passwd"},
                             std::pair{user_lock, "lock"}, std::pair{user_unlock, "unlock"}}) {
      if (*sub) {
        uc.action = name;
        return radqs::app::User(c, uc);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "radqs: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
