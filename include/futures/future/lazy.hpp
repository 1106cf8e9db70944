// futures layer: future::lazy and Lazy. Mirrors futures 0.1 `src/future/lazy.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace futures::future {

/// Defers `f()` to the first poll, then runs the future it returned: Item and Error
/// are that future's. Use it to run code inside a task (e.g. to spawn from within a
/// runtime).
///
/// `f` may return a future, a Result, or void (Item and Error Unit). `f` is destroyed
/// right after it runs; the future it returned is destroyed as soon as it completes.
///
/// Notifies: nothing itself; the future `f` returned arranges the notification.
/// Aborts: polling again after Ready or an error, or after `f` threw, is a contract
/// violation.
template <class F>
class Lazy : public FutureExt<Lazy<F>> {
  static_assert(std::is_invocable_v<F>, "lazy(f): f must be callable with no arguments");
  static_assert(futures::detail::CallbackReturn<std::invoke_result_t<F>>,
                "lazy(f): f must return a future, a futures::Result, or void");
  using Inner = futures::detail::CallbackFuture<F, Unit, Unit>;

 public:
  using Item = typename Inner::Item;
  using Error = typename Inner::Error;

  explicit Lazy(F f) : state_(std::in_place_index<0>, std::move(f)) {}

  Poll<Item, Error> poll() {
    if (state_.index() == 0) {
      F f = std::move(std::get<0>(state_));
      state_.template emplace<2>();  // stays Done if f throws
      state_.template emplace<1>(futures::detail::call_future<Unit>(std::move(f), Unit{}));
    }
    if (state_.index() != 1) contract_violation("Lazy polled after it completed");
    auto polled = std::get<1>(state_).poll();
    if (polled.is_err() || polled.unwrap_ref().is_ready()) state_.template emplace<2>();
    return polled;
  }

 private:
  struct Done {};
  std::variant<F, Inner, Done> state_;  // First(f), Second(future), Done
};

/// Defers `f()` until the returned future is first polled.
template <class F>
Lazy<F> lazy(F f) {
  return Lazy<F>(std::move(f));
}

}  // namespace futures::future

namespace futures {
/// futures 0.1 re-exports `lazy` at the crate root (deprecated there).
using future::lazy;
}  // namespace futures
