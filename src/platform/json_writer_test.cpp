#include "platform/json_writer.h"

#include <gtest/gtest.h>

#include "platform/json.h"

namespace radqs {
namespace {

TEST(JsonWriter, WritesWhatTheJsonLibraryReadsBack) {
  JsonWriter w;
  w.BeginObject()
      .Field("name", "放射科 \"一\"\n\\")
      .Field("n", std::int64_t{-42})
      .Field("none", std::optional<std::string>())
      .Field("some", std::optional<std::int64_t>(7))
      .Field("ok", true);
  w.Key("list").BeginArray();
  for (int i = 0; i < 3; ++i) w.BeginObject().Field("i", i).EndObject();
  w.EndArray().Key("empty").BeginArray().EndArray().Key("raw").Raw(R"({"a":1})");
  w.Field("ctl", std::string_view("\x01", 1));
  w.Field("edges", "\"a\tb\r\x1f\"");
  w.EndObject();
  const Json j = Json::parse(w.str());
  EXPECT_EQ(j["name"], "放射科 \"一\"\n\\");
  EXPECT_EQ(j["n"], -42);
  EXPECT_TRUE(j["none"].is_null());
  EXPECT_EQ(j["some"], 7);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["list"].size(), 3u);
  EXPECT_EQ(j["list"][2]["i"], 2);
  EXPECT_TRUE(j["empty"].empty());
  EXPECT_EQ(j["raw"]["a"], 1);
  EXPECT_EQ(j["ctl"], "\x01");
  EXPECT_EQ(j["edges"], "\"a\tb\r\x1f\"");
}

}  // namespace
}  // namespace radqs
