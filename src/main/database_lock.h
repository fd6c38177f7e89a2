// One server (or one restore) per SQLite database, whatever path names it: the lock is taken
// on a lock file beside the database's real path (every symlink resolved) and on the database
// file itself (so a hard link or a bind mount of it is the same database too). Advisory
// flock(2) locks, released by the kernel when the process dies.
#pragma once

#include <string>

namespace radqs::app {

class DatabaseLock {
 public:
  explicit DatabaseLock(const std::string& database);
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

  bool held() const { return held_; }
  // The database file with every symlink resolved: what a restore replaces.
  const std::string& real_path() const { return real_path_; }

 private:
  std::string real_path_;
  int lock_fd_ = -1;
  // Kept open until the process no longer uses the database: closing a descriptor of the
  // database file would drop SQLite's own POSIX locks on it.
  int file_fd_ = -1;
  bool held_ = false;
};

}  // namespace radqs::app
