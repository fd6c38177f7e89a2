// The reader connections of a backend: a read waits for a free one and gives it back when done.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "platform/db/database.h"

namespace radqs::db {

template <class Conn>
class ReaderPool {
 public:
  void Add(std::unique_ptr<Conn> conn) {
    std::lock_guard lock(mu_);
    free_.push_back(conn.get());
    all_.push_back(std::move(conn));
  }

  // A connection for the lifetime of the lease.
  class Lease {
   public:
    explicit Lease(ReaderPool& pool) : pool_(pool) {
      std::unique_lock lock(pool_.mu_);
      pool_.cv_.wait(lock, [&] { return !pool_.free_.empty(); });
      conn_ = pool_.free_.back();
      pool_.free_.pop_back();
    }
    ~Lease() {
      std::lock_guard lock(pool_.mu_);
      pool_.free_.push_back(conn_);
      pool_.cv_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Conn& operator*() const { return *conn_; }

   private:
    ReaderPool& pool_;
    Conn* conn_ = nullptr;
  };

  void AddStats(PoolStats& s) const {
    std::lock_guard lock(mu_);
    s.readers_total = static_cast<int>(all_.size());
    s.readers_in_use = s.readers_total - static_cast<int>(free_.size());
  }

 private:
  std::vector<std::unique_ptr<Conn>> all_;
  std::vector<Conn*> free_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace radqs::db
