// tokio layer: configures a thread-pool Runtime. Mirrors tokio 0.1
// `src/runtime/threadpool/builder.rs`.
//
// The reactor (docs/reactor.md, "The Park wiring"): by default build() makes one
// tokio::reactor::Reactor for all the workers. An idle worker that finds it free drives
// it (sleeps in its epoll_wait and dispatches its events, so the woken tasks land in its
// own queue, where the other workers may steal them); the other idle workers sleep on a
// condition variable (Tokio 1.x's design). `reactor_per_worker(true)` gives each worker
// a reactor of its own instead (Tokio 0.1.22's design), and `reactor_thread(true)` one
// reactor on a thread of its own, workers parked on condition variables. `reactor_spin`
// sets how long the worker that takes the shared reactor looks at it before it sleeps.
// The timer will wrap the reactor (`Timer<Reactor>`) in a later issue. `clock(..)` is
// installed on every worker (tokio::timer::clock::with_default inside around_worker, as
// Tokio 0.1.22 does).
#pragma once

#include <tokio/threadpool/builder.hpp>
#include <tokio/timer/clock.hpp>

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

  /// true: one reactor runs on a dedicated thread and wakes the workers (which park on
  /// condition variables) for every readiness event; takes precedence over
  /// reactor_per_worker. false (the default): the workers drive the reactor themselves
  /// while idle. Not in Tokio 0.1.
  Builder& reactor_thread(bool enabled) {
    reactor_thread_ = enabled;
    return *this;
  }
  /// true: each worker drives a reactor of its own, and the sockets its tasks open are
  /// spread over all the workers' reactors (Tokio 0.1.22's design); a socket's events
  /// are then collected only by its reactor's worker. false (the default, as fast or
  /// faster in every echo row measured here, docs/performance.md): one reactor, driven
  /// by whichever worker goes idle first. Not in Tokio 0.1.
  Builder& reactor_per_worker(bool enabled) {
    reactor_per_worker_ = enabled;
    return *this;
  }

  /// How long an idle worker that takes the shared reactor keeps collecting its events
  /// without sleeping (yielding its CPU between looks) before it sleeps in epoll_wait.
  /// A request that arrives within the spin then needs no kernel wake-up of the worker
  /// (~60 µs on another CPU here): two workers, 64-byte ping-pong, +30 % at one connection
  /// and +3-15 % at 16 and 128 (docs/performance.md). Default 20 µs; zero: sleep at once.
  /// Applies to the default design with two or more workers. Not in Tokio 0.1.
  Builder& reactor_spin(std::chrono::nanoseconds duration) {
    reactor_spin_ = duration;
    return *this;
  }

  /// The clock the workers' `tokio::clock::now()` reads (Rust's `clock(Clock)`). Default:
  /// the clock of the thread that made the Builder (`Clock()`), the system's if none.
  /// Runtime::block_on installs it too while it polls its future on the calling thread.
  Builder& clock(timer::clock::Clock clock) {
    clock_ = std::move(clock);
    return *this;
  }

  /// Starts the runtime (Rust's `build(&mut self) -> io::Result<Runtime>`). Errors: a
  /// reactor could not be created (the io::Error's code).
  futures::Result<Runtime, std::error_code> build();

 private:
  threadpool::Builder pool_;
  std::size_t core_threads_ = 1;  // what pool_ was given (reactor_per_worker: one each)
  bool reactor_thread_ = false;
  bool reactor_per_worker_ = false;
  std::chrono::nanoseconds reactor_spin_ = std::chrono::microseconds(20);
  timer::clock::Clock clock_;
};

}  // namespace tokio::runtime
