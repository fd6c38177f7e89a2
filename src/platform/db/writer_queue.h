// The write queue both backends share: commands queued by any thread, taken in batches by one
// writer thread, plus the flush hooks that ride with every batch and with each idle second.
// The backend supplies what a batch is (its transaction and savepoints) and, optionally, what
// an idle second does (PostgreSQL probes the connection).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/db/database.h"

namespace radqs::db {

class WriterQueue {
 public:
  using RunBatch = std::function<void(std::vector<WriteJob>&, std::vector<FlushHook>&)>;

  ~WriterQueue() { Close(); }

  // Starts the writer thread; `idle` runs when a second passed with nothing to write.
  void Start(int max_batch, RunBatch run, std::function<void()> idle = {}) {
    max_batch_ = max_batch;
    run_ = std::move(run);
    idle_ = std::move(idle);
    thread_ = std::thread([this] { Loop(); });
  }

  void Submit(WriteJob job) {
    {
      std::lock_guard lock(mu_);
      if (closing_) throw DbError(DbError::Kind::kOther, "database is closing");
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

  void AddFlushHook(FlushHook hook) {
    std::lock_guard lock(mu_);
    hooks_.push_back(std::move(hook));
  }

  // Stops the writer after the queued commands and a last flush of the hooks.
  void Close() {
    {
      std::lock_guard lock(mu_);
      if (closing_) return;
      closing_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  void AddStats(PoolStats& s) const {
    {
      std::lock_guard lock(mu_);
      s.write_queue_depth = static_cast<std::int64_t>(queue_.size());
    }
    s.write_batches = batches_.load();
    s.write_jobs = jobs_.load();
  }

 private:
  static bool Pending(std::vector<FlushHook>& hooks) {
    bool pending = false;
    for (auto& h : hooks) pending = pending || h.pending();
    return pending;
  }

  void Loop() {
    std::vector<WriteJob> batch;
    for (;;) {
      std::vector<FlushHook> hooks;
      bool stop = false;
      {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, std::chrono::seconds(1), [&] { return !queue_.empty() || closing_; });
        while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        stop = closing_ && queue_.empty();
        hooks = hooks_;
      }
      if (!batch.empty() || Pending(hooks)) {
        Run(batch, hooks);
      } else if (!stop && idle_) {
        idle_();
      }
      batch.clear();
      if (stop) {
        // Last flush of the hooks so nothing queued is lost at shutdown.
        if (Pending(hooks)) Run(batch, hooks);
        return;
      }
    }
  }

  void Run(std::vector<WriteJob>& batch, std::vector<FlushHook>& hooks) {
    run_(batch, hooks);
    batches_.fetch_add(1);
    jobs_.fetch_add(static_cast<std::int64_t>(batch.size()));
  }

  int max_batch_ = 256;
  RunBatch run_;
  std::function<void()> idle_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WriteJob> queue_;
  std::vector<FlushHook> hooks_;
  bool closing_ = false;
  std::thread thread_;
  std::atomic<std::int64_t> batches_{0};
  std::atomic<std::int64_t> jobs_{0};
};

}  // namespace radqs::db
