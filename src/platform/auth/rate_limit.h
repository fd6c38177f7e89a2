// Rate limits for sign-in attempts (登录频率限制): per client address and per typed account name,
// so a flood of guesses is refused before any password is hashed. Counts live in this process
// (each server of a cluster counts its own); they are fixed windows that start at the first
// attempt. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.h"

namespace radqs::auth {

class RateLimiter {
 public:
  explicit RateLimiter(std::size_t max_keys = 100'000) : max_keys_(max_keys) {}

  // Counts one attempt for `key` when fewer than `limit` were counted in its current window of
  // `window` microseconds; otherwise counts nothing and returns the time until the window ends.
  // Past max_keys distinct keys, expired windows are dropped; if all are live, a new key is let
  // through uncounted (a full table must not lock everyone out).
  std::optional<Micros> Hit(std::string_view key, std::int64_t limit, Micros window, Micros now);

  std::size_t Size() const;

 private:
  struct Window {
    Micros ends_at = 0;
    std::int64_t count = 0;
  };
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace radqs::auth
