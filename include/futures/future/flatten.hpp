// futures layer: Flatten, the future returned by `flatten`. Mirrors futures 0.1
// `src/future/flatten.rs`.
#pragma once

#include <futures/future/detail/chain.hpp>
#include <futures/future_ext.hpp>

#include <type_traits>
#include <utility>

namespace futures::future {

/// Runs A, whose item is itself a future (or a Result), then runs that inner future:
/// Item and Error are the inner future's. An error of A becomes the inner Error,
/// constructed from it (Rust's `From`).
///
/// A is destroyed as soon as it has produced the inner future (detail::Chain).
///
/// Notifies: nothing itself; A, then the inner future, arrange the notification.
/// Aborts: polling again after Ready or an error is a contract violation.
template <class A>
class Flatten : public FutureExt<Flatten<A>> {
  using Inner = IntoFutureT<typename A::Item>;
  static_assert(std::is_constructible_v<typename Inner::Error, typename A::Error&&>,
                "flatten(): the inner future's Error must be constructible from the outer "
                "future's Error (Rust's From); convert one first with .map_err(...) or "
                ".from_err<E>()");

 public:
  using Item = typename Inner::Item;
  using Error = typename Inner::Error;

  explicit Flatten(A future) : chain_(std::move(future), Unit{}) {}

  Poll<Item, Error> poll() {
    using Outcome = Result<typename A::Item, typename A::Error>;
    using Next = detail::ChainStep<Poll<Item, Error>, Inner>;  // the answer, or the future to run
    return chain_.template poll<Item, Error>([](Outcome&& r, Unit&&) -> Next {
      if (r.is_err()) return Poll<Item, Error>(Err(Error(std::move(r).unwrap_err())));
      return into_future(std::move(r).unwrap());
    });
  }

 private:
  detail::Chain<A, Inner, Unit> chain_;  // Unit: Flatten has no callback
};

}  // namespace futures::future
