// futures layer (internal): the First -> Second -> Done state machine behind and_then,
// or_else and then (futures 0.1 `future/chain.rs`).
//
// First holds the first future and the callback. When the first future completes, it
// is destroyed, then the callback runs on its outcome and either finishes the chain or
// names the second future, which is polled at once.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/result_storage.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>

#include <utility>
#include <variant>

namespace futures::future::detail {

// What a chain's step returns: the answer (a Poll), or the future to run next. Result's
// storage rather than a std::variant: fewer templates for the compiler to instantiate.
template <class P, class B>
class ChainStep {
 public:
  ChainStep(P&& answer) : v_(std::in_place_index<0>, std::move(answer)) {}
  ChainStep(B&& next) : v_(std::in_place_index<1>, std::move(next)) {}
  bool is_answer() const noexcept { return v_.is_ok(); }
  P& answer() noexcept { return v_.ok(); }
  B& next() noexcept { return v_.err(); }

 private:
  futures::detail::ResultStorage<P, B> v_;
};

template <class A, class B, class F>
class Chain {
 public:
  Chain(A a, F f) : state_(std::in_place_index<0>, First{std::move(a), std::move(f)}) {}

  /// `step(Result<A::Item, A::Error>, F&&)` returns `std::variant<Poll<Item, Error>, B>`:
  /// a final answer, or the future to continue with.
  template <class Item, class Error, class Step>
  Poll<Item, Error> poll(Step&& step) {
    if (state_.index() == 0) {
      First& first = std::get<0>(state_);
      auto polled = first.a.poll();
      if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
      auto outcome = polled.is_ok()
                         ? Result<typename A::Item, typename A::Error>(Ok(std::move(polled).unwrap().value()))
                         : Result<typename A::Item, typename A::Error>(Err(std::move(polled).unwrap_err()));
      ChainStep<Poll<Item, Error>, B> next = [&] {
        // A is dropped before the callback runs, and the callback is dropped right
        // after it, before B is polled: what either captured is released eagerly.
        F f = std::move(first.f);
        state_.template emplace<2>();
        return step(std::move(outcome), std::move(f));
      }();
      if (next.is_answer()) return std::move(next.answer());
      state_.template emplace<1>(std::move(next.next()));
    }
    if (state_.index() == 1) {
      auto polled = std::get<1>(state_).poll();
      if (polled.is_err() || polled.unwrap_ref().is_ready()) state_.template emplace<2>();
      return polled;
    }
    contract_violation("future polled after it completed (and_then / or_else / then)");
  }

 private:
  struct First {
    A a;
    [[no_unique_address]] F f;
  };
  struct Done {};
  std::variant<First, B, Done> state_;
};

}  // namespace futures::future::detail
