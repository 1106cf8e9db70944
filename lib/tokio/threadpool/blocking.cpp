// blocking() (include/tokio/threadpool/blocking.hpp): the capacity of max_blocking
// threads, its FIFO of waiting tasks, and handing a slot to a spare thread. Mirrors
// tokio-threadpool 0.1 `src/blocking.rs`, `src/task/blocking.rs`, `src/pool/backup*.rs`
// (here under mutexes: entering blocking() costs a thread hand-off anyway).
//
// Capacity handed to a waiting task is reserved for it (aux_ kAuxAllocated) until the
// end of its next poll; unused, it goes to the next waiter. A task that completes (or
// is destroyed) while capacity is reserved gives it back: the releaser sets the bit then
// re-reads the state, the completer stores Complete then reads the bit, each with a
// seq_cst fence between, so one of them sees the other (whoever clears the bit owns the
// capacity).
#include "pool.hpp"

#include <tokio/executor/enter.hpp>
#include <tokio/threadpool/blocking.hpp>

#include <algorithm>

namespace tokio::threadpool::detail {

BlockingEntry enter_blocking() {
  ThreadContext& ctx = this_thread();
  if (ctx.pool == nullptr || ctx.current == nullptr) return BlockingEntry::kOutsidePool;
  return static_cast<BlockingEntry>(ctx.pool->enter_blocking());
}

int Inner::enter_blocking() {
  ThreadContext& ctx = this_thread();
  if (ctx.blocking) {
    // Capacity claimed earlier in this poll. Inside blocking()'s closure the thread is
    // not "entered": that is a nested call.
    return static_cast<int>(executor::detail::is_entered() ? BlockingEntry::kEntered
                                                           : BlockingEntry::kNested);
  }
  TaskNode* node = ctx.current;
  bool claimed =
      (node->aux_.load(std::memory_order_relaxed) & kAuxAllocated) != 0 &&
      (node->aux_.fetch_and(~kAuxAllocated, std::memory_order_acq_rel) & kAuxAllocated) != 0;
  if (!claimed) {
    std::lock_guard lk(blocking_mu_);
    if (blocking_capacity_ > 0) {
      --blocking_capacity_;
    } else {
      if ((node->aux_.fetch_or(kAuxQueued, std::memory_order_acq_rel) & kAuxQueued) == 0) {
        node->add_ref();  // the waiter list's reference
        blocking_waiters_.push_back(node);
      }
      return static_cast<int>(BlockingEntry::kNoCapacity);
    }
  }
  ctx.blocking = true;
  const std::size_t slot = std::exchange(ctx.slot, kNoSlot);
  hand_off_slot(slot);
  return static_cast<int>(BlockingEntry::kEntered);
}

void Inner::release_blocking_capacity() {
  for (;;) {
    TaskNode* node = nullptr;
    {
      std::lock_guard lk(blocking_mu_);
      if (blocking_waiters_.empty()) {
        ++blocking_capacity_;
        return;
      }
      node = blocking_waiters_.front();
      blocking_waiters_.pop_front();
      node->aux_.fetch_and(~kAuxQueued, std::memory_order_acq_rel);
    }
    node->aux_.fetch_or(kAuxAllocated, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with complete()'s fence
    if (node->state_.load(std::memory_order_relaxed) == kComplete) {
      const bool reclaimed =
          (node->aux_.fetch_and(~kAuxAllocated, std::memory_order_acq_rel) & kAuxAllocated) != 0;
      node->release_ref();
      if (reclaimed) continue;  // give it to the next waiter
      return;                   // the completer took it back and passed it on
    }
    notify(reinterpret_cast<std::size_t>(node));
    node->release_ref();
    return;
  }
}

void Inner::release_allocation_if_set(TaskNode* node) {
  if ((node->aux_.load(std::memory_order_relaxed) & kAuxAllocated) == 0) return;
  if ((node->aux_.fetch_and(~kAuxAllocated, std::memory_order_acq_rel) & kAuxAllocated) != 0)
    release_blocking_capacity();
}

void Inner::hand_off_slot(std::size_t slot) {
  std::lock_guard lk(threads_mu_);
  if (!spares_.empty()) {
    SpareWaiter* spare = spares_.back();  // the most recently idle: its cache is warmest
    spares_.pop_back();
    spare->slot = slot;
    spare->cv.notify_one();
    return;
  }
  start_thread(slot);
}

std::size_t Inner::wait_for_slot() {
  SpareWaiter me;
  std::unique_lock lk(threads_mu_);
  spares_.push_back(&me);
  const auto deadline = config_.keep_alive
                            ? std::optional(std::chrono::steady_clock::now() + *config_.keep_alive)
                            : std::nullopt;
  while (me.slot == kNoSlot && !should_exit()) {
    if (deadline) {
      if (me.cv.wait_until(lk, *deadline) == std::cv_status::timeout) break;
    } else {
      me.cv.wait(lk);
    }
  }
  if (me.slot == kNoSlot) {
    auto it = std::find(spares_.begin(), spares_.end(), &me);
    if (it != spares_.end()) spares_.erase(it);
  }
  return me.slot;
}

void Inner::wake_spares() {
  std::lock_guard lk(threads_mu_);
  for (SpareWaiter* spare : spares_)
    spare->cv.notify_one();
}

}  // namespace tokio::threadpool::detail
