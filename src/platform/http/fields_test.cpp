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

std::vector<std::string> Rules(const Result<void>& r) {
  std::vector<std::string> got;
  if (!r) {
    for (const auto& e : r.error().fields) got.push_back(e.field + ":" + e.rule);
  }
  return got;
}

TEST(Fields, DeepNestingIsRefusedAtParseBeforeATreeIsBuilt) {
  // 520,000 levels overflowed the stack in the recursive copy of a Raw read.
  const std::string deep =
      "{\"documents\":" + std::string(520000, '[') + std::string(520000, ']') + "}";
  auto f = Fields::Parse(deep);
  ASSERT_FALSE(f);
  EXPECT_EQ(Describe(f.error().code).http_status, 400);
  ASSERT_EQ(f.error().fields.size(), 1u);
  EXPECT_EQ(f.error().fields[0].field, "body");
  EXPECT_EQ(f.error().fields[0].rule, "depth");
  // The limit counts the top-level object as level 1.
  auto nested = [](int levels) {
    return "{\"a\":" + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
  };
  EXPECT_TRUE(Fields::Parse(nested(kMaxBodyDepth)));
  EXPECT_FALSE(Fields::Parse(nested(kMaxBodyDepth + 1)));
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(Fields::Parse("{\"a\":\"" + std::string(1000, '[') + "\"}"));
}

TEST(Fields, ControlAndBidirectionalCharactersAreRefusedInText) {
  for (const char* bad :
       {"张\\u0000三", "张\\u202e三", "张\\u2066三", "张\\u0085三", "张\\u007f三"}) {
    auto f = Fields::Parse(std::string("{\"name\": \"") + bad + "\"}");
    EXPECT_FALSE(f->Text("name")) << bad;
    EXPECT_EQ(Rules(f->Finish()), std::vector<std::string>{"name:control_character"}) << bad;
  }
  auto lines = Fields::Parse(R"({"name": "张\r\n三", "note": "第一行\n第二行\t完"})");
  EXPECT_FALSE(lines->Text("name"));
  EXPECT_EQ(*lines->Text("note", {.multiline = true}), "第一行\n第二行\t完");
  EXPECT_EQ(Rules(lines->Finish()), std::vector<std::string>{"name:single_line"});
  auto nul_in_note = Fields::Parse(R"({"note": "a\u0000b"})");
  EXPECT_FALSE(nul_in_note->Text("note", {.multiline = true}));
}

TEST(Fields, TextListItemsAreBoundedAndChecked) {
  auto f = Fields::Parse(R"({"tags": ["ok", "x\u202ey", "toolong"]})");
  EXPECT_FALSE(f->TextList("tags", false, {.max_length = 5}));
  EXPECT_EQ(Rules(f->Finish()),
            (std::vector<std::string>{"tags[1]:control_character", "tags[2]:max_length"}));
}

TEST(Fields, OneEntryPerFieldTheFirstRuleThatFailed) {
  auto f = Fields::Parse(R"({"birth_date": "0001-13-01"})");
  EXPECT_FALSE(f->Day("birth_date"));
  f->Reject("birth_date", "required", "is required");
  EXPECT_EQ(Rules(f->Finish()), std::vector<std::string>{"birth_date:date"});
}

TEST(Fields, NestedValuesAreCheckedByShapeNamingThePath) {
  const Shape documents = Shape::List(Shape::Object({
      {"type", Shape::Text({.max_length = 16}), true},
      {"number", Shape::Text({.max_length = 64}), true},
      {"guardian", Shape::Boolean()},
      {"guardian_relation", Shape::Text({.max_length = 16})},
  }));
  auto f = Fields::Parse(R"({"documents": [
      {"type": "passport", "number": " E1234 ", "guardian": null},
      {"type": "resident_id", "number": "x", "guardian": "yes", "guardian_relation": 5},
      "text", {"type": 1, "colour": "red"}]})");
  EXPECT_FALSE(f->Raw("documents", documents));
  EXPECT_EQ(Rules(f->Finish()),
            (std::vector<std::string>{"documents[1].guardian:type",
                                      "documents[1].guardian_relation:type", "documents[2]:type",
                                      "documents[3].type:type", "documents[3].number:required",
                                      "documents[3].colour:unknown_field"}));
  auto g = Fields::Parse(R"({"documents": [{"type": "passport", "number": " E1234 ",
                                            "guardian": null}]})");
  const auto ok = g->Raw("documents", documents);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, Json::parse(R"([{"type": "passport", "number": "E1234"}])"));
  EXPECT_TRUE(g->Finish());
}

TEST(Fields, NumbersAndFlagsOfTheWrongTypeAreNamed) {
  auto f = Fields::Parse(R"({"contrast": {"volume_ml": "80", "egfr": 45.5, "metformin": 1,
                                          "count": 2.5}})");
  EXPECT_FALSE(f->Raw("contrast", Shape::Object({{"volume_ml", Shape::Number()},
                                                 {"egfr", Shape::Number()},
                                                 {"metformin", Shape::Boolean()},
                                                 {"count", Shape::Integer()}})));
  EXPECT_EQ(Rules(f->Finish()),
            (std::vector<std::string>{"contrast.volume_ml:type", "contrast.metformin:type",
                                      "contrast.count:type"}));
}

}  // namespace
}  // namespace radqs::http
