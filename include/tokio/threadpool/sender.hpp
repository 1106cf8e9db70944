// tokio layer: the handle that spawns onto a thread pool. Mirrors tokio-threadpool 0.1
// `src/sender.rs`.
#pragma once

#include <tokio/executor/error.hpp>
#include <tokio/executor/executor.hpp>
#include <tokio/executor/task.hpp>

#include <futures/future/concept.hpp>
#include <futures/future/executor.hpp>
#include <futures/result.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/unit.hpp>

#include <concepts>
#include <memory>
#include <utility>

namespace tokio::threadpool {

namespace detail {
class Inner;  // lib/tokio/threadpool/pool.cpp

/// Hands a task node to the pool: onto the calling worker's own queue when called on
/// one of the pool's workers, else onto the pool's injector queue, waking one idle
/// worker. Errors: SpawnError::shutdown() once the pool no longer takes work.
futures::Result<futures::Unit, executor::SpawnError> spawn(Inner& inner, executor::RawTask task);
/// Err(SpawnError::shutdown()) once a spawn from outside the pool would be refused.
futures::Result<futures::Unit, executor::SpawnError> status(const Inner& inner);
}  // namespace detail

/// Spawns futures onto a ThreadPool from any thread (Rust's `Sender`). Copyable (Clone);
/// copies may be used concurrently. Keeps the pool's shared state alive, not its
/// workers: once the pool shuts down, spawns fail with SpawnError::shutdown().
///
/// Satisfies tokio's Executor interface (spawn / spawn_task / status) and the
/// futures::future::Executor concept (execute).
class Sender final : public executor::Executor {
 public:
  Sender(const Sender&) = default;
  Sender& operator=(const Sender&) = default;
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender&&) noexcept = default;
  Sender clone() const { return *this; }

  /// Spawns `future` (Item and Error `Unit`): one allocation, the task node holding it.
  /// The future is polled on the pool's workers, never here.
  using executor::Executor::spawn;

  futures::Result<futures::Unit, executor::SpawnError> spawn_task(executor::RawTask task) override {
    return detail::spawn(*inner_, std::move(task));
  }
  futures::Result<futures::Unit, executor::SpawnError> status() const override { return detail::status(*inner_); }

  /// Spawns any future and returns a future of its result (Rust's
  /// `Sender::spawn_handle`): see futures::sync::oneshot::spawn. Destroying the handle
  /// cancels the task (its future is destroyed at its next poll). Throws futures::Panic
  /// if the pool no longer takes work.
  template <futures::Future F>
  futures::sync::oneshot::SpawnHandle<typename F::Item, typename F::Error> spawn_handle(F future) const {
    return futures::sync::oneshot::spawn(std::move(future), *this);
  }

  /// futures::future::Executor: spawns `future`, or hands it back (kind Shutdown) if
  /// the pool no longer takes work.
  template <futures::Future F>
    requires std::same_as<typename F::Item, futures::Unit> && std::same_as<typename F::Error, futures::Unit>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const {
    if (status().is_err())
      return futures::Err(futures::future::ExecuteError<F>(futures::future::ExecuteErrorKind::Shutdown,
                                                           std::move(future)));
    // A shutdown racing with this call destroys the future instead (as Handle does).
    (void)detail::spawn(*inner_, executor::make_task(std::move(future)));
    return futures::Ok();
  }

 private:
  friend class ThreadPool;
  friend class detail::Inner;
  friend const std::shared_ptr<detail::Inner>& detail_inner(const Sender& sender) noexcept { return sender.inner_; }
  explicit Sender(std::shared_ptr<detail::Inner> inner) noexcept : inner_(std::move(inner)) {}
  std::shared_ptr<detail::Inner> inner_;
};

}  // namespace tokio::threadpool
