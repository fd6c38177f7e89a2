// Reading a JSON request body field by field: every problem is collected with the field and the
// rule it breaks, and fields nobody asked for are reported as unknown — so a bad request is
// refused as a whole with a complete list, and nothing is half-applied.
//
// Contract:
// - Every request body is parsed by Fields::Parse, and only there: a body nested deeper than
//   kMaxBodyDepth is refused before any tree is built (field "body", rule "depth"), so no
//   recursive walk over client JSON (copies, dumps, checks) can run out of stack.
// - A wrong type anywhere, nested values included, is a FieldError naming the field by its path
//   ("documents[0].guardian", rule "type"), never an exception: readers check the type before
//   reading, and nested values are read through a Shape.
// - Every text is bounded (TextRule::max_length, in code points) and refuses control characters
//   (C0, DEL, C1) and the bidirectional controls U+202A–U+202E, U+2066–U+2069 (rule
//   "control_character"); line breaks and tabs only where the rule says `multiline`.
// - The error list holds one entry per field: the first rule that failed.
// - Not thread-safe: one reader per request.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "platform/json.h"

namespace radqs::http {

// The deepest nesting a request body may have; the top-level object is level 1.
inline constexpr int kMaxBodyDepth = 32;

struct TextRule {
  bool required = false;
  std::size_t max_length = 200;  // in characters (UTF-8 code points)
  bool allow_empty = false;
  bool multiline = false;  // free text (notes, reasons) may hold line breaks and tabs
};

// Why `text` may not be stored as a text field, or nullopt when it may: a control character, a
// bidirectional control, or (unless multiline) a line break or tab. Assumes valid UTF-8 (the
// parser guarantees it). Answers {rule, message}.
std::optional<FieldError> TextCharacterProblem(std::string_view text, bool multiline);

// The expected shape of a nested value read with Fields::Raw: a mismatch anywhere is refused
// naming its path ("contrast.volume_ml", "consents[1].type") with rule "type"; members not
// declared are "unknown_field"; text members follow their TextRule (required, length,
// characters). Null members read as absent and are dropped from the value answered, so code
// that reads the checked value with Json::value(key, default) gets the default.
struct Shape {
  enum class Kind { kAny, kText, kNumber, kInteger, kBoolean, kObject, kList };
  struct Member;
  Kind kind = Kind::kAny;
  TextRule text;                // kText
  std::vector<Member> members;  // kObject
  std::vector<Shape> item;      // kList: the one shape of every element

  static Shape Text(TextRule rule = {});
  static Shape Number();
  static Shape Integer();
  static Shape Boolean();
  static Shape Object(std::vector<Member> members);
  static Shape List(Shape item);
};
struct Shape::Member {
  std::string key;
  Shape shape;
  bool required = false;
};

struct IntRule {
  bool required = false;
  std::optional<std::int64_t> min, max;
};

class Fields {
 public:
  // Parses a body that must be a JSON object (an empty body reads as {}).
  static Result<Fields> Parse(std::string_view body);
  explicit Fields(Json object) : obj_(std::move(object)) {}

  bool Has(std::string_view key) const;
  bool IsNull(std::string_view key) const;
  std::optional<std::string> Text(std::string_view key, TextRule rule = {});
  std::optional<std::int64_t> Integer(std::string_view key, IntRule rule = {});
  std::optional<bool> Boolean(std::string_view key, bool required = false);
  // "YYYY-MM-DD". A null value is accepted (reads as nullopt) unless required.
  std::optional<Date> Day(std::string_view key, bool required = false);
  std::optional<Micros> Instant(std::string_view key, bool required = false);
  std::optional<std::string> Enum(std::string_view key,
                                  std::initializer_list<std::string_view> allowed,
                                  bool required = false);
  // A list of texts, each one following `item` (its `required` means "not empty").
  std::optional<std::vector<std::string>> TextList(std::string_view key, bool required = false,
                                                   TextRule item = {});
  // Any JSON value, unchecked (settings values are checked by their definition).
  std::optional<Json> Raw(std::string_view key, bool required = false);
  // A nested value of the given shape; nullopt (and the problems rejected) when it does not fit.
  std::optional<Json> Raw(std::string_view key, const Shape& shape, bool required = false);

  // Records a problem; a field that already has one keeps its first (one entry per field).
  void Reject(std::string field, std::string rule, std::string message);
  void Reject(FieldError error);  // keeps the error's message key and parameters
  bool HasErrors() const { return !errors_.empty(); }
  // The collected errors, unknown fields included; ok when there are none.
  Result<void> Finish();

 private:
  const Json* Get(std::string_view key, bool required);
  std::optional<std::string> CheckText(const std::string& field, const Json& v, TextRule rule);
  bool CheckShape(const std::string& path, const Json& v, const Shape& shape, Json& out);
  Json obj_;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldError> errors_;
};

std::size_t Utf8Length(std::string_view s);

}  // namespace radqs::http
