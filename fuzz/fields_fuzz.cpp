// Fuzz target: a request body read the way every route reads one — Fields::Parse (the depth
// limit included), each reader on a few keys, nested values through a Shape, and Finish.
// Nothing may throw, crash or recurse past the depth limit; the error list has one entry per
// field, each naming the field and a rule.
#include <cstdint>
#include <set>
#include <string>

#include "platform/http/fields.h"

namespace {

using radqs::Json;
using radqs::http::Fields;
using radqs::http::Shape;

// Recursive on purpose: a tree deeper than the limit would have to come out of Parse first.
int Depth(const Json& j) {
  int deepest = 0;
  if (j.is_structured()) {
    for (const auto& e : j) deepest = std::max(deepest, Depth(e));
    return deepest + 1;
  }
  return 0;
}

const Shape& Nested() {
  static const Shape kShape = Shape::List(Shape::Object({
      {"type", Shape::Text({.max_length = 16}), true},
      {"number", Shape::Text({.required = true, .max_length = 32}), true},
      {"flag", Shape::Boolean()},
      {"n", Shape::Integer()},
      {"x", Shape::Number()},
      {"inner", Shape::Object({{"note", Shape::Text({.max_length = 50, .multiline = true})},
                               {"list", Shape::List(Shape::Text())}})},
  }));
  return kShape;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto f = Fields::Parse(body);
  if (!f) {
    if (f.error().fields.empty()) __builtin_trap();  // the rule is always named
    return 0;
  }
  for (const char* key : {"a", "name", "documents", "version", "note", "tags", "d"}) {
    (void)f->Has(key);
    (void)f->IsNull(key);
    if (auto raw = f->Raw(key)) {
      if (Depth(*raw) >= radqs::http::kMaxBodyDepth) __builtin_trap();
      (void)raw->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    (void)f->Text(key);
    (void)f->Text(key, {.required = true, .max_length = 8, .multiline = true});
    (void)f->Integer(key, {.min = 0, .max = 100});
    (void)f->Boolean(key);
    (void)f->Day(key);
    (void)f->Instant(key);
    (void)f->Enum(key, {"M", "F", "U"});
    (void)f->TextList(key, false, {.max_length = 4});
    if (auto v = f->Raw(key, Nested())) (void)v->dump();
  }
  const auto done = f->Finish();
  if (!done) {
    std::set<std::string> fields;
    for (const auto& e : done.error().fields) {
      if (e.rule.empty()) __builtin_trap();
      // Unknown fields are listed by Finish after the readers' errors, one entry for each, by
      // the key as sent ("" is a legal JSON key); every other entry names a field.
      if (e.rule == "unknown_field") continue;
      if (e.field.empty() || !fields.insert(e.field).second) __builtin_trap();
    }
  }
  return 0;
}
