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
#include "platform/audit/audit_key.h"
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
  std::string mac;  // keyed tag of hash (audit_key.h); empty before the database had a key
};

// The head of the chain at one moment, written outside the database (anchor.h) so that a
// chain recomputed later from that point on no longer matches it.
struct Anchor {
  std::int64_t seq = 0;
  std::string hash;
  Micros at = 0;
  // Written by a restore: the chain goes on from this entry of the backup, and the anchors of
  // later entries written before it belong to the history that the restore replaced.
  bool restore = false;
};

// The digest recorded for a record's state: SHA-256 of its canonical JSON.
std::string Digest(const Json& record);
// The chained hash of an entry; the canonical form length-prefixes every field.
std::string ChainHash(std::int64_t seq, const Entry& e, const std::string& prev_hash);

// Appends an entry in a write transaction. In a writer's batch the entries of its kept commands
// are appended together just before the batch commits (in command order; an undone command's
// entry goes with it), so the head is locked only then; a command does not read back its own.
void Append(db::Transaction& tx, const Entry& e);
// Appends entries at the head of the chain now, in order; returns the last one's sequence number.
std::int64_t AppendAll(db::Transaction& tx, const std::vector<Entry>& entries);

struct Filter {
  std::optional<std::string> actor, action, entity, entity_id;
  std::optional<Micros> from, to;
  // Entries by these accounts only (a person's name resolved to accounts); empty finds none.
  std::optional<std::vector<std::int64_t>> actor_user_ids;
  std::optional<std::int64_t> before_seq;  // cursor: entries older than this
  int limit = 50;
};
std::vector<StoredEntry> List(db::Transaction& tx, const Filter& f);

struct VerifyResult {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string reason;
  std::int64_t tagged = 0;   // entries carrying a keyed tag
  bool tags_checked = true;  // false: tagged entries but no key to check them with
  std::int64_t anchors_checked = 0;
};

struct VerifyOptions {
  const Key* key = nullptr;           // checks every entry's tag from key->from_seq on
  std::vector<Anchor> anchors;        // each anchored entry must still have its anchored hash
  bool anchors_may_be_ahead = false;  // a backup older than some anchors: skip those
};
// Walks the whole chain from the first entry and compares it with the head row, the tags
// (when a key is given) and the anchors. Names the first bad entry.
VerifyResult Verify(db::Database& database, const VerifyOptions& options);
// With CurrentKey() and no anchors.
VerifyResult Verify(db::Database& database);
// Whether any entry carries a keyed tag (the trail has been written with a key).
bool HasTaggedEntries(db::Database& database);
// The head row as it is now.
Anchor Head(db::Database& database, Micros now);

// Read-access entries waiting for the writer. A batch whose append fails (or whose commit
// fails) goes back to the front of the queue, in order, for the next batch.
class ReadQueue {
 public:
  void Push(Entry e);
  // Registers the flush with the database writer.
  void Attach(db::Database& database);
  // Entries not yet committed to the chain.
  std::size_t Size() const;
  // Takes the pending entries of a queue that is never attached: an export stages the reads of
  // the pages it walks and hands them on only when it answers with the file.
  std::vector<Entry> Drain();

 private:
  std::vector<Entry> Take();
  void Settle(bool committed);

  mutable std::mutex mu_;
  std::vector<Entry> pending_;
  std::vector<Entry> in_flight_;  // taken by the writer, not yet committed
};

}  // namespace radqs::audit
