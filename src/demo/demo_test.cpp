// The demo department as a department would read it: people's names fit their sex, identity
// numbers are valid and mostly local, shifts put several technologists to work, and today's exams
// have gone only as far as their times allow.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "demo/demo.h"
#include "demo/people.h"
#include "exam/identity.h"
#include "platform/db/test_database.h"

namespace radqs::demo {
namespace {

TEST(People, NamesFitTheSexTheyAreMadeFor) {
  std::mt19937_64 rng(7);
  const Pick pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  for (int i = 0; i < 2000; ++i) {
    const bool female = i % 2 == 0;
    const std::string name = PersonName(female, pick);
    EXPECT_TRUE(NameFitsSex(name, female)) << name;
  }
  EXPECT_FALSE(NameFitsSex("张宇艳", true));  // 宇 is a man's character
  EXPECT_FALSE(NameFitsSex("张宇艳", false));
  EXPECT_TRUE(NameFitsSex("王芳", true));
}

TEST(People, IdentityNumbersAreValidForTheBirthAndSexGiven) {
  std::mt19937_64 rng(11);
  const Pick pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  int local = 0;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    const bool female = i % 3 == 0;
    const Date birth{-3000 + i * 7};
    const std::string number = ResidentIdNumber(birth, female, i % 500, pick);
    const auto parsed = exam::ParseResidentId(number);
    ASSERT_TRUE(parsed) << number;
    EXPECT_EQ(parsed->birth_date.days, birth.days);
    EXPECT_EQ(parsed->sex, female ? 'F' : 'M');
    if (number.starts_with(kSiteProvincePrefix)) ++local;
  }
  EXPECT_GE(local, n * 85 / 100);
  EXPECT_LE(local, n * 95 / 100);
}

class SmallDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    test_db_ = new db::TestDatabase("demo_test");
    db_ = test_db_->get();
    // 15:30 local time: a working afternoon with exams done, running and still to come.
    const Micros now =
        StartOfLocalDate(Date{20790}, kDefaultUtcOffsetMinutes) + (15 * 60 + 30) * kMicrosPerMinute;
    clock_ = new FakeClock(now);
    Generate(*db_, *clock_, SizeNamed("small"), 42);
  }
  static void TearDownTestSuite() {
    delete test_db_;
    delete clock_;
  }
  template <class F>
  static void Each(const char* sql, F&& f) {
    db_->Read([&](db::Transaction& tx) {
      auto s = tx.Prepare(sql);
      while (s.Step()) f(s);
    });
  }
  static inline db::TestDatabase* test_db_ = nullptr;
  static inline db::Database* db_ = nullptr;
  static inline FakeClock* clock_ = nullptr;
};

TEST_F(SmallDemo, PeoplesNamesFitTheirSex) {
  int people = 0;
  Each("SELECT name, sex FROM patients UNION ALL SELECT name, sex FROM staff", [&](auto& s) {
    ++people;
    EXPECT_TRUE(NameFitsSex(s.Text(0), s.Text(1) == "F")) << s.Text(0) << " " << s.Text(1);
  });
  EXPECT_GT(people, 100);
}

TEST_F(SmallDemo, IdentityNumbersAreValidUniqueMatchTheRecordAndMostlyLocal) {
  int all = 0, local = 0;
  std::set<std::string> seen;
  Each(
      "SELECT d.number, p.sex, p.birth_date FROM patient_documents d JOIN patients p ON p.id = "
      "d.patient_id WHERE d.type = 'resident_id'",
      [&](auto& s) {
        const std::string number = s.Text(0);
        ++all;
        EXPECT_TRUE(seen.insert(number).second) << number;
        const auto parsed = exam::ParseResidentId(number);
        ASSERT_TRUE(parsed) << number;
        EXPECT_EQ(std::string(1, parsed->sex), s.Text(1));
        EXPECT_EQ(parsed->birth_date.days, s.Int(2));
        if (number.starts_with(kSiteProvincePrefix)) ++local;
      });
  EXPECT_GT(all, 100);
  EXPECT_GE(local * 100, all * 80);
}

TEST_F(SmallDemo, SeveralTechnologistsRecordRejectsAndAcquisitions) {
  std::set<std::string> rejecting, acquiring, staff;
  Each("SELECT name FROM staff WHERE category = 'technologist'",
       [&](auto& s) { staff.insert(s.Text(0)); });
  Each("SELECT technologist FROM rejects", [&](auto& s) { rejecting.insert(s.Text(0)); });
  Each("SELECT DISTINCT actor FROM exam_events WHERE to_state = 'acquired'",
       [&](auto& s) { acquiring.insert(s.Text(0)); });
  EXPECT_GE(rejecting.size(), 3u);
  EXPECT_GE(acquiring.size(), 5u);
  for (const auto& name : acquiring) EXPECT_TRUE(staff.contains(name)) << name;
}

TEST_F(SmallDemo, TodaysExamsWentOnlyAsFarAsTheirTimesAllow) {
  const Micros now = clock_->Now();
  std::map<std::string, int> today;
  db_->Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT state, started_at, acquired_at, arrived_at FROM exams WHERE appointment_at >= ?");
    s.Bind(StartOfLocalDate(LocalDate(now, kDefaultUtcOffsetMinutes), kDefaultUtcOffsetMinutes));
    while (s.Step()) {
      const std::string state = s.Text(0);
      ++today[state];
      if (state == "in_progress") {
        EXPECT_LT(now - *s.OptInt(1), 2 * kMicrosPerHour);  // nobody sits 检查中 for hours
      }
      for (int c = 1; c <= 3; ++c) {
        if (s.OptInt(c)) {
          EXPECT_LE(*s.OptInt(c), now);  // nothing stamped in the future
        }
      }
    }
  });
  EXPECT_GT(today["acquired"], 0);
  EXPECT_GT(today["scheduled"], 0);
  EXPECT_GT(today["arrived"] + today["in_progress"], 0);
}

}  // namespace
}  // namespace radqs::demo
