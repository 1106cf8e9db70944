// tokio layer: the thread pool's configuration. Mirrors tokio-threadpool 0.1
// `src/builder.rs` (the subset listed in docs/runtime.md: no blocking, no custom park,
// no keep_alive, no around_worker).
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
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
  std::function<void()> after_start;
  std::function<void()> before_stop;
  std::function<void(std::exception_ptr)> panic_handler;
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
  /// Recorded but IGNORED: std::thread cannot set a stack size (the platform default
  /// is used).
  Builder& stack_size(std::size_t bytes) {
    config_.stack_size = bytes;
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

  /// Starts the worker threads and returns the pool (Rust's `build(&mut self)`).
  ThreadPool build() const;

 private:
  detail::Config config_;
};

}  // namespace tokio::threadpool
