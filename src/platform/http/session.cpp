#include <chrono>

#include "platform/http/server_impl.h"

namespace radqs::http {
namespace {

std::optional<Method> ToMethod(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
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

using Parsed = bhttp::request_parser<bhttp::string_body>::value_type;

// What the parser lets through but the server refuses, before any body is read: a request
// whose length or target host is ambiguous is where request smuggling begins (RFC 9112 §6.1,
// RFC 9110 §7.2).
std::optional<Response> CheckHeader(const Parsed& msg) {
  const auto hosts = msg.count(bhttp::field::host);
  if (msg.version() >= 11 && hosts == 0) {
    return ErrorResponse(Error::Field(ErrorCode::kBadRequest, "Host", "required",
                                      "an HTTP/1.1 request must name the host"));
  }
  if (hosts > 1) {
    return ErrorResponse(
        Error::Field(ErrorCode::kBadRequest, "Host", "unique", "must be given once"));
  }
  if (msg.count(bhttp::field::transfer_encoding) > 0 &&
      (msg.count(bhttp::field::transfer_encoding) > 1 ||
       !beast::iequals(msg[bhttp::field::transfer_encoding], "chunked"))) {
    return ErrorResponse(Error::Field(ErrorCode::kBadRequest, "Transfer-Encoding", "chunked",
                                      "only chunked is accepted"));
  }
  return std::nullopt;
}

// Behind TLS (here or at a proxy) the session cookie must never travel over plain HTTP.
std::string SecureCookie(const std::string& value) {
  std::string lower = value;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("; secure") == std::string::npos ? value + "; Secure" : value;
}

std::string RemoteOf(tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  socket.set_option(tcp::no_delay(true), ec);
  return ec ? std::string() : ep.address().to_string();
}

struct Held {
  std::atomic<int>& count;
  ~Held() { --count; }
};

bool IsParseError(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream;
}

}  // namespace

template <class Stream>
awaitable<void> Server::Impl::Session(Stream& stream, const std::string& remote) {
  beast::flat_buffer buffer;
  auto& lowest = beast::get_lowest_layer(stream);
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    lowest.expires_after(std::chrono::seconds(options.request_timeout_seconds));
    boost::system::error_code ec;
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    if (!ec) {
      if (auto refusal = CheckHeader(parser.get())) {
        // Where this request ends is unclear, so nothing after it can be read: answer, close.
        co_await Write(stream, *refusal, NewRequestId(), false);
        break;
      }
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) break;
    Response res;
    bool keep_alive = false;
    bool head = false;
    Request req;
    req.request_id = NewRequestId();
    if (ec == bhttp::error::body_limit) {
      res = ErrorResponse(
          Error::Field(ErrorCode::kPayloadTooLarge, "body", "max",
                       fmt::format("must be at most {} bytes", options.max_body_bytes)));
    } else if (ec == bhttp::error::header_limit) {
      res = ErrorResponse({ErrorCode::kBadRequest, "request headers too large", {}});
    } else if (IsParseError(ec)) {
      res = ErrorResponse({ErrorCode::kBadRequest, "malformed request: " + ec.message(), {}});
    } else if (ec) {
      break;  // timeout or reset: nobody to answer
    } else {
      auto& msg = parser.get();
      keep_alive = msg.keep_alive() && !stopping;
      head = msg.method() == bhttp::verb::head;
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
        // The id goes into the log and the audit trail: a client's own only when it is plain.
        if (auto incoming = req.Header("x-request-id"); IsValidRequestId(incoming)) {
          req.request_id = std::string(incoming);
        }
        req.body = std::move(msg.body());
        req.remote_ip = remote;
        if (req.path == "/api/v1/events" && req.method == Method::kGet && !head) {
          co_await EventStream(stream, req);
          break;
        }
        ++active;
        res = co_await Handle(req);
        --active;
      }
    }
    ec = co_await Write(stream, res, req.request_id, keep_alive, head);
    if (ec || !keep_alive) break;
  }
}

template <class Stream>
awaitable<boost::system::error_code> Server::Impl::Write(Stream& stream, Response& res,
                                                         const std::string& request_id,
                                                         bool keep_alive, bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
  out.set(bhttp::field::server, "radqs");
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  out.set("X-Request-Id", request_id);
  if (!res.body.empty() && res.content_type.starts_with("application/json")) {
    out.set(bhttp::field::cache_control, "no-store");
  }
  if (secure) out.set("Strict-Transport-Security", "max-age=31536000");
  for (const auto& [k, v] : res.headers) {
    out.insert(k, secure && beast::iequals(k, "Set-Cookie") ? SecureCookie(v) : v);
  }
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();  // for HEAD too: Content-Length is that of the GET
  beast::get_lowest_layer(stream).expires_after(
      std::chrono::seconds(options.request_timeout_seconds));
  boost::system::error_code ec;
  if (head) {
    bhttp::response_serializer<bhttp::string_body> serializer{out};
    co_await bhttp::async_write_header(stream, serializer, asio::redirect_error(use_awaitable, ec));
  } else {
    co_await bhttp::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
  }
  co_return ec;
}

awaitable<void> Server::Impl::ServePlain(tcp::socket socket) {
  Held held{connections};
  const std::string remote = RemoteOf(socket);
  PlainStream stream(std::move(socket));
  co_await Session(stream, remote);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> Server::Impl::ServeTls(tcp::socket socket) {
  Held held{connections};
  const std::string remote = RemoteOf(socket);
  TlsStream stream(std::move(socket), *tls);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(std::chrono::seconds(options.request_timeout_seconds));
  boost::system::error_code ec;
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;
  co_await Session(stream, remote);
  lowest.expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
}

awaitable<void> Server::Impl::Refuse(tcp::socket socket) {
  Response res = ErrorResponse(
      {ErrorCode::kUnavailable, "the server has too many open connections; try again shortly", {}});
  res.headers.emplace_back("Retry-After", "1");
  boost::system::error_code ec;
  if (tls) {
    TlsStream stream(std::move(socket), *tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    co_await Write(stream, res, NewRequestId(), false);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
    co_return;
  }
  PlainStream stream(std::move(socket));
  co_await Write(stream, res, NewRequestId(), false);
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Read what the client sends for a moment and drop it: closing with unread data would reset
  // the connection, and the client might lose the answer.
  stream.expires_after(std::chrono::seconds(1));
  char scratch[1024];
  while (!ec) {
    co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(use_awaitable, ec));
  }
}

template awaitable<boost::system::error_code> Server::Impl::Write<PlainStream>(PlainStream&,
                                                                               Response&,
                                                                               const std::string&,
                                                                               bool, bool);
template awaitable<boost::system::error_code> Server::Impl::Write<TlsStream>(TlsStream&, Response&,
                                                                             const std::string&,
                                                                             bool, bool);

}  // namespace radqs::http
