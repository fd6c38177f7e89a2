// The trail resists someone who can write the database file: triggers refuse edits, the keyed
// tags catch a chain recomputed without the key, anchors catch a recomputed or truncated chain.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "platform/audit/anchor.h"
#include "platform/audit/audit.h"
#include "platform/audit/audit_key.h"
#include "platform/audit/audit_test_guards.h"
#include "platform/crypto.h"
#include "platform/db/test_database.h"

namespace radqs::audit {
namespace {

const std::string kGenesis(64, '0');

std::string TempPath(const std::string& name) {
  auto p =
      std::filesystem::temp_directory_path() / ("radqs_key_" + name + std::to_string(::getpid()));
  std::filesystem::remove(p);
  return p.string();
}

db::TestDatabase FreshDb(const std::string& name) {
  crypto::Init();
  return db::TestDatabase("key_" + name);
}

Entry Sample(int i) {
  Entry e;
  e.at = 1000 + i;
  e.actor = "admin";
  e.action = "site.update";
  e.entity = "site";
  e.entity_id = std::to_string(i);
  return e;
}

void AppendSamples(db::Database& db, int n) {
  db.Write([n](db::Transaction& tx) {
    for (int i = 0; i < n; ++i) Append(tx, Sample(i));
  });
}

// What an attacker with the file and without the key does: drop the triggers, edit an entry,
// recompute every hash from there on with plain SHA-256 and move the head.
void Rewrite(db::Database& db, std::int64_t seq, const std::string& actor) {
  db.Write([&](db::Transaction& tx) {
    testing::DropGuards(tx);
    tx.Exec("UPDATE audit_log SET actor = ? WHERE seq = ?", actor, seq);
    Filter f;
    f.limit = 1 << 20;
    auto all = List(tx, f);
    std::reverse(all.begin(), all.end());
    std::string prev = seq == 1 ? kGenesis : all[static_cast<std::size_t>(seq - 2)].hash;
    for (const auto& e : all) {
      if (e.seq < seq) continue;
      const std::string h = ChainHash(e.seq, e.entry, prev);
      tx.Exec("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", prev, h, e.seq);
      prev = h;
    }
    tx.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", prev);
  });
}

class KeyedChain : public ::testing::Test {
 protected:
  void TearDown() override { UseKey(std::nullopt); }
};

TEST_F(KeyedChain, TriggersRefuseUpdateAndDeleteOfTheTrail) {
  auto db = FreshDb("triggers");
  AppendSamples(*db, 3);
  for (const char* sql :
       {"UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3", "DELETE FROM audit_head",
        "UPDATE audit_head SET seq = 1",
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, request_id, ip, "
        "before_digest, after_digest, detail, prev_hash, hash) "
        "VALUES (9, 0, 'x', 'x', 'x', '', '', '', '', '', '', 'x', 'x')"}) {
    EXPECT_THROW(db->Write([&](db::Transaction& tx) { tx.ExecScript(sql); }), db::DbError) << sql;
  }
  const auto r = Verify(*db);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.checked, 3);
}

TEST_F(KeyedChain, ARecomputedChainPassesWithoutTheKeyAndFailsWithIt) {
  auto db = FreshDb("recomputed");
  const auto path = TempPath("recomputed.key");
  UseKey(CreateKey(path, 1));
  AppendSamples(*db, 5);
  ASSERT_TRUE(Verify(*db).ok);
  EXPECT_EQ(Verify(*db).tagged, 5);
  Rewrite(*db, 3, "mallory");

  VerifyOptions plain;
  const auto unkeyed = Verify(*db, plain);
  EXPECT_TRUE(unkeyed.ok) << "the plain chain was recomputed";
  EXPECT_FALSE(unkeyed.tags_checked);

  const auto keyed = Verify(*db);
  EXPECT_FALSE(keyed.ok);
  EXPECT_EQ(keyed.first_bad_seq, 3);
  EXPECT_NE(keyed.reason.find("keyed tag"), std::string::npos) << keyed.reason;
}

TEST_F(KeyedChain, TheKeyFileIsPrivateAndReadBack) {
  const auto path = TempPath("private.key");
  const Key made = CreateKey(path, 42);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const auto read = ReadKey(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->secret, made.secret);
  EXPECT_EQ(read->from_seq, 42);
  EXPECT_THROW(CreateKey(path, 1), std::runtime_error) << "an existing key is never replaced";
  EXPECT_FALSE(ReadKey(path + ".absent"));
}

TEST_F(KeyedChain, EntriesBeforeTheKeyAreChainedOnlyAndLaterOnesMustBeTagged) {
  auto db = FreshDb("legacy");
  AppendSamples(*db, 2);  // written before the database had a key
  UseKey(CreateKey(TempPath("legacy.key"), 3));
  AppendSamples(*db, 2);
  auto r = Verify(*db);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.tagged, 2);
  db->Write([](db::Transaction& tx) {
    testing::DropGuards(tx);
    tx.Exec("UPDATE audit_log SET mac = '' WHERE seq = 4");
  });
  r = Verify(*db);
  EXPECT_EQ(r.first_bad_seq, 4);
}

TEST_F(KeyedChain, TruncatingTheTailIsFoundByTheHeadTag) {
  auto db = FreshDb("truncated");
  UseKey(CreateKey(TempPath("truncated.key"), 1));
  AppendSamples(*db, 4);
  db->Write([](db::Transaction& tx) {
    testing::DropGuards(tx);
    tx.ExecScript(
        "DELETE FROM audit_log WHERE seq = 4;"
        "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3);");
  });
  const auto r = Verify(*db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
}

TEST_F(KeyedChain, AnAnchorCatchesARecomputedOrTruncatedChainWithoutAnyKey) {
  auto db = FreshDb("anchored");
  AppendSamples(*db, 4);
  const auto file = TempPath("anchors.jsonl");
  AppendAnchor(file, Head(*db, 5'000'000));
  AppendSamples(*db, 1);
  VerifyOptions o;
  o.anchors = ReadAnchors(file);
  ASSERT_EQ(o.anchors.size(), 1u);
  EXPECT_EQ(o.anchors[0].seq, 4);
  auto r = Verify(*db, o);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.anchors_checked, 1);

  Rewrite(*db, 2, "mallory");
  EXPECT_TRUE(Verify(*db).ok) << "no key: the recomputed chain alone passes";
  r = Verify(*db, o);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_NE(r.reason.find("anchor"), std::string::npos) << r.reason;

  Anchor ahead{99, "x", 0};
  o.anchors = {ahead};
  EXPECT_FALSE(Verify(*db, o).ok) << "an anchored entry past the end: the tail was removed";
  o.anchors_may_be_ahead = true;
  EXPECT_TRUE(Verify(*db, o).ok) << "a backup older than the anchor";
}

TEST_F(KeyedChain, ARestoreLineSetsAsideTheAnchorsOfTheReplacedHistory) {
  const auto file = TempPath("restore-anchors.jsonl");
  AppendAnchor(file, {5, "a", 1'000'000, false});
  AppendAnchor(file, {2, "b", 2'000'000, true});
  AppendAnchor(file, {3, "c", 3'000'000, false});
  const auto read = ReadAnchors(file);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].seq, 2);
  EXPECT_TRUE(read[0].restore);
  EXPECT_EQ(read[1].seq, 3);
  EXPECT_EQ(read[1].hash, "c");
}

}  // namespace
}  // namespace radqs::audit
