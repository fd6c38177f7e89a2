// The `?format=xlsx` answer of a list route: every page of the list, as one workbook.
#include <fmt/format.h>

#include <stdexcept>

#include "platform/http/route.h"

namespace radqs::http {
namespace {

constexpr int kPageSize = 500;  // the largest page a list route answers

// RFC 5987: a UTF-8 file name for Content-Disposition.
std::string EncodeFileName(std::string_view name) {
  std::string out;
  for (const unsigned char c : name) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string AsciiName(std::string_view name) {
  std::string out;
  for (const char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-') ? c : '_';
  return out;
}

bool IsPagingOrFormat(std::string_view key) {
  return key == "format" || key == "lang" || key == "limit" || key == "cursor";
}

}  // namespace

void AttachExports(std::vector<Route>& routes, std::vector<ListExport> exports) {
  for (auto& e : exports) {
    bool found = false;
    for (auto& r : routes) {
      if (std::string(MethodName(r.method)) + " " + r.pattern != e.route) continue;
      r.xlsx = std::make_shared<const exporting::ListSpec>(std::move(e.spec));
      found = true;
      break;
    }
    if (!found) throw std::logic_error("export of an unknown route " + e.route);
  }
}

bool WantsXlsx(const Route& route, const Request& req) {
  if (route.xlsx == nullptr || route.method != Method::kGet) return false;
  auto f = req.Query("format");
  return f && *f == "xlsx";
}

Response RunXlsxExport(const Route& route, const Request& req, const auth::Principal& who,
                       const Services& services, db::Transaction& tx) {
  const exporting::ListSpec& spec = *route.xlsx;
  const auto lang =
      exporting::PickLang(req.Query("lang").value_or(""), req.Header("accept-language"));
  const std::int64_t cap = std::max<std::int64_t>(1, services.settings->Int("export.max_rows"));

  Request base = req;
  Json filters = Json::object();
  for (auto it = base.query.begin(); it != base.query.end();) {
    if (IsPagingOrFormat(it->first)) {
      it = base.query.erase(it);
    } else {
      if (!it->second.empty()) filters[it->first] = it->second;
      ++it;
    }
  }
  // The pages' own read-audit entries wait here until the file is made: a refused export
  // showed nobody anything.
  audit::ReadQueue staged;
  Services paging = services;
  paging.read_audit = &staged;

  std::vector<Json> items;
  std::optional<std::string> cursor;
  int offset = kDefaultUtcOffsetMinutes;
  for (;;) {
    Request page = base;
    page.query["limit"] = std::to_string(kPageSize);
    if (cursor) page.query["cursor"] = *cursor;
    Context ctx(page, who, paging, &tx);
    offset = ctx.UtcOffsetMinutes();
    Response r = route.handler(ctx);
    if (r.status >= 400) return r;
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_discarded()) return ErrorResponse({ErrorCode::kInternal, "list answer", {}});
    Json custom;
    if (spec.rows_of) custom = spec.rows_of(body, lang);
    Json* list = spec.rows_of      ? &custom
                 : body.is_array() ? &body
                                   : (body.contains("items") ? &body["items"] : nullptr);
    if (list == nullptr || !list->is_array()) {
      return ErrorResponse({ErrorCode::kInternal, "list answer without items", {}});
    }
    for (auto& item : *list) items.push_back(std::move(item));
    if (static_cast<std::int64_t>(items.size()) > cap) {
      return ErrorResponse(Error::Field(
          ErrorCode::kValidationFailed,
          FieldError{"format",
                     "max_rows",
                     fmt::format("the list has more than {} rows, the most one export holds "
                                 "(setting export.max_rows): narrow the filters",
                                 cap),
                     "",
                     {{"limit", static_cast<std::int64_t>(cap)}}}));
    }
    const bool more = !spec.rows_of && body.is_object() && body.contains("next_cursor") &&
                      body["next_cursor"].is_string() && !list->empty();
    if (!more) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  Context ctx(base, who, services, &tx);
  if (spec.enrich) spec.enrich(tx, ctx.Now(), ctx.Today(), items);

  auto bytes = xlsx::Write(exporting::ToSheet(spec, items, lang, offset));
  if (!bytes) return ErrorResponse(bytes.error());

  for (auto& e : staged.Drain()) services.read_audit->Push(std::move(e));
  const Json detail = {{"format", "xlsx"},
                       {"filters", filters},
                       {"rows", items.size()},
                       {"lang", lang == exporting::Lang::kEn ? "en" : "zh-CN"}};
  ctx.AuditRead("list.export", "list", std::string(MethodName(route.method)) + " " + route.pattern,
                detail.dump());

  const std::string day = FormatDate(ctx.Today());
  Response out;
  out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  out.body = std::move(*bytes);
  out.headers.emplace_back(
      "Content-Disposition",
      fmt::format("attachment; filename=\"{}-{}.xlsx\"; filename*=UTF-8''{}-{}.xlsx",
                  AsciiName(spec.name.en), day, EncodeFileName(spec.name.In(lang)), day));
  out.headers.emplace_back("X-Export-Rows", std::to_string(items.size()));
  out.headers.emplace_back("Cache-Control", "no-store");
  return out;
}

}  // namespace radqs::http
