// Pieces of the server kept apart so each file stays readable: static files (static_files.cpp)
// and metrics (metrics.cpp).
// Private to platform/http.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/db/database.h"
#include "platform/http/http.h"

namespace radqs::http {

// The web build, read into memory once at start.
class StaticFiles {
 public:
  void Load(const std::string& root);
  // The file for a path, index.html for unknown paths without an extension, nullptr otherwise.
  const Response* Find(std::string_view path) const;
  std::size_t Count() const { return files_.size(); }
  static std::string_view ETagOf(const Response& file);

 private:
  std::unordered_map<std::string, Response> files_;
};

// The server's own figures for /metrics.
struct ServerFigures {
  int active = 0;  // requests being handled
  int connections = 0;
  std::uint64_t refused = 0;  // connections answered 503 at the cap
  int streams = 0;
  std::uint64_t streams_dropped = 0;  // event streams ended for a slow client
};

class Metrics {
 public:
  void Record(const std::string& route, int status, double seconds);
  std::string Render(const db::PoolStats& db, std::size_t read_audit_queue,
                     const ServerFigures& server) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t total = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace radqs::http
