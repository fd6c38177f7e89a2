#include "platform/notify/events.h"

#include <algorithm>

namespace radqs::notify {

std::optional<std::uint64_t> EventHub::Subscribe(Subscriber subscriber, int max_per_owner) {
  std::lock_guard lock(mu_);
  const auto mine = std::count_if(streams_.begin(), streams_.end(), [&](const auto& kv) {
    return kv.second.owner == subscriber.owner;
  });
  if (mine >= max_per_owner) return std::nullopt;
  const std::uint64_t id = ++next_;
  streams_.emplace(id, std::move(subscriber));
  return id;
}

void EventHub::Unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mu_);
  streams_.erase(id);
}

void EventHub::Publish(const std::string& name, const Json& data, auth::Permission needs) {
  const std::string frame = "event: " + name + "\ndata: " + data.dump() + "\n\n";
  std::lock_guard lock(mu_);
  for (auto& [id, s] : streams_) {
    if (s.allowed && s.allowed(needs)) s.listener(frame);
  }
}

std::size_t EventHub::Streams() const {
  std::lock_guard lock(mu_);
  return streams_.size();
}

}  // namespace radqs::notify
