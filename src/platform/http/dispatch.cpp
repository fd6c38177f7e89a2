// Routing, authentication, the pools a route runs on, and errors as answers.
#include <chrono>

#include "platform/http/server_impl.h"
#include "platform/log.h"

namespace radqs::http {
namespace {

bool IsWriteMethod(Method m) { return m != Method::kGet; }

// The bearer token, else the session cookie; empty when there is neither.
std::string TokenOf(const Request& r) {
  const auto auth = r.Header("authorization");
  if (auth.starts_with("Bearer ")) return std::string(auth.substr(7));
  const auto cookies = r.Header("cookie");
  const std::string key = std::string(auth::kSessionCookie) + "=";
  for (std::size_t pos = 0; pos < cookies.size();) {
    while (pos < cookies.size() && (cookies[pos] == ' ' || cookies[pos] == ';')) ++pos;
    auto end = cookies.find(';', pos);
    if (end == std::string_view::npos) end = cookies.size();
    const auto part = cookies.substr(pos, end - pos);
    if (part.starts_with(key)) return std::string(part.substr(key.size()));
    pos = end;
  }
  return {};
}

}  // namespace

awaitable<auth::Principal> Server::Impl::Authenticate(const Request& req) {
  auth::Principal who;
  const std::string token = TokenOf(req);
  if (token.empty()) co_return who;
  if (auto cached = authenticator.FromCache(token)) {
    who = std::move(*cached);
  } else {
    who = co_await asio::co_spawn(
        db_pool, [&]() -> awaitable<auth::Principal> { co_return authenticator.Resolve(token); },
        use_awaitable);
  }
  who.via_cookie = !req.Header("authorization").starts_with("Bearer ");
  co_return who;
}

awaitable<Response> Server::Impl::OnWriter(const Route& route, const Request& req,
                                           const auth::Principal& who) {
  Response out;
  std::vector<Context::Event> events;
  db::Database& database = *services.database;
  co_await asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr)>(
      [&](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        // The writer thread finishes the job; the answer goes back to the connection's strand.
        auto finish = [h](std::exception_ptr e) {
          auto ex = asio::get_associated_executor(*h);
          asio::post(ex, [h, e]() mutable { (*h)(e); });
        };
        try {
          database.Submit(db::WriteJob{[&](db::Transaction& tx) {
                                         Context ctx(req, who, services, &tx);
                                         out = route.handler(ctx);
                                         events = std::move(ctx.events());
                                         if (shared_events && out.status < 400) {
                                           for (const auto& e : events) {
                                             db::NotifyOnCommit(
                                                 tx, kEventChannel,
                                                 Json{{"name", e.name},
                                                      {"data", e.data},
                                                      {"needs", static_cast<int>(e.needs)}}
                                                     .dump());
                                           }
                                           events.clear();
                                         }
                                         return out.status < 400;
                                       },
                                       finish});
        } catch (...) {
          finish(std::current_exception());
        }
      },
      use_awaitable);
  if (out.status < 400) Publish(events);
  co_return out;
}

// Events are sent after the commit, so a client that reloads on them sees the change.
void Server::Impl::Publish(std::vector<Context::Event>& events) {
  for (auto& e : events) services.events->Publish(e.name, e.data, e.needs);
}

awaitable<Response> Server::Impl::Dispatch(Request& req, std::string& route_key) {
  if (req.path == "/healthz") {
    route_key = "/healthz";
    // A load balancer sends no one to a server whose database is gone.
    if (!services.database->Reachable()) {
      co_return JsonResponse({{"status", "unavailable"}, {"database", "unreachable"}}, 503);
    }
    co_return JsonResponse({{"status", stopping ? "stopping" : "ok"}, {"database", "ok"}});
  }
  if (req.path == "/metrics") {
    route_key = "/metrics";
    if (auto refusal = RefuseMetrics(req)) co_return *refusal;
    co_return MetricsText();
  }
  if (req.path == "/api/openapi.json") {
    route_key = req.path;
    Response r;
    r.body = openapi;
    co_return r;
  }
  if (!req.path.starts_with("/api/")) {
    route_key = "static";
    const Response* file = req.method == Method::kGet ? static_files.Find(req.path) : nullptr;
    if (file == nullptr) co_return ErrorResponse(Error::NotFound("page"));
    if (!req.Header("if-none-match").empty() &&
        req.Header("if-none-match") == StaticFiles::ETagOf(*file)) {
      Response r;
      r.status = 304;
      r.content_type.clear();
      r.headers = file->headers;
      co_return r;
    }
    co_return *file;
  }

  const Route* route = nullptr;
  bool path_known = false;
  for (const auto& r : routes) {
    req.params.clear();
    if (!MatchPattern(r.pattern, req.path, req.params)) continue;
    path_known = true;
    if (r.method == req.method) {
      route = &r;
      break;
    }
  }
  if (route == nullptr) {
    route_key = "unmatched";
    if (path_known) {
      co_return ErrorResponse({ErrorCode::kBadRequest, "method not allowed on this path", {}});
    }
    co_return ErrorResponse(Error::NotFound("route"));
  }
  route_key = std::string(MethodName(route->method)) + " " + route->pattern;

  auth::Principal who;
  if (route->permission != auth::Permission::kPublic) {
    who = co_await Authenticate(req);
    if (!who.authenticated) {
      co_return ErrorResponse({ErrorCode::kUnauthenticated, "sign-in required", {}});
    }
    if (!auth::Allows(who.roles, route->permission)) {
      Deny(req, who, *route);
      co_return ErrorResponse(Error::Forbidden());
    }
    if (who.via_cookie && IsWriteMethod(req.method) &&
        !crypto::ConstantTimeEquals(req.Header("x-csrf-token"), who.csrf_token)) {
      Deny(req, who, *route);
      co_return ErrorResponse(
          Error::Field(ErrorCode::kForbidden, "X-CSRF-Token", "csrf",
                       "a cookie-authenticated change needs the session's CSRF token header"));
    }
    if (who.must_change_password && !auth::AllowedBeforePasswordChange(route_key)) {
      co_return ErrorResponse(auth::PasswordChangeRequired());
    }
  }

  switch (route->mode) {
    case Mode::kRead:
      co_return co_await OnPool(db_pool, [&] {
        Response r;
        services.database->Read([&](db::Transaction& tx) {
          if (WantsXlsx(*route, req)) {
            r = RunXlsxExport(*route, req, who, services, tx);
            return;
          }
          Context ctx(req, who, services, &tx);
          r = route->handler(ctx);
        });
        return r;
      });
    case Mode::kPlain:
    case Mode::kCredential:
      co_return co_await OnPool(route->mode == Mode::kPlain ? db_pool : credential_pool, [&] {
        Context ctx(req, who, services, nullptr);
        Response r = route->handler(ctx);
        if (r.status < 400) Publish(ctx.events());
        return r;
      });
    case Mode::kWrite:
      co_return co_await OnWriter(*route, req, who);
  }
  co_return ErrorResponse({ErrorCode::kInternal, "unknown route mode", {}});
}

// A refused request is audited; the write does not hold up the answer.
void Server::Impl::Deny(const Request& req, const auth::Principal& who, const Route& route) {
  audit::Entry e;
  e.at = services.clock->Now();
  e.actor_user_id = who.ActorId();
  e.actor = who.username;
  e.action = "access.denied";
  e.entity = "route";
  e.entity_id = std::string(MethodName(req.method)) + " " + req.path;
  e.request_id = req.request_id;
  e.ip = req.remote_ip;
  e.detail = "needs " + std::string(auth::PermissionKey(route.permission));
  services.database->Submit(db::WriteJob{[e](db::Transaction& tx) {
                                           audit::Append(tx, e);
                                           return true;
                                         },
                                         nullptr});
}

awaitable<Response> Server::Impl::Handle(Request& req) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_key = "unmatched";
  Response res;
  try {
    res = co_await Dispatch(req, route_key);
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::kUniqueViolation) {
      res = ErrorResponse(Error::Conflict("a record with the same key already exists"));
    } else if (e.kind() == db::DbError::Kind::kBusy) {
      res = ErrorResponse({ErrorCode::kUnavailable, "database busy, try again", {}});
    } else if (e.kind() == db::DbError::Kind::kUnavailable) {
      log::Write(log::Level::kWarn, std::string("database unavailable: ") + e.what(),
                 req.request_id);
      res = ErrorResponse({ErrorCode::kUnavailable, "database unavailable, try again", {}});
    } else {
      log::Write(log::Level::kError, std::string("database error: ") + e.what(), req.request_id);
      res = ErrorResponse({ErrorCode::kInternal, "internal error", {}});
    }
  } catch (const std::exception& e) {
    log::Write(log::Level::kError, std::string("unhandled: ") + e.what(), req.request_id);
    res = ErrorResponse({ErrorCode::kInternal, "internal error", {}});
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics.Record(route_key, res.status, seconds);
  if (options.access_log || res.status >= 500) {
    log::Write(res.status >= 500 ? log::Level::kError : log::Level::kInfo,
               fmt::format("{} {} {} {:.1f}ms", MethodName(req.method), req.path, res.status,
                           seconds * 1000),
               req.request_id);
  }
  co_return res;
}

}  // namespace radqs::http
