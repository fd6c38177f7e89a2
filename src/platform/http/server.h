// The HTTP server: Boost.Beast on C++20 coroutines with I/O threads that never block; route
// handlers run on the database thread pool (reads) or the database writer (writes).
//
// Serves /healthz, /metrics (Prometheus text, token- or loopback-only), /api/openapi.json, the
// routes, and the web build from web_root (hashed assets cached for a year, index.html revalidated,
// unknown paths answered with index.html for the single-page application). SIGINT/SIGTERM stop
// accepting, let in-flight requests finish, then return from Run().
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
  // Open connections at most; beyond it a connection is answered 503 and closed at once.
  int max_connections = 4096;
  // HTTPS when both are set (PEM files); otherwise plain HTTP, e.g. behind a proxy.
  std::string tls_cert;
  std::string tls_key;
  // The address users reach, e.g. https://radqs.example.org behind a TLS proxy; when https (or
  // TLS is served here) the session cookie is Secure and HSTS is sent.
  std::string public_url;
  // Bearer token for /metrics; empty: /metrics answers only on the loopback address.
  std::string metrics_token;
  // An event stream is dropped when this much waits for a client that does not read, or when a
  // write takes longer than the timeout.
  std::size_t stream_buffer_bytes = 256 << 10;
  int stream_write_timeout_seconds = 10;
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
  // Whether connections are served over TLS.
  bool Tls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace radqs::http
