// futures layer: future::loop_fn, LoopFn and Loop. Mirrors futures 0.1
// `src/future/loop_fn.rs`: an asynchronous loop that keeps no stack per iteration.
#pragma once

#include <futures/detail/print.hpp>
#include <futures/future_ext.hpp>

#include <optional>
#include <ostream>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::future {

/// The tagged value `future::Break(v)`; converts to any `Loop<T, S>` with T from V.
template <class V>
struct BreakValue {
  V value;
};
/// The tagged value `future::Continue(s)`; converts to any `Loop<T, S>` with S from V.
template <class V>
struct ContinueValue {
  V value;
};

/// One step's verdict in loop_fn: stop with a value (`Break`) or go round again with a
/// new state (`Continue`). A value type: accessors copy from lvalues, move from rvalues.
template <class T, class S>
class Loop {
 public:
  using break_type = T;
  using continue_type = S;

  /// Stop the loop; the loop_fn future resolves to `v`.
  static Loop Break(T v) { return Loop(std::in_place_index<0>, std::move(v)); }
  /// Go round again: the loop_fn callback is called with `s`.
  static Loop Continue(S s) { return Loop(std::in_place_index<1>, std::move(s)); }

  template <class V>
    requires std::is_constructible_v<T, V&&>
  Loop(BreakValue<V>&& b) : v_(std::in_place_index<0>, std::move(b.value)) {}
  template <class V>
    requires std::is_constructible_v<T, const V&>
  Loop(const BreakValue<V>& b) : v_(std::in_place_index<0>, b.value) {}
  template <class V>
    requires std::is_constructible_v<S, V&&>
  Loop(ContinueValue<V>&& c) : v_(std::in_place_index<1>, std::move(c.value)) {}
  template <class V>
    requires std::is_constructible_v<S, const V&>
  Loop(const ContinueValue<V>& c) : v_(std::in_place_index<1>, c.value) {}

  bool is_break() const noexcept { return v_.index() == 0; }
  bool is_continue() const noexcept { return v_.index() == 1; }

  /// The value of Break(v). Aborts (contract violation) on Continue.
  T break_value() const& {
    check(0, "Loop::break_value() called on Continue");
    return std::get<0>(v_);
  }
  T break_value() && {
    check(0, "Loop::break_value() called on Continue");
    return std::move(std::get<0>(v_));
  }
  /// The state of Continue(s). Aborts (contract violation) on Break.
  S continue_value() const& {
    check(1, "Loop::continue_value() called on Break");
    return std::get<1>(v_);
  }
  S continue_value() && {
    check(1, "Loop::continue_value() called on Break");
    return std::move(std::get<1>(v_));
  }

  friend bool operator==(const Loop& a, const Loop& b)
    requires std::equality_comparable<T> && std::equality_comparable<S>
  {
    return a.v_ == b.v_;
  }
  friend std::ostream& operator<<(std::ostream& os, const Loop& l) {
    if (l.is_break()) {
      os << "Break(";
      futures::detail::print_value(os, std::get<0>(l.v_));
    } else {
      os << "Continue(";
      futures::detail::print_value(os, std::get<1>(l.v_));
    }
    return os << ')';
  }

 private:
  template <std::size_t I, class V>
  Loop(std::in_place_index_t<I> i, V&& v) : v_(i, std::forward<V>(v)) {}
  void check(std::size_t index, const char* message) const {
    if (v_.index() != index) contract_violation(message);
  }

  std::variant<T, S> v_;  // by index, so Loop<int, int> works
};

/// `future::Break(v)`: converts to any `Loop<T, S>` whose T can hold `v`.
template <class V>
BreakValue<std::decay_t<V>> Break(V&& v) {
  return {std::forward<V>(v)};
}
/// `future::Continue(s)`: converts to any `Loop<T, S>` whose S can hold `s`.
template <class V>
ContinueValue<std::decay_t<V>> Continue(V&& s) {
  return {std::forward<V>(s)};
}

namespace detail {
/// The Loop a step future yields; a stand-in (so only the static_assert reports) if the
/// Item is not a Loop.
template <class L, class S>
struct LoopOf : std::false_type {
  using type = Loop<Unit, S>;
};
template <class T, class S, class S2>
struct LoopOf<Loop<T, S>, S2> : std::true_type {
  using type = Loop<T, S>;
};
}  // namespace detail

/// The future returned by `loop_fn(init, f)`: `f(state)` returns a future (or Result)
/// of `Loop<T, S>`; on `Continue(s)` the loop calls `f(s)` and polls the new future,
/// on `Break(v)` it resolves to `v`; an error of a step ends the loop with it.
///
/// Iterates (never recurses) while the step futures are immediately ready, so a
/// million ready steps take constant stack. `f` is called for the first time when the
/// loop is created (as in Rust); a tuple state may be taken whole or spread.
///
/// Notifies: nothing itself; the step future arranges the notification.
/// Aborts: polling again after Ready or an error is a contract violation.
template <class S, class F>
class LoopFn : public FutureExt<LoopFn<S, F>> {
  using Step = futures::detail::CallRawResult<F&, S>;
  static_assert(IntoFuture<Step>,
                "loop_fn(init, f): f(state) must return a future or a futures::Result whose "
                "Item is futures::future::Loop<T, S>");
  using StepFuture = IntoFutureT<Step>;
  static_assert(
      detail::LoopOf<typename StepFuture::Item, S>::value,
      "loop_fn(init, f): the future f(state) returns must have Item "
      "futures::future::Loop<T, S>; e.g. return future::ok<Loop<T, S>, E>(future::Break(v))");
  using LoopItem = typename detail::LoopOf<typename StepFuture::Item, S>::type;
  static_assert(std::is_constructible_v<S, typename LoopItem::continue_type&&>,
                "loop_fn(init, f): the S of Loop<T, S> must convert to the state type of init");

 public:
  using Item = typename LoopItem::break_type;
  using Error = typename StepFuture::Error;

  LoopFn(S initial_state, F f)
      : future_(into_future(futures::detail::call_raw(f, std::move(initial_state)))),
        f_(std::move(f)) {}

  Poll<Item, Error> poll() {
    if (!future_) contract_violation("LoopFn polled after it completed");
    for (;;) {
      auto polled = future_->poll();
      if (polled.is_err()) {
        future_.reset();
        return Err(std::move(polled).unwrap_err());
      }
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      LoopItem step = std::move(polled).unwrap().value();
      if (step.is_break()) {
        future_.reset();
        return Ready(std::move(step).break_value());
      }
      // The finished step is dropped before f runs (as Chain drops A before its
      // callback); if f throws, the loop is left completed, not holding a spent step.
      future_.reset();
      future_.emplace(
          into_future(futures::detail::call_raw(f_, S(std::move(step).continue_value()))));
    }
  }

 private:
  std::optional<StepFuture> future_;  // empty once the loop completed
  [[no_unique_address]] F f_;
};

/// Runs `f(initial_state)`, then `f(s)` for every `Continue(s)`, until a step yields
/// `Break(v)` (the result) or fails (the error).
template <class S, class F>
LoopFn<S, F> loop_fn(S initial_state, F f) {
  return LoopFn<S, F>(std::move(initial_state), std::move(f));
}

}  // namespace futures::future
