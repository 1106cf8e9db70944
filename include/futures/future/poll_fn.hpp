// futures layer: future::poll_fn and PollFn. Mirrors futures 0.1 `src/future/poll_fn.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <functional>
#include <type_traits>
#include <utility>

namespace futures::future {

/// A future whose poll is `f()`, a callable returning `Poll<T, E>`; Item T, Error E.
///
/// `f` is called on every poll; it owns the contract: if it returns NotReady it must
/// have arranged a notification of task::current(), and what it does when polled
/// after completing is up to it (as in Rust).
template <class F>
class PollFn : public FutureExt<PollFn<F>> {
  using Returned = std::invoke_result_t<F&>;
  static_assert(
      requires { typename futures::detail::PollTraits<Returned>::Item; },
      "poll_fn(f): f() must return futures::Poll<T, E>");

 public:
  using Item = typename futures::detail::PollTraits<Returned>::Item;
  using Error = typename futures::detail::PollTraits<Returned>::Error;

  explicit PollFn(F f) : f_(std::move(f)) {}

  Poll<Item, Error> poll() { return std::invoke(f_); }

 private:
  F f_;
};

/// Wraps `f() -> Poll<T, E>` into a future.
template <class F>
PollFn<F> poll_fn(F f) {
  static_assert(std::is_invocable_v<F&>, "poll_fn(f): f must be callable with no arguments");
  return PollFn<F>(std::move(f));
}

}  // namespace futures::future
