// tokio layer: the single-threaded runtime. Mirrors tokio 0.1
// `src/runtime/current_thread/{mod,runtime,builder}.rs`.
//
// A Runtime is a CurrentThread executor that parks on its own tokio::reactor::Reactor
// (it sleeps in epoll_wait and dispatches I/O readiness itself, with no other thread)
// and, while it runs, is the thread's default executor (so `tokio::spawn` works inside
// it) and default reactor (so sockets first polled inside it register with it). The
// timer (a later issue) will wrap the reactor as `Timer<Reactor>`. While it runs, the
// Builder's clock is also the thread's clock (tokio::clock::now()), as in Tokio 0.1.
#pragma once

#include <tokio/executor/current_thread.hpp>
#include <tokio/executor/enter.hpp>
#include <tokio/executor/global.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/reactor.hpp>
#include <tokio/timer/clock.hpp>

#include <futures/contract.hpp>
#include <futures/future/concept.hpp>
#include <futures/future/executor.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <ostream>
#include <string_view>
#include <system_error>
#include <utility>

namespace tokio::runtime::current_thread {

using executor::current_thread::spawn;
using executor::current_thread::TaskExecutor;

namespace detail {
[[noreturn]] inline void throw_multiple_executors() {
  throw futures::Panic(
      "Multiple executors at once: a current_thread Runtime's block_on / run was called while "
      "another executor is already running on this thread (from inside a task or another "
      "runtime); spawn the future instead");
}
[[noreturn]] inline void throw_unexpected_execution_error() {
  throw futures::Panic("unexpected execution error (the runtime's Park failed)");
}
}  // namespace detail

/// `Runtime::run` failed (Rust's `runtime::current_thread::RunError`).
class RunError {
 public:
  explicit RunError(executor::current_thread::RunError inner) noexcept : inner_(inner) {}
  std::string_view what() const noexcept { return inner_.what(); }
  friend bool operator==(const RunError&, const RunError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const RunError& e) {
    return os << "RunError { inner: " << e.inner_ << " }";
  }

 private:
  executor::current_thread::RunError inner_;
};

/// Spawns onto a Runtime from any thread (Rust's `runtime::current_thread::Handle`).
/// Copyable (Clone); see executor::current_thread::Handle.
class Handle {
 public:
  explicit Handle(executor::current_thread::Handle inner) : inner_(std::move(inner)) {}
  Handle clone() const { return *this; }

  /// Spawns `future` (Item and Error `Unit`) on the runtime's thread and wakes it.
  /// Errors: SpawnError::shutdown() once the runtime is gone.
  template <class F>
  futures::Result<futures::Unit, executor::SpawnError> spawn(F future) const {
    return inner_.spawn(std::move(future));
  }
  futures::Result<futures::Unit, executor::SpawnError> status() const { return inner_.status(); }

  /// futures::future::Executor: hands `future` back if the runtime is gone.
  template <futures::Future F>
    requires std::same_as<typename F::Item, futures::Unit> && std::same_as<typename F::Error, futures::Unit>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const {
    auto st = status();
    if (st.is_err()) {
      auto kind = st.unwrap_err_ref().is_at_capacity() ? futures::future::ExecuteErrorKind::NoCapacity
                                                       : futures::future::ExecuteErrorKind::Shutdown;
      return futures::Err(futures::future::ExecuteError<F>(kind, std::move(future)));
    }
    (void)spawn(std::move(future));
    return futures::Ok();
  }

 private:
  executor::current_thread::Handle inner_;
};

class Builder;

/// A runtime on the calling thread (Rust's `runtime::current_thread::Runtime`).
/// Movable, not thread safe (use `handle()` to spawn from other threads). Destroying
/// it destroys every task that has not finished.
///
/// block_on and run enter the thread (`tokio::executor::enter`) and make the runtime
/// the default executor while they run; calling them from inside another executor
/// throws `futures::Panic` ("Multiple executors at once ...").
class Runtime {
  // Defined first: the members below deduce their return types through it.
  template <class Fn>
  decltype(auto) enter(Fn&& fn) {
    auto entered = executor::enter();
    if (entered.is_err()) detail::throw_multiple_executors();
    executor::Enter enter = std::move(entered).unwrap();
    reactor::DefaultGuard default_reactor = reactor::set_default(reactor_handle_);
    // TaskExecutor spawns onto whichever CurrentThread runs on this thread: it stands
    // in for executor_ as the default while executor_ itself is busy running.
    TaskExecutor default_executor = TaskExecutor::current();
    return timer::clock::with_default(clock_, enter, [&](executor::Enter& clocked) -> decltype(auto) {
      return executor::with_default(default_executor, clocked, [&](executor::Enter& e) -> decltype(auto) {
        auto bound = executor_.enter(e);
        return std::forward<Fn>(fn)(bound);
      });
    });
  }

 public:
  /// Rust's `Runtime::new()`. Errors: the reactor could not be created (fd limit), as
  /// the io::Error's code.
  static futures::Result<Runtime, std::error_code> create();

  Runtime(Runtime&&) = default;
  Runtime& operator=(Runtime&&) = delete;

  /// A thread-safe spawn handle.
  Handle handle() const { return Handle(executor_.handle()); }
  /// A handle to the runtime's reactor (sockets registered with it are driven while
  /// the runtime runs).
  reactor::Handle reactor() const { return reactor_handle_; }

  /// Spawns `future` (Item and Error `Unit`; need not be thread-safe). It runs during
  /// the next block_on or run.
  template <class F>
  Runtime& spawn(F future) {
    executor_.spawn(std::move(future));
    return *this;
  }

  /// Runs `future` and the spawned tasks until `future` completes; tasks left over stay
  /// queued for the next block_on / run.
  template <futures::Future F>
  futures::Result<typename F::Item, typename F::Error> block_on(F future) {
    return enter([&](auto& entered) {
      auto ret = entered.block_on(std::move(future));
      using Out = futures::Result<typename F::Item, typename F::Error>;
      if (ret.is_ok()) return Out(futures::Ok(std::move(ret).unwrap()));
      auto inner = std::move(ret).unwrap_err().into_inner();
      if (!inner) detail::throw_unexpected_execution_error();
      return Out(futures::Err(std::move(*inner)));
    });
  }

  /// Runs until every spawned task has completed.
  futures::Result<futures::Unit, RunError> run() {
    return enter([](auto& entered) -> futures::Result<futures::Unit, RunError> {
      auto ran = entered.run();
      if (ran.is_err()) return futures::Err(RunError(ran.unwrap_err()));
      return futures::Ok();
    });
  }

 private:
  friend class Builder;
  Runtime(reactor::Reactor reactor, timer::clock::Clock clock)
      : reactor_handle_(reactor.handle()), clock_(std::move(clock)), executor_(std::move(reactor)) {}

  reactor::Handle reactor_handle_;
  timer::clock::Clock clock_;
  executor::current_thread::CurrentThread<reactor::Reactor> executor_;
};

/// Configures a Runtime (Rust's `runtime::current_thread::Builder`).
class Builder {
 public:
  Builder() = default;
  /// The clock `tokio::clock::now()` reads inside block_on / run (Rust's `clock(Clock)`).
  /// Default: the clock of the thread that made the Builder (`Clock()`).
  Builder& clock(timer::clock::Clock clock) {
    clock_ = std::move(clock);
    return *this;
  }
  /// Builds the runtime. Errors: see Runtime::create.
  futures::Result<Runtime, std::error_code> build() {
    auto reactor = reactor::Reactor::create();
    if (reactor.is_err()) return futures::Err(reactor.unwrap_err_ref().code());
    return futures::Ok(Runtime(std::move(reactor).unwrap(), clock_));
  }

 private:
  timer::clock::Clock clock_;
};

inline futures::Result<Runtime, std::error_code> Runtime::create() { return Builder().build(); }

/// Runs `future` on a new Runtime until it completes, then runs the runtime until every
/// future spawned meanwhile has completed (Rust's `runtime::current_thread::block_on_all`).
/// Inside, `tokio::spawn` works. Throws futures::Panic when nested in another executor.
template <futures::Future F>
futures::Result<typename F::Item, typename F::Error> block_on_all(F future) {
  auto rt = Runtime::create().expect("failed to start runtime on current thread");
  auto v = rt.block_on(std::move(future));
  if (v.is_err()) return v;
  (void)rt.run().expect("failed to resolve remaining futures");
  return v;
}

/// Runs `future` (Item and Error `Unit`; need not be thread-safe) on a new Runtime until
/// it and every future it spawned have completed (Rust's `runtime::current_thread::run`).
template <class F>
void run(F future) {
  auto rt = Runtime::create().expect("failed to start runtime on current thread");
  rt.spawn(std::move(future));
  (void)rt.run().expect("failed to resolve remaining futures");
}

}  // namespace tokio::runtime::current_thread
