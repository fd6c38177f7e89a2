#include "main/database_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

namespace radqs::app {
namespace {

int OpenAndLock(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

DatabaseLock::DatabaseLock(const std::string& database) {
  std::error_code ec;
  auto real = std::filesystem::weakly_canonical(std::filesystem::absolute(database), ec);
  real_path_ = ec ? database : real.string();
  lock_fd_ = OpenAndLock(real_path_ + ".lock", O_RDWR | O_CREAT);
  if (lock_fd_ < 0) return;
  if (std::filesystem::exists(real_path_)) {
    file_fd_ = OpenAndLock(real_path_, O_RDONLY);
    if (file_fd_ < 0) return;
  }
  held_ = true;
}

DatabaseLock::~DatabaseLock() {
  if (file_fd_ >= 0) ::close(file_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace radqs::app
