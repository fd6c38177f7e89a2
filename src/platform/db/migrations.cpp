#include "platform/db/migrations.h"

#include "core/time.h"
#include "platform/log.h"

namespace radqs::db {
namespace {
void EnsureTable(Database& database) {
  database.Write([](Transaction& tx) {
    tx.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  });
}
}  // namespace

const std::vector<Migration>& MigrationsFor(std::string_view dialect) {
  return dialect == "postgresql" ? PostgresMigrations() : SqliteMigrations();
}

int SchemaVersion(Database& database) {
  EnsureTable(database);
  int version = 0;
  database.Read([&](Transaction& tx) {
    auto s = tx.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (s.Step()) version = static_cast<int>(s.Int(0));
  });
  return version;
}

int Migrate(Database& database, const std::vector<Migration>& migrations) {
  const int current = SchemaVersion(database);
  int applied = 0;
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    database.Write([&](Transaction& tx) {
      tx.ExecScript(m.sql);
      tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
              m.version, m.name, SystemClock().Now());
    });
    log::Info("applied migration {:04d} {}", m.version, m.name);
    ++applied;
  }
  return applied;
}

}  // namespace radqs::db
