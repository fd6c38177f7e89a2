// Anchors (审计锚点) of the audit trail: the head (sequence, hash, time) written to a file outside
// the database and to the log, by `radqs audit anchor` and by the server every day. Whoever
// rewrites the trail and recomputes its chain afterwards cannot change what was anchored:
// `radqs audit verify --anchor FILE` compares every anchored entry — spec: domain.md §9.
//
// The anchor file holds one JSON object per line: {"seq":N,"hash":"…","at":"…Z"}, with
// "restore":true on the line a restore writes for the backup's head.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "platform/audit/audit.h"

namespace radqs::audit {

std::string FormatAnchor(const Anchor& a);
// Appends one line and syncs it to disk; throws std::runtime_error when it cannot.
void AppendAnchor(const std::string& path, const Anchor& a);
// The anchors in the file that apply to the chain as it is now (a restore line drops the
// earlier anchors of later entries), in file order; throws std::runtime_error on an unreadable file
// or a malformed line (naming the line).
std::vector<Anchor> ReadAnchors(const std::string& path);

// The outcome of the last check of the chain by the server, shown to administrators.
struct ChainStatus {
  bool checked = false;
  Micros checked_at = 0;
  VerifyResult result;
  std::optional<Anchor> last_anchor;
  std::string anchor_error;  // why the last anchor could not be written, or empty
};
ChainStatus LastChainStatus();

// The server's watch over its trail: verifies the whole chain (tags and the anchor file
// included) at start, logs an error when it is broken, and writes an anchor at start and every
// `interval` while the chain verifies. Runs on its own thread; stops when destroyed.
class ChainWatch {
 public:
  ChainWatch(db::Database& database, const Clock& clock, std::string anchor_file,
             std::chrono::seconds interval);
  ~ChainWatch();
  ChainWatch(const ChainWatch&) = delete;
  ChainWatch& operator=(const ChainWatch&) = delete;

 private:
  void Run();
  void CheckAndAnchor();

  db::Database& database_;
  const Clock& clock_;
  std::string anchor_file_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace radqs::audit
