#include <gtest/gtest.h>

#include "exam/patient.h"

namespace radqs::exam {
namespace {

const Date kToday = DateFromCivil({2026, 12, 2});

std::vector<std::string> Rules(Patient p) {
  std::vector<std::string> got;
  for (const auto& e : ValidatePatient(p, kToday)) got.push_back(e.field + ":" + e.rule);
  return got;
}

Patient Someone() {
  Patient p;
  p.name = "张三";
  p.sex = "M";
  p.birth_date = DateFromCivil({1980, 1, 1});
  return p;
}

// 11010520300101001X is well formed (check character included) but its holder is born in 2030.
constexpr const char* kFutureId = "11010520300101001X";

TEST(ValidatePatient, BirthDatesFrom1900UntilToday) {
  Patient p = Someone();
  p.birth_date = DateFromCivil({1, 1, 1});
  EXPECT_EQ(Rules(p), std::vector<std::string>{"birth_date:min"});
  p.birth_date = DateFromCivil({1899, 12, 31});
  EXPECT_EQ(Rules(p), std::vector<std::string>{"birth_date:min"});
  p.birth_date = DateFromCivil({1900, 1, 1});
  EXPECT_TRUE(Rules(p).empty());
  p.birth_date = kToday;
  EXPECT_TRUE(Rules(p).empty());
  p.birth_date = Date{kToday.days + 1};
  EXPECT_EQ(Rules(p), std::vector<std::string>{"birth_date:max"});
}

TEST(ValidatePatient, AnIdentityNumberBornInTheFutureIsRefusedWhoeverHoldsIt) {
  Patient unidentified;
  unidentified.name = "无名氏";
  unidentified.sex = "U";
  unidentified.unidentified = true;
  unidentified.estimated_age = 30;
  unidentified.documents = {{"resident_id", kFutureId, false, ""}};
  EXPECT_EQ(Rules(unidentified), std::vector<std::string>{"documents[0].number:birth_date"});

  Patient newborn = Someone();
  newborn.birth_date = DateFromCivil({2026, 11, 1});
  newborn.documents = {{"resident_id", kFutureId, true, "母亲"}};
  EXPECT_EQ(Rules(newborn), std::vector<std::string>{"documents[0].number:birth_date"});
}

TEST(ValidatePatient, OneEntryPerFieldTheFirstRuleThatFails) {
  // A future birth date that also disagrees with the ID: one entry for birth_date.
  Patient p = Someone();
  p.birth_date = Date{kToday.days + 10};
  p.documents = {{"resident_id", "11010519491231002X", false, ""}};
  p.sex = "F";
  EXPECT_EQ(Rules(p), std::vector<std::string>{"birth_date:max"});
}

}  // namespace
}  // namespace radqs::exam
