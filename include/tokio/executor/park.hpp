// tokio layer: what an executor sleeps on. Mirrors tokio-executor 0.1 `src/park.rs`.
//
// An executor that runs out of work calls `park()` on its Park; anything that wants it
// to look for work again (a task notified from another thread, a spawn through a
// Handle) calls `unpark()` on the matching Unpark. The contract, shared by every Park:
//  - An `unpark()` that happens before `park()` makes that park return at once (the
//    wake-up is remembered as a token; several coalesce into one).
//  - `park()` / `park_timeout()` may return spuriously, without an unpark.
//  - `park_timeout(d)` returns after at most about `d`; a zero duration only consumes a
//    pending token (it never sleeps).
// The reactor and the timer are Parks too (later issues): an executor over a
// `Timer<Reactor>` sleeps in epoll_wait with the next deadline as its timeout, which is
// why executors are generic over `P: Park` rather than tied to a condition variable.
#pragma once

#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <concepts>
#include <memory>
#include <ostream>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tokio::executor::park {

/// Wakes a parked executor (Rust's `trait Unpark: Sync + Send + 'static`).
/// `u.unpark()` may be called from any thread, concurrently; copies wake the same Park.
template <class U>
concept Unpark = std::copy_constructible<U> && requires(const U& u) { u.unpark(); };

/// Blocks the executor's thread until unparked (Rust's `trait Park`): has the nested
/// types `Unpark` (a type satisfying the Unpark concept) and `Error`, and
///  - `p.unpark()`: a handle that wakes this Park from any thread;
///  - `p.park()`: blocks until unparked (or spuriously);
///  - `p.park_timeout(std::chrono::nanoseconds)`: the same, for at most the duration.
template <class P>
concept Park = requires(P& p, const P& cp, std::chrono::nanoseconds d) {
  typename P::Unpark;
  typename P::Error;
  requires Unpark<typename P::Unpark>;
  { cp.unpark() } -> std::convertible_to<typename P::Unpark>;
  { p.park() } -> std::same_as<futures::Result<futures::Unit, typename P::Error>>;
  { p.park_timeout(d) } -> std::same_as<futures::Result<futures::Unit, typename P::Error>>;
};

/// A type-erased Unpark (Rust's `Box<dyn Unpark>` / `Arc<dyn Unpark>`): copies share one
/// heap block, allocated when it is made from a concrete Unpark.
class BoxUnpark {
 public:
  template <Unpark U>
    requires(!std::is_same_v<std::remove_cvref_t<U>, BoxUnpark>)
  explicit BoxUnpark(U unpark) : inner_(std::make_shared<Impl<U>>(std::move(unpark))) {}

  void unpark() const { inner_->unpark(); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void unpark() const = 0;
  };
  template <class U>
  struct Impl final : Base {
    explicit Impl(U u) : u_(std::move(u)) {}
    void unpark() const override { u_.unpark(); }
    U u_;
  };
  std::shared_ptr<const Base> inner_;
};

/// A type-erased Park (tokio-executor's `park::BoxPark`, a `Box<dyn Park<Unpark =
/// BoxUnpark, Error = ()>>`): what a thread pool worker parks on when the Builder's
/// custom_park made its Park. Move-only; one heap block, allocated when it is made.
/// Errors of the wrapped Park become `Unit` (Rust: `()`).
class BoxPark {
 public:
  using Unpark = BoxUnpark;
  using Error = futures::Unit;

  template <Park P>
    requires(!std::is_same_v<std::remove_cvref_t<P>, BoxPark>)
  explicit BoxPark(P park) : inner_(std::make_unique<Impl<P>>(std::move(park))) {}

  BoxPark(BoxPark&&) noexcept = default;
  BoxPark& operator=(BoxPark&&) noexcept = default;

  /// A handle that wakes this Park from any thread.
  BoxUnpark unpark() const { return inner_->unpark(); }
  futures::Result<futures::Unit, futures::Unit> park() { return inner_->park(); }
  futures::Result<futures::Unit, futures::Unit> park_timeout(std::chrono::nanoseconds duration) {
    return inner_->park_timeout(duration);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual BoxUnpark unpark() const = 0;
    virtual futures::Result<futures::Unit, futures::Unit> park() = 0;
    virtual futures::Result<futures::Unit, futures::Unit> park_timeout(std::chrono::nanoseconds d) = 0;
  };
  template <class P>
  struct Impl final : Base {
    explicit Impl(P p) : p_(std::move(p)) {}
    BoxUnpark unpark() const override { return BoxUnpark(p_.unpark()); }
    futures::Result<futures::Unit, futures::Unit> park() override {
      if (p_.park().is_err()) return futures::Err(futures::Unit{});
      return futures::Ok();
    }
    futures::Result<futures::Unit, futures::Unit> park_timeout(std::chrono::nanoseconds d) override {
      if (p_.park_timeout(d).is_err()) return futures::Err(futures::Unit{});
      return futures::Ok();
    }
    P p_;
  };
  std::unique_ptr<Base> inner_;
};

/// ParkThread's error (Rust's `ParkError`); ParkThread never actually fails.
class ParkError {
 public:
  std::string_view what() const noexcept { return "unknown park error"; }
  friend bool operator==(const ParkError&, const ParkError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const ParkError&) { return os << "ParkError"; }
};

namespace detail {
class Parker;
}  // namespace detail

/// Wakes a ParkThread from any thread (Rust's `UnparkThread`). Copyable (Clone).
class UnparkThread {
 public:
  /// Wakes the thread if it is parked, or makes its next park return at once.
  void unpark() const;
  UnparkThread clone() const { return *this; }

 private:
  friend class ParkThread;
  explicit UnparkThread(std::shared_ptr<detail::Parker> inner) : inner_(std::move(inner)) {}
  std::shared_ptr<detail::Parker> inner_;
};

/// Parks the thread that created it on a mutex and condition variable (Rust's
/// `ParkThread`). All ParkThreads made on one thread share that thread's parker (and its
/// wake-up token), as in Rust. Meant to be parked by one thread at a time.
class ParkThread {
 public:
  using Unpark = UnparkThread;
  using Error = ParkError;

  /// Rust's `ParkThread::new()`: the calling thread's parker.
  ParkThread();

  /// A handle that wakes this parker from any thread.
  UnparkThread unpark() const { return UnparkThread(inner_); }
  /// Blocks until unparked (returns at once if an unpark is pending; may wake
  /// spuriously). Never fails.
  futures::Result<futures::Unit, ParkError> park();
  /// As park(), for at most `duration` (zero: only consumes a pending unpark).
  futures::Result<futures::Unit, ParkError> park_timeout(std::chrono::nanoseconds duration);

 private:
  std::shared_ptr<detail::Parker> inner_;
};

static_assert(Park<ParkThread>);
static_assert(Park<BoxPark>);

}  // namespace tokio::executor::park
