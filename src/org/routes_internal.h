// What the organisation routes share (private to src/org): reading request bodies into records,
// query filters, the standard error answers, and today's date and alert days.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "org/org.h"
#include "org/org_store.h"
#include "platform/http/fields.h"
#include "platform/http/query_params.h"
#include "platform/http/route.h"

namespace radqs::org::detail {

// The local calendar day and the alert windows in force, read once per request.
struct Today {
  Date date;
  std::int64_t licence_alert_days = 90;
  std::int64_t certificate_alert_days = 90;
};
Today TodayOf(http::Context& ctx);

// Reads body fields into a record. On create, `required` fields must be present and the others
// keep the record's defaults; on update (PATCH) only the fields present are read, and a present
// field of a non-nullable column may not be null.
class Body {
 public:
  Body(http::Fields& fields, bool create) : f_(fields), create_(create) {}
  void Text(std::string_view key, std::string& into, bool required, std::size_t max_length,
            bool multiline = false);
  // A key with a default (e.g. status): optional on create, where null keeps the default; on
  // update a present value may not be null.
  void Keyword(std::string_view key, std::string& into, std::size_t max_length);
  void Integer(std::string_view key, std::int64_t& into, bool required, http::IntRule rule);
  void Boolean(std::string_view key, bool& into);
  void Day(std::string_view key, Date& into);                         // required
  void OptionalDay(std::string_view key, std::optional<Date>& into);  // null clears
  void TextList(std::string_view key, std::vector<std::string>& into, std::size_t max_items,
                std::size_t max_length);
  // A field that cannot change through this route: refused with rule "not_editable".
  void NotEditable(std::string_view key, std::string message);

 private:
  http::Fields& f_;
  bool create_;
};

// Finishes reading a body: the errors of the fields (unknown ones included) plus the record
// rules; a rule error on a field that already has an error is left out, so each field is named
// once. Only unknown fields → code unknown_field; otherwise validation_failed.
Result<void> Conclude(http::Fields& f, const std::vector<FieldError>& rule_errors);

// 409 conflict naming the field, rule "unique".
http::Response Duplicate(std::string field, std::string message);
http::Response NotFound(std::string_view what);

store::Cursor CursorOf(const http::Page& page);

// Audits a change with the record before and after, in the request's transaction.
void AuditChange(http::Context& ctx, std::string action, std::string entity, std::int64_t id,
                 const Json* before, const Json* after);

}  // namespace radqs::org::detail

namespace radqs::org {
// The route groups, assembled by Routes() (home_routes.cpp).
std::vector<http::Route> SiteRoutes();
std::vector<http::Route> RoomRoutes();
std::vector<http::Route> DepartmentRoutes();
std::vector<http::Route> StaffRoutes();
std::vector<http::Route> CertificateRoutes();
}  // namespace radqs::org
