#include "org/routes_internal.h"

#include <set>

#include "platform/config/settings.h"

namespace radqs::org::detail {
Today TodayOf(http::Context& ctx) {
  // spec: architecture.md "Time" — dates use the site's fixed UTC offset.
  auto& settings = ctx.settings();
  Today t;
  t.date = ctx.Today();
  // spec: domain.md §1 — expired or expiring (≤ 90 days, configurable) licences raise alerts.
  t.licence_alert_days = settings.IntOn("org.licence_alert_days", t.date);
  t.certificate_alert_days = settings.IntOn("org.certificate_alert_days", t.date);
  return t;
}

void Body::Text(std::string_view key, std::string& into, bool required, std::size_t max_length,
                bool multiline) {
  const bool present = f_.Has(key);
  auto v = f_.Text(key, {.required = required && (create_ || present),
                         .max_length = max_length,
                         .multiline = multiline});
  if (v) {
    into = *v;
  } else if (!required && f_.IsNull(key)) {
    into.clear();  // optional text: null clears it
  }
}

void Body::Keyword(std::string_view key, std::string& into, std::size_t max_length) {
  if (auto v = f_.Text(key, {.required = !create_ && f_.Has(key), .max_length = max_length})) {
    into = *v;
  }
}

void Body::Integer(std::string_view key, std::int64_t& into, bool required, http::IntRule rule) {
  rule.required = create_ ? required : f_.Has(key);
  if (auto v = f_.Integer(key, rule)) into = *v;
}

void Body::Boolean(std::string_view key, bool& into) {
  if (auto v = f_.Boolean(key, !create_ && f_.Has(key))) into = *v;
}

void Body::Day(std::string_view key, Date& into) {
  if (auto v = f_.Day(key, create_ || f_.Has(key))) into = *v;
}

void Body::OptionalDay(std::string_view key, std::optional<Date>& into) {
  const bool cleared = f_.IsNull(key);
  if (auto v = f_.Day(key, false)) {
    into = v;
  } else if (cleared) {
    into.reset();
  }
}

void Body::TextList(std::string_view key, std::vector<std::string>& into, std::size_t max_items,
                    std::size_t max_length) {
  const bool cleared = f_.IsNull(key);
  auto v = f_.TextList(key, false);
  if (!v) {
    if (cleared) into.clear();
    return;
  }
  std::vector<std::string> out;
  for (auto& item : *v) {
    const auto first = item.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;  // blank entries are dropped
    item = item.substr(first, item.find_last_not_of(" \t\r\n") - first + 1);
    if (http::Utf8Length(item) > max_length) {
      f_.Reject(std::string(key), "max_length",
                "each entry must be at most " + std::to_string(max_length) + " characters");
      return;
    }
    out.push_back(std::move(item));
  }
  if (out.size() > max_items) {
    f_.Reject(std::string(key), "max", "at most " + std::to_string(max_items) + " entries");
    return;
  }
  into = std::move(out);
}

void Body::NotEditable(std::string_view key, std::string message) {
  if (!f_.Has(key)) return;
  (void)f_.Raw(key);  // mark it seen: it is known, only not editable here
  f_.Reject(std::string(key), "not_editable", std::move(message));
}

Result<void> Conclude(http::Fields& f, const std::vector<FieldError>& rule_errors) {
  auto finished = f.Finish();
  if (finished && rule_errors.empty()) return {};
  std::vector<FieldError> all;
  if (!finished) all = finished.error().fields;
  std::set<std::string, std::less<>> named;
  for (const auto& e : all) named.insert(e.field);
  bool added = false;
  for (const auto& e : rule_errors) {
    if (named.insert(e.field).second) {
      all.push_back(e);
      added = true;
    }
  }
  if (!finished && !added) return finished.error();
  return Error::Validation(std::move(all));
}

http::Response Duplicate(std::string field, std::string message) {
  return http::ErrorResponse(
      Error::Field(ErrorCode::kConflict, std::move(field), "unique", std::move(message)));
}

http::Response NotFound(std::string_view what) {
  return http::ErrorResponse(Error::NotFound(what));
}

store::Cursor CursorOf(const http::Page& page) { return {page.after_id, page.limit + 1}; }

void AuditChange(http::Context& ctx, std::string action, std::string entity, std::int64_t id,
                 const Json* before, const Json* after) {
  ctx.Audit(std::move(action), std::move(entity), std::to_string(id), before, after);
}

}  // namespace radqs::org::detail
