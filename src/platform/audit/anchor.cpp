#include "platform/audit/anchor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "platform/json.h"
#include "platform/log.h"

namespace radqs::audit {
namespace {

std::mutex g_status_mu;
ChainStatus g_status;

void Publish(const ChainStatus& s) {
  std::lock_guard lock(g_status_mu);
  g_status = s;
}

}  // namespace

std::string FormatAnchor(const Anchor& a) {
  Json j{{"seq", a.seq}, {"hash", a.hash}, {"at", FormatInstant(a.at)}};
  if (a.restore) j["restore"] = true;
  return j.dump();
}

void AppendAnchor(const std::string& path, const Anchor& a) {
  const std::string line = FormatAnchor(a) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open anchor file " + path);
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write anchor file " + path);
}

std::vector<Anchor> ReadAnchors(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read anchor file " + path);
  std::vector<Anchor> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto bad = [&] {
      return std::runtime_error("anchor file " + path + " line " + std::to_string(number) +
                                " is not {\"seq\",\"hash\",\"at\"}");
    };
    const Json j = Json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() ||
        !j.contains("hash") || !j["hash"].is_string() || !j.contains("at") ||
        !j["at"].is_string()) {
      throw bad();
    }
    const auto at = ParseInstant(j["at"].get<std::string>());
    if (!at) throw bad();
    const Anchor a{j["seq"].get<std::int64_t>(), j["hash"].get<std::string>(), *at,
                   j.value("restore", false)};
    if (a.restore) std::erase_if(out, [&](const Anchor& o) { return o.seq > a.seq; });
    out.push_back(a);
  }
  return out;
}

ChainStatus LastChainStatus() {
  std::lock_guard lock(g_status_mu);
  return g_status;
}

ChainWatch::ChainWatch(db::Database& database, const Clock& clock, std::string anchor_file,
                       std::chrono::seconds interval)
    : database_(database),
      clock_(clock),
      anchor_file_(std::move(anchor_file)),
      interval_(interval),
      thread_([this] { Run(); }) {}

ChainWatch::~ChainWatch() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChainWatch::Run() {
  for (;;) {
    try {
      CheckAndAnchor();
    } catch (const std::exception& e) {
      log::Error("audit chain check failed: {}", e.what());
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, interval_, [this] { return stop_; })) return;
  }
}

void ChainWatch::CheckAndAnchor() {
  ChainStatus s = LastChainStatus();
  VerifyOptions o;
  o.key = CurrentKey();
  s.anchor_error.clear();
  if (std::filesystem::exists(anchor_file_)) {
    try {
      o.anchors = ReadAnchors(anchor_file_);
    } catch (const std::exception& e) {
      s.anchor_error = e.what();
    }
  }
  s.result = Verify(database_, o);
  s.checked = true;
  s.checked_at = clock_.Now();
  if (!s.result.ok) {
    log::Error("audit chain BROKEN at entry {}: {} ({} entries read); not anchored",
               s.result.first_bad_seq.value_or(0), s.result.reason, s.result.checked);
    return Publish(s);
  }
  if (!s.result.tags_checked) {
    log::Error("audit chain: {} entries carry keyed tags but the server has no key to check them",
               s.result.tagged);
  }
  const Anchor a = Head(database_, clock_.Now());
  try {
    AppendAnchor(anchor_file_, a);
    s.last_anchor = a;
    log::Info("audit anchor {}", FormatAnchor(a));
  } catch (const std::exception& e) {
    s.anchor_error = e.what();
    log::Error("audit anchor not written: {} (head {})", e.what(), FormatAnchor(a));
  }
  Publish(s);
}

}  // namespace radqs::audit
