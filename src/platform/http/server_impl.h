// The server's state and the parts of a connection's life, private to platform/http:
//   server.cpp        accepting, the connection cap, TLS set-up, stopping
//   session.cpp       one connection: read a request, check it, answer it (plain and TLS alike)
//   dispatch.cpp      routing, authentication (the one place a token is resolved), errors
//   event_stream.cpp  GET /api/v1/events
//   metrics.cpp       the Prometheus text and who may read it
//
// Every connection runs on its own strand: its coroutine, its stream's timer and the answers
// coming back from the database and credential pools are serialised, so a timeout never closes
// a socket while another thread is inside an operation on it.
#pragma once

#include <fmt/format.h>
#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <optional>

#include "platform/crypto.h"
#include "platform/http/server.h"
#include "platform/http/server_parts.h"

namespace radqs::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// The PostgreSQL channel that carries server-sent events between servers.
inline constexpr const char* kEventChannel = "radqs_events";

struct Server::Impl {
  ServerOptions options;
  Services services;
  std::vector<Route> routes;
  auth::Authenticator& authenticator;
  asio::io_context ioc;
  asio::thread_pool db_pool;
  asio::thread_pool credential_pool;
  // Accepting, signals and stopping share one strand: the acceptor is closed on it.
  asio::strand<asio::io_context::executor_type> control{asio::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  asio::signal_set signals{control, SIGINT, SIGTERM};
  std::optional<asio::ssl::context> tls;  // set when a certificate and key are configured
  bool secure = false;  // TLS here or an https public URL: Secure cookies and HSTS
  StaticFiles static_files;
  Metrics metrics;
  std::string openapi;
  std::atomic<int> active{0};       // requests being handled
  std::atomic<int> connections{0};  // open connections, held to options.max_connections
  std::atomic<int> streams{0};      // open event streams
  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::uint64_t> streams_dropped{0};
  std::atomic<bool> stopping{false};
  // Several servers on one PostgreSQL database: events go out through it (NOTIFY in the
  // command's transaction) and come back to every server's streams from its listener.
  bool shared_events = false;
  std::atomic<std::uint64_t> next_id{0};
  std::string id_prefix = crypto::RandomToken(6);

  Impl(ServerOptions o, Services s, std::vector<Route> r, auth::Authenticator& a);

  // --- server.cpp
  awaitable<void> Accept();
  void BeginStop();

  // --- session.cpp
  awaitable<void> ServePlain(tcp::socket socket);
  awaitable<void> ServeTls(tcp::socket socket);
  // Beyond the cap: 503 at once, without waiting for the request.
  awaitable<void> Refuse(tcp::socket socket);
  template <class Stream>
  awaitable<void> Session(Stream& stream, const std::string& remote);
  template <class Stream>
  awaitable<boost::system::error_code> Write(Stream& stream, Response& res,
                                             const std::string& request_id, bool keep_alive,
                                             bool head = false);
  std::string NewRequestId() { return fmt::format("{}-{}", id_prefix, ++next_id); }

  // --- event_stream.cpp
  template <class Stream>
  awaitable<void> EventStream(Stream& stream, Request& req);

  // --- dispatch.cpp
  awaitable<Response> Handle(Request& req);
  awaitable<Response> Dispatch(Request& req, std::string& route_key);
  // The principal of the request's bearer token or session cookie; unauthenticated if none.
  awaitable<auth::Principal> Authenticate(const Request& req);
  awaitable<Response> OnWriter(const Route& route, const Request& req, const auth::Principal& who);
  void Publish(std::vector<Context::Event>& events);
  void Deny(const Request& req, const auth::Principal& who, const Route& route);

  template <class Fn>
  awaitable<Response> OnPool(asio::thread_pool& pool, Fn fn) {
    co_return co_await asio::co_spawn(
        pool, [&fn]() -> awaitable<Response> { co_return fn(); }, use_awaitable);
  }

  // --- metrics.cpp
  // 401/403 when the caller may not read /metrics (token, else 127.0.0.1 only).
  std::optional<Response> RefuseMetrics(const Request& req) const;
  Response MetricsText() const;
};

}  // namespace radqs::http
