#include "platform/notify/events.h"

#include <algorithm>

namespace radqs::notify {

std::optional<std::uint64_t> EventHub::Subscribe(std::int64_t user_id, Listener listener,
                                                 int max_per_user) {
  std::lock_guard lock(mu_);
  const auto mine = std::count_if(streams_.begin(), streams_.end(),
                                  [&](const auto& kv) { return kv.second.user_id == user_id; });
  if (mine >= max_per_user) return std::nullopt;
  const std::uint64_t id = ++next_;
  streams_.emplace(id, Stream{user_id, std::move(listener)});
  return id;
}

void EventHub::Unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mu_);
  streams_.erase(id);
}

void EventHub::Publish(const std::string& name, const Json& data) {
  const std::string frame = "event: " + name + "\ndata: " + data.dump() + "\n\n";
  std::lock_guard lock(mu_);
  for (auto& [id, s] : streams_) s.listener(frame);
}

std::size_t EventHub::Streams() const {
  std::lock_guard lock(mu_);
  return streams_.size();
}

}  // namespace radqs::notify
