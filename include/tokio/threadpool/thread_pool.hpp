// tokio layer: the work-stealing thread pool. Mirrors tokio-threadpool 0.1
// `src/thread_pool.rs`; the scheduler is lib/tokio/threadpool/pool.cpp (design in
// docs/runtime.md, "Thread pool").
#pragma once

#include <tokio/threadpool/builder.hpp>
#include <tokio/threadpool/sender.hpp>
#include <tokio/threadpool/shutdown.hpp>

#include <tokio/executor/executor.hpp>
#include <tokio/executor/task.hpp>

#include <futures/contract.hpp>
#include <futures/sync/oneshot.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

namespace tokio::threadpool {

namespace detail {
[[noreturn]] void throw_spawn_refused();

/// Calls `each` for every live task of the pool (spawned, not yet finished or
/// destroyed) and returns how many there are. `each` runs under the registry's locks:
/// it must not spawn onto this pool or block. For diagnostics (the runtime's
/// `TOKIO_LOG=debug` listing of pending tasks).
std::size_t pending_tasks(const Inner& inner, const std::function<void(const executor::TaskNode&)>& each);
}  // namespace detail

/// A pool of worker threads that run spawned futures (Rust's `ThreadPool`).
///
/// Each worker polls tasks from its own queue, then from the pool's injector queue
/// (spawns and notifications from threads outside the pool), then steals from other
/// workers; idle workers sleep, and one of them is woken per task arriving from
/// outside. A task notified while it is being polled is queued again after that poll:
/// a task is never polled by two workers at once. While a worker polls, the pool is
/// its thread's default executor, so `tokio::spawn` inside a task spawns onto the
/// worker's own queue.
///
/// Exceptions escaping a task's poll are caught at the task boundary: the task is
/// destroyed and the Builder's panic_handler is called; the pool keeps running.
///
/// Move-only. The shutdown_* functions consume the pool (called on an rvalue; the pool
/// is empty afterwards). Using an empty pool is a contract violation. Destroying a pool that was not shut down is shutdown_now() followed
/// by waiting for the workers to exit.
class ThreadPool {
 public:
  /// Rust's `ThreadPool::new()`: Builder().build().
  ThreadPool();
  ThreadPool(ThreadPool&& other) noexcept = default;
  ThreadPool& operator=(ThreadPool&& other) noexcept;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool();

  /// Spawns `future` (Item and Error `Unit`) onto the pool: one allocation.
  /// Throws futures::Panic (Rust panics) if the pool no longer takes work.
  template <class F>
  void spawn(F future) const {
    static_assert(executor::detail::check_spawnable<F>());
    if (!inner_) futures::contract_violation("tokio::threadpool::ThreadPool::spawn on a consumed pool");
    if (detail::spawn(*inner_, executor::make_task(std::move(future))).is_err()) detail::throw_spawn_refused();
  }

  /// Spawns any future and returns a future of its result (Rust's
  /// `ThreadPool::spawn_handle`, futures::sync::oneshot::spawn onto this pool).
  /// Destroying the handle cancels the task. Throws futures::Panic if the pool no longer
  /// takes work.
  template <futures::Future F>
  futures::sync::oneshot::SpawnHandle<typename F::Item, typename F::Error> spawn_handle(F future) const {
    return futures::sync::oneshot::spawn(std::move(future), sender());
  }

  /// A handle spawning onto this pool from any thread.
  Sender sender() const {
    if (!inner_) futures::contract_violation("tokio::threadpool::ThreadPool::sender on a consumed pool");
    return Sender(inner_);
  }

  /// Lets the workers exit once no spawned task is left; spawns keep being accepted
  /// until then. The returned future completes when they have exited. Consumes the
  /// pool (Rust takes `self`): `std::move(pool).shutdown_on_idle()`.
  Shutdown shutdown_on_idle() &&;
  /// Spawns from outside the pool are refused from now on (tasks may still spawn);
  /// the tasks already spawned run to completion, then the workers exit. Consumes the
  /// pool: `std::move(pool).shutdown()`.
  Shutdown shutdown() &&;
  /// Spawns are refused; workers exit after the poll they are in, and the futures not
  /// yet finished are destroyed (by the last worker to exit, before the returned future
  /// completes). Consumes the pool: `std::move(pool).shutdown_now()`.
  Shutdown shutdown_now() &&;

  template <class Self = ThreadPool>
  void shutdown_on_idle() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown_on_idle() consumes the pool (Rust takes `self`): write "
                  "std::move(pool).shutdown_on_idle()");
  }
  template <class Self = ThreadPool>
  void shutdown() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown() consumes the pool (Rust takes `self`): write std::move(pool).shutdown()");
  }
  template <class Self = ThreadPool>
  void shutdown_now() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown_now() consumes the pool (Rust takes `self`): write std::move(pool).shutdown_now()");
  }

 private:
  friend class Builder;
  friend const std::shared_ptr<detail::Inner>& detail_inner(const ThreadPool& pool) noexcept { return pool.inner_; }
  explicit ThreadPool(std::shared_ptr<detail::Inner> inner) noexcept : inner_(std::move(inner)) {}
  void close() noexcept;

  std::shared_ptr<detail::Inner> inner_;
};

namespace detail {
/// The pool's shared state, for library code that needs more than the public API (the
/// runtime's pending-task listing: `detail::pending_tasks(*detail::inner(pool), f)`).
/// Null for a consumed pool.
inline const Inner* inner(const ThreadPool& pool) noexcept { return detail_inner(pool).get(); }
inline const Inner* inner(const Sender& sender) noexcept { return detail_inner(sender).get(); }
}  // namespace detail

}  // namespace tokio::threadpool
