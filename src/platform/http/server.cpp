#include "platform/http/server.h"

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "platform/crypto.h"
#include "platform/http/server_parts.h"
#include "platform/log.h"

namespace radqs::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

std::optional<Method> ToMethod(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
      return Method::kGet;
    case bhttp::verb::head:
      return Method::kGet;
    case bhttp::verb::post:
      return Method::kPost;
    case bhttp::verb::put:
      return Method::kPut;
    case bhttp::verb::patch:
      return Method::kPatch;
    case bhttp::verb::delete_:
      return Method::kDelete;
    default:
      return std::nullopt;
  }
}

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

bool IsWriteMethod(Method m) { return m != Method::kGet; }

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Services services;
  std::vector<Route> routes;
  auth::Authenticator& authenticator;
  asio::io_context ioc;
  asio::thread_pool db_pool;
  asio::thread_pool credential_pool;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  StaticFiles static_files;
  Metrics metrics;
  std::string openapi;
  std::atomic<int> active{0};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_id{0};
  std::string id_prefix = crypto::RandomToken(6);

  Impl(ServerOptions o, Services s, std::vector<Route> r, auth::Authenticator& a)
      : options(std::move(o)),
        services(std::move(s)),
        routes(std::move(r)),
        authenticator(a),
        ioc(options.io_threads),
        db_pool(static_cast<std::size_t>(options.db_threads)),
        credential_pool(static_cast<std::size_t>(std::max(1, options.credential_threads))) {
    static_files.Load(options.web_root);
    openapi = OpenApi(routes).dump();
  }

  template <class Fn>
  awaitable<Response> OnPool(asio::thread_pool& pool, Fn fn) {
    co_return co_await asio::co_spawn(
        pool, [&fn]() -> awaitable<Response> { co_return fn(); }, use_awaitable);
  }
  template <class Fn>
  awaitable<Response> OnDbPool(Fn fn) {
    co_return co_await OnPool(db_pool, std::move(fn));
  }

  awaitable<Response> OnWriter(const Route& route, const Request& req, const auth::Principal& who) {
    Response out;
    std::vector<std::pair<std::string, Json>> events;
    db::Database& database = *services.database;
    co_await asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr)>(
        [&](auto handler) {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          auto finish = [h](std::exception_ptr e) {
            auto ex = asio::get_associated_executor(*h);
            asio::post(ex, [h, e]() mutable { (*h)(e); });
          };
          try {
            database.Submit(db::WriteJob{[&](db::Transaction& tx) {
                                           Context ctx(req, who, services, &tx);
                                           out = route.handler(ctx);
                                           events = std::move(ctx.events());
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
  void Publish(std::vector<std::pair<std::string, Json>>& events) {
    for (auto& [name, data] : events) services.events->Publish(name, data);
  }

  awaitable<Response> Dispatch(Request& req, std::string& route_key) {
    if (req.path == "/healthz") {
      route_key = "/healthz";
      co_return JsonResponse({{"status", stopping ? "stopping" : "ok"}});
    }
    if (req.path == "/metrics") {
      route_key = "/metrics";
      Response r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = metrics.Render(services.database->Stats(), services.read_audit->Size(), active);
      co_return r;
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
      const std::string token = TokenOf(req);
      if (!token.empty()) {
        if (auto cached = authenticator.FromCache(token)) {
          who = std::move(*cached);
        } else {
          who = co_await asio::co_spawn(
              db_pool,
              [&]() -> awaitable<auth::Principal> { co_return authenticator.Resolve(token); },
              use_awaitable);
        }
        who.via_cookie = !req.Header("authorization").starts_with("Bearer ");
      }
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
        co_return co_await OnDbPool([&] {
          Response r;
          services.database->Read([&](db::Transaction& tx) {
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
  void Deny(const Request& req, const auth::Principal& who, const Route& route) {
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

  awaitable<Response> Handle(Request& req) {
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

  awaitable<void> Session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
      stream.socket().set_option(tcp::no_delay(true), ec);
    }
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      stream.expires_after(std::chrono::seconds(options.request_timeout_seconds));
      boost::system::error_code ec;
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) break;
      Response res;
      bool keep_alive = false;
      Request req;
      req.request_id = fmt::format("{}-{}", id_prefix, ++next_id);
      if (ec == bhttp::error::body_limit) {
        res = ErrorResponse(
            Error::Field(ErrorCode::kPayloadTooLarge, "body", "max",
                         fmt::format("must be at most {} bytes", options.max_body_bytes)));
      } else if (ec == bhttp::error::header_limit) {
        res = ErrorResponse({ErrorCode::kBadRequest, "request headers too large", {}});
      } else if (ec) {
        break;  // timeout, reset or garbage: nothing sensible to answer
      } else {
        auto& msg = parser.get();
        keep_alive = msg.keep_alive() && !stopping;
        const auto method = ToMethod(msg.method());
        if (!method) {
          res = ErrorResponse({ErrorCode::kBadRequest, "unsupported method", {}});
        } else {
          req.method = *method;
          req.target = std::string(msg.target());
          ParseTarget(req);
          for (const auto& h : msg) {
            std::string name(h.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            req.headers[name] = std::string(h.value());
          }
          if (auto incoming = req.Header("x-request-id");
              !incoming.empty() && incoming.size() <= 64) {
            req.request_id = std::string(incoming);
          }
          req.body = std::move(msg.body());
          req.remote_ip = remote;
          if (req.path == "/api/v1/events" && req.method == Method::kGet) {
            co_await Stream(stream, req);
            break;
          }
          ++active;
          res = co_await Handle(req);
          --active;
        }
      }
      ec = co_await Write(stream, res, req.request_id, keep_alive);
      if (ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  awaitable<boost::system::error_code> Write(beast::tcp_stream& stream, Response& res,
                                             const std::string& request_id, bool keep_alive) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
    out.set(bhttp::field::server, "radqs");
    if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
    out.set("X-Request-Id", request_id);
    if (!res.body.empty() && res.content_type.starts_with("application/json")) {
      out.set(bhttp::field::cache_control, "no-store");
    }
    for (const auto& [k, v] : res.headers) out.insert(k, v);
    out.body() = std::move(res.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    boost::system::error_code ec;
    co_await bhttp::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
    co_return ec;
  }

  // GET /api/v1/events: a server-sent event stream for the signed-in user. Frames are queued by
  // the hub and written every 200 ms (a comment line every 15 s keeps proxies from closing it);
  // the stream ends when the client goes or the server stops.
  awaitable<void> Stream(beast::tcp_stream& stream, Request& req) {
    auth::Principal who;
    if (const std::string token = TokenOf(req); !token.empty()) {
      if (auto cached = authenticator.FromCache(token)) {
        who = std::move(*cached);
      } else {
        who = co_await asio::co_spawn(
            db_pool,
            [&]() -> awaitable<auth::Principal> { co_return authenticator.Resolve(token); },
            use_awaitable);
      }
    }
    if (!who.authenticated) {
      Response r = ErrorResponse({ErrorCode::kUnauthenticated, "sign-in required", {}});
      co_await Write(stream, r, req.request_id, false);
      co_return;
    }
    if (who.must_change_password) {
      Response r = ErrorResponse(auth::PasswordChangeRequired());
      co_await Write(stream, r, req.request_id, false);
      co_return;
    }
    struct Pending {
      std::mutex mu;
      std::string frames;
    };
    auto pending = std::make_shared<Pending>();
    const auto id = services.events->Subscribe(who.user_id, [pending](const std::string& f) {
      std::lock_guard lock(pending->mu);
      pending->frames += f;
    });
    if (!id) {
      Response r =
          ErrorResponse({ErrorCode::kTooManyRequests, "too many event streams for this user", {}});
      co_await Write(stream, r, req.request_id, false);
      co_return;
    }
    std::string out = fmt::format(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: "
        "no-store\r\nX-Request-Id: {}\r\nConnection: close\r\n\r\n: connected\n\n",
        req.request_id);
    stream.expires_never();
    asio::steady_timer timer(stream.get_executor());
    auto last_write = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    while (!stopping) {
      if (!out.empty()) {
        co_await asio::async_write(stream, asio::buffer(out),
                                   asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        out.clear();
        last_write = std::chrono::steady_clock::now();
      }
      timer.expires_after(std::chrono::milliseconds(200));
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
      {
        std::lock_guard lock(pending->mu);
        out.swap(pending->frames);
      }
      if (out.empty() && std::chrono::steady_clock::now() - last_write > std::chrono::seconds(15)) {
        out = ": keep-alive\n\n";
      }
    }
    services.events->Unsubscribe(*id);
  }

  awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      asio::co_spawn(acceptor.get_executor(), Session(std::move(socket)), asio::detached);
    }
  }

  void BeginStop() {
    if (stopping.exchange(true)) return;
    log::Info("stopping: no new connections; waiting for {} in-flight requests", active.load());
    boost::system::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
    asio::co_spawn(
        ioc,
        [this, deadline]() -> awaitable<void> {
          asio::steady_timer timer(ioc);
          while (active > 0 && std::chrono::steady_clock::now() < deadline) {
            timer.expires_after(std::chrono::milliseconds(20));
            co_await timer.async_wait(use_awaitable);
          }
          ioc.stop();
        },
        asio::detached);
  }
};

Server::Server(ServerOptions options, Services services, std::vector<Route> routes,
               auth::Authenticator& authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(services), std::move(routes),
                                   authenticator)) {}

Server::~Server() {
  impl_->db_pool.join();
  impl_->credential_pool.join();
}

std::uint16_t Server::Listen() {
  auto& a = impl_->acceptor;
  const tcp::endpoint ep(asio::ip::make_address(impl_->options.address), impl_->options.port);
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void Server::Run() {
  auto& impl = *impl_;
  impl.signals.async_wait([&impl](const boost::system::error_code& ec, int) {
    if (!ec) impl.BeginStop();
  });
  asio::co_spawn(impl.ioc, impl.Accept(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.options.io_threads; ++i)
    threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  log::Info("stopped");
}

void Server::Stop() {
  asio::post(impl_->ioc, [this] { impl_->BeginStop(); });
}

}  // namespace radqs::http
