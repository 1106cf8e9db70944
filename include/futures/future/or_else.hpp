// futures layer: OrElse, the future returned by `or_else`. Mirrors futures 0.1
// `src/future/or_else.rs`.
#pragma once

#include <futures/future/detail/chain.hpp>
#include <futures/future_ext.hpp>

#include <utility>

namespace futures::future {

/// Runs A; if it fails with `e`, continues with the future `f(e)` returns (B). A's
/// success ends the chain with that item, without calling `f`.
///
/// `f` may return a future, a Result, or void (recovers with Unit and keeps A's error
/// type). A is destroyed before `f` runs and `f` right after it (detail::Chain).
///
/// Notifies: nothing itself; A, then B, arrange the notification on NotReady.
/// Aborts: polling again after Ready or an error is a contract violation.
template <class A, class B, class F>
class OrElse : public FutureExt<OrElse<A, B, F>> {
 public:
  using Item = typename B::Item;
  using Error = typename B::Error;

  OrElse(A a, F f) : chain_(std::move(a), std::move(f)) {}

  Poll<Item, Error> poll() {
    using Outcome = Result<typename A::Item, typename A::Error>;
    using Next = detail::ChainStep<Poll<Item, Error>, B>;  // the answer, or the future to run
    return chain_.template poll<Item, Error>([](Outcome&& r, F&& f) -> Next {
      if (r.is_ok()) return Poll<Item, Error>(Ready(std::move(r).unwrap()));
      return futures::detail::call_future<typename A::Error>(std::move(f),
                                                             std::move(r).unwrap_err());
    });
  }

 private:
  detail::Chain<A, B, F> chain_;
};

}  // namespace futures::future
