// tokio layer: the thread's default executor, with_default and spawn. Mirrors
// tokio-executor 0.1 `src/global.rs` and tokio 0.1 `src/executor/mod.rs` (`Spawn`).
//
// A runtime installs its executor as this thread's default for as long as it runs
// (`with_default`); `tokio::spawn(f)` and `DefaultExecutor::current()` spawn onto it.
// Outside a runtime there is none: spawn fails (see `spawn` for the message).
#pragma once

#include <tokio/executor/enter.hpp>
#include <tokio/executor/error.hpp>
#include <tokio/executor/executor.hpp>

#include <futures/contract.hpp>
#include <futures/future/executor.hpp>
#include <futures/future/result.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <type_traits>
#include <utility>

namespace tokio::executor {

namespace detail {
/// Spawns `task` on the default executor. `no_default` is set (and SpawnError::shutdown
/// returned) when this thread has none, or when it is called from inside the default
/// executor's own spawn (Rust's `State::Active`).
futures::Result<futures::Unit, SpawnError> default_spawn(RawTask task, bool& no_default);
/// The default executor's status; SpawnError::shutdown when there is none.
futures::Result<futures::Unit, SpawnError> default_status();

/// Installs `executor` as the default; contract violation if one is installed.
void set_default_executor(Executor& executor);
/// Uninstalls it.
void clear_default_executor() noexcept;

[[noreturn]] void throw_spawn_failed(bool no_default, const SpawnError& error);
}  // namespace detail

/// A handle to whatever executor is this thread's default at the moment it is used
/// (Rust's `DefaultExecutor`). Copyable; holds nothing.
///
/// `spawn` / `execute` fail with SpawnError::shutdown() / ExecuteErrorKind::Shutdown
/// when the thread has no default executor.
class DefaultExecutor final : public Executor {
 public:
  /// Rust's `DefaultExecutor::current()`.
  static DefaultExecutor current() noexcept { return DefaultExecutor(); }
  DefaultExecutor clone() const noexcept { return *this; }

  using Executor::spawn;

  futures::Result<futures::Unit, SpawnError> spawn_task(RawTask task) override {
    bool no_default = false;
    return detail::default_spawn(std::move(task), no_default);
  }
  futures::Result<futures::Unit, SpawnError> status() const override { return detail::default_status(); }

  /// futures::future::Executor: runs `future` on the default executor, or hands it back
  /// in the error if the executor's status says it would refuse it.
  template <futures::Future F>
    requires std::same_as<typename F::Item, futures::Unit> && std::same_as<typename F::Error, futures::Unit>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const {
    auto st = status();
    if (st.is_err()) {
      auto kind = st.unwrap_err_ref().is_at_capacity() ? futures::future::ExecuteErrorKind::NoCapacity
                                                       : futures::future::ExecuteErrorKind::Shutdown;
      return futures::Err(futures::future::ExecuteError<F>(kind, std::move(future)));
    }
    bool no_default = false;
    (void)detail::default_spawn(make_task(std::move(future)), no_default);
    return futures::Ok();
  }

 private:
  DefaultExecutor() noexcept = default;
};

/// Runs `f(enter)` (or `f()`) with `executor` as this thread's default executor, and
/// uninstalls it afterwards, also when `f` throws (Rust's `with_default`).
///
/// Aborts (contract violation): a default executor is already set on this thread.
template <class F>
decltype(auto) with_default(Executor& executor, Enter& enter, F&& f) {
  detail::set_default_executor(executor);
  struct Reset {
    ~Reset() { detail::clear_default_executor(); }
  } reset;
  if constexpr (std::is_invocable_v<F&&, Enter&>) {
    return std::forward<F>(f)(enter);
  } else {
    return std::forward<F>(f)();
  }
}

/// What `tokio::spawn` returns (Rust's `tokio::executor::Spawn`): an IntoFuture with
/// Item and Error `Unit` that is ready at once, so a `for_each` callback can end with
/// `return tokio::spawn(...);`.
class Spawn {
 public:
  /// Rust's `IntoFuture::into_future`.
  futures::future::FutureResult<futures::Unit, futures::Unit> into_future() && {
    return futures::future::FutureResult<futures::Unit, futures::Unit>(futures::Ok());
  }
};

/// Spawns `future` on this thread's default executor (Rust's `tokio::spawn` /
/// `tokio_executor::spawn`). `future` must have Item and Error `Unit` (a compile error
/// names the two types otherwise).
///
/// Throws `futures::Panic` (Rust panics) when there is no default executor, i.e. the
/// call is not inside a runtime: "tokio::spawn called outside a runtime: wrap the setup
/// in future::lazy and run it inside tokio::run / current_thread::block_on_all"; and
/// when the executor refuses the task (shut down, at capacity).
template <class F>
Spawn spawn(F future) {
  static_assert(detail::check_spawnable<F>());
  bool no_default = false;
  auto spawned = detail::default_spawn(make_task(std::move(future)), no_default);
  if (spawned.is_err()) detail::throw_spawn_failed(no_default, spawned.unwrap_err_ref());
  return Spawn();
}

}  // namespace tokio::executor

template <>
struct futures::IntoFutureTraits<tokio::executor::Spawn> {
  using type = futures::future::FutureResult<futures::Unit, futures::Unit>;
  static type convert(tokio::executor::Spawn&& s) { return std::move(s).into_future(); }
};
