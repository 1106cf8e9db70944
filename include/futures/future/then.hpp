// futures layer: Then, the future returned by `then`. Mirrors futures 0.1
// `src/future/then.rs`.
#pragma once

#include <futures/future/detail/chain.hpp>
#include <futures/future_ext.hpp>

#include <utility>

namespace futures::future {

/// Runs A, then `f(result)` on its outcome (a `Result<A::Item, A::Error>`), and
/// continues with the future `f` returns (B): Item and Error are B's.
///
/// `f` may return a future, a Result, or void (Item and Error Unit). A is destroyed
/// before `f` runs and `f` right after it (detail::Chain).
///
/// Notifies: nothing itself; A, then B, arrange the notification on NotReady.
/// Aborts: polling again after Ready or an error is a contract violation.
template <class A, class B, class F>
class Then : public FutureExt<Then<A, B, F>> {
 public:
  using Item = typename B::Item;
  using Error = typename B::Error;

  Then(A a, F f) : chain_(std::move(a), std::move(f)) {}

  Poll<Item, Error> poll() {
    using Outcome = Result<typename A::Item, typename A::Error>;
    using Next = detail::ChainStep<Poll<Item, Error>, B>;  // the answer, or the future to run
    return chain_.template poll<Item, Error>([](Outcome&& r, F&& f) -> Next {
      return futures::detail::call_future<Unit>(std::move(f), std::move(r));
    });
  }

 private:
  detail::Chain<A, B, F> chain_;
};

}  // namespace futures::future
