// futures layer: stream Fold, the future returned by `Stream::fold`. Mirrors futures 0.1
// `src/stream/fold.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future/result.hpp>
#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::stream {

namespace detail {

/// Calls the fold callback: `f(acc, item)`, or, for a tuple item, `f(acc, elems...)`.
template <class F, class T, class V>
decltype(auto) call_fold(F& f, T&& acc, V&& item) {
  if constexpr (std::is_invocable_v<F&, T, V>) {
    return std::invoke(f, std::forward<T>(acc), std::forward<V>(item));
  } else {
    return std::apply(
        [&](auto&&... elems) -> decltype(auto) {
          return std::invoke(f, std::forward<T>(acc), std::forward<decltype(elems)>(elems)...);
        },
        std::forward<V>(item));
  }
}

/// The Error of a Fold: the stream's (Rust's `S::Error: From<Fut::Error>`), or else
/// the callback future's when only that conversion exists.
template <class StreamError, class FutError>
using FoldError = std::conditional_t<std::is_constructible_v<StreamError, FutError&&>,
                                     StreamError, FutError>;

}  // namespace detail

/// Folds the items of S into an accumulator: starting from `init`, each item becomes
/// the future `f(acc, item)` (f called as an lvalue, Rust's FnMut; a tuple item may be
/// taken whole or spread after `acc`), which is run to completion and whose value is
/// the next accumulator. Resolves to the last accumulator once S ends.
///
/// `f` returns an IntoFuture with Item = T (a future or a Result<T, E>). Error is S's
/// Error, built from the future's Error (Rust requires `S::Error: From<Fut::Error>`);
/// when only the opposite conversion exists, Error is the future's Error, built from
/// S's.
///
/// Errors: the first error, of S or of a future f returned, fails the Fold.
/// Notifies: nothing itself; S or the running future arranges the notification.
/// Aborts: polling again after it resolved or failed is a contract violation (Rust
/// panics "cannot poll Fold twice").
template <class S, class F, class T>
class Fold : public FutureExt<Fold<S, F, T>> {
  using Returned = decltype(detail::call_fold(std::declval<F&>(), std::declval<T>(),
                                              std::declval<typename S::Item>()));
  static_assert(IntoFuture<Returned>,
                "fold(init, f): f(acc, item) must return a future or a Result whose Item is "
                "the accumulator type");
  using Fut = IntoFutureT<Returned>;
  static_assert(std::is_same_v<typename Fut::Item, T>,
                "fold(init, f): the future f returns must resolve to the accumulator type T");
  static_assert(std::is_constructible_v<typename S::Error, typename Fut::Error&&> ||
                    std::is_constructible_v<typename Fut::Error, typename S::Error&&>,
                "fold(init, f): the stream's Error and the Error of what f returns must be "
                "the same, or one constructible from the other");

 public:
  using Item = T;
  using Error = detail::FoldError<typename S::Error, typename Fut::Error>;

  Fold(S stream, F f, T init)
      : stream_(std::move(stream)), f_(std::move(f)), state_(std::in_place_index<0>, std::move(init)) {}

  Poll<T, Error> poll() {
    for (;;) {
      if (state_.index() == 0) {  // holding the accumulator: pull an item
        auto polled = stream_.poll();
        if (polled.is_err()) return fail(Error(std::move(polled).unwrap_err()));
        if (polled.unwrap_ref().is_not_ready()) return NotReady;
        auto item = std::move(polled).unwrap().value();
        T acc = std::move(std::get<0>(state_));
        state_.template emplace<2>();
        if (!item) return Ready(std::move(acc));
        state_.template emplace<1>(futures::into_future(detail::call_fold(f_, std::move(acc), std::move(*item))));
      } else if (state_.index() == 1) {  // running f's future
        auto polled = std::get<1>(state_).poll();
        if (polled.is_err()) return fail(Error(std::move(polled).unwrap_err()));
        if (polled.unwrap_ref().is_not_ready()) return NotReady;
        // The finished future is destroyed before the next item is pulled.
        state_.template emplace<0>(std::move(polled).unwrap().value());
      } else {
        contract_violation("cannot poll Fold twice");
      }
    }
  }

 private:
  struct Empty {};

  Poll<T, Error> fail(Error e) {
    state_.template emplace<2>();
    return Err(std::move(e));
  }

  S stream_;
  [[no_unique_address]] F f_;
  std::variant<T, Fut, Empty> state_;  // accumulator / f's future running / finished
};

}  // namespace futures::stream
