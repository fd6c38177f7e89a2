#include "platform/http/query_params.h"

#include <fmt/format.h>
#include <charconv>

namespace radqs::http {

std::optional<std::string> QueryParams::Text(std::string_view name) const {
  auto v = request_.Query(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> QueryParams::Integer(std::string_view name, std::int64_t min,
                                                 std::int64_t max) {
  const auto v = Text(name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
    Reject(std::string(name), "type",
           max == INT64_MAX && min == 1
               ? "must be an id"
               : fmt::format("must be an integer from {} to {}", min, max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> QueryParams::Boolean(std::string_view name) {
  const auto v = Text(name);
  if (!v) return std::nullopt;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  Reject(std::string(name), "type", "must be true or false");
  return std::nullopt;
}

std::optional<Date> QueryParams::Day(std::string_view name) {
  const auto v = Text(name);
  if (!v) return std::nullopt;
  auto d = ParseDate(*v);
  if (!d) Reject(std::string(name), "date", "must be a real date as YYYY-MM-DD");
  return d;
}

std::optional<Micros> QueryParams::DayStart(std::string_view name, int utc_offset_minutes,
                                            int add_days) {
  const auto d = Day(name);
  if (!d) return std::nullopt;
  return StartOfLocalDate(Date{d->days + add_days}, utc_offset_minutes);
}

void QueryParams::Reject(std::string name, std::string rule, std::string message) {
  errors_.push_back({std::move(name), std::move(rule), std::move(message)});
}

Result<void> QueryParams::Finish() const {
  if (errors_.empty()) return {};
  return Error::Validation(errors_);
}

}  // namespace radqs::http
