// Moving a department up from SQLite to PostgreSQL (radqs copy-to): every table copied row for
// row with its ids, in an order that satisfies the foreign keys, the audit chain appended in
// order (its append-only triggers stay on), and the counts checked on the target.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "platform/db/database.h"

namespace radqs::db {

struct TableCopied {
  std::string table;
  std::int64_t rows = 0;
};

// Copies `from` (SQLite, migrated) into `to` (PostgreSQL, migrated to the same version and
// empty). `progress` is called after each table. Fails, naming the reason, when the target is
// not empty, the schema versions differ, or a count does not match after the copy.
Result<std::vector<TableCopied>> CopyDatabase(
    Database& from, Database& to, const std::function<void(const TableCopied&)>& progress);

}  // namespace radqs::db
