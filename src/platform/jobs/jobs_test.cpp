// Background jobs against a real database, on each backend: run once when due, in the same
// transaction as their effect; back-off, parking and retry; a claim abandoned by a dead server
// is taken after its lease, also from a server process killed with SIGKILL while it runs them;
// two runners (two servers on PostgreSQL) never run a job twice.
#include "platform/jobs/jobs.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "platform/db/test_database.h"

namespace radqs::jobs {
namespace {

constexpr Micros kT0 = 1'800'000'000LL * kMicrosPerSecond;

class Jobs : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::make_unique<db::TestDatabase>(std::string("jobs_") + info->name());
    (*db_)->Write([](db::Transaction& tx) {
      tx.ExecScript("CREATE TABLE effects (job_id BIGINT NOT NULL)");
    });
  }
  db::Database& database() { return **db_; }
  void Add(const std::string& kind, Micros due, const std::string& payload = "") {
    database().Write([&](db::Transaction& tx) { Schedule(tx, kind, due, payload, clock_.Now()); });
  }
  std::int64_t Count(const std::string& sql) {
    std::int64_t n = 0;
    database().Read([&](db::Transaction& tx) {
      auto s = tx.Prepare(sql);
      if (s.Step()) n = s.Int(0);
    });
    return n;
  }
  static Runner::Handler Effect() {
    return [](db::Transaction& tx, const Job& job) {
      tx.Exec("INSERT INTO effects (job_id) VALUES (?)", job.id);
    };
  }
  RunnerOptions Options(const std::string& worker) {
    RunnerOptions o;
    o.worker = worker;
    o.lease = 30 * kMicrosPerSecond;
    o.max_attempts = 3;
    o.first_backoff = 10 * kMicrosPerSecond;
    return o;
  }

  FakeClock clock_{kT0};
  std::unique_ptr<db::TestDatabase> db_;
};

TEST_F(Jobs, ADueJobRunsOnceWithItsEffectAndALaterOneWaits) {
  Add("remind", kT0 - kMicrosPerSecond, "a");
  Add("remind", kT0, "b");
  Add("remind", kT0 + 60 * kMicrosPerSecond, "c");
  Runner runner(database(), clock_, Options("A"));
  runner.Handle("remind", Effect());
  EXPECT_EQ(runner.RunDue(), 2);
  EXPECT_EQ(runner.RunDue(), 0) << "done jobs never run again";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 2);
  clock_.Advance(60 * kMicrosPerSecond);
  EXPECT_EQ(runner.RunDue(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE state = 'done' AND done_at IS NOT NULL"), 3);
  const auto stats = runner.Stats();
  EXPECT_EQ(stats.done, 3);
  ASSERT_EQ(stats.recent_lags.size(), 3u);
  EXPECT_EQ(stats.recent_lags[0], kMicrosPerSecond);  // due a second before it ran
}

TEST_F(Jobs, AJobScheduledByACommandThatRollsBackDoesNotExist) {
  std::atomic<bool> finished{false};
  database().Submit({[&](db::Transaction& tx) {
                       Schedule(tx, "remind", kT0, "", kT0);
                       return false;  // the command is refused: its job goes with it
                     },
                     [&](std::exception_ptr) { finished = true; }});
  while (!finished) std::this_thread::yield();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 0);
}

TEST_F(Jobs, AFailingJobBacksOffUndoesItsWritesThenParksWithItsErrorAndCanBeRetried) {
  Add("escalate", kT0);
  Runner runner(database(), clock_, Options("A"));
  int calls = 0;
  runner.Handle("escalate", [&](db::Transaction& tx, const Job& job) {
    tx.Exec("INSERT INTO effects (job_id) VALUES (?)", job.id);
    if (++calls <= 3) throw std::runtime_error("receiver not reachable");
  });
  EXPECT_EQ(runner.RunDue(), 0);
  EXPECT_EQ(Count("SELECT due_at FROM jobs"), kT0 + 10 * kMicrosPerSecond) << "first back-off";
  clock_.Advance(10 * kMicrosPerSecond);
  EXPECT_EQ(runner.RunDue(), 0);
  EXPECT_EQ(Count("SELECT due_at FROM jobs"), kT0 + 30 * kMicrosPerSecond) << "doubled";
  clock_.Advance(20 * kMicrosPerSecond);
  EXPECT_EQ(runner.RunDue(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 0) << "a failed run writes nothing";
  std::vector<JobRow> parked;
  database().Read([&](db::Transaction& tx) { parked = List(tx, "parked", std::nullopt, 10); });
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked[0].job.attempts, 3);
  EXPECT_EQ(parked[0].last_error, "receiver not reachable");
  clock_.Advance(3600 * kMicrosPerSecond);
  EXPECT_EQ(runner.RunDue(), 0) << "a parked job waits for an administrator";
  database().Write(
      [&](db::Transaction& tx) { EXPECT_TRUE(Retry(tx, parked[0].job.id, clock_.Now())); });
  EXPECT_EQ(runner.RunDue(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 1);
  EXPECT_EQ(runner.Stats().parked, 1);
}

TEST_F(Jobs, AClaimAbandonedByADeadServerIsTakenAfterItsLeaseAndRunsOnce) {
  Add("remind", kT0);
  Runner dead(database(), clock_, Options("A"));
  dead.Handle("remind", Effect());
  const auto held = dead.Claim();  // server A claims, then dies before running it
  ASSERT_EQ(held.size(), 1u);
  Runner other(database(), clock_, Options("B"));
  other.Handle("remind", Effect());
  EXPECT_EQ(other.RunDue(), 0) << "leased to A";
  clock_.Advance(31 * kMicrosPerSecond);
  EXPECT_EQ(other.RunDue(), 1);
  EXPECT_EQ(dead.Run(held), 0) << "A's late run finds the job taken and undoes its effect";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 1);
  EXPECT_EQ(dead.Stats().lost_claims, 1);
}

// Two runners at once over 1,000 due jobs: on PostgreSQL each on its own connection pool, as two
// servers would be; on SQLite both through the one writer.
TEST_F(Jobs, TwoRunnersRunAThousandDueJobsEachExactlyOnce) {
  database().Write([&](db::Transaction& tx) {
    for (int i = 0; i < 1000; ++i) Schedule(tx, "remind", kT0, std::to_string(i), kT0);
  });
  std::unique_ptr<db::Database> second;
  if (db_->postgres()) second = db::OpenPostgres({db_->location()});
  db::Database& other = second ? *second : database();
  Runner a(database(), clock_, Options("A"));
  Runner b(other, clock_, Options("B"));
  a.Handle("remind", Effect());
  b.Handle("remind", Effect());
  std::atomic<int> ran_a{0}, ran_b{0};
  std::thread ta([&] { ran_a = a.RunDue(); });
  std::thread tb([&] { ran_b = b.RunDue(); });
  ta.join();
  tb.join();
  EXPECT_EQ(ran_a + ran_b, 1000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 1000);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT job_id) FROM effects"), 1000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE state = 'done'"), 1000);
  if (second) second->Close();
}

// The process a killed server is: started from the test below with the database's location in
// RADQS_JOBS_HOLDER, it claims every due job for a 3-second lease and hangs inside the first
// handler (after writing its effect and the file RADQS_JOBS_HOLDER_MARK) until it is killed.
TEST(JobsHolder, ClaimsTheDueJobsAndHangsInTheFirst) {
  const char* location = std::getenv("RADQS_JOBS_HOLDER");
  if (location == nullptr) GTEST_SKIP() << "run by KillingAServer... as its own process";
  const std::string where = location;
  auto database = where.starts_with("host=") ? db::OpenPostgres({where}) : db::OpenSqlite({where});
  SystemClock clock;
  RunnerOptions o;
  o.worker = "killed";
  o.lease = 3 * kMicrosPerSecond;
  Runner runner(*database, clock, o);
  runner.Handle("remind", [](db::Transaction& tx, const Job& job) {
    tx.Exec("INSERT INTO effects (job_id) VALUES (?)", job.id);
    std::ofstream(std::getenv("RADQS_JOBS_HOLDER_MARK")) << job.id << '\n';
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  });
  runner.Run(runner.Claim());
}

TEST_F(Jobs, KillingAServerThatHoldsClaimedJobsLeavesThemToAnotherAfterTheLease) {
  SystemClock clock;
  const Micros now = clock.Now();
  database().Write([&](db::Transaction& tx) {
    for (int i = 0; i < 50; ++i) Schedule(tx, "remind", now, std::to_string(i), now);
  });
  const auto mark =
      std::filesystem::temp_directory_path() / ("radqs-jobs-holder-" + std::to_string(getpid()));
  std::filesystem::remove(mark);
  const std::string location_env = "RADQS_JOBS_HOLDER=" + db_->location();
  const std::string mark_env = "RADQS_JOBS_HOLDER_MARK=" + mark.string();
  std::vector<std::string> env_text{location_env, mark_env};
  for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
  std::vector<char*> env;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  std::string exe = "/proc/self/exe", filter = "--gtest_filter=JobsHolder.*";
  char* argv[] = {exe.data(), filter.data(), nullptr};
  pid_t holder = 0;
  ASSERT_EQ(posix_spawn(&holder, exe.c_str(), nullptr, nullptr, argv, env.data()), 0);
  const Micros give_up = now + 20 * kMicrosPerSecond;
  while (!std::filesystem::exists(mark) && clock.Now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(std::filesystem::exists(mark)) << "the holder never ran a job";
  const Micros claimed_before = clock.Now();
  ASSERT_EQ(kill(holder, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(holder, &status, 0), holder);
  std::filesystem::remove(mark);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 0) << "the killed run's effect is undone";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE claimed_by = 'killed'"), 50);
  RunnerOptions o = Options("survivor");
  Runner survivor(database(), clock, o);
  survivor.Handle("remind", Effect());
  EXPECT_EQ(survivor.RunDue(), 0) << "still leased to the killed server";
  while (clock.Now() < claimed_before + 3500 * kMicrosPerSecond / 1000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(survivor.RunDue(), 50);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT job_id) FROM effects"), 50);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 50);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE state = 'done'"), 50);
}

}  // namespace
}  // namespace radqs::jobs
