// The write queue both backends share: commands queued by any thread, taken in batches by the
// writer threads (one on SQLite, one per writer connection on PostgreSQL), plus the flush hooks
// that ride with every batch (one writer's at a time) and with writer 0's idle seconds. The backend
// supplies what a batch is (its transaction and savepoints) and, optionally, what an idle second
// does (PostgreSQL probes the connection).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "platform/db/database.h"

namespace radqs::db {

// The BatchParts of one batch attempt, in the order they were first asked for.
class BatchParts {
 public:
  BatchPart* Get(const void* key, const std::function<std::unique_ptr<BatchPart>()>& make) {
    for (auto& [k, part] : parts_) {
      if (k == key) return part.get();
    }
    parts_.emplace_back(key, make());
    return parts_.back().second.get();
  }
  void Kept() {
    for (auto& p : parts_) p.second->Kept();
  }
  void Undone() {
    for (auto& p : parts_) p.second->Undone();
  }
  void Write(Transaction& tx) {
    for (auto& p : parts_) p.second->Write(tx);
  }

 private:
  std::vector<std::pair<const void*, std::unique_ptr<BatchPart>>> parts_;
};

class WriterQueue {
 public:
  // The batch, the flush hooks (empty while another writer has them) and the writer's index.
  using RunBatch = std::function<void(std::vector<WriteJob>&, std::vector<FlushHook>&, int)>;

  ~WriterQueue() { Close(); }

  // Starts `writers` writer threads; `idle` runs on writer 0 when a second passed with nothing
  // to write.
  void Start(int max_batch, RunBatch run, std::function<void()> idle = {}, int writers = 1) {
    max_batch_ = max_batch;
    run_ = std::move(run);
    idle_ = std::move(idle);
    for (int i = 0; i < std::max(1, writers); ++i) threads_.emplace_back([this, i] { Loop(i); });
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
    cv_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  void AddStats(PoolStats& s) const {
    {
      std::lock_guard lock(mu_);
      s.write_queue_depth = static_cast<std::int64_t>(queue_.size());
    }
    s.writers = static_cast<int>(threads_.size());
    s.write_batches = batches_.load();
    s.write_jobs = jobs_.load();
  }

 private:
  static bool Pending(std::vector<FlushHook>& hooks) {
    bool pending = false;
    for (auto& h : hooks) pending = pending || h.pending();
    return pending;
  }

  void Loop(int writer) {
    std::vector<WriteJob> batch;
    for (;;) {
      std::vector<FlushHook> hooks;
      bool stop = false;
      bool flushing = false;
      {
        std::unique_lock lock(mu_);
        const auto ready = [&] { return !queue_.empty() || closing_; };
        if (writer == 0) {
          cv_.wait_for(lock, std::chrono::seconds(1), ready);
        } else {
          cv_.wait(lock, ready);
        }
        while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        // More waiting than this batch takes: another writer starts on it meanwhile.
        if (!queue_.empty()) cv_.notify_one();
        stop = closing_ && queue_.empty();
        // The hooks ride with one writer's batch at a time (a hook is never flushed twice at once).
        flushing = !flushing_;
        if (flushing) {
          hooks = hooks_;
          flushing_ = true;
        }
      }
      if (!batch.empty() || Pending(hooks)) {
        Run(batch, hooks, writer);
      } else {
        if (flushing && !stop) {  // nothing to flush: free the hooks before the idle probe
          std::lock_guard lock(mu_);
          flushing_ = false;
          flushing = false;
        }
        if (!stop && idle_ && writer == 0) idle_();
      }
      batch.clear();
      if (stop && Pending(hooks)) Run(batch, hooks, writer);  // nothing queued is lost at shutdown
      if (flushing) {
        std::lock_guard lock(mu_);
        flushing_ = false;
      }
      if (stop) return;
    }
  }

  void Run(std::vector<WriteJob>& batch, std::vector<FlushHook>& hooks, int writer) {
    run_(batch, hooks, writer);
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
  bool flushing_ = false;  // a writer holds the hooks
  std::vector<std::thread> threads_;
  std::atomic<std::int64_t> batches_{0};
  std::atomic<std::int64_t> jobs_{0};
};

}  // namespace radqs::db
