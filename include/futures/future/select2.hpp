// futures layer: Select2<A, B>, the future of `select2`. Mirrors futures 0.1
// `src/future/select2.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future/either.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace futures::future {

/// Waits for the first of two futures of any types (Rust's `Select2`).
///
/// Resolves to `Either::A((a_item, b))` when A finishes first and
/// `Either::B((b_item, a))` when B does; fails likewise with
/// `Either::A((a_error, b))` / `Either::B((b_error, a))`. The unfinished future is
/// handed back, not cancelled. A is polled first on every poll; B only when A is
/// NotReady. `Either::split()` turns a result into `(value, Either<B, A>)` when both
/// Items match.
///
/// Notifies: nothing itself; A and B register the current task.
/// Aborts: polling after Ready or an error is a contract violation.
template <class A, class B>
class Select2 : public FutureExt<Select2<A, B>> {
 public:
  using Item = Either<std::tuple<typename A::Item, B>, std::tuple<typename B::Item, A>>;
  using Error = Either<std::tuple<typename A::Error, B>, std::tuple<typename B::Error, A>>;

  Select2(A a, B b) : inner_(std::in_place, std::move(a), std::move(b)) {}

  Poll<Item, Error> poll() {
    if (!inner_) contract_violation("Select2 polled after it completed");
    auto a_polled = inner_->a.poll();
    if (a_polled.is_ok() && a_polled.unwrap_ref().is_not_ready()) {
      auto b_polled = inner_->b.poll();
      if (b_polled.is_ok() && b_polled.unwrap_ref().is_not_ready()) return NotReady;
      Both both = take();  // B finished: A goes back, B is destroyed with `both`
      if (b_polled.is_err())
        return Err(Error::B(
            std::tuple<typename B::Error, A>(std::move(b_polled).unwrap_err(), std::move(both.a))));
      return Ready(Item::B(std::tuple<typename B::Item, A>(std::move(b_polled).unwrap().value(),
                                                           std::move(both.a))));
    }
    Both both = take();  // A finished: B goes back, A is destroyed with `both`
    if (a_polled.is_err())
      return Err(Error::A(
          std::tuple<typename A::Error, B>(std::move(a_polled).unwrap_err(), std::move(both.b))));
    return Ready(Item::A(
        std::tuple<typename A::Item, B>(std::move(a_polled).unwrap().value(), std::move(both.b))));
  }

 private:
  struct Both {
    A a;
    B b;
  };

  Both take() {
    Both both = std::move(*inner_);
    inner_.reset();
    return both;
  }

  std::optional<Both> inner_;  // empty once completed
};

}  // namespace futures::future
