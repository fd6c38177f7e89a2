#include "platform/db/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "platform/db/migrations.h"

namespace radqs::db {
namespace {

std::string TempDb(const char* name) {
  auto p = std::filesystem::temp_directory_path() /
           (std::string("radqs_") + name + "_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p.string();
}

TEST(SqliteDatabase, MigratesOnceAndRecordsTheVersion) {
  auto db = OpenSqlite({TempDb("migrate")});
  EXPECT_EQ(SchemaVersion(*db), 0);
  EXPECT_EQ(Migrate(*db, SqliteMigrations()), static_cast<int>(SqliteMigrations().size()));
  EXPECT_EQ(Migrate(*db, SqliteMigrations()), 0);
  EXPECT_EQ(SchemaVersion(*db), SqliteMigrations().back().version);
}

TEST(SqliteDatabase, OneFailingCommandDoesNotUndoItsBatchNeighbours) {
  auto db = OpenSqlite({TempDb("batch")});
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

TEST(SqliteDatabase, ARolledBackCommandLeavesNothing) {
  auto db = OpenSqlite({TempDb("rollback")});
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

TEST(SqliteDatabase, StatementsBindOptionalsAndReuseTheCache) {
  auto db = OpenSqlite({TempDb("bind")});
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

TEST(SqliteDatabase, LikePatternsMatchWildcardsLiterally) {
  EXPECT_EQ(LikeContains("50%_a\\b"), "%50\\%\\_a\\\\b%");
  EXPECT_EQ(LikePrefix("auth_"), "auth\\_%");
  auto db = OpenSqlite({TempDb("like")});
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

TEST(SqliteDatabase, UniqueViolationsAreTyped) {
  auto db = OpenSqlite({TempDb("unique")});
  db->Write([](Transaction& tx) { tx.ExecScript("CREATE TABLE t (v INTEGER UNIQUE)"); });
  db->Write([](Transaction& tx) { tx.Exec("INSERT INTO t VALUES (1)"); });
  try {
    db->Write([](Transaction& tx) { tx.Exec("INSERT INTO t VALUES (1)"); });
    FAIL() << "expected a unique violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::kUniqueViolation);
  }
}

TEST(SqliteDatabase, BackupIsAConsistentCopy) {
  const std::string path = TempDb("backup_src");
  auto db = OpenSqlite({path});
  Migrate(*db, SqliteMigrations());
  const std::string copy = TempDb("backup_copy");
  db->BackupTo(copy);
  auto restored = OpenSqlite({copy});
  EXPECT_EQ(SchemaVersion(*restored), SqliteMigrations().back().version);
}

}  // namespace
}  // namespace radqs::db
