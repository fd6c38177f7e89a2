// Server-sent events (/api/v1/events): one stream per browser session carrying named events
// (queue, later critical values and notifications) — spec: architecture.md "Server-sent events".
// Publish is thread-safe; listeners run on the publishing thread and must only queue.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "platform/json.h"

namespace radqs::notify {

class EventHub {
 public:
  using Listener = std::function<void(const std::string& frame)>;

  // Registers a stream of a user; nothing when the user already has `max_per_user` streams.
  std::optional<std::uint64_t> Subscribe(std::int64_t user_id, Listener listener,
                                         int max_per_user = 6);
  void Unsubscribe(std::uint64_t id);
  // Sends `event: <name>\ndata: <json>\n\n` to every stream.
  void Publish(const std::string& name, const Json& data);
  std::size_t Streams() const;

 private:
  struct Stream {
    std::int64_t user_id;
    Listener listener;
  };
  mutable std::mutex mu_;
  std::map<std::uint64_t, Stream> streams_;
  std::uint64_t next_ = 0;
};

}  // namespace radqs::notify
