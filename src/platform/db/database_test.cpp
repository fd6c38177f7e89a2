#include "platform/db/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <unistd.h>

#include "platform/db/migrations.h"
#include "platform/db/test_database.h"

namespace radqs::db {
namespace {

// The tests of this file run on both backends: CTest runs the binary once per backend.
TEST(Database, MigratesOnceAndRecordsTheVersion) {
  TestDatabase db("migrate", false);
  const auto& migrations = MigrationsFor(db->Dialect());
  EXPECT_EQ(SchemaVersion(*db), 0);
  EXPECT_EQ(Migrate(*db, migrations), static_cast<int>(migrations.size()));
  EXPECT_EQ(Migrate(*db, migrations), 0);
  // One schema version on both dialects: the PostgreSQL baseline ends where SQLite's 21 does.
  EXPECT_EQ(SchemaVersion(*db), SqliteMigrations().back().version);
  EXPECT_EQ(PostgresMigrations().back().version, SqliteMigrations().back().version);
}

TEST(Database, OneFailingCommandDoesNotUndoItsBatchNeighbours) {
  TestDatabase db("batch", false);
  db->Write([](Transaction& tx) { tx.ExecScript("CREATE TABLE t (v INTEGER UNIQUE)"); });
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
  for (int i = 0; i < 50; ++i) {
    db->Submit({[i](Transaction& tx) {
                  tx.Exec("INSERT INTO t (v) VALUES (?)", i % 25);  // every value twice
                  return true;
                },
                [&](std::exception_ptr e) {
                  if (e) ++failed;
                  ++done;
                }});
  }
  while (done < 50) std::this_thread::yield();
  EXPECT_EQ(failed, 25);
  std::int64_t rows = 0;
  db->Read([&](Transaction& tx) {
    auto s = tx.Prepare("SELECT COUNT(*) FROM t");
    s.Step();
    rows = s.Int(0);
  });
  EXPECT_EQ(rows, 25);
}

TEST(Database, ARolledBackCommandLeavesNothing) {
  TestDatabase db("rollback", false);
  db->Write([](Transaction& tx) { tx.ExecScript("CREATE TABLE t (v INTEGER)"); });
  std::atomic<bool> finished{false};
  db->Submit({[](Transaction& tx) {
                tx.Exec("INSERT INTO t (v) VALUES (1)");
                return false;
              },
              [&](std::exception_ptr) { finished = true; }});
  while (!finished) std::this_thread::yield();
  db->Read([](Transaction& tx) {
    auto s = tx.Prepare("SELECT COUNT(*) FROM t");
    s.Step();
    EXPECT_EQ(s.Int(0), 0);
  });
}

TEST(Database, StatementsBindOptionalsAndReuseTheCache) {
  TestDatabase db("bind", false);
  db->Write([](Transaction& tx) {
    tx.ExecScript("CREATE TABLE t (a INTEGER, b TEXT)");
    std::optional<std::int64_t> none;
    tx.Exec("INSERT INTO t (a, b) VALUES (?, ?)", none, std::string("x"));
    tx.Exec("INSERT INTO t (a, b) VALUES (?, ?)", std::optional<std::int64_t>(7), "y");
  });
  db->Read([](Transaction& tx) {
    auto outer = tx.Prepare("SELECT a, b FROM t ORDER BY b");
    ASSERT_TRUE(outer.Step());
    EXPECT_FALSE(outer.OptInt(0));
    // The same SQL while the first is open gets its own statement.
    auto inner = tx.Prepare("SELECT a, b FROM t ORDER BY b");
    ASSERT_TRUE(inner.Step());
    EXPECT_EQ(inner.Text(1), "x");
    ASSERT_TRUE(outer.Step());
    EXPECT_EQ(outer.Int(0), 7);
    SqlBuilder q("SELECT COUNT(*) FROM t WHERE 1 = 1");
    q.Add(" AND b = ?", std::string("y"));
    auto s = q.Prepare(tx);
    s.Step();
    EXPECT_EQ(s.Int(0), 1);
  });
}

TEST(Database, LikePatternsMatchWildcardsLiterally) {
  EXPECT_EQ(LikeContains("50%_a\\b"), "%50\\%\\_a\\\\b%");
  EXPECT_EQ(LikePrefix("auth_"), "auth\\_%");
  TestDatabase db("like", false);
  db->Write([](Transaction& tx) {
    tx.ExecScript("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a%b'), ('axb'), ('a_b');");
  });
  const auto count = [&](const std::string& pattern) {
    std::int64_t n = 0;
    db->Read([&](Transaction& tx) {
      auto s = tx.Prepare("SELECT COUNT(*) FROM t WHERE v LIKE ? ESCAPE '\\'");
      s.Bind(pattern);
      s.Step();
      n = s.Int(0);
    });
    return n;
  };
  EXPECT_EQ(count(LikeContains("%")), 1);
  EXPECT_EQ(count(LikeContains("_")), 1);
  EXPECT_EQ(count(LikeContains("x")), 1);
  EXPECT_EQ(count(LikePrefix("a")), 3);
  EXPECT_EQ(count(LikePrefix("a_")), 1);
}

TEST(Database, UniqueViolationsAreTyped) {
  TestDatabase db("unique", false);
  db->Write([](Transaction& tx) { tx.ExecScript("CREATE TABLE t (v INTEGER UNIQUE)"); });
  db->Write([](Transaction& tx) { tx.Exec("INSERT INTO t VALUES (1)"); });
  try {
    db->Write([](Transaction& tx) { tx.Exec("INSERT INTO t VALUES (1)"); });
    FAIL() << "expected a unique violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::kUniqueViolation);
  }
}

TEST(Database, BackupIsAConsistentCopyOnSqliteAndPgDumpsJobOnPostgres) {
  TestDatabase db("backup_src");
  const std::string copy = (std::filesystem::temp_directory_path() /
                            ("radqs_backup_copy_" + std::to_string(::getpid()) + ".db"))
                               .string();
  std::filesystem::remove(copy);
  if (db.postgres()) {
    EXPECT_THROW(db->BackupTo(copy), DbError);
    EXPECT_FALSE(std::filesystem::exists(copy));
    return;
  }
  db->BackupTo(copy);
  auto restored = OpenSqlite({copy});
  EXPECT_EQ(SchemaVersion(*restored), SqliteMigrations().back().version);
  restored.reset();
  std::filesystem::remove(copy);
}

TEST(Database, ForUpdateOnlyWherePostgresNeedsIt) {
  TestDatabase db("for_update", false);
  db->Write([](Transaction& tx) {
    tx.ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
    tx.Exec("INSERT INTO t (id, v) VALUES (1, 1)");
    auto s = tx.Prepare("SELECT v FROM t WHERE id = 1" + std::string(ForUpdate(tx)));
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Int(0), 1);
  });
}

TEST(Database, NumbersReadAsTheyWereWritten) {
  TestDatabase db("numbers", false);
  db->Write([](Transaction& tx) {
    tx.ExecScript("CREATE TABLE t (big BIGINT, r REAL, s TEXT)");
    tx.Exec("INSERT INTO t VALUES (?, ?, ?)", std::int64_t{1764733200123456}, 2.5, "王芳");
    tx.Exec("INSERT INTO t VALUES (?, ?, ?)", std::int64_t{-3}, 0.125, "");
  });
  db->Read([](Transaction& tx) {
    auto s = tx.Prepare("SELECT big, r, s, big > 0 FROM t ORDER BY big DESC");
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Int(0), 1764733200123456);
    EXPECT_DOUBLE_EQ(s.Real(1), 2.5);
    EXPECT_EQ(s.Text(2), "王芳");
    EXPECT_TRUE(s.Bool(3));
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Int(0), -3);
    EXPECT_FALSE(s.Bool(3));
    EXPECT_FALSE(s.Step());
    auto sum = tx.Prepare("SELECT SUM(big), AVG(r) FROM t");
    ASSERT_TRUE(sum.Step());
    EXPECT_EQ(sum.Int(0), 1764733200123453);
    EXPECT_DOUBLE_EQ(sum.Real(1), 1.3125);
  });
}

// Text compares by bytes on both (the prefix searches rely on it): the code point U+10FFFF
// closes every prefix range.
TEST(Database, TextOrdersByBytes) {
  TestDatabase db("collation");
  db->Write([](Transaction& tx) {
    tx.Exec(
        "INSERT INTO sites (code, name, level, kind, created_at, updated_at) VALUES "
        "('b', '王芳', 'x', 'x', 0, 0), ('B', '王', 'x', 'x', 0, 0), ('a', '汪', 'x', 'x', 0, 0)");
  });
  db->Read([](Transaction& tx) {
    auto s = tx.Prepare("SELECT code FROM sites ORDER BY code");
    std::string order;
    while (s.Step()) order += s.Text(0);
    EXPECT_EQ(order, "Bab");
    auto prefix = tx.Prepare("SELECT COUNT(*) FROM sites WHERE name >= ? AND name < ?");
    prefix.Bind("王", "王\U0010FFFF");
    ASSERT_TRUE(prefix.Step());
    EXPECT_EQ(prefix.Int(0), 2);
  });
}

}  // namespace
}  // namespace radqs::db
