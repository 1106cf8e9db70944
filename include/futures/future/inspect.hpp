// futures layer: Inspect, the future returned by `inspect`. Mirrors futures 0.1
// `src/future/inspect.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <functional>
#include <optional>
#include <utility>

namespace futures::future {

/// Resolves to A's item after calling `f(const Item&)` on it; errors pass through and
/// `f` is not called.
///
/// `f` runs at most once and is destroyed as soon as A completes (either way).
///
/// Notifies: nothing itself; A arranges the notification when it returns NotReady.
/// Aborts: polling again after Ready or an error is a contract violation.
template <class A, class F>
class Inspect : public FutureExt<Inspect<A, F>> {
 public:
  using Item = typename A::Item;
  using Error = typename A::Error;

  Inspect(A future, F f) : future_(std::move(future)), f_(std::move(f)) {}

  Poll<Item, Error> poll() {
    if (!f_) contract_violation("Inspect polled after it completed");
    auto polled = future_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return polled;
    F f = std::move(*f_);
    f_.reset();
    if (polled.is_ok())
      static_cast<void>(std::invoke(f, std::as_const(polled.unwrap_ref().value())));
    return polled;
  }

 private:
  A future_;
  std::optional<F> f_;  // empty once the future completed
};

}  // namespace futures::future
