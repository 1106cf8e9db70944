// tokio layer: the future that completes when a thread pool has shut down. Mirrors
// tokio-threadpool 0.1 `src/shutdown.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <memory>

namespace tokio::threadpool {

namespace detail {
class Inner;
}  // namespace detail

/// Completes (Item and Error `Unit`, never fails) once every worker thread of the pool
/// has exited, after the shutdown mode that made it allowed them to (see
/// ThreadPool::shutdown_on_idle / shutdown / shutdown_now); the worker threads are
/// joined before it reports Ready. The task polling it is notified by the last worker
/// to exit.
///
/// Dropping it before completion does not stop the shutdown: the workers finish on
/// their own (detached). Polling after completion is a contract violation.
class Shutdown : public futures::FutureExt<Shutdown> {
 public:
  using Item = futures::Unit;
  using Error = futures::Unit;

  Shutdown(Shutdown&&) noexcept = default;
  Shutdown& operator=(Shutdown&&) noexcept = default;

  futures::Poll<futures::Unit, futures::Unit> poll();

 private:
  friend class ThreadPool;
  explicit Shutdown(std::shared_ptr<detail::Inner> inner) noexcept : inner_(std::move(inner)) {}
  std::shared_ptr<detail::Inner> inner_;
};

}  // namespace tokio::threadpool
