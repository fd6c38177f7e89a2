// Background jobs (architecture.md "Jobs in a cluster"): the scheduler that critical-value
// escalation, overdue deadlines, reminders and the monthly report use. A job has a kind, a due
// time and a payload; a module registers one handler per kind. A due job is claimed for a lease
// (FOR UPDATE SKIP LOCKED on PostgreSQL, the single writer on SQLite), and its handler runs in
// the same write transaction that marks it done, so exactly one server acts, once. A claim that
// is never finished (its server died) is taken again when the lease ends; a failing handler is
// retried with back-off and, after the last attempt, parked with its error for an administrator.
// Time comes from the Clock, so tests drive every step with a FakeClock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "platform/db/database.h"

namespace radqs::jobs {

struct Job {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;
  Micros due_at = 0;
  int attempts = 0;  // failed runs before this one
};

// Queues a job in the caller's transaction: it exists only if that command commits.
std::int64_t Schedule(db::Transaction& tx, const std::string& kind, Micros due_at,
                      const std::string& payload, Micros now);

// What an administrator sees of a job (the jobs screen).
struct JobRow {
  Job job;
  std::string state;  // due | done | parked
  std::optional<std::string> claimed_by;
  std::optional<Micros> lease_until;
  std::string last_error;
  Micros created_at = 0;
  std::optional<Micros> done_at;
};
// Newest first, before the job `before_id` when given; `state` empty: every state.
std::vector<JobRow> List(db::Transaction& tx, const std::string& state,
                         std::optional<std::int64_t> before_id, int limit);
// A parked job due again now, its attempts counted afresh; false when it is not parked.
bool Retry(db::Transaction& tx, std::int64_t id, Micros now);

struct RunnerOptions {
  std::string worker = "server";  // this server's name in claimed_by
  Micros lease = 60 * kMicrosPerSecond;
  int max_attempts = 5;
  Micros first_backoff = 10 * kMicrosPerSecond;  // doubled after each failure
  int batch = 200;                               // jobs claimed at a time
};

struct RunnerStats {
  std::int64_t claimed = 0;
  std::int64_t done = 0;
  std::int64_t failures = 0;
  std::int64_t parked = 0;
  std::int64_t lost_claims = 0;     // finished by another server after this one's lease ended
  std::int64_t due = 0;             // due and unclaimed at the last pass
  std::vector<Micros> recent_lags;  // due time to run, of the last 10,000 jobs done
};

// The runner's figures in Prometheus' text format, for /metrics.
std::string MetricsText(const RunnerStats& s);
// The q-quantile (0..1) of lags, 0 when there are none.
Micros LagQuantile(std::vector<Micros> lags, double q);

class Runner {
 public:
  // A handler throws to fail; what it wrote is then undone and the job retried later.
  using Handler = std::function<void(db::Transaction& tx, const Job& job)>;

  Runner(db::Database& database, const Clock& clock, RunnerOptions options);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  void Handle(const std::string& kind, Handler handler);

  // Claims the due jobs (up to the batch) for this runner's lease; returns them.
  std::vector<Job> Claim();
  // Runs claimed jobs, each in its own command on the writer; returns how many were done.
  int Run(const std::vector<Job>& claimed);
  // Claim and run until nothing is due; returns how many were done. For tests and the loop.
  int RunDue();

  // A thread that runs due jobs every `tick` (and at once after Wake).
  void Start(std::chrono::milliseconds tick = std::chrono::milliseconds(200));
  void Wake();
  void Stop();

  RunnerStats Stats() const;

 private:
  std::vector<std::future<bool>> Submit(const std::vector<Job>& claimed);
  static int Done(std::vector<std::future<bool>>& results);
  void Finish(db::Transaction& tx, const Job& job, bool& done);
  void Fail(db::Transaction& tx, const Job& job, const std::string& error);

  db::Database& database_;
  const Clock& clock_;
  RunnerOptions options_;
  std::map<std::string, Handler> handlers_;
  mutable std::mutex mu_;
  RunnerStats stats_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace radqs::jobs
