// tokio layer: the thread pool's configuration. Mirrors tokio-threadpool 0.1
// `src/builder.rs`.
#pragma once

#include <tokio/executor/enter.hpp>
#include <tokio/executor/park.hpp>
#include <tokio/threadpool/worker.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace tokio::threadpool {

class ThreadPool;

namespace detail {
/// The settings a pool is built from (copied into the pool; the callbacks are called
/// from the worker threads, possibly concurrently).
struct Config {
  std::size_t pool_size = 0;  // 0: std::thread::hardware_concurrency() (at least 1)
  std::string name_prefix;
  std::size_t stack_size = 0;
  std::size_t max_blocking = 100;
  std::optional<std::chrono::nanoseconds> keep_alive;
  std::function<void()> after_start;
  std::function<void()> before_stop;
  std::function<void(std::exception_ptr)> panic_handler;
  std::function<void(Worker&, executor::Enter&)> around_worker;
  std::function<executor::park::BoxPark(const WorkerId&)> new_park;  // empty: DefaultPark
};
}  // namespace detail

/// Builds a ThreadPool with custom settings (Rust's `tokio_threadpool::Builder`).
/// Setters return `*this` so they chain: `Builder().pool_size(4).build()`.
class Builder {
 public:
  /// Rust's `Builder::new()`: one worker per hardware thread, no callbacks, exceptions
  /// escaping a task logged to stderr.
  Builder() = default;

  /// The number of worker threads (at least 1; contract violation on 0).
  Builder& pool_size(std::size_t n);
  /// Workers are named `<prefix><index>` (Linux truncates thread names to 15 bytes).
  Builder& name_prefix(std::string prefix) {
    config_.name_prefix = std::move(prefix);
    return *this;
  }
  /// The stack size of the pool's threads in bytes (0: the platform default).
  Builder& stack_size(std::size_t bytes) {
    config_.stack_size = bytes;
    return *this;
  }
  /// The most threads that may be inside `blocking()` at once (Rust's default: 100).
  /// A task calling blocking() beyond that gets NotReady and is notified when a slot
  /// frees up.
  Builder& max_blocking(std::size_t n) {
    config_.max_blocking = n;
    return *this;
  }
  /// How long a thread left over from blocking() waits for work before it exits
  /// (std::nullopt: forever, Rust's `None`).
  Builder& keep_alive(std::optional<std::chrono::nanoseconds> duration) {
    config_.keep_alive = duration;
    return *this;
  }
  /// Called on each worker thread when it starts, before it runs any task.
  template <class F>
  Builder& after_start(F f) {
    config_.after_start = std::move(f);
    return *this;
  }
  /// Called on each worker thread just before it exits, after its last task.
  template <class F>
  Builder& before_stop(F f) {
    config_.before_stop = std::move(f);
    return *this;
  }
  /// Called (on the worker) with the exception that escaped a task's poll (Rust's
  /// panic). The task has already been destroyed; the pool keeps running. An exception
  /// thrown by the handler itself terminates the program.
  template <class F>
  Builder& panic_handler(F f) {
    config_.panic_handler = std::move(f);
    return *this;
  }

  /// Wraps each pool thread's run (Rust's `around_worker`): `f(worker, enter)` is called
  /// on the thread, with `worker` a `Worker&` and `enter` the thread's
  /// `executor::Enter&`, and must call `worker.run()` once. Called for every thread,
  /// including those started to take over a slot from a thread in blocking().
  template <class F>
  Builder& around_worker(F f) {
    config_.around_worker = std::move(f);
    return *this;
  }
  /// Makes each worker slot's Park (Rust's `custom_park`): `f(const WorkerId&)` returns
  /// any type satisfying executor::park::Park. Called from build(), once per slot. The
  /// slot's thread parks on it when idle and is woken through its Unpark (any thread),
  /// so a reactor or timer can be the Park (a worker then sleeps in epoll_wait). The
  /// Park moves with the slot when blocking() hands the slot to another thread.
  template <class F>
  Builder& custom_park(F f) {
    config_.new_park = [f = std::move(f)](const WorkerId& id) { return executor::park::BoxPark(f(id)); };
    return *this;
  }

  /// Starts the worker threads and returns the pool (Rust's `build(&mut self)`).
  ThreadPool build() const;

 private:
  detail::Config config_;
};

}  // namespace tokio::threadpool
