#include "platform/http/query_params.h"

#include <gtest/gtest.h>

namespace radqs::http {
namespace {

Request With(std::map<std::string, std::string, std::less<>> query) {
  Request r;
  r.query = std::move(query);
  return r;
}

TEST(QueryParams, EmptyParametersAreAbsent) {
  const Request r = With({{"state", ""}, {"exam_id", ""}});
  QueryParams q(r);
  EXPECT_FALSE(q.Text("state"));
  EXPECT_FALSE(q.Integer("exam_id"));
  EXPECT_TRUE(q.Finish().has_value());
}

TEST(QueryParams, ReadsIdsIntegersAndLocalDays) {
  const Request r = With({{"exam_id", "42"}, {"limit", "500"}, {"from", "2026-11-23"}});
  QueryParams q(r);
  EXPECT_EQ(q.Integer("exam_id"), 42);
  EXPECT_EQ(q.Integer("limit", 1, 500), 500);
  // 2026-11-23 00:00 at UTC+8 is 2026-11-22T16:00Z; a "to" day ends at the next midnight.
  EXPECT_EQ(FormatInstant(*q.DayStart("from", 480)), "2026-11-22T16:00:00Z");
  EXPECT_EQ(FormatInstant(*q.DayStart("from", 480, 1)), "2026-11-23T16:00:00Z");
  EXPECT_TRUE(q.Finish().has_value());
}

TEST(QueryParams, CollectsEveryBadParameterWithItsRule) {
  const Request r = With({{"exam_id", "12x"}, {"limit", "501"}, {"to", "2026-02-30"}});
  QueryParams q(r);
  EXPECT_FALSE(q.Integer("exam_id"));
  EXPECT_FALSE(q.Integer("limit", 1, 500));
  EXPECT_FALSE(q.DayStart("to", 480, 1));
  const auto done = q.Finish();
  ASSERT_FALSE(done.has_value());
  std::vector<std::string> got;
  for (const auto& f : done.error().fields) got.push_back(f.field + ":" + f.rule + ":" + f.message);
  EXPECT_EQ(got, (std::vector<std::string>{"exam_id:type:must be an id",
                                           "limit:type:must be an integer from 1 to 500",
                                           "to:date:must be a real date as YYYY-MM-DD"}));
}

}  // namespace
}  // namespace radqs::http
