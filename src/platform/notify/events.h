// Server-sent events (/api/v1/events): streams carrying named events (queue, later critical
// values and notifications) — spec: architecture.md "Server-sent events".
// Publish is thread-safe; listeners run on the publishing thread and must only queue.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "platform/auth/permissions.h"
#include "platform/json.h"

namespace radqs::notify {

class EventHub {
 public:
  using Listener = std::function<void(const std::string& frame)>;

  struct Subscriber {
    // Whose streams these are, for the cap: "session:<id>" or "token:<id>" (docs/decisions.md).
    std::string owner;
    // Whether the stream's principal holds a permission; an event goes only where it is held.
    std::function<bool(auth::Permission)> allowed;
    Listener listener;
  };

  // Registers a stream; nothing when its owner already has `max_per_owner` streams.
  std::optional<std::uint64_t> Subscribe(Subscriber subscriber, int max_per_owner = 6);
  void Unsubscribe(std::uint64_t id);
  // Sends `event: <name>\ndata: <json>\n\n` to every stream whose principal holds `needs`.
  void Publish(const std::string& name, const Json& data, auth::Permission needs);
  std::size_t Streams() const;

 private:
  mutable std::mutex mu_;
  std::map<std::uint64_t, Subscriber> streams_;
  std::uint64_t next_ = 0;
};

}  // namespace radqs::notify
