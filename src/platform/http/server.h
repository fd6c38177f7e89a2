// The HTTP server: Boost.Beast on C++20 coroutines with I/O threads that never block; route
// handlers run on the database thread pool (reads) or the database writer (writes).
//
// Serves /healthz, /metrics (Prometheus text), /api/openapi.json, the routes, and the web
// build from web_root (hashed assets cached for a year, index.html revalidated, unknown paths
// answered with index.html for the single-page application). SIGINT/SIGTERM stop accepting,
// let in-flight requests finish, then return from Run().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "platform/auth/auth.h"
#include "platform/http/route.h"

namespace radqs::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 2;
  int db_threads = 2;
  int credential_threads = 1;  // password hashing (Mode::kCredential)
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  int request_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;
  std::string web_root;  // directory of the web build; empty serves no UI
  bool access_log = false;
};

class Server {
 public:
  Server(ServerOptions options, Services services, std::vector<Route> routes,
         auth::Authenticator& authenticator);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the bound port. Throws when the address is unusable.
  std::uint16_t Listen();
  // Serves until a signal or Stop(); in-flight requests finish first.
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace radqs::http
