#include "platform/http/http.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <variant>

namespace radqs::http {

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
  }
  return "GET";
}

std::string_view Request::Header(std::string_view lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void ParseTarget(Request& r) {
  const auto q = r.target.find('?');
  r.path = PercentDecode(r.target.substr(0, q));
  if (q == std::string::npos) return;
  std::string_view rest(r.target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto part = rest.substr(0, amp);
    const auto eq = part.find('=');
    if (!part.empty()) {
      r.query[PercentDecode(part.substr(0, eq))] =
          eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

std::optional<std::int64_t> Request::IdParam(std::string_view name) const {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  std::int64_t v = 0;
  const auto& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

Response JsonResponse(const Json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response ErrorResponse(const Error& error) {
  const ErrorInfo info = Describe(error.code);
  Json fields = Json::array();
  for (const auto& f : error.fields) {
    Json params = Json::object();
    for (const auto& p : f.params) {
      std::visit([&](const auto& v) { params[p.first] = v; }, p.second);
    }
    fields.push_back({{"field", f.field},
                      {"rule", f.rule},
                      {"message", f.message},
                      {"key", f.MessageKey()},
                      {"params", std::move(params)}});
  }
  return JsonResponse(
      {{"error", {{"code", info.key}, {"message", error.message}, {"fields", fields}}}},
      info.http_status);
}

Response StaleVersion(std::string_view what) {
  return ErrorResponse(
      {ErrorCode::kVersionConflict,
       "the " + std::string(what) + " was changed by someone else; reload and try again",
       {{"version", "stale", "is not the current version"}}});
}

}  // namespace radqs::http
