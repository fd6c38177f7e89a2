// Reading list filters from the query string the way Fields reads a body: every bad parameter
// is collected with its name and rule, so a request is refused with the complete list. An
// empty parameter ("?state=") counts as absent, as a cleared filter in a form sends it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "core/time.h"
#include "platform/http/http.h"

namespace radqs::http {

class QueryParams {
 public:
  explicit QueryParams(const Request& request) : request_(request) {}

  std::optional<std::string> Text(std::string_view name) const;
  // An integer in [min, max] (rule "type" otherwise); ids use the defaults.
  std::optional<std::int64_t> Integer(std::string_view name, std::int64_t min = 1,
                                      std::int64_t max = INT64_MAX);
  // "true"/"1" or "false"/"0" (rule "type" otherwise).
  std::optional<bool> Boolean(std::string_view name);
  // One of `keys` (rule "enum" otherwise).
  template <class Keys>
  std::optional<std::string> Enum(std::string_view name, const Keys& keys) {
    auto v = Text(name);
    if (!v) return v;
    for (const auto& k : keys) {
      if (*v == k) return v;
    }
    Reject(std::string(name), "enum", "is not a known value");
    return std::nullopt;
  }
  // A real date "YYYY-MM-DD" (rule "date" otherwise).
  std::optional<Date> Day(std::string_view name);
  // The instant a local date begins; `add_days` = 1 turns a "to" date into the end of that day.
  std::optional<Micros> DayStart(std::string_view name, int utc_offset_minutes, int add_days = 0);

  void Reject(std::string name, std::string rule, std::string message);
  bool HasErrors() const { return !errors_.empty(); }
  // Ok when every parameter read was good; else a validation error naming each bad one.
  Result<void> Finish() const;

 private:
  const Request& request_;
  std::vector<FieldError> errors_;
};

}  // namespace radqs::http
