// Requests, responses and routes as modules see them; no networking types leak out of here.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "platform/auth/permissions.h"
#include "platform/json.h"

namespace radqs::http {

enum class Method { kGet, kPost, kPut, kPatch, kDelete };
std::string_view MethodName(Method m);

struct Request {
  Method method = Method::kGet;
  std::string target;  // path and query as received
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
  std::map<std::string, std::string, std::less<>> params;   // from the route pattern
  std::map<std::string, std::string, std::less<>> headers;  // lower-case names
  std::string body;
  std::string request_id;
  std::string remote_ip;

  std::string_view Header(std::string_view lower_name) const;
  std::optional<std::string> Query(std::string_view name) const;
  // A path parameter that must be a positive integer id; nullopt when it is not.
  std::optional<std::int64_t> IdParam(std::string_view name = "id") const;
};

// A client's X-Request-Id is taken only if it is 1-64 characters of [A-Za-z0-9._-]: it goes into
// the log and the audit trail.
bool IsValidRequestId(std::string_view id);

// Decodes %XX escapes and '+' (a space) of a URL part; a '%' not followed by two hex digits is
// kept as it is.
std::string PercentDecode(std::string_view s);
// Fills path and query from target ("/path?a=1&b=2"), decoded; a repeated parameter keeps its
// last value, a name without '=' reads as empty.
void ParseTarget(Request& r);

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

Response JsonResponse(const Json& body, int status = 200);
Response NoContent();
Response ErrorResponse(const Error& error);
// 409 version_conflict: the record changed since the caller read it (field "version").
Response StaleVersion(std::string_view what);

// Turns a Result into 200 JSON or the error.
inline Response Reply(const Result<Json>& r, int ok_status = 200) {
  return r ? JsonResponse(*r, ok_status) : ErrorResponse(r.error());
}

}  // namespace radqs::http
