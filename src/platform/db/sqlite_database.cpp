// SQLite backend: WAL, foreign keys, busy timeout, synchronous=FULL; one writer thread doing
// group commit, a small pool of reader connections, a prepared-statement cache per connection.
#include <sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/reader_pool.h"
#include "platform/db/writer_queue.h"
#include "platform/log.h"

namespace radqs::db {
namespace {

[[noreturn]] void Rethrow(const SQLite::Exception& e) {
  DbError::Kind kind = DbError::Kind::kOther;
  switch (e.getExtendedErrorCode()) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      kind = DbError::Kind::kUniqueViolation;
      break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      kind = DbError::Kind::kForeignKeyViolation;
      break;
    default:
      if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED) {
        kind = DbError::Kind::kBusy;
      }
  }
  throw DbError(kind, e.what());
}

[[noreturn]] void ThrowFrom(sqlite3* db, int rc) {
  DbError::Kind kind = DbError::Kind::kOther;
  const int extended = sqlite3_extended_errcode(db);
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    kind = DbError::Kind::kUniqueViolation;
  } else if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
    kind = DbError::Kind::kForeignKeyViolation;
  } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    kind = DbError::Kind::kBusy;
  }
  throw DbError(kind, sqlite3_errmsg(db));
}

// Statements use the C API directly: they run on every request, and SQLiteCpp's column
// objects add a shared-pointer copy per value read.
class SqliteStatement final : public StatementImpl {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) ThrowFrom(db, rc);
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindNull(int i) override { Check(sqlite3_bind_null(stmt_, i)); }
  void BindInt(int i, std::int64_t v) override { Check(sqlite3_bind_int64(stmt_, i, v)); }
  void BindReal(int i, double v) override { Check(sqlite3_bind_double(stmt_, i, v)); }
  void BindText(int i, std::string_view v) override {
    Check(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  bool Step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    ThrowFrom(db_, rc);
  }
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Real(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string Text(int c) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return text == nullptr
               ? std::string()
               : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)));
  }
  void Release() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    in_use_ = false;
  }

  bool in_use_ = false;

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) ThrowFrom(db_, rc);
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A statement used while the cached one for the same SQL is still open: owned by the handle.
class OneShotStatement final : public StatementImpl {
 public:
  OneShotStatement(sqlite3* db, const std::string& sql) : inner_(db, sql) {}
  void BindNull(int i) override { inner_.BindNull(i); }
  void BindInt(int i, std::int64_t v) override { inner_.BindInt(i, v); }
  void BindReal(int i, double v) override { inner_.BindReal(i, v); }
  void BindText(int i, std::string_view v) override { inner_.BindText(i, v); }
  bool Step() override { return inner_.Step(); }
  bool IsNull(int c) const override { return inner_.IsNull(c); }
  std::int64_t Int(int c) const override { return inner_.Int(c); }
  double Real(int c) const override { return inner_.Real(c); }
  std::string Text(int c) const override { return inner_.Text(c); }
  void Release() override { delete this; }

 private:
  SqliteStatement inner_;
};

class Connection final : public Transaction {
 public:
  Connection(const std::string& path, int flags, int busy_ms, bool writer)
      : db_(path, flags, busy_ms), writer_(writer) {
    db_.exec("PRAGMA foreign_keys=ON");
    // Reads go through memory-mapped pages and a larger page cache: a list page touches rows
    // spread over the whole file, and pread() per page costs more than the query itself.
    db_.exec("PRAGMA mmap_size=1073741824");
    db_.exec("PRAGMA cache_size=-32768");
    if (writer) {
      db_.exec("PRAGMA journal_mode=WAL");
      db_.exec("PRAGMA synchronous=FULL");
    }
  }

  std::string_view Dialect() const override { return "sqlite"; }
  Statement Prepare(std::string_view sql) override {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      std::string key(sql);
      auto stmt = std::make_unique<SqliteStatement>(db_.getHandle(), key);
      it = cache_.emplace(std::move(key), std::move(stmt)).first;
    }
    if (it->second->in_use_) {
      return Statement(new OneShotStatement(db_.getHandle(), std::string(sql)));
    }
    it->second->in_use_ = true;
    return Statement(it->second.get());
  }
  std::int64_t Changes() override { return sqlite3_changes64(db_.getHandle()); }
  bool IsWrite() const override { return writer_; }
  void ExecScript(std::string_view sql) override { Exec(std::string(sql).c_str()); }
  BatchPart* Part(const void* key,
                  const std::function<std::unique_ptr<BatchPart>()>& make) override {
    return parts_ != nullptr ? parts_->Get(key, make) : nullptr;
  }
  // The batch now running on this (writer) connection, or null.
  void SetParts(BatchParts* parts) { parts_ = parts; }

  void Exec(const char* sql) {
    try {
      db_.exec(sql);
    } catch (const SQLite::Exception& e) {
      Rethrow(e);
    }
  }
  SQLite::Database& raw() { return db_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  SQLite::Database db_;
  bool writer_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, Hash, std::equal_to<>> cache_;
  BatchParts* parts_ = nullptr;
};

class SqliteDatabase;
// The connection this thread already works in, so that a nested Read (e.g. settings loaded
// while a handler holds a reader) reuses it instead of waiting for a second connection.
struct CurrentConnection {
  const SqliteDatabase* owner = nullptr;
  Connection* conn = nullptr;
};
thread_local CurrentConnection t_current;

class ScopedCurrent {
 public:
  ScopedCurrent(const SqliteDatabase* owner, Connection* conn) : saved_(t_current) {
    t_current = {owner, conn};
  }
  ~ScopedCurrent() { t_current = saved_; }

 private:
  CurrentConnection saved_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const SqliteOptions& o) : options_(o) {
    const int rw = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    writer_conn_ = std::make_unique<Connection>(o.path, rw, o.busy_timeout_ms, true);
    for (int i = 0; i < o.readers; ++i) {
      readers_.Add(std::make_unique<Connection>(o.path, SQLite::OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                                o.busy_timeout_ms, false));
    }
    writer_.Start(o.max_batch, [this](auto& batch, auto& hooks, int) { RunBatch(batch, hooks); });
  }

  ~SqliteDatabase() override { Close(); }

  std::string_view Dialect() const override { return "sqlite"; }

  void Read(const std::function<void(Transaction&)>& fn) override {
    if (t_current.owner == this) return fn(*t_current.conn);
    ReaderPool<Connection>::Lease lease(readers_);
    Connection* conn = &*lease;
    ScopedCurrent current(this, conn);
    // Prepared once per connection: sqlite3_exec would parse these on every request.
    conn->Prepare("BEGIN").Run();
    try {
      fn(*conn);
    } catch (...) {
      conn->Exec("ROLLBACK");
      throw;
    }
    conn->Prepare("COMMIT").Run();
  }

  void Submit(WriteJob job) override { writer_.Submit(std::move(job)); }
  void AddFlushHook(FlushHook hook) override { writer_.AddFlushHook(std::move(hook)); }
  void Close() override { writer_.Close(); }

  PoolStats Stats() const override {
    PoolStats s;
    readers_.AddStats(s);
    writer_.AddStats(s);
    return s;
  }

  void BackupTo(const std::string& path) override {
    // VACUUM INTO reads one consistent snapshot while writers go on (WAL).
    Read([&](Transaction&) {});
    SQLite::Database src(options_.path, SQLite::OPEN_READONLY, options_.busy_timeout_ms);
    SQLite::Statement stmt(src, "VACUUM INTO ?");
    stmt.bind(1, path);
    try {
      stmt.exec();
    } catch (const SQLite::Exception& e) {
      Rethrow(e);
    }
  }

 private:
  void RunBatch(std::vector<WriteJob>& batch, std::vector<FlushHook>& hooks) {
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr batch_error;
    std::vector<FlushHook*> flushed;
    Connection& c = *writer_conn_;
    ScopedCurrent current(this, &c);
    BatchParts parts;
    c.SetParts(&parts);
    struct Unset {
      Connection& c;
      ~Unset() { c.SetParts(nullptr); }
    } unset{c};
    try {
      c.Exec("BEGIN IMMEDIATE");
      for (std::size_t i = 0; i < batch.size(); ++i) {
        c.Exec("SAVEPOINT job");
        bool keep = false;
        try {
          keep = batch[i].run(c);
        } catch (...) {
          errors[i] = std::current_exception();
        }
        if (!keep) c.Exec("ROLLBACK TO job");
        c.Exec("RELEASE job");
        keep ? parts.Kept() : parts.Undone();
      }
      c.SetParts(nullptr);
      parts.Write(c);
      FlushHooks(c, hooks, flushed);
      c.Exec("COMMIT");
    } catch (...) {
      batch_error = std::current_exception();
      try {
        c.Exec("ROLLBACK");
      } catch (...) {
        // The connection is already outside a transaction.
      }
      log::Error("write batch of {} failed", batch.size());
    }
    for (auto* h : flushed) Settle(*h, batch_error == nullptr);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].done) batch[i].done(batch_error ? batch_error : errors[i]);
    }
  }

  // Each flush in its own savepoint: a failing one (e.g. the audit table refusing the insert)
  // is undone alone and its hook keeps the work; the batch's commands are not affected.
  static void FlushHooks(Connection& c, std::vector<FlushHook>& hooks,
                         std::vector<FlushHook*>& flushed) {
    for (auto& h : hooks) {
      if (!h.pending()) continue;
      c.Exec("SAVEPOINT flush");
      try {
        h.flush(c);
        flushed.push_back(&h);
      } catch (const std::exception& e) {
        log::Error("write batch: a flush failed and was kept for the next batch: {}", e.what());
        Settle(h, false);
        c.Exec("ROLLBACK TO flush");
      }
      c.Exec("RELEASE flush");
    }
  }
  static void Settle(FlushHook& h, bool committed) {
    if (h.settled) h.settled(committed);
  }

  SqliteOptions options_;
  std::unique_ptr<Connection> writer_conn_;
  ReaderPool<Connection> readers_;

  WriterQueue writer_;  // last: its thread stops before the connections go
};

}  // namespace

std::unique_ptr<Database> OpenSqlite(const SqliteOptions& options) {
  try {
    return std::make_unique<SqliteDatabase>(options);
  } catch (const SQLite::Exception& e) {
    Rethrow(e);
  }
}

}  // namespace radqs::db
