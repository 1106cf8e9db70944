// tokio layer: the thread-pool Runtime and `tokio::run`. Mirrors tokio 0.1
// `src/runtime/threadpool/mod.rs` and the crate root's `run`.
//
// A Runtime owns a tokio::threadpool::ThreadPool whose workers are, while they poll,
// their thread's default executor (so `tokio::spawn` inside a task works) and whose
// parks drive the runtime's reactor (one shared, one per worker, or one on a thread of
// its own: see builder.hpp). The timer that Tokio bundles arrives with a later issue.
//
// Deviation: Tokio's block_on spawns the future onto the pool and waits for its result
// on a oneshot; here it is polled on the calling thread (no extra task, no allocation
// for the channel, and the future need not be safe to move to another thread), with the
// runtime installed as the thread's default executor, so `tokio::spawn` inside it spawns
// onto the pool as in Tokio.
#pragma once

#include <tokio/runtime/builder.hpp>
#include <tokio/runtime/shutdown.hpp>
#include <tokio/runtime/task_executor.hpp>

#include <tokio/executor/enter.hpp>
#include <tokio/executor/executor.hpp>
#include <tokio/executor/global.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/threadpool/thread_pool.hpp>
#include <tokio/timer/clock.hpp>

#include <futures/contract.hpp>
#include <futures/future/concept.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace tokio::runtime {

namespace detail {
/// Throws futures::Panic for a block_on / block_on_all / run called while this thread
/// already runs an executor; `what` names the call ("block_on", ...).
[[noreturn]] void throw_nested(std::string_view what);
/// Contract violation: a Runtime used after shutdown_on_idle / shutdown_now consumed it.
[[noreturn]] void consumed_runtime(std::string_view what);

/// Instantiated with the Item and Error of the future given to tokio::run, so a compiler
/// error names both types ("required from RunRequiresUnit<int, Unit>").
template <class Item, class Error>
struct RunRequiresUnit {
  static_assert(std::is_same_v<Item, futures::Unit> && std::is_same_v<Error, futures::Unit>,
                "tokio::run needs a future whose Item and Error are both futures::Unit (Rust's "
                "Future<Item = (), Error = ()>); the template arguments of RunRequiresUnit above "
                "are this future's <Item, Error>. Write tokio::run(std::move(f).map([](auto&&...) {})"
                ".map_err([](auto&&) {})), handling the value and the error in those callbacks, or use "
                "Runtime::block_on to get the result back.");
  static constexpr bool value = true;
};
template <class F>
constexpr bool check_runnable() {
  static_assert(futures::Future<F>,
                "tokio::run needs a future (a type with Item, Error and poll()); wrap a callable in "
                "futures::future::lazy(...)");
  if constexpr (futures::Future<F>) {
    return RunRequiresUnit<typename F::Item, typename F::Error>::value;
  } else {
    return false;
  }
}
}  // namespace detail

/// A multi-threaded runtime (Rust's `tokio::runtime::Runtime`): a work-stealing thread
/// pool that runs spawned futures.
///
/// Move-only. `shutdown_on_idle`, `shutdown_now` and `block_on_all` consume it (call them
/// on an rvalue); using a consumed runtime is a contract violation. Destroying a runtime
/// that was not consumed is `shutdown_now()` followed by waiting for the workers (Rust's
/// Drop): unfinished futures are destroyed.
///
/// block_on / block_on_all / tokio::run throw futures::Panic ("nested block_on ...")
/// when called from inside a task or another runtime's block_on: blocking a worker on
/// its own pool could deadlock it.
class Runtime {
 public:
  /// Rust's `Runtime::new()`: Builder().build(). Cannot fail yet (see Builder::build).
  static futures::Result<Runtime, std::error_code> create();

  /// Leaves `other` consumed.
  Runtime(Runtime&& other) noexcept
      : reactor_(std::move(other.reactor_)),
        clock_(std::move(other.clock_)),
        pool_(std::exchange(other.pool_, std::nullopt)) {}
  Runtime& operator=(Runtime&&) = delete;
  ~Runtime();

  /// A handle that spawns onto this runtime from any thread.
  TaskExecutor executor() const { return TaskExecutor(pool().sender()); }

  /// A reactor of the runtime (Rust's deprecated `Runtime::reactor()`): the shared one,
  /// the reactor thread's, or with reactor_per_worker the first worker's (a socket
  /// registered with it is then driven by that worker whatever task polls it). Sockets
  /// created inside tasks need no handle (they register with the worker's default).
  const reactor::Handle& reactor() const noexcept { return reactor_; }

  /// Spawns `future` (Item and Error `Unit`) onto the pool; returns `*this` so spawns
  /// chain (Rust's `&mut Self`). Throws futures::Panic if the runtime has shut down.
  template <class F>
  Runtime& spawn(F future) {
    static_assert(executor::detail::check_spawnable<F>());
    pool().spawn(std::move(future));
    return *this;
  }

  /// Runs `future` (any Item and Error) to completion on the calling thread, with this
  /// runtime as the thread's default executor, and returns its result. Tasks it spawns
  /// run on the pool and are not waited for. Throws futures::Panic when nested (see
  /// the class comment); exceptions from `future` propagate.
  template <futures::Future F>
  futures::Result<typename F::Item, typename F::Error> block_on(F future) {
    auto entered = executor::enter();
    if (entered.is_err()) detail::throw_nested("block_on");
    executor::Enter enter = std::move(entered).unwrap();
    return block_on_entered(enter, std::move(future));
  }

  /// block_on(future), then waits until every task spawned on the runtime has completed
  /// and the workers have exited (Rust's `block_on_all(self)`). Consumes the runtime:
  /// `std::move(rt).block_on_all(f)`. Under TOKIO_LOG=debug the wait lists the tasks
  /// that keep it going (see Shutdown::wait).
  template <futures::Future F>
  futures::Result<typename F::Item, typename F::Error> block_on_all(F future) && {
    auto entered = executor::enter();
    if (entered.is_err()) detail::throw_nested("block_on_all");
    executor::Enter enter = std::move(entered).unwrap();
    auto result = block_on_entered(enter, std::move(future));
    (void)std::move(*this).shutdown_on_idle().wait();
    return result;
  }

  /// Lets the workers exit once no spawned task is left (spawns are accepted until
  /// then); the returned future completes when they have. Consumes the runtime.
  Shutdown shutdown_on_idle() &&;
  /// Refuses new spawns, stops the workers after their current poll and destroys the
  /// unfinished futures; the returned future completes when the workers have exited.
  /// Consumes the runtime.
  Shutdown shutdown_now() &&;

  template <class Self = Runtime, class F>
  void block_on_all(F) & {
    static_assert(futures::detail::always_false<Self>,
                  "block_on_all() consumes the runtime (Rust takes `self`): write std::move(rt).block_on_all(f)");
  }
  template <class Self = Runtime>
  void shutdown_on_idle() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown_on_idle() consumes the runtime (Rust takes `self`): write "
                  "std::move(rt).shutdown_on_idle()");
  }
  template <class Self = Runtime>
  void shutdown_now() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown_now() consumes the runtime (Rust takes `self`): write std::move(rt).shutdown_now()");
  }

 private:
  friend class Builder;
  Runtime(threadpool::ThreadPool pool, reactor::Handle reactor, timer::clock::Clock clock) noexcept
      : reactor_(std::move(reactor)), clock_(std::move(clock)), pool_(std::move(pool)) {}

  const threadpool::ThreadPool& pool() const {
    if (!pool_) detail::consumed_runtime("used");
    return *pool_;
  }

  template <class F>
  futures::Result<typename F::Item, typename F::Error> block_on_entered(executor::Enter& enter, F future) {
    TaskExecutor default_executor = executor();
    // The future runs here, not on a worker as in Tokio, so it gets the workers' clock.
    return timer::clock::with_default(clock_, enter, [&](executor::Enter& clocked) {
      return executor::with_default(default_executor, clocked,
                                    [&](executor::Enter& e) { return e.block_on(std::move(future)); });
    });
  }

  reactor::Handle reactor_;
  timer::clock::Clock clock_;  // the Builder's; installed around block_on
  std::optional<threadpool::ThreadPool> pool_;
};

/// Runs `future` (Item and Error `Unit`) on a new Runtime and waits until it and every
/// task spawned meanwhile have completed (Rust's `tokio::run`). Inside, `tokio::spawn`
/// spawns onto the runtime. Throws futures::Panic when called from inside a task or
/// another runtime ("nested tokio::run"). Under TOKIO_LOG=debug, the wait lists the
/// tasks that keep the runtime alive.
template <class F>
void run(F future) {
  static_assert(detail::check_runnable<F>());
  auto entered = executor::enter();
  if (entered.is_err()) detail::throw_nested("tokio::run");
  executor::Enter enter = std::move(entered).unwrap();
  auto runtime = Runtime::create().expect("failed to start new Runtime");
  runtime.spawn(std::move(future));
  (void)std::move(runtime).shutdown_on_idle().wait();
}

}  // namespace tokio::runtime
