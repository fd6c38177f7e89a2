// /metrics: Prometheus text. It tells load, routes and queue depths, so it is not public: with
// options.metrics_token set it needs that bearer token, else it answers only on 127.0.0.1 / ::1
// for a request not forwarded by a proxy (a scraper on the same host) — docs/decisions.md.
#include <sstream>

#include "platform/http/server_impl.h"

namespace radqs::http {

std::optional<Response> Server::Impl::RefuseMetrics(const Request& req) const {
  if (!options.metrics_token.empty()) {
    const auto given = req.Header("authorization");
    if (given.starts_with("Bearer ") &&
        crypto::ConstantTimeEquals(given.substr(7), options.metrics_token)) {
      return std::nullopt;
    }
    Response r = ErrorResponse({ErrorCode::kUnauthenticated, "metrics need the metrics token", {}});
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
    return r;
  }
  // A proxy on this host connects from the loopback too; what it forwards is not local.
  const bool forwarded = !req.Header("x-forwarded-for").empty() || !req.Header("forwarded").empty();
  if (!forwarded && (req.remote_ip == "127.0.0.1" || req.remote_ip == "::1" ||
                     req.remote_ip == "::ffff:127.0.0.1")) {
    return std::nullopt;
  }
  return ErrorResponse(Error::Forbidden());
}

Response Server::Impl::MetricsText() const {
  Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics.Render(
      services.database->Stats(), services.read_audit->Size(),
      {active.load(), connections.load(), refused.load(), streams.load(), streams_dropped.load()});
  if (services.more_metrics) r.body += services.more_metrics();
  return r;
}

void Metrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.total;
  h.sum += seconds;
}

std::string Metrics::Render(const db::PoolStats& db, std::size_t read_audit_queue,
                            const ServerFigures& server) const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP radqs_http_requests_total HTTP requests by route and status.\n"
         "# TYPE radqs_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "radqs_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP radqs_http_request_duration_seconds Request latency by route.\n"
         "# TYPE radqs_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "radqs_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kBuckets[i] << "\"} " << h.counts[i] << "\n";
    }
    out << "radqs_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << h.total << "\n";
    out << "radqs_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "radqs_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.total
        << "\n";
  }
  out << "# TYPE radqs_http_requests_in_flight gauge\nradqs_http_requests_in_flight "
      << server.active << "\n# TYPE radqs_http_connections_open gauge\nradqs_http_connections_open "
      << server.connections
      << "\n# HELP radqs_http_connections_refused_total Connections answered 503 at the cap.\n"
         "# TYPE radqs_http_connections_refused_total "
         "counter\nradqs_http_connections_refused_total "
      << server.refused << "\n# TYPE radqs_event_streams gauge\nradqs_event_streams "
      << server.streams
      << "\n# HELP radqs_event_streams_dropped_total Event streams ended because the client did "
         "not keep up.\n# TYPE radqs_event_streams_dropped_total counter\n"
         "radqs_event_streams_dropped_total "
      << server.streams_dropped << "\n# TYPE radqs_db_readers gauge\nradqs_db_readers "
      << db.readers_total << "\n# TYPE radqs_db_readers_in_use gauge\nradqs_db_readers_in_use "
      << db.readers_in_use << "\n# TYPE radqs_db_writers gauge\nradqs_db_writers " << db.writers
      << "\n# TYPE radqs_db_write_queue_depth gauge\nradqs_db_write_queue_depth "
      << db.write_queue_depth
      << "\n# TYPE radqs_db_write_batches_total counter\nradqs_db_write_batches_total "
      << db.write_batches
      << "\n# TYPE radqs_db_write_jobs_total counter\nradqs_db_write_jobs_total " << db.write_jobs
      << "\n# TYPE radqs_audit_read_queue gauge\nradqs_audit_read_queue " << read_audit_queue
      << "\n";
  return out.str();
}

}  // namespace radqs::http
