// tokio layer: the "an executor runs on this thread" guard. Mirrors tokio-executor 0.1
// `src/enter.rs`.
//
// Every executor entry point (CurrentThread::block_on / run / turn, the runtimes'
// block_on and run) first calls `enter()`, which sets a thread-local flag and fails if
// it is already set. That is how a nested block_on or run, which would deadlock or
// starve the outer executor, is refused with a clear message instead.
// `Future::wait()` is deliberately not guarded (as in Rust).
#pragma once

#include <futures/contract.hpp>
#include <futures/executor.hpp>
#include <futures/future/concept.hpp>
#include <futures/result.hpp>

#include <exception>
#include <memory>
#include <ostream>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tokio::executor {

/// Returned by `enter()` when this thread is already inside an executor.
class EnterError {
 public:
  /// Rust's `description()`.
  std::string_view what() const noexcept {
    return "attempted to run an executor while another executor is already running";
  }
  friend bool operator==(const EnterError&, const EnterError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const EnterError& e) {
    return os << "EnterError { reason: \"" << e.what() << "\" }";
  }
};

namespace detail {
/// True while an Enter guard is alive on this thread (or one was made permanent).
bool is_entered() noexcept;
/// Sets the thread-local flag (used by Enter and exit()).
void set_entered(bool entered) noexcept;

/// A type-erased on_exit callback. On_exit is not a hot path: one allocation each.
struct ExitCallback {
  virtual ~ExitCallback() = default;
  virtual void call() = 0;
};
template <class F>
struct ExitCallbackImpl final : ExitCallback {
  explicit ExitCallbackImpl(F f) : f_(std::move(f)) {}
  void call() override { std::move(f_)(); }
  F f_;
};
}  // namespace detail

/// Proof that this thread runs an executor (Rust's `Enter`). Made by `enter()`; while
/// it lives, another `enter()` on this thread fails. Move-only.
///
/// Destroying it clears the flag, after running the `on_exit` callbacks in the order
/// they were registered (unless it was made permanent).
class Enter {
 public:
  Enter(Enter&& other) noexcept
      : on_exit_(std::move(other.on_exit_)), active_(std::exchange(other.active_, false)) {}
  Enter& operator=(Enter&&) = delete;
  Enter(const Enter&) = delete;
  Enter& operator=(const Enter&) = delete;
  ~Enter();

  /// Registers `f()` to run when this guard is destroyed (move-only callables welcome).
  template <class F>
  void on_exit(F f) {
    static_assert(std::is_invocable_v<F&&>, "Enter::on_exit(f): f must be callable with no arguments");
    on_exit_.push_back(std::make_unique<detail::ExitCallbackImpl<F>>(std::move(f)));
  }

  /// Consumes the guard and leaves the thread marked as "in an executor" for good; the
  /// on_exit callbacks are discarded without running (Rust's `make_permanent(self)`).
  void make_permanent() &&;
  template <class Self = Enter>
  void make_permanent() & {
    static_assert(futures::detail::always_false<Self>,
                  "make_permanent() consumes the Enter (Rust takes `self`): write "
                  "std::move(enter).make_permanent()");
  }

  /// Blocks this thread until `future` completes, parking it in between (Rust's
  /// `Enter::block_on`, i.e. `executor::spawn(f).wait_future()`). Runs nothing else:
  /// it is how an executor built on Enter waits for a plain future.
  template <futures::Future F>
  futures::Result<typename F::Item, typename F::Error> block_on(F future) {
    return futures::executor::spawn(std::move(future)).wait_future();
  }

 private:
  friend futures::Result<Enter, EnterError> enter();
  Enter() = default;

  std::vector<std::unique_ptr<detail::ExitCallback>> on_exit_;
  bool active_ = true;  // false once moved from or made permanent
};

/// Marks this thread as running an executor (Rust's `tokio_executor::enter()`).
///
/// Errors: `EnterError` if the thread is already marked, i.e. this is a nested run.
futures::Result<Enter, EnterError> enter();

/// Runs `f()` with the "in an executor" mark cleared, then restores it (also when `f`
/// throws). Rust hides this (`#[doc(hidden)]`): it lets an executor call code that
/// enters another executor, and misuse easily deadlocks.
///
/// Aborts (contract violation): calling it outside an executor, or `f` leaving the
/// thread marked (it made an Enter permanent: "closure claimed permanent executor").
template <class F>
decltype(auto) exit(F&& f) {
  struct Reset {
    int uncaught = std::uncaught_exceptions();
    Reset() {
      if (!detail::is_entered())
        futures::contract_violation("tokio::executor::exit called outside an executor");
      detail::set_entered(false);
    }
    ~Reset() noexcept(false) {
      const bool unwinding = std::uncaught_exceptions() > uncaught;
      if (!unwinding && detail::is_entered())
        futures::contract_violation("tokio::executor::exit: closure claimed permanent executor");
      detail::set_entered(true);
    }
  } reset;
  return std::forward<F>(f)();
}

}  // namespace tokio::executor
