// Reading a JSON request body field by field: every problem is collected with the field and the
// rule it breaks, and fields nobody asked for are reported as unknown — so a bad request is
// refused as a whole with a complete list, and nothing is half-applied.
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

struct TextRule {
  bool required = false;
  std::size_t max_length = 200;  // in characters (UTF-8 code points)
  bool allow_empty = false;
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
  std::optional<std::vector<std::string>> TextList(std::string_view key, bool required = false);
  // Any JSON value, unchecked (settings values are checked by their definition).
  std::optional<Json> Raw(std::string_view key, bool required = false);

  void Reject(std::string field, std::string rule, std::string message);
  bool HasErrors() const { return !errors_.empty(); }
  // The collected errors, unknown fields included; ok when there are none.
  Result<void> Finish();

 private:
  const Json* Get(std::string_view key, bool required);
  Json obj_;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldError> errors_;
};

std::size_t Utf8Length(std::string_view s);

}  // namespace radqs::http
