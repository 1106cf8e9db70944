// One reactor shared by all the workers of a thread-pool Runtime, driven by whichever
// idle worker takes it first; the other idle workers sleep on a condition variable
// (Tokio 1.x's multi-thread parker, runtime/scheduler/multi_thread/park.rs). Used by
// runtime::Builder (docs/reactor.md, "The Park wiring").
//
// Why: with a reactor per worker, a socket's events are only collected by the worker
// whose reactor holds it, even while the other worker idles. With one shared reactor
// the first worker to go idle collects every socket's events, and the tasks they wake
// land in its queue, where the other worker can steal them.
#pragma once

#include <tokio/executor/park.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/reactor.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

namespace tokio::runtime::detail {

/// The reactor and who drives it: at most one worker at a time.
class SharedReactor {
 public:
  /// `spin`: how long a worker that takes the reactor to sleep first keeps looking at it
  /// without sleeping, yielding its CPU between looks (runtime::Builder::reactor_spin).
  explicit SharedReactor(reactor::Reactor reactor,
                         std::chrono::nanoseconds spin = std::chrono::nanoseconds(0))
      : reactor_(std::move(reactor)), handle_(reactor_.handle()), spin_(spin) {}

  const reactor::Handle& handle() const noexcept { return handle_; }
  /// A worker is turning the reactor right now (a hint: it may give it back at once).
  bool driven() const noexcept { return driven_.load(std::memory_order_acquire); }

 private:
  friend class SharedReactorPark;
  bool try_take() noexcept {
    return !driven_.load(std::memory_order_relaxed) && !driven_.exchange(true, std::memory_order_acquire);
  }
  void give_back() noexcept { driven_.store(false, std::memory_order_release); }

  reactor::Reactor reactor_;  // turned only by the worker that took it
  reactor::Handle handle_;
  std::chrono::nanoseconds spin_;
  std::atomic<bool> driven_{false};
};

/// One worker's sleep: its wake-up token and where it sleeps.
struct SharedParker {
  enum : int { kEmpty, kParkedCondvar, kParkedDriver, kNotified };
  explicit SharedParker(std::shared_ptr<SharedReactor> r) : shared(std::move(r)) {}
  /// Consumes a pending wake-up token; true if there was one.
  bool take_notified() noexcept {
    int notified = kNotified;
    return state.compare_exchange_strong(notified, kEmpty, std::memory_order_acq_rel);
  }
  std::atomic<int> state{kEmpty};
  std::mutex mu;
  std::condition_variable cv;
  std::shared_ptr<SharedReactor> shared;
};

/// Wakes one worker: through the reactor if it is the one driving it, else its
/// condition variable.
class SharedReactorUnpark {
 public:
  explicit SharedReactorUnpark(std::shared_ptr<SharedParker> p) noexcept : parker_(std::move(p)) {}
  void unpark() const;

 private:
  std::shared_ptr<SharedParker> parker_;
};

/// A worker's Park over the shared reactor (see the file comment).
class SharedReactorPark {
 public:
  using Unpark = SharedReactorUnpark;
  using Error = io::Error;

  explicit SharedReactorPark(std::shared_ptr<SharedReactor> shared)
      : parker_(std::make_shared<SharedParker>(std::move(shared))) {}

  Unpark unpark() const { return Unpark(parker_); }
  io::Result<futures::Unit> park() { return park_for(std::nullopt); }
  io::Result<futures::Unit> park_timeout(std::chrono::nanoseconds d) { return park_for(d); }

 private:
  io::Result<futures::Unit> park_for(std::optional<std::chrono::nanoseconds> timeout);
  io::Result<futures::Unit> park_driver(std::optional<std::chrono::nanoseconds> timeout);
  std::optional<io::Result<futures::Unit>> spin(std::optional<std::chrono::nanoseconds>& timeout);
  void park_condvar(std::optional<std::chrono::nanoseconds> timeout);

  std::shared_ptr<SharedParker> parker_;
};

static_assert(executor::park::Park<SharedReactorPark>);

}  // namespace tokio::runtime::detail
