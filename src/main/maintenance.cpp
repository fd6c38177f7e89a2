// The CLI commands that guard the database file and its audit trail: audit verify and anchor,
// backup, restore — spec: domain.md §9; docs/deployment.md "Audit trail key and anchors".
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "main/app.h"
#include "main/app_internal.h"
#include "main/database_lock.h"
#include "platform/audit/anchor.h"
#include "platform/audit/audit.h"
#include "platform/db/copy.h"
#include "platform/db/migrations.h"
#include "platform/log.h"

namespace radqs::app {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<db::Database> OpenPlain(const std::string& path) {
  db::SqliteOptions o;
  o.path = path;
  o.readers = 1;
  return db::OpenSqlite(o);
}

// False, having said why, when the configured SQLite file is missing (PostgreSQL: connects).
bool DatabaseThere(const config::Config& c) {
  if (OnPostgres(c) || fs::exists(c.database)) return true;
  std::cerr << "no database at " << c.database << "\n";
  return false;
}

// What a PostgreSQL installation uses instead of radqs backup / restore.
int UsePgTools(const config::Config& c, bool backup, const std::string& file) {
  const std::string url = DatabaseLabel(c);
  std::cerr << "radqs " << (backup ? "backup" : "restore")
            << " copies SQLite files; this installation runs on PostgreSQL (" << url << ").\n"
            << (backup ? "Back it up with pg_dump, which reads one consistent snapshot while the "
                         "servers go on:\n  pg_dump --format=custom --file='" +
                             file + "' '" + url + "'\n"
                       : "Stop every radqs server, then restore into an empty database with:\n"
                         "  pg_restore --clean --if-exists --no-owner --dbname='" +
                             url + "' '" + file + "'\nand check the trail: radqs audit verify\n");
  return 2;
}

// A database file with its write-ahead log and shared-memory index, moved as one: the log
// holds committed writes that are not in the main file yet (after a crash, all of them).
void MoveWithLog(const std::string& from, const std::string& to) {
  fs::rename(from, to);
  for (const char* ext : {"-wal", "-shm"}) {
    if (fs::exists(from + ext)) fs::rename(from + ext, to + ext);
  }
}

void RemoveWithLog(const std::string& path) {
  for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path + ext);
}

std::string Describe(const audit::VerifyResult& r) {
  return "entry " + std::to_string(r.first_bad_seq.value_or(0)) + ": " + r.reason;
}

// The trail of a backup about to be restored: chain, tags (with this installation's key) and
// the anchored entries it contains. Empty when it may be restored, else why not.
std::string CheckBackup(const config::Config& c, const std::string& staged) {
  auto backup = OpenPlain(staged);
  audit::VerifyOptions o;
  const auto key = audit::ReadKey(config::AuditKeyPath(c));
  o.key = key ? &*key : nullptr;
  const auto anchors = config::AuditAnchorPath(c);
  if (fs::exists(anchors)) o.anchors = audit::ReadAnchors(anchors);
  o.anchors_may_be_ahead = true;  // a backup is older than the newest anchors
  const auto r = audit::Verify(*backup, o);
  if (!r.ok) return "the backup's audit chain is broken at " + Describe(r);
  if (!r.tags_checked) {
    return "the backup's audit entries are keyed but there is no key file at " +
           config::AuditKeyPath(c) + " (put the installation's key there first)";
  }
  return {};
}

}  // namespace

void UseAuditKey(const config::Config& c, db::Database& database) {
  const std::string path = config::AuditKeyPath(c);
  auto key = audit::ReadKey(path);
  if (!key) {
    if (audit::HasTaggedEntries(database)) {
      throw std::runtime_error("the audit trail is keyed but its key file " + path +
                               " is missing: put it back from its backup "
                               "(docs/deployment.md \"Audit trail key and anchors\")");
    }
    key = audit::CreateKey(path, audit::Head(database, 0).seq + 1);
    log::Info("audit key created at {}: back it up apart from the database", path);
  }
  audit::UseKey(std::move(key));
}

int AuditVerify(const config::Config& c, const std::optional<std::string>& anchor_file) {
  if (!DatabaseThere(c)) return 2;
  if (anchor_file && !fs::exists(*anchor_file)) {
    std::cerr << "no anchor file at " << *anchor_file << "\n";
    return 2;
  }
  Prepare(c);
  auto database = OpenExisting(c);
  audit::VerifyOptions o;
  const auto key = audit::ReadKey(config::AuditKeyPath(c));
  o.key = key ? &*key : nullptr;
  if (anchor_file) o.anchors = audit::ReadAnchors(*anchor_file);
  const auto r = audit::Verify(*database, o);
  if (!r.ok) {
    std::cout << "audit chain BROKEN at " << Describe(r) << " (" << r.checked << " entries read)\n";
    return 1;
  }
  if (!r.tags_checked) {
    std::cout << "audit chain hashes OK: " << r.checked << " entries, " << r.anchors_checked
              << " anchors; but " << r.tagged << " entries carry keyed tags and there is no key "
              << "file at " << config::AuditKeyPath(c) << " to check them\n";
    return 2;
  }
  std::cout << "audit chain OK: " << r.checked << " entries (" << (key ? r.tagged : 0)
            << " keyed tags, " << r.anchors_checked << " anchors checked)\n";
  return 0;
}

int AuditAnchor(const config::Config& c, const std::optional<std::string>& out) {
  if (!DatabaseThere(c)) return 2;
  Prepare(c);
  auto database = OpenExisting(c);
  const auto key = audit::ReadKey(config::AuditKeyPath(c));
  audit::VerifyOptions o;
  o.key = key ? &*key : nullptr;
  // An anchor vouches for the chain up to its head: never anchor a broken one.
  if (const auto r = audit::Verify(*database, o); !r.ok) {
    std::cout << "audit chain BROKEN at " << Describe(r) << "; not anchored\n";
    return 1;
  }
  const std::string file = out.value_or(config::AuditAnchorPath(c));
  const auto a = audit::Head(*database, SystemClock().Now());
  audit::AppendAnchor(file, a);
  log::Info("audit anchor {}", audit::FormatAnchor(a));
  std::cout << "anchor appended to " << file << ": " << audit::FormatAnchor(a) << "\n";
  return 0;
}

int Backup(const config::Config& c, const std::string& to) {
  if (OnPostgres(c)) return UsePgTools(c, true, to);
  if (fs::exists(to)) {
    std::cerr << "refusing to overwrite " << to << "\n";
    return 1;
  }
  auto database = Open(c);
  database->BackupTo(to);
  SystemAudit(*database, "database.backup", "database", "", "to " + to);
  std::cout << "backup written: " << to << "\n";
  return 0;
}

int Restore(const config::Config& c, const std::string& from) {
  if (OnPostgres(c)) return UsePgTools(c, false, from);
  if (!fs::is_regular_file(from)) {
    std::cerr << "no backup file at " << from << ": nothing restored\n";
    return 2;
  }
  DatabaseLock lock(c.database);
  if (!lock.held()) {
    std::cerr << "stop the radqs server using " << c.database << " before restoring\n";
    return 1;
  }
  const std::string real = lock.real_path();
  // The backup is checked as the copy that will be put in place, so the source is never
  // touched and what was checked is what is restored.
  const std::string staged = real + ".restoring";
  RemoveWithLog(staged);
  fs::copy_file(from, staged);
  std::string refused;
  try {
    refused = CheckBackup(c, staged);
  } catch (const std::exception& e) {
    refused = from + " is not a readable RadQS database (" + e.what() + ")";
  }
  if (!refused.empty()) {
    RemoveWithLog(staged);
    std::cerr << refused << "; not restored\n";
    return 1;
  }
  // The current file is kept beside the restored one, never deleted, with its write-ahead log:
  // after a crash that log holds acknowledged writes. Opening and closing it first folds the
  // log into the file, so the kept file stands on its own.
  if (fs::exists(real)) {
    try {
      OpenPlain(real)->Close();
    } catch (const std::exception& e) {
      log::Warn("could not checkpoint {} before keeping it: {}", real, e.what());
    }
    const std::string base =
        real + ".before-restore-" + std::to_string(SystemClock().Now() / kMicrosPerSecond);
    std::string kept = base;
    for (int n = 2; fs::exists(kept); ++n) kept = base + "-" + std::to_string(n);
    MoveWithLog(real, kept);
    std::cout << "previous database kept as " << kept << "\n";
  }
  MoveWithLog(staged, real);
  auto database = Open(c);
  // The chain now goes on from the backup's head: the anchor file says so, so that the
  // anchors of the replaced history are not held against it.
  auto fork = audit::Head(*database, SystemClock().Now());
  fork.restore = true;
  audit::AppendAnchor(config::AuditAnchorPath(c), fork);
  SystemAudit(*database, "database.restore", "database", "", "from " + from);
  audit::AppendAnchor(config::AuditAnchorPath(c), audit::Head(*database, SystemClock().Now()));
  std::cout << "restored " << c.database << " from " << from << "\n";
  return 0;
}

int CopyTo(const config::Config& c, const std::string& url) {
  if (OnPostgres(c)) {
    std::cerr << "copy-to copies a SQLite database; this configuration already uses PostgreSQL\n";
    return 2;
  }
  if (!DatabaseThere(c)) return 2;
  auto source = Open(c);  // migrated, with the installation's audit key in use
  config::Config target_config = c;
  target_config.database_url = url;
  auto target = Open(target_config);
  std::cout << "copying " << c.database << " (schema " << db::SchemaVersion(*source) << ") to "
            << DatabaseLabel(target_config) << "\n";
  const auto copied = db::CopyDatabase(*source, *target, [](const db::TableCopied& t) {
    std::cout << "  " << t.table << ": " << t.rows << " rows\n" << std::flush;
  });
  if (!copied) {
    std::cerr << "copy-to refused: " << copied.error().message << "\n";
    return 1;
  }
  audit::VerifyOptions o;
  const auto key = audit::ReadKey(config::AuditKeyPath(c));
  o.key = key ? &*key : nullptr;
  const auto r = audit::Verify(*target, o);
  if (!r.ok) {
    std::cerr << "the copied audit chain is BROKEN at " << Describe(r) << "\n";
    return 1;
  }
  std::int64_t rows = 0;
  for (const auto& t : *copied) rows += t.rows;
  SystemAudit(*target, "database.copy", "database", "", "from " + c.database);
  std::cout << "done: " << copied->size() << " tables, " << rows << " rows; audit chain OK ("
            << r.checked
            << " entries). Serve it with RADQS_DATABASE_URL=" << DatabaseLabel(target_config)
            << "\n";
  return 0;
}

}  // namespace radqs::app
