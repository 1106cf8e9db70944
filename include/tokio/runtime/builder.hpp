// tokio layer: configures a thread-pool Runtime. Mirrors tokio 0.1
// `src/runtime/threadpool/builder.rs`.
//
// The seam for the reactor and timer (later issues): Tokio's build() gives each worker
// its own `Timer<Reactor>` as the pool's park (threadpool::Builder::custom_park) and
// installs their handles around each worker (around_worker). Here build() hands the
// thread-pool Builder over unchanged; the later issue adds those two calls in
// lib/tokio/runtime/builder.cpp, and Builder::clock with the timer.
#pragma once

#include <tokio/threadpool/builder.hpp>

#include <futures/result.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace tokio::runtime {

class Runtime;

/// Builds a thread-pool Runtime with custom settings (Rust's `runtime::Builder`).
/// Setters return `*this` so they chain: `Builder().core_threads(2).build()`.
class Builder {
 public:
  /// Rust's `Builder::new()`: one worker per hardware thread, workers named
  /// "tokio-runtime-worker-<index>", 100 blocking threads at most.
  Builder();

  /// The number of worker threads (at least 1; contract violation on 0).
  Builder& core_threads(std::size_t n);
  /// The most threads that may be inside `blocking()` at once (the pool's max_blocking).
  Builder& blocking_threads(std::size_t n) {
    pool_.max_blocking(n);
    return *this;
  }
  /// How long an idle blocking thread waits for work before exiting (nullopt: forever).
  Builder& keep_alive(std::optional<std::chrono::nanoseconds> duration) {
    pool_.keep_alive(duration);
    return *this;
  }
  /// Worker threads are named `<prefix><index>` (Linux keeps the first 15 bytes).
  Builder& name_prefix(std::string prefix) {
    pool_.name_prefix(std::move(prefix));
    return *this;
  }
  /// As threadpool::Builder::stack_size.
  Builder& stack_size(std::size_t bytes) {
    pool_.stack_size(bytes);
    return *this;
  }
  /// Called on a worker with the exception that escaped a task (Rust's panic); the task
  /// has been destroyed and the runtime keeps running. Default: logged to stderr.
  template <class F>
  Builder& panic_handler(F f) {
    pool_.panic_handler(std::move(f));
    return *this;
  }
  /// Called on each worker thread when it starts.
  template <class F>
  Builder& after_start(F f) {
    pool_.after_start(std::move(f));
    return *this;
  }
  /// Called on each worker thread just before it exits.
  template <class F>
  Builder& before_stop(F f) {
    pool_.before_stop(std::move(f));
    return *this;
  }

  /// Starts the runtime (Rust's `build(&mut self) -> io::Result<Runtime>`). Cannot fail
  /// yet; the error type becomes tokio::io::Error with the reactor (which can fail).
  futures::Result<Runtime, std::error_code> build();

 private:
  threadpool::Builder pool_;
};

}  // namespace tokio::runtime
