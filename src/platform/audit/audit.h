// Audit trail (审计日志): append-only, every entry chained to the previous one by SHA-256, so that
// an edited, removed or reordered entry is found by Verify — spec: domain.md §9.
//
// Changes are appended inside the transaction of the change (Append). Reads of
// patient-identifying data are queued (ReadQueue) and appended by the database writer in
// batches at least once a second through the same chain — architecture.md "Audit chain".
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "platform/db/database.h"
#include "platform/json.h"

namespace radqs::audit {

struct Entry {
  Micros at = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string actor;   // username, or "system"
  std::string action;  // e.g. "site.create", "auth.login_failed", "patient.view"
  std::string entity;  // e.g. "site"
  std::string entity_id;
  std::string request_id;
  std::string ip;
  std::string before_digest;  // SHA-256 of the record before the change, empty if none
  std::string after_digest;
  std::string detail;  // short free text or JSON
};

struct StoredEntry {
  std::int64_t seq = 0;
  Entry entry;
  std::string prev_hash;
  std::string hash;
};

// The digest recorded for a record's state: SHA-256 of its canonical JSON.
std::string Digest(const Json& record);
// The chained hash of an entry; the canonical form length-prefixes every field.
std::string ChainHash(std::int64_t seq, const Entry& e, const std::string& prev_hash);

// Appends entries at the head of the chain, in order; must run in a write transaction.
// Returns the sequence number of the last one.
std::int64_t Append(db::Transaction& tx, const Entry& e);
std::int64_t AppendAll(db::Transaction& tx, const std::vector<Entry>& entries);

struct Filter {
  std::optional<std::string> actor, action, entity, entity_id;
  std::optional<Micros> from, to;
  std::optional<std::int64_t> before_seq;  // cursor: entries older than this
  int limit = 50;
};
std::vector<StoredEntry> List(db::Transaction& tx, const Filter& f);

struct VerifyResult {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string reason;
};
// Walks the whole chain from the first entry and compares it with the head row.
VerifyResult Verify(db::Database& database);

// Read-access entries waiting for the writer.
class ReadQueue {
 public:
  void Push(Entry e);
  // Registers the flush with the database writer.
  void Attach(db::Database& database);
  std::size_t Size() const;

 private:
  mutable std::mutex mu_;
  std::vector<Entry> pending_;
};

}  // namespace radqs::audit
