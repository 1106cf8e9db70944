// futures layer: the Executor concept and ExecuteError. Mirrors futures 0.1
// `src/future/mod.rs` (`trait Executor`, `ExecuteError`, `ExecuteErrorKind`).
//
// Rust's `Executor<F>` is the generic "spawn this future somewhere" trait that tokio's
// executors implement and that `oneshot::spawn` / `mpsc::spawn` are written against.
// In C++ it is the concept `futures::future::Executor<Ex, F>`: an executor type `Ex`
// has a member
//
//     futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const;
//
// for the futures `F` (Item and Error both `Unit`) it accepts. Rust takes `&self`, so
// the member should be `const` (executors are handles); the concept checks `Ex&`, so
// passing a `const Ex` to it demands a const `execute`.
#pragma once

#include <futures/future/concept.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <concepts>
#include <ostream>
#include <string_view>
#include <type_traits>
#include <utility>

namespace futures::future {

/// Why an executor refused a future (Rust's `ExecuteErrorKind`).
enum class ExecuteErrorKind {
  /// The executor has shut down and accepts no new futures.
  Shutdown,
  /// The executor is at capacity; other futures must finish first.
  NoCapacity,
};

/// Prints the variant name, as Rust's `{:?}` does (`Shutdown`, `NoCapacity`).
inline std::ostream& operator<<(std::ostream& os, ExecuteErrorKind kind) {
  switch (kind) {
    case ExecuteErrorKind::Shutdown:
      return os << "Shutdown";
    case ExecuteErrorKind::NoCapacity:
      return os << "NoCapacity";
  }
  return os << "ExecuteErrorKind(?)";
}

/// The error `Executor::execute` returns: why the future was refused, and the future
/// itself, handed back to the caller (Rust's `ExecuteError<F>`). Move-only when `F` is.
template <class F>
class ExecuteError {
 public:
  /// Rust's `ExecuteError::new(kind, future)`.
  ExecuteError(ExecuteErrorKind kind, F future) : future_(std::move(future)), kind_(kind) {}

  /// The reason the future was refused.
  ExecuteErrorKind kind() const noexcept { return kind_; }

  /// Consumes the error and returns the future that was refused.
  F into_future() && { return std::move(future_); }
  void into_future() const& {
    static_assert(futures::detail::always_false<F>,
                  "into_future() consumes the ExecuteError (Rust takes `self`): call it on an "
                  "rvalue, e.g. std::move(err).into_future()");
  }

  /// What Rust's `{:?}` prints: "executor has shut down" / "executor has no more capacity".
  std::string_view what() const noexcept {
    return kind_ == ExecuteErrorKind::Shutdown ? "executor has shut down"
                                               : "executor has no more capacity";
  }

  friend std::ostream& operator<<(std::ostream& os, const ExecuteError& e) {
    return os << e.what();
  }

 private:
  F future_;
  ExecuteErrorKind kind_;
};

/// `Ex` can run futures of type `F` in the background (Rust's `Executor<F>`).
///
/// `F` must be a future with Item and Error both `Unit`. `ex.execute(std::move(f))`
/// returns at once: `Ok()` when the executor took the future (it will poll it to
/// completion, or drop it on shutdown), or `Err(ExecuteError<F>)` handing the future
/// back with the reason it was refused. What thread polls `F` is the executor's
/// business; `execute` itself never blocks and never polls `F` inline.
///
/// `Ex` may be const-qualified, which demands a `const` execute (Rust's `&self`).
template <class Ex, class F>
concept Executor = Future<F> && std::same_as<typename F::Item, Unit> &&
                   std::same_as<typename F::Error, Unit> && requires(Ex& ex, F&& f) {
                     { ex.execute(std::move(f)) } -> std::same_as<Result<Unit, ExecuteError<F>>>;
                   };

}  // namespace futures::future
