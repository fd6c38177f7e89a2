#include "platform/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "core/time.h"
#include "platform/json_writer.h"

namespace radqs::log {
namespace {
std::atomic<Level> g_min_level{Level::kInfo};
std::mutex g_mu;

std::string_view Name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}
}  // namespace

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  AppendJsonEscaped(out, text);
  return out;
}

void SetMinimumLevel(Level level) { g_min_level = level; }

void Write(Level level, std::string_view message, std::string_view request_id) {
  if (level < g_min_level.load()) return;
  std::string line =
      fmt::format(R"({{"t":"{}","level":"{}","msg":"{}")", FormatInstant(SystemClock().Now()),
                  Name(level), JsonEscape(message));
  if (!request_id.empty()) line += fmt::format(R"(,"request_id":"{}")", JsonEscape(request_id));
  line += "}\n";
  std::lock_guard lock(g_mu);
  std::fputs(line.c_str(), stderr);
}

}  // namespace radqs::log
