// tokio layer: a configurable source of time. Mirrors tokio-timer 0.2 `src/clock/`
// (`Now`, `Clock`, `now`, `with_default`); tokio 0.1 re-exports `now` as
// `tokio::clock::now` (include/tokio/clock.hpp).
//
// `tokio::timer::clock::now()` asks the clock installed on the calling thread by
// `with_default` (a runtime installs the one given to its Builder's `clock(..)` on each
// of its threads), and the system's monotonic clock where none is installed. Tests
// install a Clock made from their own `Now` to control time.
//
// The instant type is std::chrono::steady_clock::time_point (`tokio::Instant`): Rust's
// `Instant` is the monotonic clock, never adjusted by settimeofday or NTP slews, and so
// is steady_clock; system_clock may jump backwards.
#pragma once

#include <tokio/executor/enter.hpp>

#include <futures/contract.hpp>

#include <chrono>
#include <concepts>
#include <memory>
#include <type_traits>
#include <utility>

namespace tokio {
/// Rust's `std::time::Instant` (PORTING.md).
using Instant = std::chrono::steady_clock::time_point;
}  // namespace tokio

namespace tokio::timer::clock {

/// A source of "now" (Rust's `Now` trait). Implementations must be thread safe (a
/// runtime's clock is asked from every worker at once) and should never go backwards.
class Now {
 public:
  virtual ~Now() = default;
  /// The current instant.
  virtual Instant now() const = 0;
};

class Clock;

namespace detail {
/// The calling thread's installed clock, or null (then the system clock is used).
const Clock* current_clock() noexcept;
/// Installs `clock` (may be null) as the thread's clock; returns the one it replaces.
const Clock* exchange_current_clock(const Clock* clock) noexcept;
}  // namespace detail

/// A handle to a source of time (Rust's `Clock`). Copyable (Clone), cheap (one shared
/// pointer); `now()` may be called from any thread.
class Clock {
 public:
  /// Rust's `Clock::new()`: the clock of the calling thread's execution context (a copy
  /// of the installed one), or the system clock where none is installed.
  Clock() {
    if (const Clock* current = detail::current_clock()) now_ = current->now_;
  }
  /// Rust's `Clock::new_with_now(now)`: `now` is the source of time.
  template <class N>
  requires std::derived_from<std::remove_cvref_t<N>, Now>
  static Clock new_with_now(N&& now) {
    return Clock(std::make_shared<std::remove_cvref_t<N>>(std::forward<N>(now)));
  }
  /// As above, sharing `now` with the caller (a test keeps its pointer to move time).
  /// Contract: `now` is not null.
  static Clock new_with_now(std::shared_ptr<const Now> now) {
    if (!now) futures::contract_violation("tokio::timer::clock::Clock::new_with_now: null Now");
    return Clock(std::move(now));
  }
  /// Rust's `Clock::system()`: std::chrono::steady_clock, whatever is installed.
  static Clock system() noexcept { return Clock(std::shared_ptr<const Now>()); }

  Clock clone() const { return *this; }

  /// "Now" according to this clock's source.
  Instant now() const { return now_ ? now_->now() : std::chrono::steady_clock::now(); }

  /// True when this is the system clock (Rust's Debug output shows `now: None`).
  bool is_system() const noexcept { return now_ == nullptr; }

 private:
  explicit Clock(std::shared_ptr<const Now> now) noexcept : now_(std::move(now)) {}

  std::shared_ptr<const Now> now_;  // null: the system clock
};

/// "Now" according to the calling thread's installed clock; the system clock where none
/// is installed (Rust's `clock::now()`). Use it instead of steady_clock::now() in code
/// that must follow a mocked clock. Clocks installed on different threads (different
/// runtimes) need not agree, so instants from two of them may go backwards.
Instant now();

/// Runs `f(enter)` (or `f()`) with `clock` as the calling thread's clock (Rust's
/// `with_default(&clock, &mut enter, f)`); the previous clock comes back afterwards, also
/// when `f` throws. `clock` must outlive the call (the thread refers to it, as Rust's
/// does). Deviation: tokio-timer 0.2.11 panics when a clock is already installed;
/// here the inner one wins until it returns, as with reactor::with_default.
template <class F>
decltype(auto) with_default(const Clock& clock, executor::Enter& enter, F&& f) {
  struct Restore {
    const Clock* previous;
    ~Restore() { detail::exchange_current_clock(previous); }
  } restore{detail::exchange_current_clock(&clock)};
  if constexpr (std::is_invocable_v<F&&, executor::Enter&>) {
    return std::forward<F>(f)(enter);
  } else {
    return std::forward<F>(f)();
  }
}

}  // namespace tokio::timer::clock
