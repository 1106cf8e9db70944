// futures layer: building executors. Mirrors futures 0.1 `executor`: `spawn()` fuses a
// future (or stream) with a task identity, `Spawn<T>` polls it under a Notify of your
// choosing, and `wait_future()` / `wait_stream()` block a plain thread until done.
#pragma once

#include <futures/contract.hpp>
#include <futures/fwd.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>

#include <cstddef>
#include <optional>
#include <utility>

namespace futures::executor {

namespace detail {
/// The Notify that wakes this thread from park_current_thread().
const NotifyHandle& current_thread_notify();
/// Blocks until current_thread_notify() is notified (returns at once if it was
/// notified since the last park). May wake spuriously.
void park_current_thread();
}  // namespace detail

/// A future, stream or sink bound to a task identity (Rust's `Spawn<T>`).
template <class T>
class Spawn {
 public:
  explicit Spawn(T obj) : obj_(std::move(obj)) {}

  /// Polls the future once with `notify`/`id` as the current task.
  auto poll_future_notify(const NotifyHandle& notify, std::size_t id) {
    return enter(notify, id, [this] { return obj_.poll(); });
  }
  /// Polls the stream once with `notify`/`id` as the current task.
  auto poll_stream_notify(const NotifyHandle& notify, std::size_t id) {
    return enter(notify, id, [this] { return obj_.poll(); });
  }
  /// Runs `f(obj)` with `notify`/`id` as the current task (sinks, custom calls).
  template <class F>
  decltype(auto) poll_fn_notify(const NotifyHandle& notify, std::size_t id, F&& f) {
    return enter(notify, id, [&]() -> decltype(auto) { return std::forward<F>(f)(obj_); });
  }

  /// Blocks this thread until the future completes.
  auto wait_future() {
    using Item = typename T::Item;
    using Error = typename T::Error;
    const NotifyHandle& notify = detail::current_thread_notify();
    for (;;) {
      auto polled = poll_future_notify(notify, id());
      if (polled.is_err()) return Result<Item, Error>(Err(std::move(polled).unwrap_err()));
      if (polled.unwrap_ref().is_ready())
        return Result<Item, Error>(Ok(std::move(polled).unwrap().value()));
      detail::park_current_thread();
    }
  }

  /// Blocks this thread until the stream yields: an item, an error, or nullopt at the end.
  auto wait_stream() {
    using Item = typename T::Item;
    using Error = typename T::Error;
    const NotifyHandle& notify = detail::current_thread_notify();
    for (;;) {
      auto polled = poll_stream_notify(notify, id());
      if (polled.is_err())
        return std::optional<Result<Item, Error>>(Err(std::move(polled).unwrap_err()));
      if (polled.unwrap_ref().is_ready()) {
        std::optional<Item> item = std::move(polled).unwrap().value();
        if (!item) return std::optional<Result<Item, Error>>();
        return std::optional<Result<Item, Error>>(Ok(std::move(*item)));
      }
      detail::park_current_thread();
    }
  }

  const T& get_ref() const { return obj_; }
  T& get_mut() { return obj_; }
  T into_inner() && { return std::move(obj_); }

 private:
  std::size_t id() const { return reinterpret_cast<std::size_t>(this); }

  template <class F>
  decltype(auto) enter(const NotifyHandle& notify, std::size_t id, F&& f) {
    task::detail::BorrowedTask borrowed{&notify, id};
    task::detail::CurrentTaskGuard guard(borrowed);
    return std::forward<F>(f)();
  }

  T obj_;
};

/// Binds `obj` to a new task identity (Rust's `executor::spawn`).
template <class T>
Spawn<T> spawn(T obj) {
  return Spawn<T>(std::move(obj));
}

}  // namespace futures::executor
