// Which worker slots sleep, and how many look for work (private to
// lib/tokio/threadpool/). After Tokio 1.x `runtime/scheduler/multi_thread/idle.rs`.
//
// state_ packs two counters: (num_unparked << 16) | num_searching.
//   searching  a worker with no work of its own that is stealing / checking the
//              injector. At most half the slots search at once.
//   unparked   slots not parked.
// Work made available (a push to a local queue, to the injector) wakes a parked slot
// only when nobody is searching and some slot is parked: a searcher will find the work,
// and when the last searcher finds some it wakes one more (so wake-ups chain, one at a
// time, instead of a thundering herd).
//
// Work in a local queue is always run by the queue's owner, so waking for it is only
// about parallelism (should_wake_hint: no fence). For the injector it is about progress.
// No lost wake-up there: a pusher does "publish the work; seq_cst fence; load state_"; the
// last searcher going to sleep does "RMW state_ (seq_cst); seq_cst fence; look at every
// queue". One of them sees the other: the pusher wakes a sleeper, or the searcher finds
// the work and wakes one (itself, possibly: its own unpark token is then set).
//
// The lock is a SpinLock around a few words; wake_one calls the Park's unpark (a system
// call when the slot sleeps in its reactor) after releasing it, so a worker going to
// sleep never waits for another one's wake. `waking_` counts those calls in flight, and
// close() waits them out before the Parks go.
#pragma once

#include "spin_lock.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace tokio::threadpool::detail {

class Idle {
 public:
  explicit Idle(std::size_t num_slots)
      : num_slots_(num_slots), state_(num_slots << kUnparkShift), parked_(num_slots, kRunning) {
    sleepers_.reserve(num_slots);
  }

  /// A pusher made work available: true if it should wake a parked slot. Cheap (a fence
  /// and a load of a rarely written word) when everyone is busy.
  bool should_wake() const noexcept {
    // seq_cst fence pairs with the fence in a searcher's transition_to_parked (see the
    // file comment): the work published before it is seen, or the parked count is.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const std::size_t s = state_.load(std::memory_order_relaxed);
    return searching(s) == 0 && unparked(s) < num_slots_;
  }

  /// should_wake() without the fence, for work the caller's own worker will run anyway
  /// (its local queue): a stale answer costs parallelism for a moment, never a task.
  bool should_wake_hint() const noexcept {
    const std::size_t s = state_.load(std::memory_order_relaxed);
    return searching(s) == 0 && unparked(s) < num_slots_;
  }

  /// Picks a parked slot to wake, counting it as unparked and searching, and calls
  /// `wake(slot)` after the lock (counted in `waking_`, so close() can tell when nobody
  /// uses the Parks any more). Nothing if nobody is parked, someone is searching, or
  /// closed.
  template <class Wake>
  void wake_one(Wake&& wake) {
    std::size_t slot = 0;
    {
      std::lock_guard lk(mu_);
      const std::size_t s = state_.load(std::memory_order_relaxed);
      if (closed_ || searching(s) != 0 || unparked(s) >= num_slots_ || sleepers_.empty()) return;
      slot = sleepers_.back();
      sleepers_.pop_back();
      parked_[slot] = kWokenSearching;
      state_.fetch_add((std::size_t{1} << kUnparkShift) | 1, std::memory_order_seq_cst);
      waking_.fetch_add(1, std::memory_order_relaxed);  // under the lock: close() sees it
    }
    wake(slot);
    waking_.fetch_sub(1, std::memory_order_release);  // pairs with close()'s acquire
  }

  /// A worker out of work wants to search. False when half the slots already search.
  bool transition_to_searching() noexcept {
    const std::size_t s = state_.load(std::memory_order_seq_cst);
    if (2 * searching(s) >= num_slots_) return false;
    state_.fetch_add(1, std::memory_order_seq_cst);
    return true;
  }

  /// A searcher found work. True if it was the last searcher: the caller then wakes
  /// another slot (there may be more work).
  bool transition_from_searching() noexcept {
    return searching(state_.fetch_sub(1, std::memory_order_seq_cst)) == 1;
  }

  /// Slot `slot` goes to sleep. True if it was the last searcher: the caller must then
  /// look at every queue once more (and wake a slot if there is work).
  bool transition_to_parked(std::size_t slot, bool is_searching) {
    std::lock_guard lk(mu_);
    const std::size_t dec = (std::size_t{1} << kUnparkShift) | (is_searching ? 1 : 0);
    const std::size_t prev = state_.fetch_sub(dec, std::memory_order_seq_cst);
    sleepers_.push_back(slot);
    parked_[slot] = kParked;
    std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with should_wake
    return is_searching && searching(prev) == 1;
  }

  enum class Woken { kStillParked, kSearching, kNotSearching };
  /// After slot `slot` returned from park. kStillParked: nobody woke it (a spurious or
  /// foreign wake-up); with `force` (it has work of its own now) it leaves anyway.
  Woken transition_from_parked(std::size_t slot, bool force) {
    std::lock_guard lk(mu_);
    const std::uint8_t p = parked_[slot];
    if (p == kParked) {
      if (!force) return Woken::kStillParked;
      remove_sleeper(slot);
      state_.fetch_add(std::size_t{1} << kUnparkShift, std::memory_order_seq_cst);
      parked_[slot] = kRunning;
      return Woken::kNotSearching;
    }
    parked_[slot] = kRunning;
    return p == kWokenSearching ? Woken::kSearching : Woken::kNotSearching;
  }

  /// Wakes every sleeper (counted unparked, not searching), calling `wake(slot)` for
  /// each under the lock (shutdown, the last task finishing during shutdown).
  template <class Wake>
  void wake_all(Wake&& wake) {
    std::lock_guard lk(mu_);
    if (closed_) return;
    for (std::size_t slot : sleepers_) {
      parked_[slot] = kWokenNotSearching;
      wake(slot);
    }
    state_.fetch_add(sleepers_.size() << kUnparkShift, std::memory_order_seq_cst);
    sleepers_.clear();
  }

  /// No wake-ups from now on (the pool has terminated; its Parks are about to go):
  /// returns once the wakes already under way have finished.
  void close() {
    {
      std::lock_guard lk(mu_);
      closed_ = true;
      sleepers_.clear();
    }
    while (waking_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  }

 private:
  static constexpr unsigned kUnparkShift = 16;
  static constexpr std::size_t kSearchMask = (std::size_t{1} << kUnparkShift) - 1;
  static constexpr std::uint8_t kRunning = 0;
  static constexpr std::uint8_t kParked = 1;
  static constexpr std::uint8_t kWokenSearching = 2;
  static constexpr std::uint8_t kWokenNotSearching = 3;

  static std::size_t searching(std::size_t s) noexcept { return s & kSearchMask; }
  static std::size_t unparked(std::size_t s) noexcept { return s >> kUnparkShift; }

  void remove_sleeper(std::size_t slot) {
    for (std::size_t i = 0; i < sleepers_.size(); ++i) {
      if (sleepers_[i] == slot) {
        sleepers_[i] = sleepers_.back();
        sleepers_.pop_back();
        return;
      }
    }
  }

  const std::size_t num_slots_;
  alignas(64) std::atomic<std::size_t> state_;
  SpinLock mu_;
  std::atomic<std::size_t> waking_{0};  // wake_one calls past the lock, not yet returned
  std::vector<std::size_t> sleepers_;  // under mu_
  std::vector<std::uint8_t> parked_;   // under mu_, per slot
  bool closed_ = false;                // under mu_
};

}  // namespace tokio::threadpool::detail
