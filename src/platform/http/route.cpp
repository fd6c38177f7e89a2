#include "platform/http/route.h"

#include <algorithm>
#include <charconv>

namespace radqs::http {

int Context::UtcOffsetMinutes() {
  return static_cast<int>(settings().Int("site.utc_offset_minutes"));
}

audit::Entry Context::MakeEntry(std::string action, std::string entity,
                                std::string entity_id) const {
  audit::Entry e;
  e.at = Now();
  e.actor_user_id = principal.ActorId();
  e.actor = principal.authenticated ? principal.username : "anonymous";
  e.action = std::move(action);
  e.entity = std::move(entity);
  e.entity_id = std::move(entity_id);
  e.request_id = request.request_id;
  e.ip = request.remote_ip;
  return e;
}

void Context::Audit(std::string action, std::string entity, std::string entity_id,
                    const Json* before, const Json* after, std::string detail,
                    db::Transaction* in) {
  audit::Entry e = MakeEntry(std::move(action), std::move(entity), std::move(entity_id));
  if (before != nullptr) e.before_digest = audit::Digest(*before);
  if (after != nullptr) e.after_digest = audit::Digest(*after);
  e.detail = std::move(detail);
  audit::Append(in != nullptr ? *in : *tx_, e);
}

void Context::AuditRead(std::string action, std::string entity, std::string entity_id,
                        std::string detail) {
  audit::Entry e = MakeEntry(std::move(action), std::move(entity), std::move(entity_id));
  e.detail = std::move(detail);
  services_.read_audit->Push(std::move(e));
}

namespace {

bool ParseId(const std::string& s, std::int64_t& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Result<int> ReadLimit(const Request& req) {
  auto l = req.Query("limit");
  if (!l) return 50;
  std::int64_t v = 0;
  if (!ParseId(*l, v) || v < 1 || v > 500) {
    return Error::Field(ErrorCode::kValidationFailed,
                        {"limit", "max", "must be an integer from 1 to 500", "", {{"max", 500}}});
  }
  return static_cast<int>(v);
}

Result<Page> ReadPage(const Request& req) {
  Page p;
  std::vector<FieldError> errors;
  if (auto limit = ReadLimit(req)) {
    p.limit = *limit;
  } else {
    errors.push_back(limit.error().fields.at(0));
  }
  if (auto c = req.Query("cursor"); c && !c->empty()) {
    std::int64_t v = 0;
    if (!ParseId(*c, v)) {
      errors.push_back({"cursor", "format", "is not a cursor from a previous page"});
    } else {
      p.after_id = v;
    }
  }
  if (!errors.empty()) return Error::Validation(std::move(errors));
  return p;
}

bool TotalAsked(const Request& req) { return req.Query("total") == "true"; }

void WriteListTotal(JsonWriter& w, const std::function<std::int64_t(std::int64_t cap)>& count) {
  const std::int64_t total = count(kListTotalCap);
  w.Field("total", std::min(total, kListTotalCap)).Field("total_capped", total > kListTotalCap);
}

Json PageOf(Json items, const Page& page) {
  Json next = nullptr;
  if (items.size() > static_cast<std::size_t>(page.limit)) {
    items.erase(items.size() - 1);
    next = std::to_string(items.back().at("id").get<std::int64_t>());
  }
  return Json{{"items", std::move(items)}, {"next_cursor", next}};
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string, std::less<>>& params) {
  std::size_t pi = 0, si = 0;
  while (pi < pattern.size() && si <= path.size()) {
    if (pattern[pi] == '{') {
      const auto close = pattern.find('}', pi);
      const auto name = pattern.substr(pi + 1, close - pi - 1);
      auto end = path.find('/', si);
      if (end == std::string_view::npos) end = path.size();
      if (end == si) return false;
      params[std::string(name)] = std::string(path.substr(si, end - si));
      pi = close + 1;
      si = end;
    } else {
      if (si >= path.size() || pattern[pi] != path[si]) return false;
      ++pi;
      ++si;
    }
  }
  return pi == pattern.size() && si == path.size();
}

Json OpenApi(const std::vector<Route>& routes) {
  Json paths = Json::object();
  for (const auto& r : routes) {
    std::string method(MethodName(r.method));
    for (auto& ch : method) ch = static_cast<char>(std::tolower(ch));
    Json op{{"summary", r.summary},
            {"tags", Json::array({r.tag})},
            {"x-permission", std::string(auth::PermissionKey(r.permission))}};
    Json roles = Json::array();
    for (auto role : auth::RolesGranting(r.permission)) roles.push_back(std::string(role));
    op["x-roles"] = roles;
    Json parameters = Json::array();
    std::map<std::string, std::string, std::less<>> ignored;
    for (std::size_t i = r.pattern.find('{'); i != std::string::npos;
         i = r.pattern.find('{', i + 1)) {
      const auto close = r.pattern.find('}', i);
      parameters.push_back({{"name", r.pattern.substr(i + 1, close - i - 1)},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}}});
    }
    if (r.xlsx != nullptr) {
      // The list's own filters apply; the export adds these two.
      parameters.push_back({{"name", "format"},
                            {"in", "query"},
                            {"description", "xlsx: the whole filtered list as an XLSX file"},
                            {"schema", {{"type", "string"}, {"enum", {"xlsx"}}}}});
      parameters.push_back({{"name", "lang"},
                            {"in", "query"},
                            {"description", "zh-CN (default) or en; else Accept-Language"},
                            {"schema", {{"type", "string"}}}});
      op["x-export"] = {{"format", "xlsx"}, {"columns", r.xlsx->columns.size()}};
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    if (!r.body.is_null()) {
      op["requestBody"] = {{"content", {{"application/json", {{"schema", r.body}}}}}};
    }
    op["responses"] = {
        {"default", {{"description", "JSON; errors as {error: {code, message, fields}}"}}}};
    paths[r.pattern][method] = op;
  }
  return Json{
      {"openapi", "3.0.3"}, {"info", {{"title", "RadQS API"}, {"version", "1"}}}, {"paths", paths}};
}

}  // namespace radqs::http
