// futures layer: Map, the future returned by `map`. Mirrors futures 0.1 `future/map.rs`.
#pragma once

#include <futures/future_ext.hpp>

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
    if (done_) contract_violation("Map polled after it completed");
    auto polled = future_.poll();
    if (polled.is_err()) {
      done_ = true;
      return Err(std::move(polled).unwrap_err());
    }
    if (polled.unwrap_ref().is_not_ready()) return NotReady;
    done_ = true;
    return Ready(futures::detail::call(std::move(f_), std::move(polled).unwrap().value()));
  }

 private:
  A future_;
  [[no_unique_address]] F f_;
  bool done_ = false;
};

}  // namespace futures::future
