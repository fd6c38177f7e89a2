#include "platform/auth/rate_limit.h"

namespace radqs::auth {

std::optional<Micros> RateLimiter::Hit(std::string_view key, std::int64_t limit, Micros window,
                                       Micros now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(std::string(key));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) {
      std::erase_if(windows_, [now](const auto& kv) { return kv.second.ends_at <= now; });
      if (windows_.size() >= max_keys_) return std::nullopt;
    }
    it = windows_.emplace(std::string(key), Window{now + window, 0}).first;
  }
  Window& w = it->second;
  if (w.ends_at <= now) w = Window{now + window, 0};
  if (w.count >= limit) return w.ends_at - now;
  ++w.count;
  return std::nullopt;
}

std::size_t RateLimiter::Size() const {
  std::lock_guard lock(mu_);
  return windows_.size();
}

}  // namespace radqs::auth
