#include "platform/audit/audit.h"

#include <fmt/format.h>

#include <map>

#include "platform/crypto.h"

namespace radqs::audit {
namespace {

const std::string kGenesis(64, '0');

void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += ';';
}

StoredEntry ReadRow(db::Statement& s) {
  StoredEntry r;
  r.seq = s.Int(0);
  r.entry.at = s.Int(1);
  r.entry.actor_user_id = s.OptInt(2);
  r.entry.actor = s.Text(3);
  r.entry.action = s.Text(4);
  r.entry.entity = s.Text(5);
  r.entry.entity_id = s.Text(6);
  r.entry.request_id = s.Text(7);
  r.entry.ip = s.Text(8);
  r.entry.before_digest = s.Text(9);
  r.entry.after_digest = s.Text(10);
  r.entry.detail = s.Text(11);
  r.prev_hash = s.Text(12);
  r.hash = s.Text(13);
  r.mac = s.Text(14);
  return r;
}

constexpr const char* kBaseColumns =
    "seq, at, actor_user_id, actor, action, entity, entity_id, request_id, ip, before_digest, "
    "after_digest, detail, prev_hash, hash";

}  // namespace

std::string Digest(const Json& record) { return crypto::Sha256Hex(record.dump()); }

std::string ChainHash(std::int64_t seq, const Entry& e, const std::string& prev_hash) {
  std::string c;
  c.reserve(256);
  Field(c, std::to_string(seq));
  Field(c, std::to_string(e.at));
  Field(c, e.actor_user_id ? std::to_string(*e.actor_user_id) : "");
  Field(c, e.actor);
  Field(c, e.action);
  Field(c, e.entity);
  Field(c, e.entity_id);
  Field(c, e.request_id);
  Field(c, e.ip);
  Field(c, e.before_digest);
  Field(c, e.after_digest);
  Field(c, e.detail);
  Field(c, prev_hash);
  return crypto::Sha256Hex(c);
}

namespace {
// A batch's entries: what the kept commands appended, written at once before the commit.
class BatchEntries final : public db::BatchPart {
 public:
  void Add(const Entry& e) { entries_.push_back(e); }
  void Kept() override { kept_ = entries_.size(); }
  void Undone() override { entries_.resize(kept_); }
  void Write(db::Transaction& tx) override {
    if (!entries_.empty()) AppendAll(tx, entries_);
  }

 private:
  std::vector<Entry> entries_;
  std::size_t kept_ = 0;
};
constexpr char kBatchKey = 0;
}  // namespace

void Append(db::Transaction& tx, const Entry& e) {
  auto* part = tx.Part(&kBatchKey, [] { return std::make_unique<BatchEntries>(); });
  if (part == nullptr) {
    AppendAll(tx, {e});
    return;
  }
  static_cast<BatchEntries*>(part)->Add(e);
}

std::int64_t AppendAll(db::Transaction& tx, const std::vector<Entry>& entries) {
  // The head row is read and written inside the same write transaction, so the chain is
  // ordered by commit; on PostgreSQL the row is locked until then, so that the appenders of
  // several servers take turns. A batch of read-access entries reads and writes it once.
  auto head =
      tx.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1" + std::string(db::ForUpdate(tx)));
  if (!head.Step()) throw db::DbError(db::DbError::Kind::kOther, "audit_head row missing");
  std::int64_t seq = head.Int(0);
  std::string prev = head.Text(1);
  const Key* key = CurrentKey();
  for (const auto& e : entries) {
    ++seq;
    std::string hash = ChainHash(seq, e, prev);
    tx.Exec(
        "INSERT INTO audit_log (seq, at, actor_user_id, actor, action, entity, entity_id, "
        "request_id, ip, before_digest, after_digest, detail, prev_hash, hash, mac) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        seq, e.at, e.actor_user_id, e.actor, e.action, e.entity, e.entity_id, e.request_id, e.ip,
        e.before_digest, e.after_digest, e.detail, prev, hash,
        key != nullptr ? EntryTag(*key, hash) : std::string());
    prev = std::move(hash);
  }
  tx.Exec("UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1", seq, prev,
          key != nullptr ? HeadTag(*key, seq, prev) : std::string());
  return seq;
}

std::vector<StoredEntry> List(db::Transaction& tx, const Filter& f) {
  db::SqlBuilder q(fmt::format("SELECT {}, mac FROM audit_log WHERE 1 = 1", kBaseColumns));
  if (f.actor) q.Add(" AND actor = ?", *f.actor);
  if (f.action) q.Add(" AND action LIKE ? ESCAPE '\\'", db::LikePrefix(*f.action));
  if (f.actor_user_ids) {
    if (f.actor_user_ids->empty()) q.Add(" AND 0 = 1");
    for (std::size_t i = 0; i < f.actor_user_ids->size(); ++i) {
      q.Add(i == 0 ? " AND actor_user_id IN (?" : ", ?", (*f.actor_user_ids)[i]);
    }
    if (!f.actor_user_ids->empty()) q.Add(")");
  }
  if (f.entity) q.Add(" AND entity = ?", *f.entity);
  if (f.entity_id) q.Add(" AND entity_id = ?", *f.entity_id);
  if (f.from) q.Add(" AND at >= ?", *f.from);
  if (f.to) q.Add(" AND at < ?", *f.to);
  if (f.before_seq) q.Add(" AND seq < ?", *f.before_seq);
  q.Add(" ORDER BY seq DESC LIMIT ?", f.limit);
  auto s = q.Prepare(tx);
  std::vector<StoredEntry> out;
  while (s.Step()) out.push_back(ReadRow(s));
  return out;
}

VerifyResult Verify(db::Database& database) {
  VerifyOptions o;
  o.key = CurrentKey();
  return Verify(database, o);
}

VerifyResult Verify(db::Database& database, const VerifyOptions& options) {
  VerifyResult r;
  std::map<std::int64_t, const Anchor*> anchored;
  for (const auto& a : options.anchors) anchored[a.seq] = &a;
  const Key* key = options.key;
  database.Read([&](db::Transaction& tx) {
    // A database from before the tags (migration 0010) is verified as it is, e.g. an old
    // backup: its entries have no tags.
    const bool has_tags =
        tx.Dialect() == "postgresql" ||
        tx.Prepare("SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'mac'").Step();
    auto s = tx.Prepare(fmt::format("SELECT {}, {} FROM audit_log ORDER BY seq", kBaseColumns,
                                    has_tags ? "mac" : "''"));
    std::string prev = kGenesis;
    std::int64_t expected_seq = 1;
    auto fail = [&](std::int64_t seq, std::string reason) {
      r.ok = false;
      r.first_bad_seq = seq;
      r.reason = std::move(reason);
    };
    while (s.Step()) {
      const StoredEntry e = ReadRow(s);
      ++r.checked;
      if (e.seq != expected_seq) {
        return fail(expected_seq,
                    fmt::format("entry {} is missing (next present is {})", expected_seq, e.seq));
      }
      if (e.prev_hash != prev) {
        return fail(e.seq, "entry does not link to the previous entry (removed or reordered)");
      }
      if (ChainHash(e.seq, e.entry, e.prev_hash) != e.hash) {
        return fail(e.seq, "entry content does not match its hash (edited)");
      }
      if (!e.mac.empty()) ++r.tagged;
      if (key != nullptr && (e.seq >= key->from_seq || !e.mac.empty()) &&
          !crypto::ConstantTimeEquals(e.mac, EntryTag(*key, e.hash))) {
        return fail(e.seq, e.mac.empty() ? "entry has no keyed tag (written without the key)"
                                         : "entry's keyed tag does not match (rewritten "
                                           "without the key, or another key)");
      }
      if (const auto a = anchored.find(e.seq); a != anchored.end()) {
        ++r.anchors_checked;
        if (a->second->hash != e.hash) {
          return fail(e.seq, fmt::format("entry's hash differs from the anchor written at {} "
                                         "(chain rewritten since)",
                                         FormatInstant(a->second->at)));
        }
      }
      prev = e.hash;
      ++expected_seq;
    }
    const std::int64_t last = expected_seq - 1;
    auto head = tx.Prepare(has_tags ? "SELECT seq, hash, mac FROM audit_head WHERE id = 1"
                                    : "SELECT seq, hash, '' FROM audit_head WHERE id = 1");
    if (!head.Step()) return fail(0, "chain head row is missing");
    if (head.Int(0) != last || head.Text(1) != prev) {
      return fail(expected_seq,
                  fmt::format("chain head says {} entries but {} are present (entries removed "
                              "from the end)",
                              head.Int(0), last));
    }
    if (key != nullptr && last >= key->from_seq &&
        !crypto::ConstantTimeEquals(head.Text(2), HeadTag(*key, last, prev))) {
      return fail(expected_seq, fmt::format("chain head's keyed tag does not match (entries "
                                            "removed from the end after {})",
                                            last));
    }
    if (!options.anchors_may_be_ahead && !anchored.empty() && anchored.rbegin()->first > last) {
      const Anchor& a = *anchored.rbegin()->second;
      return fail(expected_seq,
                  fmt::format("entry {} was anchored at {} but the chain ends at {} (entries "
                              "removed from the end)",
                              a.seq, FormatInstant(a.at), last));
    }
    r.tags_checked = key != nullptr || r.tagged == 0;
  });
  return r;
}

bool HasTaggedEntries(db::Database& database) {
  bool tagged = false;
  database.Read([&](db::Transaction& tx) {
    tagged = tx.Prepare("SELECT 1 FROM audit_log WHERE mac <> '' LIMIT 1").Step();
  });
  return tagged;
}

Anchor Head(db::Database& database, Micros now) {
  Anchor a;
  a.at = now;
  database.Read([&](db::Transaction& tx) {
    auto s = tx.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!s.Step()) throw db::DbError(db::DbError::Kind::kOther, "audit_head row missing");
    a.seq = s.Int(0);
    a.hash = s.Text(1);
  });
  return a;
}

void ReadQueue::Push(Entry e) {
  std::lock_guard lock(mu_);
  pending_.push_back(std::move(e));
}

std::size_t ReadQueue::Size() const {
  std::lock_guard lock(mu_);
  return pending_.size() + in_flight_.size();
}

std::vector<Entry> ReadQueue::Drain() {
  std::lock_guard lock(mu_);
  std::vector<Entry> out;
  out.swap(pending_);
  return out;
}

std::vector<Entry> ReadQueue::Take() {
  std::lock_guard lock(mu_);
  in_flight_.insert(in_flight_.end(), std::make_move_iterator(pending_.begin()),
                    std::make_move_iterator(pending_.end()));
  pending_.clear();
  return in_flight_;
}

void ReadQueue::Settle(bool committed) {
  std::lock_guard lock(mu_);
  if (!committed) {
    in_flight_.insert(in_flight_.end(), std::make_move_iterator(pending_.begin()),
                      std::make_move_iterator(pending_.end()));
    pending_.swap(in_flight_);
  }
  in_flight_.clear();
}

void ReadQueue::Attach(db::Database& database) {
  database.AddFlushHook(db::FlushHook{[this] { return Size() > 0; },
                                      [this](db::Transaction& tx) { AppendAll(tx, Take()); },
                                      [this](bool committed) { Settle(committed); }});
}

}  // namespace radqs::audit
