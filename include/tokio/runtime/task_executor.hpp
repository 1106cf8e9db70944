// tokio layer: the handle that spawns onto a thread-pool Runtime. Mirrors tokio 0.1
// `src/runtime/threadpool/task_executor.rs`.
#pragma once

#include <tokio/executor/error.hpp>
#include <tokio/executor/executor.hpp>
#include <tokio/executor/task.hpp>
#include <tokio/threadpool/sender.hpp>

#include <futures/future/concept.hpp>
#include <futures/future/executor.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <concepts>
#include <utility>

namespace tokio::runtime {

namespace detail {
/// Throws futures::Panic: the runtime refused a spawn (it has shut down).
[[noreturn]] void throw_runtime_spawn_refused(const executor::SpawnError& error);
}  // namespace detail

/// Spawns futures onto a Runtime's thread pool from any thread (Rust's
/// `runtime::TaskExecutor`). Copyable (Clone). Made by `Runtime::executor()`.
///
/// Two spawns, as in Rust: the member `spawn(f)` returns nothing and throws
/// futures::Panic if the runtime has shut down (Rust's inherent `spawn` panics); through
/// the tokio `Executor` interface (`Executor& e = task_executor; e.spawn(f)`) the same
/// call returns the SpawnError instead. `execute` is the futures::future::Executor one.
class TaskExecutor final : public executor::Executor {
 public:
  explicit TaskExecutor(threadpool::Sender inner) noexcept : inner_(std::move(inner)) {}
  TaskExecutor(const TaskExecutor&) = default;
  TaskExecutor& operator=(const TaskExecutor&) = default;
  TaskExecutor(TaskExecutor&&) noexcept = default;
  TaskExecutor& operator=(TaskExecutor&&) noexcept = default;
  TaskExecutor clone() const { return *this; }

  /// Spawns `future` (Item and Error `Unit`) onto the pool: one allocation. Throws
  /// futures::Panic if the runtime no longer takes work.
  template <class F>
  void spawn(F future) const {
    static_assert(executor::detail::check_spawnable<F>());
    auto spawned = inner_.spawn_task(executor::make_task(std::move(future)));
    if (spawned.is_err()) detail::throw_runtime_spawn_refused(spawned.unwrap_err_ref());
  }

  futures::Result<futures::Unit, executor::SpawnError> spawn_task(executor::RawTask task) override {
    return inner_.spawn_task(std::move(task));
  }
  futures::Result<futures::Unit, executor::SpawnError> status() const override { return inner_.status(); }

  /// futures::future::Executor: spawns `future`, or hands it back if the runtime has
  /// shut down.
  template <futures::Future F>
    requires std::same_as<typename F::Item, futures::Unit> && std::same_as<typename F::Error, futures::Unit>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const {
    return inner_.execute(std::move(future));
  }

 private:
  // Mutable: Sender::spawn_task is non-const (the Executor interface), yet spawning
  // changes nothing observable in the handle (Rust's `spawn(&self)`).
  mutable threadpool::Sender inner_;
};

}  // namespace tokio::runtime
