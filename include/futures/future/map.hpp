// futures layer: Map, the future returned by `map`. Mirrors futures 0.1 `future/map.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace futures::future {

/// Resolves to `f(item)` when `A` resolves; errors pass through untouched.
template <class A, class F>
class Map : public FutureExt<Map<A, F>> {
 public:
  using Item = futures::detail::CallResult<F, typename A::Item>;
  using Error = typename A::Error;

  Map(A future, F f) : future_(std::move(future)), f_(std::move(f)) {}

  Poll<Item, Error> poll() {
    if (!f_) contract_violation("Map polled after it completed");
    auto polled = future_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    // The callback is destroyed as soon as it has run (or can no longer run), so
    // whatever it captured is released before later stages of the chain run.
    F f = std::move(*f_);
    f_.reset();
    if (polled.is_err()) return Err(std::move(polled).unwrap_err());
    return Ready(futures::detail::call(std::move(f), std::move(polled).unwrap().value()));
  }

 private:
  A future_;
  std::optional<F> f_;  // empty once the future completed
};

}  // namespace futures::future
