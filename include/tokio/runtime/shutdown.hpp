// tokio layer: the future that completes when a thread-pool Runtime has shut down.
// Mirrors tokio 0.1 `src/runtime/threadpool/shutdown.rs`, plus the pending-task listing
// of `wait()` under TOKIO_LOG=debug (docs/runtime.md, "The thread-pool Runtime").
#pragma once

#include <tokio/threadpool/sender.hpp>
#include <tokio/threadpool/shutdown.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <utility>

namespace tokio::runtime {

class Runtime;

namespace detail {
/// When and whether waiting for a runtime to shut down lists its pending tasks.
struct PendingTaskReport {
  bool enabled = false;                                 // TOKIO_LOG=debug
  std::chrono::nanoseconds first = std::chrono::seconds(1);  // first listing after
  std::chrono::nanoseconds every = std::chrono::seconds(5);  // then one every
  std::function<void(std::size_t)> on_report;  // test hook: after each listing, with the count
};
/// The current settings (initially from the environment, read once).
PendingTaskReport pending_task_report();
/// Test hook: replaces the settings (any thread; takes effect at the next wait).
void set_pending_task_report(const PendingTaskReport& report);
/// Writes the pool's pending tasks (count, then one line per task: its name, or its
/// future's demangled type) to stderr; returns the count. `waited` is printed.
std::size_t print_pending_tasks(const threadpool::Sender& pool, std::chrono::nanoseconds waited);

/// Blocks until `shutdown` completes. Under TOKIO_LOG=debug, prints the pool's pending
/// tasks to stderr while it waits (see docs/runtime.md).
void wait_for_shutdown(threadpool::Shutdown& shutdown, const threadpool::Sender& pool);
}  // namespace detail

/// Completes (Item and Error `Unit`, never fails) once the runtime's worker threads
/// have exited (Rust's `runtime::Shutdown`); made by Runtime::shutdown_on_idle /
/// shutdown_now. Dropping it early does not stop the shutdown.
///
/// `std::move(shutdown).wait()` blocks like any future's wait(), and in addition, when
/// `TOKIO_LOG=debug` is set, lists the tasks that keep the runtime alive on stderr
/// (after 1 s of waiting, then every 5 s).
class Shutdown : public futures::FutureExt<Shutdown> {
 public:
  using Item = futures::Unit;
  using Error = futures::Unit;

  Shutdown(Shutdown&&) noexcept = default;
  Shutdown& operator=(Shutdown&&) noexcept = default;

  futures::Poll<futures::Unit, futures::Unit> poll() { return inner_.poll(); }

  /// Blocks until the runtime has shut down (futures 0.1 `wait`), listing the pending
  /// tasks under TOKIO_LOG=debug. Never fails.
  futures::Result<futures::Unit, futures::Unit> wait() && {
    detail::wait_for_shutdown(inner_, pool_);
    return futures::Ok();
  }
  template <class Self = Shutdown>
  void wait() & {
    static_assert(futures::detail::always_false<Self>,
                  "wait() consumes the future (Rust takes `self`): write std::move(shutdown).wait()");
  }

 private:
  friend class Runtime;
  Shutdown(threadpool::Shutdown inner, threadpool::Sender pool) noexcept
      : inner_(std::move(inner)), pool_(std::move(pool)) {}

  threadpool::Shutdown inner_;
  threadpool::Sender pool_;  // reaches the pool's task registry for the debug listing
};

}  // namespace tokio::runtime
