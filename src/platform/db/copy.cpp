#include "platform/db/copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "platform/db/migrations.h"

namespace radqs::db {
namespace {

constexpr int kRowsPerCommit = 2000;
// Values bound per INSERT (PostgreSQL takes at most 65,535).
constexpr std::size_t kParameters = 2000;

Error Refused(const std::string& message) { return Error::Conflict(message); }

// The source's tables, each after the tables its foreign keys name (the audit head after the
// log, whose triggers check the head against it).
std::vector<std::string> TablesInOrder(Database& from) {
  std::vector<std::string> tables;
  std::map<std::string, std::set<std::string>> needs;
  from.Read([&](Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' AND name <> 'schema_migrations' ORDER BY rowid");
    while (s.Step()) tables.push_back(s.Text(0));
    for (const auto& t : tables) {
      auto fk = tx.Prepare("SELECT \"table\" FROM pragma_foreign_key_list(?)");
      fk.Bind(t);
      while (fk.Step()) {
        if (fk.Text(0) != t) needs[t].insert(fk.Text(0));
      }
    }
  });
  needs["audit_head"].insert("audit_log");
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < tables.size()) {
    const auto before = order.size();
    for (const auto& t : tables) {
      if (placed.count(t) != 0) continue;
      bool ready = true;
      for (const auto& n : needs[t]) ready = ready && placed.count(n) != 0;
      if (ready) {
        order.push_back(t);
        placed.insert(t);
      }
    }
    if (order.size() == before) throw DbError(DbError::Kind::kOther, "foreign keys form a cycle");
  }
  return order;
}

std::vector<std::string> Columns(Database& from, const std::string& table) {
  std::vector<std::string> columns;
  from.Read([&](Transaction& tx) {
    auto s = tx.Prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid");
    s.Bind(table);
    while (s.Step()) columns.push_back(s.Text(0));
  });
  return columns;
}

std::int64_t Count(Database& db, const std::string& table) {
  std::int64_t n = 0;
  db.Read([&](Transaction& tx) {
    auto s = tx.Prepare(fmt::format("SELECT COUNT(*) FROM {}", table));
    if (s.Step()) n = s.Int(0);
  });
  return n;
}

using Row = std::vector<std::optional<std::string>>;

// The next rows of `table`: after rowid `after` in rowid order, or, for a table without rowids
// (its primary key is its order), from the `after`-th on. `last` is where the next page starts.
std::vector<Row> Page(Database& from, const std::string& table, std::size_t width, bool by_rowid,
                      std::int64_t after, std::int64_t& last) {
  std::vector<Row> rows;
  from.Read([&](Transaction& tx) {
    auto s = tx.Prepare(
        by_rowid
            ? fmt::format("SELECT rowid, * FROM {} WHERE rowid > ? ORDER BY rowid LIMIT ?", table)
            : fmt::format("SELECT 0, * FROM {} LIMIT ?2 OFFSET ?1", table));
    s.Bind(after, kRowsPerCommit);
    while (s.Step()) {
      last = by_rowid ? s.Int(0) : last + 1;
      Row r(width);
      for (std::size_t c = 0; c < width; ++c) {
        if (!s.IsNull(static_cast<int>(c + 1))) r[c] = s.Text(static_cast<int>(c + 1));
      }
      rows.push_back(std::move(r));
    }
  });
  return rows;
}

bool HasRowid(Database& from, const std::string& table) {
  bool yes = false;
  from.Read([&](Transaction& tx) {
    auto s = tx.Prepare("SELECT sql NOT LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?");
    s.Bind(table);
    yes = s.Step() && s.Bool(0);
  });
  return yes;
}

}  // namespace

Result<std::vector<TableCopied>> CopyDatabase(
    Database& from, Database& to, const std::function<void(const TableCopied&)>& progress) {
  if (SchemaVersion(from) != SchemaVersion(to)) {
    return Refused(fmt::format("schema versions differ: source {}, target {}", SchemaVersion(from),
                               SchemaVersion(to)));
  }
  // A database that served has audit entries (every start and every account writes one); the
  // rows the migrations seed (the audit head's genesis, default lists) are replaced below.
  if (Count(to, "audit_log") != 0)
    return Refused("the target database is not empty: it has audit entries");
  const auto tables = TablesInOrder(from);
  std::vector<TableCopied> done;
  for (const auto& t : tables) {
    const auto columns = Columns(from, t);
    std::string names, tuple;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      names += (i ? ", " : "") + columns[i];
      tuple += i ? ", ?" : "(?";
    }
    tuple += ")";
    // Many rows per statement: one round trip carries up to kRowsPerInsert rows.
    const auto insert = [&](std::size_t rows) {
      if (t == "audit_head")
        return std::string("UPDATE audit_head SET seq = ?2, hash = ?3, mac = ?4 WHERE id = ?1");
      std::string sql = fmt::format("INSERT INTO {} ({}) VALUES {}", t, names, tuple);
      for (std::size_t i = 1; i < rows; ++i) sql += ", " + tuple;
      return sql;
    };
    const std::size_t per_insert =
        t == "audit_head" ? 1 : std::max<std::size_t>(1, kParameters / columns.size());
    if (t != "audit_head" && Count(to, t) != 0) {
      to.Write([&](Transaction& tx) { tx.Exec("DELETE FROM " + t); });
    }
    TableCopied copied{t, 0};
    const bool by_rowid = HasRowid(from, t);
    std::int64_t after = 0;
    for (;;) {
      std::int64_t last = after;
      auto rows = Page(from, t, columns.size(), by_rowid, after, last);
      if (rows.empty()) break;
      to.Write([&](Transaction& tx) {
        for (std::size_t first = 0; first < rows.size(); first += per_insert) {
          const std::size_t n = std::min(per_insert, rows.size() - first);
          auto s = tx.Prepare(insert(n));
          int at = 0;
          for (std::size_t i = first; i < first + n; ++i) {
            for (const auto& v : rows[i]) s.BindAt(++at, v);
          }
          s.Run();
        }
      });
      copied.rows += static_cast<std::int64_t>(rows.size());
      after = last;
    }
    const auto target_rows = Count(to, t);
    if (target_rows != copied.rows) {
      return Refused(
          fmt::format("{}: {} rows read, {} on the target", t, copied.rows, target_rows));
    }
    if (progress) progress(copied);
    done.push_back(copied);
  }
  return done;
}

}  // namespace radqs::db
