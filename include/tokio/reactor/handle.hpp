// tokio layer: a handle to a reactor, and the thread's default reactor. Mirrors
// tokio-reactor 0.1 `Handle`, `with_default`, `set_default` / `DefaultGuard`.
//
// Which reactor a socket registers with:
//  - a Handle made by `Reactor::handle()` names that reactor;
//  - `Handle::default_()` (also the default constructor) is lazy: it names "the default
//    reactor of whichever thread registers the socket", resolved at that moment;
//  - a thread's default reactor is the one installed by `with_default` / `set_default`
//    (each runtime worker installs its own); a thread with none falls back to a global
//    reactor that runs on a background thread started on first use, so sockets work
//    outside any runtime and `wait()` on an I/O future works.
#pragma once

#include <tokio/executor/enter.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace tokio::reactor {

namespace detail {
class Inner;
}  // namespace detail

/// A reference to a reactor (Rust's `tokio_reactor::Handle`). Copyable (Clone), cheap,
/// thread safe. Doubles as the reactor's Unpark (`unpark()` wakes its `turn`).
class Handle {
 public:
  /// The lazy default handle (Rust's `Handle::default()`).
  Handle() noexcept = default;
  static Handle default_() noexcept { return Handle(); }
  /// The calling thread's default reactor, resolved now (the global background reactor
  /// when the thread has none; starts it if needed).
  static Handle current();

  Handle clone() const { return *this; }

  /// Wakes the reactor if it is blocked in `turn` (or makes its next turn return at
  /// once). For a lazy handle: the thread's current default reactor. Any thread.
  void unpark() const;

  /// True for the lazy default handle.
  bool is_default() const noexcept { return lazy_; }

  // Library internal: the reactor this handle names now (null if it is gone).
  std::shared_ptr<detail::Inner> resolve_() const;
  Handle(std::weak_ptr<detail::Inner> inner, const detail::Inner* id) noexcept
      : inner_(std::move(inner)), id_(id), lazy_(false) {}

 private:
  std::weak_ptr<detail::Inner> inner_;
  const detail::Inner* id_ = nullptr;  // identity only (never dereferenced)
  bool lazy_ = true;
};

/// Restores the previous default reactor of the thread when destroyed (Rust's
/// `DefaultGuard`). Move-only; destroy it on the thread that made it.
class DefaultGuard {
 public:
  explicit DefaultGuard(Handle previous) noexcept : previous_(std::move(previous)) {}
  DefaultGuard(DefaultGuard&& other) noexcept : previous_(std::move(other.previous_)), armed_(other.armed_) {
    other.armed_ = false;
  }
  DefaultGuard(const DefaultGuard&) = delete;
  DefaultGuard& operator=(const DefaultGuard&) = delete;
  DefaultGuard& operator=(DefaultGuard&&) = delete;
  ~DefaultGuard();

 private:
  Handle previous_;  // lazy = no default before
  bool armed_ = true;
};

/// Makes `handle` the calling thread's default reactor until the guard is destroyed
/// (Rust's `set_default`).
[[nodiscard]] DefaultGuard set_default(const Handle& handle);

/// Runs `f(enter)` with `handle` as the thread's default reactor (Rust's
/// `with_default(handle, enter, f)`); the previous default is restored afterwards, also
/// when `f` throws.
template <class F>
decltype(auto) with_default(const Handle& handle, executor::Enter& enter, F&& f) {
  DefaultGuard guard = set_default(handle);
  return std::forward<F>(f)(enter);
}

}  // namespace tokio::reactor
