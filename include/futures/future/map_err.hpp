// futures layer: MapErr, the future returned by `map_err`. Mirrors futures 0.1
// `src/future/map_err.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace futures::future {

/// Resolves to A's item unchanged; if A fails with `e`, fails with `f(e)` instead.
///
/// A void `f` makes the error type Unit. `f` runs at most once and is destroyed as soon
/// as A completes (either way), so what it captured is released before later stages run.
///
/// Notifies: nothing itself; A arranges the notification when it returns NotReady.
/// Aborts: polling again after Ready or an error is a contract violation.
template <class A, class F>
class MapErr : public FutureExt<MapErr<A, F>> {
 public:
  using Item = typename A::Item;
  using Error = futures::detail::CallResult<F, typename A::Error>;

  MapErr(A future, F f) : future_(std::move(future)), f_(std::move(f)) {}

  Poll<Item, Error> poll() {
    if (!f_) contract_violation("MapErr polled after it completed");
    auto polled = future_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    F f = std::move(*f_);
    f_.reset();
    if (polled.is_ok()) return Ready(std::move(polled).unwrap().value());
    return Err(futures::detail::call(std::move(f), std::move(polled).unwrap_err()));
  }

 private:
  A future_;
  std::optional<F> f_;  // empty once the future completed
};

}  // namespace futures::future
