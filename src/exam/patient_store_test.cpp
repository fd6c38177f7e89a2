// Patient storage against a fresh database on each backend: the pinyin search forms of records
// written without them (before migration 0007, or by an import) are filled in at start-up.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "exam/patient.h"
#include "platform/db/test_database.h"

namespace radqs::exam {
namespace {

class PatientStore : public ::testing::Test {
 protected:
  db::TestDatabase db_{"patient_store"};
};

TEST_F(PatientStore, FillsMissingPinyinAndKeepsTypedPinyin) {
  db_->Write([](db::Transaction& tx) {
    tx.Exec(
        "INSERT INTO sites (id, code, name, level, kind, created_at, updated_at) VALUES (1, 'S', "
        "'院区', 'tertiary', 'department', 0, 0)");
    const char* insert =
        "INSERT INTO patients (id, site_id, patient_no, name, name_pinyin, sex, created_at, "
        "updated_at) VALUES (?, 1, ?, ?, ?, 'M', 0, 0)";
    tx.Exec(insert, 1, "P1", "曾小明", "");
    tx.Exec(insert, 2, "P2", "约翰", "Smith John");  // typed before the table existed
    tx.Exec(insert, 3, "P3", "123", "");             // nothing to read: stays empty
  });
  EXPECT_EQ(FillMissingPinyin(*db_), 2);
  EXPECT_EQ(FillMissingPinyin(*db_), 0) << "idempotent";
  db_->Read([](db::Transaction& tx) {
    auto s =
        tx.Prepare("SELECT name_pinyin, pinyin_key, pinyin_initials FROM patients ORDER BY id");
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Text(0), "ZENG XIAO MING");
    EXPECT_EQ(s.Text(1), "zengxiaoming");
    EXPECT_EQ(s.Text(2), "zxm");
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Text(0), "Smith John");
    EXPECT_EQ(s.Text(1), "smithjohn");
    EXPECT_EQ(s.Text(2), "sj");
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Text(1), "");
  });
}

}  // namespace
}  // namespace radqs::exam
