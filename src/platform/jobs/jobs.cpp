#include "platform/jobs/jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>

#include "platform/log.h"

namespace radqs::jobs {
namespace {

constexpr std::size_t kLagSamples = 10000;

// Failures double the wait: 10 s, 20 s, 40 s … from the default first back-off.
Micros Backoff(const RunnerOptions& o, int attempts) {
  Micros wait = o.first_backoff;
  for (int i = 1; i < attempts && wait < 24 * 3600 * kMicrosPerSecond; ++i) wait *= 2;
  return wait;
}

}  // namespace

std::int64_t Schedule(db::Transaction& tx, const std::string& kind, Micros due_at,
                      const std::string& payload, Micros now) {
  auto s = tx.Prepare(
      "INSERT INTO jobs (kind, payload, due_at, created_at) VALUES (?, ?, ?, ?) RETURNING id");
  s.Bind(kind, payload, due_at, now);
  s.Step();
  return s.Int(0);
}

std::vector<JobRow> List(db::Transaction& tx, const std::string& state,
                         std::optional<std::int64_t> before_id, int limit) {
  db::SqlBuilder q(
      "SELECT id, kind, payload, due_at, attempts, state, claimed_by, lease_until, last_error, "
      "created_at, done_at FROM jobs WHERE 1 = 1");
  if (!state.empty()) q.Add(" AND state = ?", state);
  if (before_id) q.Add(" AND id < ?", *before_id);
  q.Add(" ORDER BY id DESC LIMIT ?", limit);
  auto s = q.Prepare(tx);
  std::vector<JobRow> out;
  while (s.Step()) {
    JobRow r;
    r.job = {s.Int(0), s.Text(1), s.Text(2), s.Int(3), static_cast<int>(s.Int(4))};
    r.state = s.Text(5);
    r.claimed_by = s.OptText(6);
    r.lease_until = s.OptInt(7);
    r.last_error = s.Text(8);
    r.created_at = s.Int(9);
    r.done_at = s.OptInt(10);
    out.push_back(std::move(r));
  }
  return out;
}

bool Retry(db::Transaction& tx, std::int64_t id, Micros now) {
  return tx.Exec(
             "UPDATE jobs SET state = 'due', attempts = 0, due_at = ?, claimed_by = NULL, "
             "lease_until = NULL WHERE id = ? AND state = 'parked'",
             now, id) > 0;
}

Runner::Runner(db::Database& database, const Clock& clock, RunnerOptions options)
    : database_(database), clock_(clock), options_(std::move(options)) {}

Runner::~Runner() { Stop(); }

void Runner::Handle(const std::string& kind, Handler handler) {
  std::lock_guard lock(mu_);
  handlers_[kind] = std::move(handler);
}

std::vector<Job> Runner::Claim() {
  std::vector<Job> claimed;
  database_.Write([&](db::Transaction& tx) {
    const Micros now = clock_.Now();
    // Jobs another server holds are skipped, not waited for (PostgreSQL); on SQLite the single
    // writer claims for the one server there is.
    const std::string skip_locked = tx.Dialect() == "postgresql" ? " FOR UPDATE SKIP LOCKED" : "";
    auto s = tx.Prepare(
        "UPDATE jobs SET claimed_by = ?, lease_until = ? WHERE id IN (SELECT id FROM jobs WHERE "
        "state = 'due' AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY "
        "due_at, id LIMIT ?" +
        skip_locked + ") RETURNING id, kind, payload, due_at, attempts");
    s.Bind(options_.worker, now + options_.lease, now, now, options_.batch);
    while (s.Step()) {
      claimed.push_back({s.Int(0), s.Text(1), s.Text(2), s.Int(3), static_cast<int>(s.Int(4))});
    }
  });
  std::lock_guard lock(mu_);
  stats_.claimed += static_cast<std::int64_t>(claimed.size());
  return claimed;
}

// The effect and the mark of done commit together, and only while this runner still holds the
// claim: when its lease ended and another server took the job, both are undone here.
void Runner::Finish(db::Transaction& tx, const Job& job, bool& done) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    auto it = handlers_.find(job.kind);
    if (it != handlers_.end()) handler = it->second;
  }
  if (!handler) return Fail(tx, job, "no handler for kind " + job.kind);
  tx.ExecScript("SAVEPOINT job_handler");
  try {
    handler(tx, job);
  } catch (const db::DbError& e) {
    // A conflict or a lost connection is the batch's: the writer retries or answers for it.
    if (e.kind() == db::DbError::Kind::kBusy || e.kind() == db::DbError::Kind::kUnavailable) throw;
    tx.ExecScript("ROLLBACK TO job_handler");
    tx.ExecScript("RELEASE job_handler");
    return Fail(tx, job, e.what());
  } catch (const std::exception& e) {
    tx.ExecScript("ROLLBACK TO job_handler");
    tx.ExecScript("RELEASE job_handler");
    return Fail(tx, job, e.what());
  }
  tx.ExecScript("RELEASE job_handler");
  const Micros now = clock_.Now();
  if (tx.Exec("UPDATE jobs SET state = 'done', done_at = ?, lease_until = NULL WHERE id = ? AND "
              "state = 'due' AND claimed_by = ?",
              now, job.id, options_.worker) == 0) {
    throw std::runtime_error("claim lost");  // undoes the effect with the command
  }
  done = true;
  std::lock_guard lock(mu_);
  ++stats_.done;
  if (stats_.recent_lags.size() >= kLagSamples)
    stats_.recent_lags.erase(stats_.recent_lags.begin());
  stats_.recent_lags.push_back(now - job.due_at);
}

void Runner::Fail(db::Transaction& tx, const Job& job, const std::string& error) {
  const int attempts = job.attempts + 1;
  const Micros now = clock_.Now();
  const bool park = attempts >= options_.max_attempts;
  tx.Exec(
      "UPDATE jobs SET attempts = ?, state = ?, due_at = ?, claimed_by = NULL, lease_until = NULL, "
      "last_error = ? WHERE id = ? AND state = 'due' AND claimed_by = ?",
      attempts, park ? "parked" : "due", park ? job.due_at : now + Backoff(options_, attempts),
      error, job.id, options_.worker);
  log::Warn("job {} ({}) failed, attempt {}{}: {}", job.id, job.kind, attempts,
            park ? ", parked" : "", error);
  std::lock_guard lock(mu_);
  ++stats_.failures;
  if (park) ++stats_.parked;
}

std::vector<std::future<bool>> Runner::Submit(const std::vector<Job>& claimed) {
  // Every job is its own command in the writer's batches: one failing never undoes another.
  std::vector<std::future<bool>> results;
  results.reserve(claimed.size());
  for (const auto& job : claimed) {
    auto promise = std::make_shared<std::promise<bool>>();
    results.push_back(promise->get_future());
    auto done = std::make_shared<bool>(false);
    database_.Submit(db::WriteJob{[this, job, done](db::Transaction& tx) {
                                    Finish(tx, job, *done);
                                    return true;
                                  },
                                  [this, promise, done](std::exception_ptr e) {
                                    if (e) {
                                      std::lock_guard lock(mu_);
                                      ++stats_.lost_claims;
                                    }
                                    promise->set_value(e == nullptr && *done);
                                  }});
  }
  return results;
}

int Runner::Done(std::vector<std::future<bool>>& results) {
  int ran = 0;
  for (auto& r : results) ran += r.get() ? 1 : 0;
  return ran;
}

int Runner::Run(const std::vector<Job>& claimed) {
  auto results = Submit(claimed);
  return Done(results);
}

int Runner::RunDue() {
  int ran = 0;
  // The next jobs are claimed while the last ones run (on another writer on PostgreSQL).
  for (auto claimed = Claim(); !claimed.empty();) {
    auto running = Submit(claimed);
    claimed = Claim();
    ran += Done(running);
  }
  std::int64_t due = 0;
  database_.Read([&](db::Transaction& tx) {
    auto s = tx.Prepare("SELECT COUNT(*) FROM jobs WHERE state = 'due' AND due_at <= ?");
    s.Bind(clock_.Now());
    if (s.Step()) due = s.Int(0);
  });
  std::lock_guard lock(mu_);
  stats_.due = due;
  return ran;
}

Micros LagQuantile(std::vector<Micros> lags, double q) {
  if (lags.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(lags.size() - 1));
  std::nth_element(lags.begin(), lags.begin() + static_cast<std::ptrdiff_t>(k), lags.end());
  return lags[k];
}

std::string MetricsText(const RunnerStats& s) {
  const auto seconds = [](Micros m) { return static_cast<double>(m) / kMicrosPerSecond; };
  return fmt::format(
      "# TYPE radqs_jobs_due gauge\nradqs_jobs_due {}\n"
      "# TYPE radqs_jobs_claimed_total counter\nradqs_jobs_claimed_total {}\n"
      "# TYPE radqs_jobs_done_total counter\nradqs_jobs_done_total {}\n"
      "# TYPE radqs_jobs_failures_total counter\nradqs_jobs_failures_total {}\n"
      "# TYPE radqs_jobs_parked_total counter\nradqs_jobs_parked_total {}\n"
      "# TYPE radqs_jobs_lost_claims_total counter\nradqs_jobs_lost_claims_total {}\n"
      "# TYPE radqs_jobs_lag_seconds summary\n"
      "radqs_jobs_lag_seconds{{quantile=\"0.5\"}} {:.3f}\n"
      "radqs_jobs_lag_seconds{{quantile=\"0.99\"}} {:.3f}\n",
      s.due, s.claimed, s.done, s.failures, s.parked, s.lost_claims,
      seconds(LagQuantile(s.recent_lags, 0.5)), seconds(LagQuantile(s.recent_lags, 0.99)));
}

void Runner::Start(std::chrono::milliseconds tick) {
  thread_ = std::thread([this, tick] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      try {
        RunDue();
      } catch (const std::exception& e) {
        log::Warn("jobs: {}", e.what());
      }
      lock.lock();
      wake_.wait_for(lock, tick, [&] { return stopping_ || woken_; });
      woken_ = false;
    }
  });
}

void Runner::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_one();
}

void Runner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

RunnerStats Runner::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace radqs::jobs
