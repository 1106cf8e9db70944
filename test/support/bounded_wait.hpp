// Test support: waiting with a deadline. A stress test that loses a wake-up must fail
// with a message naming what it waited for, not hang until the meson timeout.
#pragma once

#include <futures/executor.hpp>
#include <futures/result.hpp>

#include "support/notify.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace futures_test {

/// How long a stress test waits for anything before it reports a lost wake-up.
inline constexpr std::chrono::seconds kStressDeadline{30};

/// A Notify that wakes the thread blocked in wait_until().
class CvNotify final : public futures::executor::Notify {
 public:
  void notify(std::size_t) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      notified_ = true;
    }
    cv_.notify_all();
  }
  /// Blocks until notified or `deadline`; false on timeout. Consumes the notification.
  bool wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool woken = cv_.wait_until(lock, deadline, [&] { return notified_; });
    notified_ = false;
    return woken;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool notified_ = false;
};

/// Drives `future` to completion on this thread like Future::wait(), giving up after
/// `limit`: nullopt then (the future is left unfinished).
template <class F>
std::optional<futures::Result<typename F::Item, typename F::Error>> wait_for(
    F& future, std::chrono::steady_clock::duration limit = kStressDeadline) {
  using Out = futures::Result<typename F::Item, typename F::Error>;
  auto notify = std::make_shared<CvNotify>();
  const futures::executor::NotifyHandle handle(notify);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto polled = poll_once(future, handle);
    if (polled.is_err()) return Out(futures::Err(std::move(polled).unwrap_err()));
    auto ready = std::move(polled).unwrap();
    if (ready.is_ready()) return Out(futures::Ok(std::move(ready).value()));
    if (!notify->wait_until(deadline)) return std::nullopt;
  }
}

/// A countdown latch whose wait has a deadline (std::latch has none).
class Latch {
 public:
  explicit Latch(long count) : count_(count) {}
  void count_down(long n = 1) {
    std::lock_guard<std::mutex> lock(mutex_);
    count_ -= n;
    if (count_ <= 0) cv_.notify_all();
  }
  /// False if the count did not reach zero within `limit`.
  bool wait(std::chrono::steady_clock::duration limit = kStressDeadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return count_ <= 0; });
  }
  long remaining() {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  long count_;
};

/// Spins (yielding) until `pred()` holds; false after `limit`. For lock-step races
/// where a condition variable would hide the interleaving being tested.
template <class Pred>
bool spin_until(Pred&& pred, std::chrono::steady_clock::duration limit = kStressDeadline) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace futures_test
