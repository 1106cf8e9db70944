// futures layer: Select<A, B> and SelectNext<A, B>, the futures of `select`. Mirrors
// futures 0.1 `src/future/select.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::future {

/// The unfinished future of a Select, handed back with its result (Rust's
/// `SelectNext`): a future with the same Item and Error that polls whichever of A or B
/// did not finish. Polling it after it completed is whatever that future does (every
/// library future treats it as a contract violation).
template <class A, class B>
class SelectNext : public FutureExt<SelectNext<A, B>> {
 public:
  using Item = typename A::Item;
  using Error = typename A::Error;

  Poll<Item, Error> poll() {
    if (inner_.index() == 0) return std::get<0>(inner_).poll();
    return std::get<1>(inner_).poll();
  }

 private:
  friend class Select<A, B>;

  /// Holds A (B finished first).
  static SelectNext from_a(A a) { return SelectNext(std::in_place_index<0>, std::move(a)); }
  /// Holds B (A finished first).
  static SelectNext from_b(B b) { return SelectNext(std::in_place_index<1>, std::move(b)); }

  template <std::size_t I, class V>
  SelectNext(std::in_place_index_t<I> tag, V&& v) : inner_(tag, std::forward<V>(v)) {}

  std::variant<A, B> inner_;  // Rust's OneOf
};

/// Waits for the first of two futures with the same Item and Error (Rust's `Select`).
///
/// Resolves to `(item, SelectNext)` or fails with `(error, SelectNext)`: the future that
/// did not finish is handed back inside the SelectNext, not cancelled, so it can be
/// polled to completion (or dropped) by the caller. A is polled first on every poll; B
/// only when A is NotReady.
///
/// Notifies: nothing itself; A and B register the current task.
/// Aborts: polling after Ready or an error is a contract violation.
template <class A, class B>
class Select : public FutureExt<Select<A, B>> {
  static_assert(std::is_same_v<typename A::Item, typename B::Item> &&
                    std::is_same_v<typename A::Error, typename B::Error>,
                "select(other): both futures must have the same Item and Error");

 public:
  using Item = std::tuple<typename A::Item, SelectNext<A, B>>;
  using Error = std::tuple<typename A::Error, SelectNext<A, B>>;

  Select(A a, B b) : inner_(std::in_place, std::move(a), std::move(b)) {}

  Poll<Item, Error> poll() {
    if (!inner_) contract_violation("Select polled after it completed");
    auto polled = inner_->a.poll();
    bool a_finished = true;
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) {
      polled = inner_->b.poll();
      if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
      a_finished = false;
    }
    Both both = std::move(*inner_);
    inner_.reset();
    auto next = a_finished ? SelectNext<A, B>::from_b(std::move(both.b))
                           : SelectNext<A, B>::from_a(std::move(both.a));
    // The finished future is destroyed here, with `both`, as Rust drops it.
    if (polled.is_err()) return Err(Error(std::move(polled).unwrap_err(), std::move(next)));
    return Ready(Item(std::move(polled).unwrap().value(), std::move(next)));
  }

 private:
  struct Both {
    A a;
    B b;
  };
  std::optional<Both> inner_;  // empty once completed
};

}  // namespace futures::future
