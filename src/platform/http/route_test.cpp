#include "platform/http/route.h"

#include <gtest/gtest.h>

namespace radqs::http {
namespace {

TEST(Routes, PatternsCaptureParameters) {
  std::map<std::string, std::string, std::less<>> p;
  EXPECT_TRUE(MatchPattern("/api/v1/sites/{id}/licences", "/api/v1/sites/12/licences", p));
  EXPECT_EQ(p["id"], "12");
  p.clear();
  EXPECT_FALSE(MatchPattern("/api/v1/sites/{id}", "/api/v1/sites/", p));
  EXPECT_FALSE(MatchPattern("/api/v1/sites/{id}", "/api/v1/sites/1/x", p));
  EXPECT_FALSE(MatchPattern("/api/v1/sites", "/api/v1/sitesx", p));
  EXPECT_TRUE(MatchPattern("/api/v1/sites", "/api/v1/sites", p));
}

TEST(Requests, OnlyPlainRequestIdsAreKept) {
  EXPECT_TRUE(IsValidRequestId("trace-42.a_B"));
  EXPECT_TRUE(IsValidRequestId(std::string(64, 'x')));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId(std::string(65, 'x')));
  for (const char* bad : {"a b", "a\tb", "a\nb", "id;drop", "<x>", "\xe9"}) {
    EXPECT_FALSE(IsValidRequestId(bad)) << bad;
  }
}

TEST(Routes, PagesCarryACursorOnlyWhenMoreExist) {
  Page page{2, std::nullopt};
  Json three = Json::array({{{"id", 1}}, {{"id", 2}}, {{"id", 3}}});
  Json out = PageOf(three, page);
  EXPECT_EQ(out["items"].size(), 2u);
  EXPECT_EQ(out["next_cursor"], "2");
  EXPECT_TRUE(PageOf(Json::array({{{"id", 1}}}), page)["next_cursor"].is_null());
}

TEST(Routes, BadPagingParametersAreNamed) {
  Request r;
  r.query["limit"] = "0";
  r.query["cursor"] = "abc";
  auto page = ReadPage(r);
  ASSERT_FALSE(page);
  ASSERT_EQ(page.error().fields.size(), 2u);
  EXPECT_EQ(page.error().fields[0].field, "limit");
  EXPECT_EQ(page.error().fields[1].field, "cursor");
}

TEST(Routes, OpenApiListsEveryRouteWithItsPermission) {
  std::vector<Route> routes = {{Method::kGet, "/api/v1/x/{id}", auth::Permission::kOrgRead,
                                Mode::kRead, "x", "Get x", nullptr, nullptr}};
  Json doc = OpenApi(routes);
  const Json& op = doc["paths"]["/api/v1/x/{id}"]["get"];
  EXPECT_EQ(op["summary"], "Get x");
  EXPECT_EQ(op["x-permission"], "org.read");
  EXPECT_EQ(op["parameters"][0]["name"], "id");
}

}  // namespace
}  // namespace radqs::http
