#include "platform/audit/audit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "platform/audit/audit_test_guards.h"
#include "platform/crypto.h"
#include "platform/db/test_database.h"

namespace radqs::audit {
namespace {

using testing::DropGuards;

// A migrated database on the run's backend, with the crypto library ready.
class FreshDb : public db::TestDatabase {
 public:
  explicit FreshDb(const char* name)
      : db::TestDatabase((crypto::Init(), std::string("audit_") + name)) {}
};

Entry Sample(int i) {
  Entry e;
  e.at = 1000 + i;
  e.actor = "admin";
  e.actor_user_id = 1;
  e.action = "site.update";
  e.entity = "site";
  e.entity_id = std::to_string(i);
  return e;
}

TEST(AuditChain, AFreshChainVerifies) {
  FreshDb db("fresh");
  EXPECT_TRUE(Verify(*db).ok);
  db->Write([](db::Transaction& tx) {
    for (int i = 0; i < 5; ++i) Append(tx, Sample(i));
  });
  const auto r = Verify(*db);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.checked, 5);
}

TEST(AuditChain, AnEditedEntryIsNamed) {
  FreshDb db("edited");
  db->Write([](db::Transaction& tx) {
    for (int i = 0; i < 5; ++i) Append(tx, Sample(i));
  });
  db->Write([](db::Transaction& tx) {
    DropGuards(tx);
    tx.Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
  });
  const auto r = Verify(*db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST(AuditChain, ARemovedEntryIsNamed) {
  FreshDb db("removed");
  db->Write([](db::Transaction& tx) {
    for (int i = 0; i < 5; ++i) Append(tx, Sample(i));
  });
  db->Write([](db::Transaction& tx) {
    DropGuards(tx);
    tx.Exec("DELETE FROM audit_log WHERE seq = 2");
  });
  EXPECT_EQ(Verify(*db).first_bad_seq, 2);
}

TEST(AuditChain, RemovingTheNewestEntryIsFound) {
  FreshDb db("tail");
  db->Write([](db::Transaction& tx) {
    for (int i = 0; i < 3; ++i) Append(tx, Sample(i));
  });
  db->Write([](db::Transaction& tx) {
    DropGuards(tx);
    tx.Exec("DELETE FROM audit_log WHERE seq = 3");
  });
  const auto r = Verify(*db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST(AuditChain, SwappedEntriesAreFound) {
  FreshDb db("swap");
  db->Write([](db::Transaction& tx) {
    for (int i = 0; i < 4; ++i) Append(tx, Sample(i));
  });
  db->Write([](db::Transaction& tx) {
    DropGuards(tx);
    tx.ExecScript(
        "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3;"
        "UPDATE audit_log SET seq = 3 WHERE seq = -2;");
  });
  EXPECT_EQ(Verify(*db).first_bad_seq, 2);
}

// The queue's size once a batch or the next idle second has flushed it (on PostgreSQL another
// writer may hold the hooks while this batch commits).
std::size_t Flushed(ReadQueue& q) {
  for (int i = 0; i < 30 && q.Size() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return q.Size();
}

TEST(AuditChain, ReadEntriesAreFlushedByTheWriter) {
  ReadQueue q;  // outlives the database, whose writer flushes it until closed
  FreshDb db("reads");
  q.Attach(*db);
  q.Push(Sample(1));
  q.Push(Sample(2));
  db->Write([](db::Transaction&) {});  // a batch flushes the queue, or the next second does
  EXPECT_EQ(Flushed(q), 0u);
  EXPECT_EQ(Verify(*db).checked, 2);
}

// A failing read-audit flush must neither undo the commands of its batch nor lose the queued
// entries: they stay queued and are appended by a later batch.
TEST(AuditChain, AFailingReadFlushKeepsItsBatchAndItsEntries) {
  ReadQueue q;  // outlives the database, whose writer flushes it until closed
  FreshDb db("flushfail");
  q.Attach(*db);
  db->Write([](db::Transaction& tx) {
    tx.ExecScript("CREATE TABLE t (v INTEGER)");
    testing::RefuseAction(tx, "patient.view", "injected flush failure");
  });
  Entry read = Sample(7);
  read.action = "patient.view";
  q.Push(read);
  q.Push(read);
  db->Write([](db::Transaction& tx) {
    tx.Exec("INSERT INTO t (v) VALUES (1)");
    Append(tx, Sample(1));
  });
  std::int64_t rows = 0;
  db->Read([&](db::Transaction& tx) {
    auto s = tx.Prepare("SELECT COUNT(*) FROM t");
    s.Step();
    rows = s.Int(0);
  });
  EXPECT_EQ(rows, 1) << "the command committed although the flush failed";
  EXPECT_EQ(q.Size(), 2u) << "the read entries stay queued";
  EXPECT_EQ(Verify(*db).checked, 1);

  db->Write([](db::Transaction& tx) { testing::DropRefusal(tx); });
  db->Write([](db::Transaction&) {});
  EXPECT_EQ(Flushed(q), 0u);
  const auto r = Verify(*db);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.checked, 3);
}

TEST(AuditChain, ListFiltersByEntityAndPagesBySeq) {
  FreshDb db("list");
  db->Write([](db::Transaction& tx) {
    for (int i = 0; i < 6; ++i) Append(tx, Sample(i % 2));
  });
  db->Read([](db::Transaction& tx) {
    Filter f;
    f.entity_id = "1";
    f.limit = 2;
    auto page = List(tx, f);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].seq, 6);
    f.before_seq = page[1].seq;
    EXPECT_EQ(List(tx, f).size(), 1u);
  });
}

}  // namespace
}  // namespace radqs::audit
