// futures layer: AndThen, the future returned by `and_then`. Mirrors futures 0.1
// `future/and_then.rs`.
#pragma once

#include <futures/future/detail/chain.hpp>
#include <futures/future_ext.hpp>

#include <utility>

namespace futures::future {

/// Runs A; on success continues with the future `f(item)` returns (B); errors of A
/// end the chain without calling `f`.
template <class A, class B, class F>
class AndThen : public FutureExt<AndThen<A, B, F>> {
 public:
  using Item = typename B::Item;
  using Error = typename A::Error;

  AndThen(A a, F f) : chain_(std::move(a), std::move(f)) {}

  Poll<Item, Error> poll() {
    return chain_.template poll<Item, Error>(
        [](Result<typename A::Item, Error>&& r, F&& f) -> detail::ChainStep<Poll<Item, Error>, B> {
          if (r.is_err()) return Poll<Item, Error>(Err(std::move(r).unwrap_err()));
          return futures::detail::call_future<Error>(std::move(f), std::move(r).unwrap());
        });
  }

 private:
  detail::Chain<A, B, F> chain_;
};

}  // namespace futures::future
