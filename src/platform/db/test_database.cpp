#include "platform/db/test_database.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "platform/db/migrations.h"

namespace radqs::db {
namespace {

std::string PostgresServer() {
  const char* s = std::getenv("RADQS_TEST_POSTGRES");
  return s != nullptr ? s : "";
}

// Database names are identifiers: lower-case letters, digits and underscores only.
std::string Identifier(const std::string& name) {
  static std::atomic<int> counter{0};
  std::string out = "radqs_t_";
  for (char c : name) {
    out += std::isalnum(static_cast<unsigned char>(c)) != 0
               ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
               : '_';
  }
  out += "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  return out.substr(0, 63);
}

}  // namespace

bool TestDatabase::PostgresRun() { return !PostgresServer().empty(); }

TestDatabase::TestDatabase(const std::string& name, bool migrate) : server_(PostgresServer()) {
  if (postgres()) {
    name_ = Identifier(name);
    // C collation: text compares by bytes, as on SQLite, whatever the server's locale.
    ExecPostgresStatement(server_ + " dbname=postgres",
                          "CREATE DATABASE " + name_ +
                              " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    location_ = server_ + " dbname=" + name_;
  } else {
    location_ = (std::filesystem::temp_directory_path() /
                 ("radqs_" + name + "_" + std::to_string(::getpid()) + ".db"))
                    .string();
    Remove();
  }
  db_ = Open();
  if (migrate) Migrate(*db_, MigrationsFor(db_->Dialect()));
}

TestDatabase::~TestDatabase() {
  if (db_ != nullptr) db_->Close();
  db_.reset();
  Remove();
}

void TestDatabase::Reopen() {
  db_->Close();
  db_.reset();
  db_ = Open();
}

std::unique_ptr<Database> TestDatabase::Open() const {
  if (postgres()) {
    PostgresOptions o;
    o.url = location_;
    return OpenPostgres(o);
  }
  return OpenSqlite({location_});
}

void TestDatabase::Remove() {
  if (postgres()) {
    if (db_ == nullptr && !name_.empty()) {
      try {
        ExecPostgresStatement(server_ + " dbname=postgres",
                              "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (const std::exception&) {
        // The cluster is removed after the run anyway.
      }
    }
    return;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(location_ + suffix);
}

}  // namespace radqs::db
