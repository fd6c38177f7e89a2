// Numbered schema migrations, compiled into the binary from db/migrations/<dialect>/NNNN_*.sql.
#pragma once

#include <string>
#include <vector>

#include "platform/db/database.h"

namespace radqs::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

const std::vector<Migration>& SqliteMigrations();
// PostgreSQL starts from one baseline (the SQLite schema as of its version 21, written in
// PostgreSQL's types); every later version comes as a file in each dialect's folder.
const std::vector<Migration>& PostgresMigrations();
// The migrations of a Database::Dialect().
const std::vector<Migration>& MigrationsFor(std::string_view dialect);

// Applies the migrations not yet recorded in schema_migrations, each in its own transaction;
// returns how many were applied.
int Migrate(Database& database, const std::vector<Migration>& migrations);
// The highest applied version, 0 for an empty database.
int SchemaVersion(Database& database);

}  // namespace radqs::db
