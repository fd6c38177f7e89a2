// Logging as JSON lines on stderr: {"t","level","msg"[,"request_id"]}.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace radqs::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void Write(Level level, std::string_view message, std::string_view request_id = {});
void SetMinimumLevel(Level level);

template <class... A>
void Info(fmt::format_string<A...> f, A&&... args) {
  Write(Level::kInfo, fmt::format(f, std::forward<A>(args)...));
}
template <class... A>
void Warn(fmt::format_string<A...> f, A&&... args) {
  Write(Level::kWarn, fmt::format(f, std::forward<A>(args)...));
}
template <class... A>
void Error(fmt::format_string<A...> f, A&&... args) {
  Write(Level::kError, fmt::format(f, std::forward<A>(args)...));
}

std::string JsonEscape(std::string_view text);

}  // namespace radqs::log
