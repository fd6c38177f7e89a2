#include "platform/audit/audit.h"

#include <fmt/format.h>

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
  return r;
}

constexpr const char* kColumns =
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

std::int64_t Append(db::Transaction& tx, const Entry& e) { return AppendAll(tx, {e}); }

std::int64_t AppendAll(db::Transaction& tx, const std::vector<Entry>& entries) {
  // The head row is read and written inside the same write transaction, so the chain is
  // ordered by commit (on PostgreSQL the dialect adds FOR UPDATE). A batch of read-access
  // entries reads and writes it once.
  auto head = tx.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.Step()) throw db::DbError(db::DbError::Kind::kOther, "audit_head row missing");
  std::int64_t seq = head.Int(0);
  std::string prev = head.Text(1);
  for (const auto& e : entries) {
    ++seq;
    std::string hash = ChainHash(seq, e, prev);
    tx.Exec(
        "INSERT INTO audit_log (seq, at, actor_user_id, actor, action, entity, entity_id, "
        "request_id, ip, before_digest, after_digest, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        seq, e.at, e.actor_user_id, e.actor, e.action, e.entity, e.entity_id, e.request_id, e.ip,
        e.before_digest, e.after_digest, e.detail, prev, hash);
    prev = std::move(hash);
  }
  tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, prev);
  return seq;
}

std::vector<StoredEntry> List(db::Transaction& tx, const Filter& f) {
  db::SqlBuilder q(fmt::format("SELECT {} FROM audit_log WHERE 1 = 1", kColumns));
  if (f.actor) q.Add(" AND actor = ?", *f.actor);
  if (f.action) q.Add(" AND action LIKE ? ESCAPE '\\'", db::LikePrefix(*f.action));
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
  VerifyResult r;
  database.Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(fmt::format("SELECT {} FROM audit_log ORDER BY seq", kColumns));
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
      prev = e.hash;
      ++expected_seq;
    }
    auto head = tx.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head.Step()) return fail(0, "chain head row is missing");
    if (head.Int(0) != expected_seq - 1 || head.Text(1) != prev) {
      return fail(expected_seq,
                  fmt::format("chain head says {} entries but {} are present (entries removed "
                              "from the end)",
                              head.Int(0), expected_seq - 1));
    }
  });
  return r;
}

void ReadQueue::Push(Entry e) {
  std::lock_guard lock(mu_);
  pending_.push_back(std::move(e));
}

std::size_t ReadQueue::Size() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

void ReadQueue::Attach(db::Database& database) {
  database.AddFlushHook(db::FlushHook{[this] { return Size() > 0; },
                                      [this](db::Transaction& tx) {
                                        std::vector<Entry> batch;
                                        {
                                          std::lock_guard lock(mu_);
                                          batch.swap(pending_);
                                        }
                                        AppendAll(tx, batch);
                                      }});
}

}  // namespace radqs::audit
