// futures layer: FromErr, the future returned by `from_err<E>()`. Mirrors futures 0.1
// `src/future/from_err.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <type_traits>
#include <utility>

namespace futures::future {

/// Resolves to A's item unchanged; A's error `e` becomes `E(e)` (Rust's `From::from`).
///
/// Holds nothing but A (as in Rust): whether polling after completion is caught is up
/// to A, and every library future catches it.
///
/// Notifies: nothing itself; A arranges the notification when it returns NotReady.
template <class A, class E>
class FromErr : public FutureExt<FromErr<A, E>> {
  static_assert(std::is_constructible_v<E, typename A::Error&&>,
                "from_err<E>(): E must be constructible from the future's Error");

 public:
  using Item = typename A::Item;
  using Error = E;

  explicit FromErr(A future) : future_(std::move(future)) {}

  Poll<Item, Error> poll() {
    auto polled = future_.poll();
    if (polled.is_ok()) return Ok(std::move(polled).unwrap());
    return Err(E(std::move(polled).unwrap_err()));
  }

 private:
  A future_;
};

}  // namespace futures::future
