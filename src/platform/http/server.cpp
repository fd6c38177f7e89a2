#include <openssl/ssl.h>

#include <chrono>
#include <thread>

#include "platform/http/server_impl.h"
#include "platform/log.h"

namespace radqs::http {

Server::Impl::Impl(ServerOptions o, Services s, std::vector<Route> r, auth::Authenticator& a)
    : options(std::move(o)),
      services(std::move(s)),
      routes(std::move(r)),
      authenticator(a),
      ioc(options.io_threads),
      db_pool(static_cast<std::size_t>(options.db_threads)),
      credential_pool(static_cast<std::size_t>(std::max(1, options.credential_threads))) {
  if (!options.tls_cert.empty()) {
    tls.emplace(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    tls->use_certificate_chain_file(options.tls_cert);
    tls->use_private_key_file(options.tls_key, asio::ssl::context::pem);
  }
  secure = tls.has_value() || options.public_url.starts_with("https://");
  static_files.Load(options.web_root);
  openapi = OpenApi(routes).dump();
  shared_events = services.database->ListenEvents(kEventChannel, [this](const std::string& p) {
    const Json e = Json::parse(p, nullptr, false);
    if (e.is_object() && e.contains("name") && e.contains("data") && e.contains("needs")) {
      services.events->Publish(e["name"].get<std::string>(), e["data"],
                               static_cast<auth::Permission>(e["needs"].get<int>()));
    }
  });
}

awaitable<void> Server::Impl::Accept() {
  asio::steady_timer backoff(control);
  for (;;) {
    boost::system::error_code ec;
    // Each connection gets its own strand; the socket carries it as its executor.
    tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                        asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      // Out of descriptors, typically: wait a moment rather than spin on the error.
      log::Warn("accept: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    auto ex = socket.get_executor();
    if (connections.load() >= options.max_connections) {
      ++refused;
      asio::co_spawn(ex, Refuse(std::move(socket)), asio::detached);
      continue;
    }
    ++connections;
    asio::co_spawn(ex, tls ? ServeTls(std::move(socket)) : ServePlain(std::move(socket)),
                   asio::detached);
  }
}

void Server::Impl::BeginStop() {
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
        // Event streams notice `stopping` within 200 ms and let go of their subscriptions.
        while ((active > 0 || streams > 0) && std::chrono::steady_clock::now() < deadline) {
          timer.expires_after(std::chrono::milliseconds(20));
          co_await timer.async_wait(use_awaitable);
        }
        ioc.stop();
      },
      asio::detached);
}

Server::Server(ServerOptions options, Services services, std::vector<Route> routes,
               auth::Authenticator& authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(services), std::move(routes),
                                   authenticator)) {}

Server::~Server() {
  impl_->db_pool.join();
  impl_->credential_pool.join();
}

bool Server::Tls() const { return impl_->tls.has_value(); }

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
  asio::co_spawn(impl.control, impl.Accept(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.options.io_threads; ++i)
    threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  log::Info("stopped");
}

void Server::Stop() {
  asio::post(impl_->control, [this] { impl_->BeginStop(); });
}

}  // namespace radqs::http
