// Test support: hand-driven polling (futures 0.1 tests/support). Notifiers that do
// nothing, count, or fail the test; helpers to poll a future/stream once inside a task.
#pragma once

#include <futures/executor.hpp>
#include <futures/task.hpp>

#include <atomic>
#include <cstddef>
#include <memory>

namespace futures_test {

/// Ignores notifications.
class NoopNotify final : public futures::executor::Notify {
 public:
  void notify(std::size_t) override {}
};

/// Counts notifications (thread-safe).
class CountingNotify final : public futures::executor::Notify {
 public:
  void notify(std::size_t) override { count_.fetch_add(1, std::memory_order_relaxed); }
  std::size_t count() const { return count_.load(std::memory_order_relaxed); }
  void reset() { count_.store(0, std::memory_order_relaxed); }

 private:
  std::atomic<std::size_t> count_{0};
};

/// Fails the current test if notified.
class PanicNotify final : public futures::executor::Notify {
 public:
  void notify(std::size_t) override;
};

futures::executor::NotifyHandle noop_notify();
futures::executor::NotifyHandle panic_notify();

/// Runs `fn()` with a task whose notifier is `notify` current on this thread.
template <class Fn>
decltype(auto) with_task(const futures::executor::NotifyHandle& notify, Fn&& fn) {
  futures::task::detail::BorrowedTask borrowed{&notify, 0};
  futures::task::detail::CurrentTaskGuard guard(borrowed);
  return std::forward<Fn>(fn)();
}

/// Runs `fn()` inside a task that ignores notifications.
template <class Fn>
decltype(auto) with_noop_task(Fn&& fn) {
  return with_task(noop_notify(), std::forward<Fn>(fn));
}

/// Polls `f` once inside a task with `notify`.
template <class F>
auto poll_once(F& f, const futures::executor::NotifyHandle& notify) {
  return with_task(notify, [&] { return f.poll(); });
}
/// Polls `f` once inside a task that ignores notifications.
template <class F>
auto poll_noop(F& f) {
  return poll_once(f, noop_notify());
}

}  // namespace futures_test
