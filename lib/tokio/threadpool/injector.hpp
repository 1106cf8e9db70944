// The pool's global queue (private to lib/tokio/threadpool/): tasks spawned or notified
// from outside the pool's workers, and the overflow of full local queues. A SpinLock and an
// intrusive FIFO through TaskNode::next_ (no allocation per push), with an atomic length
// so that "is it empty?" takes no lock. Once closed (the pool has terminated) pushes are
// refused.
#pragma once

#include "spin_lock.hpp"
#include "tokio/executor/task_fifo.hpp"

#include <tokio/executor/task.hpp>

#include <atomic>
#include <cstddef>
#include <mutex>  // std::lock_guard

namespace tokio::threadpool::detail {

using executor::detail::TaskFifo;

class Injector {
 public:
  using TaskNode = executor::TaskNode;

  /// False (nothing queued) once closed.
  bool push(TaskNode* node) {
    std::lock_guard lk(mu_);
    if (closed_) return false;
    fifo_.push_back(node);
    len_.store(len_.load(std::memory_order_relaxed) + 1, std::memory_order_seq_cst);
    return true;
  }

  /// Pushes `n` nodes in order (a full local queue's overflow). Closed: dropped (the
  /// terminating pool owns them through its registry).
  void push_batch(TaskNode** nodes, std::size_t n) {
    if (n == 0) return;
    for (std::size_t i = 0; i + 1 < n; ++i)
      nodes[i]->next_.store(nodes[i + 1], std::memory_order_relaxed);
    nodes[n - 1]->next_.store(nullptr, std::memory_order_relaxed);
    std::lock_guard lk(mu_);
    if (closed_) return;
    fifo_.append(nodes[0], nodes[n - 1]);
    len_.store(len_.load(std::memory_order_relaxed) + n, std::memory_order_seq_cst);
  }

  /// Pops up to `max` nodes into `out` (FIFO); returns how many.
  std::size_t pop_batch(TaskNode** out, std::size_t max) {
    if (is_empty()) return 0;
    std::lock_guard lk(mu_);
    std::size_t n = 0;
    while (n < max) {
      TaskNode* node = fifo_.pop_front();
      if (node == nullptr) break;
      out[n++] = node;
    }
    len_.store(len_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
    return n;
  }

  bool is_empty() const noexcept { return len_.load(std::memory_order_acquire) == 0; }
  std::size_t len() const noexcept { return len_.load(std::memory_order_acquire); }

  /// Refuses later pushes and forgets what is queued (the registry owns the nodes).
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    fifo_.clear();
    len_.store(0, std::memory_order_relaxed);
  }

 private:
  SpinLock mu_;
  TaskFifo fifo_;             // under mu_
  bool closed_ = false;       // under mu_
  alignas(64) std::atomic<std::size_t> len_{0};
};

}  // namespace tokio::threadpool::detail
