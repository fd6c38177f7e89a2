// Job lag (issue 15): 10,000 jobs due in the same second, run by one or two runners (two servers
// on PostgreSQL), against the lag of a single job due alone, measured in the same run.
//   job_lag_bench [sqlite FILE | postgres CONNINFO] [runners=1]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/jobs/jobs.h"

using namespace radqs;

namespace {

std::unique_ptr<db::Database> Open(const std::string& kind, const std::string& where) {
  if (kind == "postgres") return db::OpenPostgres({where});
  std::filesystem::remove(where);
  std::filesystem::remove(where + "-wal");
  return db::OpenSqlite({where});
}

// Schedules `n` jobs due at `due`, runs them with `runners` runners ticking every 10 ms, and
// returns (seconds from due until the last was done, lags).
std::pair<double, std::vector<Micros>> Measure(std::vector<db::Database*> dbs, int n, int runners) {
  SystemClock clock;
  const Micros due = clock.Now() + kMicrosPerSecond;
  dbs[0]->Write([&](db::Transaction& tx) {
    for (int i = 0; i < n; ++i) jobs::Schedule(tx, "bench.noop", due, "", clock.Now());
  });
  std::vector<std::unique_ptr<jobs::Runner>> rs;
  for (int i = 0; i < runners; ++i) {
    jobs::RunnerOptions o;
    o.worker = "bench-" + std::to_string(i);
    o.batch = 500;
    rs.push_back(
        std::make_unique<jobs::Runner>(*dbs[static_cast<std::size_t>(i) % dbs.size()], clock, o));
    rs.back()->Handle("bench.noop", [](db::Transaction&, const jobs::Job&) {});
    rs.back()->Start(std::chrono::milliseconds(10));
  }
  std::int64_t done = 0;
  while (done < n) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    done = 0;
    for (auto& r : rs) done += r->Stats().done;
  }
  const double drained = static_cast<double>(clock.Now() - due) / kMicrosPerSecond;
  std::vector<Micros> lags;
  for (auto& r : rs) {
    r->Stop();
    const auto s = r->Stats();
    lags.insert(lags.end(), s.recent_lags.begin(), s.recent_lags.end());
  }
  dbs[0]->Write([](db::Transaction& tx) { tx.Exec("DELETE FROM jobs"); });
  return {drained, lags};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string kind = argc > 1 ? argv[1] : "sqlite";
  const std::string where = argc > 2 ? argv[2] : "/tmp/radqs-job-lag.db";
  const int runners = argc > 3 ? std::atoi(argv[3]) : 1;
  std::vector<std::unique_ptr<db::Database>> owned;
  owned.push_back(Open(kind, where));
  db::Migrate(*owned[0], db::MigrationsFor(owned[0]->Dialect()));
  if (kind == "postgres") {
    for (int i = 1; i < runners; ++i) owned.push_back(Open(kind, where));
  }
  std::vector<db::Database*> dbs;
  for (auto& d : owned) dbs.push_back(d.get());
  const auto alone = Measure(dbs, 1, runners).second;
  const auto [drained, lags] = Measure(dbs, 10000, runners);
  const auto ms = [](Micros m) { return static_cast<double>(m) / 1000.0; };
  std::printf(
      "job lag on %s, %d runner(s): one job alone %.1f ms; 10,000 due in the same second: "
      "all done %.2f s after their due time, lag p50 %.1f ms, p99 %.1f ms (target: all "
      "within 2 s)\n",
      std::string(owned[0]->Dialect()).c_str(), runners, ms(alone[0]), drained,
      ms(jobs::LagQuantile(lags, 0.5)), ms(jobs::LagQuantile(lags, 0.99)));
  for (auto& d : owned) d->Close();
  return drained <= 2.0 ? 0 : 1;
}
