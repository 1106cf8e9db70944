// The parker behind ParkThread (lib/tokio/executor/park.cpp) and the thread pool's
// DefaultPark (lib/tokio/threadpool/default_park.cpp). Private to lib/.
//
// The same protocol as futures' ThreadNotify (lib/futures/thread_notify.cpp, which
// blocks Future::wait()), plus timeouts. state_:
//   kEmpty    nobody parked, no wake-up pending
//   kParked   the owner sleeps (or is about to sleep) on cv_
//   kNotified an unpark arrived that no park has consumed yet
// Transitions: park kEmpty->kParked (under the lock) and kParked/kNotified->kEmpty;
// unpark any->kNotified, signalling cv_ (under the lock) if it replaced kParked.
#pragma once

#include <futures/detail/atomic.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace tokio::executor::park::detail {

class Parker {
 public:
  void unpark() {
    // Release pairs with park's acquire: what the unparker did before unpark() is
    // visible to the thread that returns from park.
    if (state_.exchange(kNotified, std::memory_order_release) == kParked) {
      // The parker holds the lock from its kEmpty->kParked CAS until cv_.wait releases
      // it, so taking the lock here orders this signal after the wait began: no lost
      // wake-up between the CAS and the wait.
      { std::lock_guard<std::mutex> lock(mutex_); }
      cv_.notify_one();
    }
  }

  void park(std::optional<std::chrono::nanoseconds> timeout) {
    // Fast path: consume a pending unpark. Acquire pairs with unpark's exchange.
    int expected = kNotified;
    if (state_.compare_exchange_strong(expected, kEmpty, std::memory_order_acquire)) return;
    if (timeout && timeout->count() <= 0) return;

    std::unique_lock<std::mutex> lock(mutex_);
    expected = kEmpty;
    if (!state_.compare_exchange_strong(expected, kParked, std::memory_order_relaxed)) {
      // An unpark slipped in since the fast path: consume it (acquire, as above).
      state_.exchange(kEmpty, std::memory_order_acquire);
      return;
    }
    const auto deadline = timeout ? std::optional(std::chrono::steady_clock::now() + *timeout) : std::nullopt;
    for (;;) {
      if (deadline) {
        cv_.wait_until(lock, *deadline);
      } else {
        cv_.wait(lock);
      }
      expected = kNotified;
      if (state_.compare_exchange_strong(expected, kEmpty, std::memory_order_acquire)) return;
      if (deadline && std::chrono::steady_clock::now() >= *deadline) {
        // Timed out: leave kParked, consuming an unpark that raced with the timeout.
        state_.exchange(kEmpty, std::memory_order_acquire);
        return;
      }
      // Spurious wake-up: still kParked, wait again.
    }
  }

 private:
  static constexpr int kEmpty = 0;
  static constexpr int kParked = 1;
  static constexpr int kNotified = 2;

  futures::detail::Atomic<int> state_{kEmpty};
  std::mutex mutex_;
  std::condition_variable cv_;
};

}  // namespace tokio::executor::park::detail
