// A fresh, migrated database for one storage test, on the backend the test run asks for: a
// SQLite file in TMPDIR, or, when RADQS_TEST_POSTGRES holds a libpq connection string without
// a dbname (tests/postgres/cluster.sh prints one), a new database on that server. Either is
// removed when the object goes. CTest runs every `store` test once per backend.
#pragma once

#include <memory>
#include <string>

#include "platform/db/database.h"

namespace radqs::db {

class TestDatabase {
 public:
  // `name` keeps parallel tests apart; the process id is added.
  explicit TestDatabase(const std::string& name, bool migrate = true);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& operator*() { return *db_; }
  Database* operator->() { return db_.get(); }
  Database* get() { return db_.get(); }
  bool postgres() const { return !server_.empty(); }
  // The SQLite file's path or the PostgreSQL connection string.
  const std::string& location() const { return location_; }
  // Closes the database and opens it again (a restart).
  void Reopen();

  // True when this run tests PostgreSQL.
  static bool PostgresRun();

 private:
  std::unique_ptr<Database> Open() const;
  void Remove();

  std::string server_;  // admin connection string, empty on SQLite
  std::string name_;
  std::string location_;
  std::unique_ptr<Database> db_;
};

}  // namespace radqs::db
