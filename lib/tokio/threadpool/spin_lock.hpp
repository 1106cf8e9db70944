// A lock for the pool's short critical sections (private to lib/tokio/threadpool/): the
// registry shards and the injector. Uncontended it is one exchange and a store, where a
// pthread mutex cost ~110 instructions and 4 atomic RMWs per spawn (callgrind, mt2
// chained_spawn). Its holders never block and hold it for a few list operations; a waiter
// spins a little, then yields the CPU, since the holder may be preempted on this very CPU
// (on these 2-CPU machines the pool's threads often share one).
#pragma once

#include <futures/detail/atomic.hpp>

#include <sched.h>

#include <atomic>

namespace tokio::threadpool::detail {

class SpinLock {
 public:
  void lock() noexcept {
    if (locked_.exchange(true, std::memory_order_acquire)) lock_contended();
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  void lock_contended() noexcept {
    for (;;) {
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins < kSpins) {
          futures::detail::spin_loop_hint();
        } else {
          sched_yield();
        }
      }
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
    }
  }

  static constexpr int kSpins = 64;
  std::atomic<bool> locked_{false};
};

}  // namespace tokio::threadpool::detail
