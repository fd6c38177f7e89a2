// GET /api/v1/events: a server-sent event stream for the signed-in principal. Frames queued by
// the hub are written every 200 ms (a comment line every 15 s keeps proxies from closing it).
//
// A client that stops reading must not cost memory without end: frames wait in a buffer of at
// most options.stream_buffer_bytes, a write may take at most stream_write_timeout_seconds, and
// either limit ends the stream (radqs_event_streams_dropped_total). A read kept pending on the
// connection tells at once when the client has gone, so its place under the cap is free again.
#include <chrono>
#include <mutex>

#include "platform/http/server_impl.h"
#include "platform/log.h"

namespace radqs::http {

template <class Stream>
awaitable<void> Server::Impl::EventStream(Stream& stream, Request& req) {
  const auth::Principal who = co_await Authenticate(req);
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
    bool overflow = false;
  };
  auto pending = std::make_shared<Pending>();
  const std::size_t cap = options.stream_buffer_bytes;
  notify::EventHub::Subscriber subscriber;
  subscriber.owner = who.session_id != 0 ? fmt::format("session:{}", who.session_id)
                                         : fmt::format("token:{}", who.api_token_id);
  subscriber.allowed = [roles = who.roles](auth::Permission p) { return auth::Allows(roles, p); };
  subscriber.listener = [pending, cap](const std::string& frame) {
    std::lock_guard lock(pending->mu);
    if (pending->overflow) return;
    if (pending->frames.size() + frame.size() > cap) {
      pending->overflow = true;
      pending->frames.clear();
      pending->frames.shrink_to_fit();
    } else {
      pending->frames += frame;
    }
  };
  const auto id = services.events->Subscribe(std::move(subscriber));
  if (!id) {
    Response r = ErrorResponse(
        {ErrorCode::kTooManyRequests, "too many event streams for this session or token", {}});
    co_await Write(stream, r, req.request_id, false);
    co_return;
  }
  ++streams;
  auto& lowest = beast::get_lowest_layer(stream);
  boost::system::error_code ec;
  // Frames are small; a small kernel buffer keeps what a stalled client pins there small too.
  lowest.socket().set_option(asio::socket_base::send_buffer_size(16 << 10), ec);
  std::string out = fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: "
      "no-store\r\nX-Request-Id: {}\r\n{}Connection: close\r\n\r\n: connected\n\n",
      req.request_id, secure ? "Strict-Transport-Security: max-age=31536000\r\n" : "");
  lowest.expires_never();
  asio::steady_timer timer(stream.get_executor());
  asio::steady_timer write_deadline(stream.get_executor());
  bool gone = false;
  bool watching = true;
  // The client sends nothing more; the read ends when it closes the connection.
  asio::co_spawn(
      stream.get_executor(),
      [&]() -> awaitable<void> {
        char scratch[256];
        boost::system::error_code read_ec;
        while (!read_ec) {
          co_await stream.async_read_some(asio::buffer(scratch),
                                          asio::redirect_error(use_awaitable, read_ec));
        }
        gone = true;
        watching = false;
        timer.cancel();
      },
      asio::detached);
  auto last_write = std::chrono::steady_clock::now();
  bool dropped = false;
  while (!stopping && !gone) {
    if (!out.empty()) {
      // The deadline is a timer of its own: the stream's expiry would also end the read that
      // is pending all along, and the stream would close as if the client had left.
      auto late = std::make_shared<bool>(false);
      write_deadline.expires_after(std::chrono::seconds(options.stream_write_timeout_seconds));
      write_deadline.async_wait([late, &lowest](boost::system::error_code e) {
        if (e) return;
        *late = true;
        boost::system::error_code ignored;
        lowest.socket().cancel(ignored);
      });
      co_await asio::async_write(stream, asio::buffer(out),
                                 asio::redirect_error(use_awaitable, ec));
      write_deadline.cancel();
      if (ec || *late) {
        dropped = *late;
        break;
      }
      out.clear();
      last_write = std::chrono::steady_clock::now();
    }
    timer.expires_after(std::chrono::milliseconds(200));
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
    {
      std::lock_guard lock(pending->mu);
      if (pending->overflow) {
        dropped = true;
        break;
      }
      out.swap(pending->frames);
    }
    if (out.empty() && std::chrono::steady_clock::now() - last_write > std::chrono::seconds(15)) {
      out = ": keep-alive\n\n";
    }
  }
  services.events->Unsubscribe(*id);
  if (dropped) {
    ++streams_dropped;
    log::Write(log::Level::kWarn, "event stream dropped: the client does not keep up",
               req.request_id);
  }
  lowest.cancel();
  while (watching) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
  }
  --streams;
}

template awaitable<void> Server::Impl::EventStream<PlainStream>(PlainStream&, Request&);
template awaitable<void> Server::Impl::EventStream<TlsStream>(TlsStream&, Request&);

}  // namespace radqs::http
