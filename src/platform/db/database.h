// Database, Transaction and Statement: the only way modules reach storage.
//
// Modules write portable SQL with `?` placeholders, `RETURNING` and ISO types stored as
// INTEGER (UTC microseconds, day numbers) or TEXT; a backend rewrites what its dialect needs.
// Reads run on a pool of reader connections; writes run on the single writer, which commits
// concurrent commands together (group commit) with every command in its own savepoint, so
// one failing command never undoes another. Errors from the driver are thrown as DbError:
// they are broken resources or bugs, not expected outcomes.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace radqs::db {

class DbError : public std::runtime_error {
 public:
  // kBusy: a lock or conflict that a retry may clear; kUnavailable: the database cannot be
  // reached (PostgreSQL down or restarting). Both answer 503.
  enum class Kind { kUniqueViolation, kForeignKeyViolation, kBusy, kUnavailable, kOther };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// What a backend implements for one prepared statement.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void BindNull(int index) = 0;  // 1-based, as in SQL
  virtual void BindInt(int index, std::int64_t v) = 0;
  virtual void BindReal(int index, double v) = 0;
  virtual void BindText(int index, std::string_view v) = 0;
  virtual bool Step() = 0;                    // true while a row is available
  virtual bool IsNull(int column) const = 0;  // 0-based
  virtual std::int64_t Int(int column) const = 0;
  virtual double Real(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual void Release() = 0;  // reset and return to the cache
};

// A prepared statement handle; resets itself when it goes out of scope.
class Statement {
 public:
  explicit Statement(StatementImpl* impl) : impl_(impl) {}
  Statement(Statement&& o) noexcept : impl_(o.impl_) { o.impl_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    if (impl_ != nullptr) impl_->Release();
  }

  // Binds the arguments to ?1, ?2, ... in order. std::nullopt binds NULL.
  template <class... A>
  Statement& Bind(const A&... args) {
    int i = 0;
    (BindOne(++i, args), ...);
    return *this;
  }
  // Binds one value to ?index.
  template <class T>
  Statement& BindAt(int index, const T& v) {
    BindOne(index, v);
    return *this;
  }
  bool Step() { return impl_->Step(); }
  // Runs a statement that returns no rows.
  void Run() {
    while (impl_->Step()) {
    }
  }

  bool IsNull(int c) const { return impl_->IsNull(c); }
  std::int64_t Int(int c) const { return impl_->Int(c); }
  double Real(int c) const { return impl_->Real(c); }
  bool Bool(int c) const { return impl_->Int(c) != 0; }
  std::string Text(int c) const { return impl_->Text(c); }
  std::optional<std::int64_t> OptInt(int c) const {
    return IsNull(c) ? std::nullopt : std::optional(Int(c));
  }
  std::optional<std::string> OptText(int c) const {
    return IsNull(c) ? std::nullopt : std::optional(Text(c));
  }

 private:
  void BindOne(int i, std::nullopt_t) { impl_->BindNull(i); }
  void BindOne(int i, std::nullptr_t) { impl_->BindNull(i); }
  void BindOne(int i, bool v) { impl_->BindInt(i, v ? 1 : 0); }
  void BindOne(int i, int v) { impl_->BindInt(i, v); }
  void BindOne(int i, std::int64_t v) { impl_->BindInt(i, v); }
  void BindOne(int i, double v) { impl_->BindReal(i, v); }
  void BindOne(int i, std::string_view v) { impl_->BindText(i, v); }
  void BindOne(int i, const std::string& v) { impl_->BindText(i, v); }
  void BindOne(int i, const char* v) { impl_->BindText(i, v); }
  void BindOne(int i, const std::variant<std::nullptr_t, std::int64_t, double, std::string>& v) {
    std::visit([&](const auto& x) { BindOne(i, x); }, v);
  }
  template <class T>
  void BindOne(int i, const std::optional<T>& v) {
    if (v) {
      BindOne(i, *v);
    } else {
      impl_->BindNull(i);
    }
  }

  StatementImpl* impl_;
};

// What one module keeps for the rest of a write batch and writes just before the batch commits:
// the writer tells it after each command whether that command was kept or undone with its
// savepoint. The audit chain collects a batch's entries this way and appends them at once, so
// that on PostgreSQL its head is locked only while the batch commits, not from its first command.
class BatchPart {
 public:
  virtual ~BatchPart() = default;
  virtual void Kept() = 0;
  virtual void Undone() = 0;
  virtual void Write(class Transaction& tx) = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  // The part kept under `key` for this write batch, made by `make` on first use; null outside
  // a write batch (reads, migrations), where the caller writes at once instead.
  virtual BatchPart* Part(const void* key,
                          const std::function<std::unique_ptr<BatchPart>()>& make) {
    (void)key;
    (void)make;
    return nullptr;
  }
  // Runs `fn` in a transaction of its own that commits at once: for counters that must never
  // give a number twice yet must not keep their row locked until this batch commits, where
  // several writers would queue behind it. On PostgreSQL a connection of its own (commits
  // without waiting for the disk: every number used is made durable by the synchronous commit
  // of the command that used it, which comes later in the log); a number taken by a command
  // that is then undone is not given again. On SQLite, with its one writer, `fn` runs here.
  virtual void Autonomous(const std::function<void(Transaction&)>& fn) { fn(*this); }
  // "sqlite" or "postgresql", for the few statements that differ (e.g. ForUpdate below).
  virtual std::string_view Dialect() const = 0;
  // A cached prepared statement for this connection.
  virtual Statement Prepare(std::string_view sql) = 0;
  // Rows changed by the last statement.
  virtual std::int64_t Changes() = 0;
  virtual bool IsWrite() const = 0;
  // Runs several `;`-separated statements without results (migrations).
  virtual void ExecScript(std::string_view sql) = 0;

  // Prepares, binds and runs; returns rows changed.
  template <class... A>
  std::int64_t Exec(std::string_view sql, const A&... args) {
    Prepare(sql).Bind(args...).Run();
    return Changes();
  }
};

// " FOR UPDATE" on PostgreSQL, where several servers write the same rows; nothing on SQLite,
// whose single writer already holds the whole database.
inline std::string_view ForUpdate(const Transaction& tx) {
  return tx.Dialect() == "postgresql" ? " FOR UPDATE" : "";
}

// SQL with a variable set of conditions, e.g. list filters:
//   SqlBuilder q("SELECT ... FROM site WHERE 1 = 1");
//   if (name) q.Add(" AND name LIKE ?", "%" + *name + "%");
//   q.Add(" ORDER BY id LIMIT ?", limit);  auto s = q.Prepare(tx);
class SqlBuilder {
 public:
  using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
  explicit SqlBuilder(std::string sql) : sql_(std::move(sql)) {}
  SqlBuilder& Add(std::string_view fragment) {
    sql_ += fragment;
    return *this;
  }
  template <class... T>
  SqlBuilder& Add(std::string_view fragment, T... values) {
    sql_ += fragment;
    (Push(std::move(values)), ...);
    return *this;
  }
  Statement Prepare(class Transaction& tx) const;
  const std::string& sql() const { return sql_; }

 private:
  template <class T>
  void Push(T value) {
    if constexpr (std::is_integral_v<T>) {
      args_.emplace_back(static_cast<std::int64_t>(value));
    } else {
      args_.emplace_back(std::move(value));
    }
  }
  std::string sql_;
  std::vector<Value> args_;
};

// Patterns for `col LIKE ? ESCAPE '\'` that match the typed text literally: `%`, `_` and `\` in
// it are escaped, so searching "50%" finds "50%", not every row. The one helper for all searches
// (modules never build LIKE patterns by hand).
std::string LikeContains(std::string_view text);  // "%text%"
std::string LikePrefix(std::string_view text);    // "text%"

// One command for the writer: `run` executes inside its own savepoint and returns false to roll
// that savepoint back; `done` is called after the batch's commit (or failure) with the
// exception that `run` or the commit threw, or null.
struct WriteJob {
  std::function<bool(Transaction&)> run;
  std::function<void(std::exception_ptr)> done;
};

// Work the writer does in every batch and at least once a second when idle, e.g. appending the
// queued read-access audit entries. Each flush runs in its own savepoint after the batch's
// commands: a flush that throws is rolled back alone and logged, and the commands still commit.
// `settled` (optional) is called once per flush with whether its work was committed, so the
// hook can keep what failed for the next batch.
struct FlushHook {
  std::function<bool()> pending;
  std::function<void(Transaction&)> flush;
  std::function<void(bool committed)> settled;
};

struct PoolStats {
  int readers_total = 0;
  int readers_in_use = 0;
  int writers = 1;  // writer connections (threads)
  std::int64_t write_queue_depth = 0;
  std::int64_t write_batches = 0;
  std::int64_t write_jobs = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual std::string_view Dialect() const = 0;
  // Runs fn in a read-only transaction; blocks the calling thread for a reader connection.
  virtual void Read(const std::function<void(Transaction&)>& fn) = 0;
  // Queues a write command; returns at once.
  virtual void Submit(WriteJob job) = 0;
  // Queues fn and waits for its commit; rethrows what it threw. For CLI, jobs and tests.
  void Write(std::function<void(Transaction&)> fn);
  virtual void AddFlushHook(FlushHook hook) = 0;
  // Stops the writer after the queued jobs are done.
  virtual void Close() = 0;
  virtual PoolStats Stats() const = 0;
  // Online, consistent copy of the whole database to a new file.
  virtual void BackupTo(const std::string& path) = 0;
  // False while the database cannot be reached (PostgreSQL down or restarting), as last seen by
  // a statement or by the writer's probe of every idle second; for /healthz, without a query.
  virtual bool Reachable() const { return true; }
  // Events for every server on the database (PostgreSQL LISTEN/NOTIFY): starts a listener that
  // calls `deliver` with each payload sent on `channel` by NotifyOnCommit, on any server, after
  // that command committed. False where one server owns the database (SQLite): events then stay
  // in the process. `deliver` runs on the listener's thread and must only queue.
  virtual bool ListenEvents(const std::string& channel,
                            std::function<void(const std::string& payload)> deliver) {
    (void)channel;
    (void)deliver;
    return false;
  }
};

// Sends `payload` to the listeners of `channel` when tx commits; nothing when the command or its
// batch is rolled back. PostgreSQL only (where ListenEvents answered true).
void NotifyOnCommit(Transaction& tx, const std::string& channel, const std::string& payload);

struct SqliteOptions {
  std::string path;  // ":memory:" style shared-cache memory databases are not supported
  int readers = 2;
  int busy_timeout_ms = 5000;
  int max_batch = 256;
};

std::unique_ptr<Database> OpenSqlite(const SqliteOptions& options);

struct PostgresOptions {
  std::string url;  // postgresql://user@host:port/db, or libpq's key=value form
  int readers = 4;
  // Writer connections, each committing its own batches: while one waits for PostgreSQL the
  // others work, and several servers are as many writers again.
  int writers = 4;
  int max_batch = 256;
};

// Connects at once (throws DbError naming the reason when it cannot).
std::unique_ptr<Database> OpenPostgres(const PostgresOptions& options);
// Runs one statement on a connection of its own, outside any transaction (CREATE DATABASE and
// DROP DATABASE refuse to run inside one). For tools and tests.
void ExecPostgresStatement(const std::string& url, const std::string& sql);

}  // namespace radqs::db
