#include "platform/db/postgres/sql_rewrite.h"

#include <gtest/gtest.h>

namespace radqs::db::postgres {
namespace {

TEST(RewriteForPostgres, NumbersPlaceholdersInOrder) {
  EXPECT_EQ(RewriteForPostgres("SELECT a FROM t WHERE b = ? AND c < ? LIMIT ?"),
            "SELECT a FROM t WHERE b = $1 AND c < $2 LIMIT $3");
}

TEST(RewriteForPostgres, KeepsNumberedPlaceholdersAndCountsOnFromTheLargest) {
  EXPECT_EQ(RewriteForPostgres("WHERE a = ?2 OR b = ?1 OR c = ?"),
            "WHERE a = $2 OR b = $1 OR c = $3");
}

TEST(RewriteForPostgres, LeavesQuotedTextAndCommentsAlone) {
  EXPECT_EQ(RewriteForPostgres("SELECT '?', 'it''s ?', \"like?\" FROM t -- why?\nWHERE x = ?"),
            "SELECT '?', 'it''s ?', \"like?\" FROM t -- why?\nWHERE x = $1");
}

TEST(RewriteForPostgres, LikeIgnoresAsciiCaseAsOnSqlite) {
  EXPECT_EQ(RewriteForPostgres("WHERE name LIKE ? ESCAPE '\\' OR code like ?"),
            "WHERE name ILIKE $1 ESCAPE '\\' OR code ILIKE $2");
  // Only the keyword: names that contain the letters stay.
  EXPECT_EQ(RewriteForPostgres("SELECT likes, unlike FROM t"), "SELECT likes, unlike FROM t");
}

}  // namespace
}  // namespace radqs::db::postgres
