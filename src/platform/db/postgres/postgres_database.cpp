// PostgreSQL backend (libpqxx 6.4): the same contract as SQLite. A pool of reader connections,
// each read in a REPEATABLE READ READ ONLY transaction (one snapshot, as a SQLite read); a few
// writer connections each doing group commit with a savepoint per command, so every command
// sees the rules it sees on SQLite while the writers of one server work side by side as those
// of several servers do. Several servers on one database are kept correct by
// row locks in the stores (audit head, slots, counters), not by this file. Commits are durable
// (synchronous_commit = on); a serialization failure or deadlock reruns the batch a few times
// and then answers busy. A lost connection answers unavailable and is opened again on next use,
// so the server outlives a PostgreSQL restart.
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/postgres/sql_rewrite.h"
#include "platform/db/reader_pool.h"
#include "platform/db/writer_queue.h"
#include "platform/log.h"

namespace radqs::db {
namespace {

constexpr int kBatchAttempts = 4;

// Maps a driver exception to DbError; rethrows what is not the driver's.
[[noreturn]] void Rethrow() {
  try {
    throw;
  } catch (const DbError&) {
    throw;
  } catch (const pqxx::unique_violation& e) {
    throw DbError(DbError::Kind::kUniqueViolation, e.what());
  } catch (const pqxx::foreign_key_violation& e) {
    throw DbError(DbError::Kind::kForeignKeyViolation, e.what());
  } catch (const pqxx::transaction_rollback& e) {  // serialization failure, deadlock
    throw DbError(DbError::Kind::kBusy, e.what());
  } catch (const pqxx::broken_connection& e) {
    throw DbError(DbError::Kind::kUnavailable, e.what());
  } catch (const pqxx::in_doubt_error& e) {
    throw DbError(DbError::Kind::kUnavailable, e.what());
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    // 08: connection exception; 57P01..03: the server is shutting down or restarting.
    if (state.starts_with("08") || state.starts_with("57P")) {
      throw DbError(DbError::Kind::kUnavailable, e.what());
    }
    if (state == "55P03") throw DbError(DbError::Kind::kBusy, e.what());
    throw DbError(DbError::Kind::kOther, e.what());
  } catch (const pqxx::failure& e) {
    throw DbError(DbError::Kind::kOther, e.what());
  }
}

class PgConnection;

// One execution of a prepared statement: binds collect text parameters, the first Step runs
// it and later Steps walk the rows of the (fully fetched) result.
class PgStatement final : public StatementImpl {
 public:
  PgStatement(PgConnection& conn, const std::string& name) : conn_(conn), name_(name) {}

  void BindNull(int i) override { Slot(i).reset(); }
  void BindInt(int i, std::int64_t v) override { Slot(i) = std::to_string(v); }
  void BindReal(int i, double v) override {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    Slot(i) = std::string(buf, end);
  }
  void BindText(int i, std::string_view v) override { Slot(i) = std::string(v); }
  bool Step() override;
  bool IsNull(int c) const override { return Field(c).is_null(); }
  std::int64_t Int(int c) const override {
    const auto f = Field(c);
    const char* s = f.c_str();
    const char* e = s + f.size();
    if (f.size() == 1 && (*s == 't' || *s == 'f')) return *s == 't';  // boolean
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s, e, v);
    if (ec == std::errc() && p == e) return v;
    return static_cast<std::int64_t>(std::strtod(s, nullptr));  // numeric, as SQLite truncates
  }
  double Real(int c) const override { return std::strtod(Field(c).c_str(), nullptr); }
  std::string Text(int c) const override {
    const auto f = Field(c);
    return std::string(f.c_str(), f.size());
  }
  void Release() override { delete this; }

 private:
  std::optional<std::string>& Slot(int i) {
    if (static_cast<std::size_t>(i) > params_.size()) params_.resize(static_cast<std::size_t>(i));
    return params_[static_cast<std::size_t>(i - 1)];
  }
  pqxx::field Field(int c) const { return result_[static_cast<pqxx::row::size_type>(row_)][c]; }

  PgConnection& conn_;
  const std::string& name_;
  std::vector<std::optional<std::string>> params_;
  pqxx::result result_;
  bool executed_ = false;
  long row_ = -1;
};

class PgConnection final : public Transaction {
 public:
  PgConnection(const std::string& url, bool writer) : conn_(url), writer_(writer) {
    conn_.set_variable("synchronous_commit", "on");
    conn_.set_variable("client_encoding", "'UTF8'");
    work_ = std::make_unique<pqxx::nontransaction>(conn_);
  }

  std::string_view Dialect() const override { return "postgresql"; }
  Statement Prepare(std::string_view sql) override {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      // Appended in place: `"s" + std::to_string` trips GCC 12's -Wrestrict false positive at -O3.
      std::string name = std::to_string(prepared_.size() + 1);
      name.insert(0, 1, 's');
      try {
        conn_.prepare(name, postgres::RewriteForPostgres(sql));
      } catch (...) {
        Rethrow();
      }
      it = prepared_.emplace(std::string(sql), std::move(name)).first;
    }
    return Statement(new PgStatement(*this, it->second));
  }
  std::int64_t Changes() override { return changes_; }
  bool IsWrite() const override { return writer_; }
  void ExecScript(std::string_view sql) override { Exec(std::string(sql)); }
  BatchPart* Part(const void* key,
                  const std::function<std::unique_ptr<BatchPart>()>& make) override {
    return parts_ != nullptr ? parts_->Get(key, make) : nullptr;
  }
  void Autonomous(const std::function<void(Transaction&)>& fn) override {
    if (autonomous_ == nullptr) return fn(*this);
    autonomous_(fn);
  }
  // The batch now running on this writer connection, or null; and where Autonomous runs.
  void SetParts(BatchParts* parts) { parts_ = parts; }
  void SetAutonomous(std::function<void(const std::function<void(Transaction&)>&)> run) {
    autonomous_ = std::move(run);
  }

  void Exec(const std::string& sql) {
    try {
      changes_ = work_->exec(sql).affected_rows();
    } catch (...) {
      Rethrow();
    }
  }
  pqxx::result RunPrepared(const std::string& name,
                           const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    try {
      auto r = work_->exec_prepared(name, pqxx::prepare::make_dynamic_params(values));
      changes_ = r.affected_rows();
      return r;
    } catch (...) {
      Rethrow();
    }
  }
  bool is_open() const { return conn_.is_open(); }
  pqxx::connection& raw() { return conn_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  pqxx::connection conn_;
  std::unique_ptr<pqxx::nontransaction> work_;
  bool writer_;
  std::int64_t changes_ = 0;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> prepared_;
  BatchParts* parts_ = nullptr;
  std::function<void(const std::function<void(Transaction&)>&)> autonomous_;
};

bool PgStatement::Step() {
  if (!executed_) {
    result_ = conn_.RunPrepared(name_, params_);
    executed_ = true;
  }
  ++row_;
  return row_ < static_cast<long>(result_.size());
}

class PostgresDatabase;
struct CurrentConnection {
  const PostgresDatabase* owner = nullptr;
  PgConnection* conn = nullptr;
};
thread_local CurrentConnection t_current;

class ScopedCurrent {
 public:
  ScopedCurrent(const PostgresDatabase* owner, PgConnection* conn) : saved_(t_current) {
    t_current = {owner, conn};
  }
  ~ScopedCurrent() { t_current = saved_; }

 private:
  CurrentConnection saved_;
};

// A connection slot that opens (again) on demand: after PostgreSQL restarts, the next request
// connects anew instead of failing for ever.
class Slot {
 public:
  Slot(std::string url, bool writer) : url_(std::move(url)), writer_(writer) {}
  PgConnection& Get() {
    if (conn_ == nullptr || !conn_->is_open()) {
      conn_.reset();
      try {
        conn_ = std::make_unique<PgConnection>(url_, writer_);
      } catch (...) {
        Rethrow();
      }
      if (opened_) opened_(*conn_);
    }
    return *conn_;
  }
  // Runs on each connection this slot opens, before its first use.
  void OnOpen(std::function<void(PgConnection&)> fn) { opened_ = std::move(fn); }
  // After an error that may have broken the connection.
  void CheckAfterError() {
    if (conn_ != nullptr && !conn_->is_open()) conn_.reset();
  }
  void Drop() { conn_.reset(); }

 private:
  std::string url_;
  bool writer_;
  std::unique_ptr<PgConnection> conn_;
  std::function<void(PgConnection&)> opened_;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const PostgresOptions& o) : options_(o), counters_(o.url, true) {
    // A counter row waited for longer than this is a bug (a batch holding it), not a queue.
    counters_.OnOpen(
        [](PgConnection& c) { c.Exec("SET synchronous_commit = off; SET lock_timeout = '5s'"); });
    for (int i = 0; i < std::max(1, o.writers); ++i) {
      writers_.push_back(std::make_unique<Slot>(o.url, true));
      writers_.back()->OnOpen([this](PgConnection& c) {
        c.SetAutonomous([this](const auto& fn) { RunAutonomous(fn); });
      });
    }
    writers_[0]->Get();  // fail at start, with the driver's reason, when the database is not there
    for (int i = 0; i < std::max(1, o.readers); ++i) {
      readers_.Add(std::make_unique<Slot>(o.url, false));
    }
    queue_.Start(
        o.max_batch,
        [this](auto& batch, auto& hooks, int writer) { RunBatch(batch, hooks, *writers_[writer]); },
        [this] { Probe(); }, static_cast<int>(writers_.size()));
  }
  ~PostgresDatabase() override { Close(); }

  std::string_view Dialect() const override { return "postgresql"; }

  void Read(const std::function<void(Transaction&)>& fn) override {
    if (t_current.owner == this) return fn(*t_current.conn);
    ReaderPool<Slot>::Lease lease(readers_);
    Slot* slot = &*lease;
    PgConnection& conn = Connect(*slot);
    ScopedCurrent current(this, &conn);
    try {
      conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      fn(conn);
      conn.Exec("COMMIT");
    } catch (const DbError& e) {
      if (e.kind() == DbError::Kind::kUnavailable) reachable_ = false;
      try {
        conn.Exec("ROLLBACK");
      } catch (...) {
        slot->CheckAfterError();
      }
      throw;
    } catch (...) {
      try {
        conn.Exec("ROLLBACK");
      } catch (...) {
        slot->CheckAfterError();
      }
      throw;
    }
  }

  void Submit(WriteJob job) override { queue_.Submit(std::move(job)); }
  void AddFlushHook(FlushHook hook) override { queue_.AddFlushHook(std::move(hook)); }
  void Close() override {
    queue_.Close();
    for (auto& w : writers_) w->Drop();
    counters_.Drop();
    listening_ = false;
    if (listener_.joinable()) listener_.join();
  }

  PoolStats Stats() const override {
    PoolStats s;
    readers_.AddStats(s);
    queue_.AddStats(s);
    return s;
  }

  bool Reachable() const override { return reachable_.load(); }

  bool ListenEvents(const std::string& channel,
                    std::function<void(const std::string&)> deliver) override {
    listener_ =
        std::thread([this, channel, deliver = std::move(deliver)] { Listen(channel, deliver); });
    return true;
  }

  void BackupTo(const std::string&) override {
    throw DbError(DbError::Kind::kOther,
                  "a PostgreSQL database is backed up with pg_dump, not by radqs");
  }

 private:
  PgConnection& Connect(Slot& slot) {
    try {
      return slot.Get();
    } catch (const DbError& e) {
      if (e.kind() == DbError::Kind::kUnavailable) reachable_ = false;
      throw;
    }
  }

  // A connection of its own that waits for notifications, a second at a time so that Close is
  // seen; opened again after PostgreSQL went away (what was sent meanwhile is not replayed).
  void Listen(const std::string& channel, const std::function<void(const std::string&)>& deliver) {
    class Receiver final : public pqxx::notification_receiver {
     public:
      Receiver(pqxx::connection_base& c, const std::string& channel,
               const std::function<void(const std::string&)>& deliver)
          : pqxx::notification_receiver(c, channel), deliver_(deliver) {}
      void operator()(const std::string& payload, int) override { deliver_(payload); }

     private:
      const std::function<void(const std::string&)>& deliver_;
    };
    while (listening_) {
      try {
        pqxx::connection conn(options_.url);
        Receiver receiver(conn, channel, deliver);
        while (listening_) conn.await_notification(1, 0);
      } catch (const std::exception& e) {
        log::Warn("event listener: {}; listening again in a second", e.what());
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
  }

  // An idle second: one round trip tells whether PostgreSQL is still there (and reconnects).
  void Probe() {
    try {
      writers_[0]->Get().Exec("SELECT 1");
      reachable_ = true;
    } catch (const DbError&) {
      writers_[0]->CheckAfterError();
      reachable_ = false;
    }
  }

  // Transaction::Autonomous: one connection for the whole server, in turn.
  void RunAutonomous(const std::function<void(Transaction&)>& fn) {
    std::lock_guard lock(counters_mu_);
    PgConnection& c = Connect(counters_);
    try {
      c.Exec("BEGIN");
      fn(c);
      c.Exec("COMMIT");
    } catch (...) {
      try {
        c.Exec("ROLLBACK");
      } catch (...) {
        counters_.CheckAfterError();
      }
      throw;
    }
  }

  // Savepoint statements go with the next one in a single round trip: between two commands the
  // writer sends "RELEASE job; SAVEPOINT job" at once.
  void RunBatch(std::vector<WriteJob>& batch, std::vector<FlushHook>& hooks, Slot& writer) {
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr batch_error;
    std::vector<FlushHook*> flushed;
    for (int attempt = 1; attempt <= kBatchAttempts; ++attempt) {
      std::fill(errors.begin(), errors.end(), nullptr);
      flushed.clear();
      batch_error = nullptr;
      try {
        PgConnection& c = writer.Get();
        ScopedCurrent current(this, &c);
        BatchParts parts;
        c.SetParts(&parts);
        try {
          c.Exec(batch.empty() ? "BEGIN" : "BEGIN; SAVEPOINT job");
          for (std::size_t i = 0; i < batch.size(); ++i) {
            bool keep = false;
            try {
              keep = batch[i].run(c);
            } catch (const DbError& e) {
              // A conflict with another writer or a lost connection is the batch's, not the
              // command's: the whole batch is run again or answered busy.
              if (e.kind() == DbError::Kind::kBusy || e.kind() == DbError::Kind::kUnavailable) {
                throw;
              }
              errors[i] = std::current_exception();
            } catch (...) {
              errors[i] = std::current_exception();
            }
            const bool last = i + 1 == batch.size();
            if (keep) {
              c.Exec(last ? "RELEASE job" : "RELEASE job; SAVEPOINT job");
              parts.Kept();
            } else {
              c.Exec(last ? "ROLLBACK TO job; RELEASE job"
                          : "ROLLBACK TO job; RELEASE job; SAVEPOINT job");
              parts.Undone();
            }
          }
          c.SetParts(nullptr);
          parts.Write(c);
          FlushHooks(c, hooks, flushed);
          c.Exec("COMMIT");
        } catch (...) {
          c.SetParts(nullptr);
          try {
            c.Exec("ROLLBACK");
          } catch (...) {
            writer.CheckAfterError();  // may close c
          }
          throw;
        }
      } catch (const DbError& e) {
        batch_error = std::current_exception();
        for (auto* h : flushed) Settle(*h, false);
        flushed.clear();
        if (e.kind() == DbError::Kind::kBusy && attempt < kBatchAttempts) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
          continue;
        }
        writer.CheckAfterError();
        if (e.kind() == DbError::Kind::kUnavailable) reachable_ = false;
        log::Error("write batch of {} failed: {}", batch.size(), e.what());
      } catch (...) {
        batch_error = std::current_exception();
        for (auto* h : flushed) Settle(*h, false);
        flushed.clear();
        log::Error("write batch of {} failed", batch.size());
      }
      break;
    }
    if (batch_error == nullptr) reachable_ = true;
    for (auto* h : flushed) Settle(*h, true);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].done) batch[i].done(batch_error ? batch_error : errors[i]);
    }
  }

  // Each flush in its own savepoint, as on SQLite: a failing one is undone alone.
  static void FlushHooks(PgConnection& c, std::vector<FlushHook>& hooks,
                         std::vector<FlushHook*>& flushed) {
    for (auto& h : hooks) {
      if (!h.pending()) continue;
      c.Exec("SAVEPOINT flush");
      try {
        h.flush(c);
        flushed.push_back(&h);
        c.Exec("RELEASE flush");
      } catch (const DbError& e) {
        if (e.kind() == DbError::Kind::kBusy || e.kind() == DbError::Kind::kUnavailable) throw;
        log::Error("write batch: a flush failed and was kept for the next batch: {}", e.what());
        Settle(h, false);
        c.Exec("ROLLBACK TO flush");
      } catch (const std::exception& e) {
        log::Error("write batch: a flush failed and was kept for the next batch: {}", e.what());
        Settle(h, false);
        c.Exec("ROLLBACK TO flush");
      }
    }
  }
  static void Settle(FlushHook& h, bool committed) {
    if (h.settled) h.settled(committed);
  }

  PostgresOptions options_;
  std::vector<std::unique_ptr<Slot>> writers_;
  Slot counters_;  // Transaction::Autonomous
  std::mutex counters_mu_;
  ReaderPool<Slot> readers_;

  std::atomic<bool> reachable_{true};
  std::atomic<bool> listening_{true};
  std::thread listener_;
  WriterQueue queue_;  // last: its thread stops before the connections go
};

}  // namespace

std::unique_ptr<Database> OpenPostgres(const PostgresOptions& options) {
  return std::make_unique<PostgresDatabase>(options);
}

void ExecPostgresStatement(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection conn(url);
    pqxx::nontransaction work(conn);
    work.exec(sql);
  } catch (...) {
    Rethrow();
  }
}

}  // namespace radqs::db
