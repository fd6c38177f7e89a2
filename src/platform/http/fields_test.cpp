#include "platform/http/fields.h"

#include <gtest/gtest.h>

namespace radqs::http {
namespace {

TEST(Fields, MalformedJsonIsRefusedWithItsOwnCode) {
  auto f = Fields::Parse("{\"a\": ");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, ErrorCode::kMalformedJson);
  EXPECT_EQ(Fields::Parse("[1,2]").error().code, ErrorCode::kMalformedJson);
  EXPECT_TRUE(Fields::Parse(""));
}

TEST(Fields, EveryProblemIsListedWithFieldAndRule) {
  auto f = Fields::Parse(R"({"code": 5, "beds": -1, "name": "  ", "since": "2023-02-30"})");
  ASSERT_TRUE(f);
  f->Text("code", {.required = true});
  f->Integer("beds", {.min = 0});
  f->Text("name", {.required = true});
  f->Day("since");
  f->Text("level", {.required = true});
  auto r = f->Finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  std::vector<std::string> got;
  for (const auto& e : r.error().fields) got.push_back(e.field + ":" + e.rule);
  EXPECT_EQ(got, (std::vector<std::string>{"code:type", "beds:min", "name:required", "since:date",
                                           "level:required"}));
}

TEST(Fields, UnknownFieldsAreNamed) {
  auto f = Fields::Parse(R"({"name": "CT1", "colour": "red"})");
  f->Text("name");
  auto r = f->Finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnknownField);
  EXPECT_EQ(r.error().fields.at(0).field, "colour");
}

TEST(Fields, TextIsTrimmedAndMeasuredInCharacters) {
  auto f = Fields::Parse(R"({"name": "  放射科  "})");
  EXPECT_EQ(*f->Text("name", {.max_length = 3}), "放射科");
  auto g = Fields::Parse(R"({"name": "放射科室"})");
  EXPECT_FALSE(g->Text("name", {.max_length = 3}));
}

TEST(Fields, EnumsListTheAllowedValues) {
  auto f = Fields::Parse(R"({"modality": "PET"})");
  EXPECT_FALSE(f->Enum("modality", {"CT", "MR"}));
  auto r = f->Finish();
  EXPECT_EQ(r.error().fields.at(0).rule, "enum");
  EXPECT_NE(r.error().fields.at(0).message.find("CT, MR"), std::string::npos);
}

}  // namespace
}  // namespace radqs::http
