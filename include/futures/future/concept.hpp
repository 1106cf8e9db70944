// futures layer: the Future and IntoFuture concepts. Cheap to include: no combinators.
// Mirrors futures 0.1 `future/mod.rs` (the trait) and `IntoFuture`.
//
// The rules a future lives by:
//  - `poll()` never blocks.
//  - Returning NotReady obliges the future to have arranged for the *current* task
//    (task::current()) to be notified when it can make progress. Only the task that
//    polled most recently is notified, so register again on every poll.
//  - Polling after the future returned Ready or an error is a contract violation;
//    `.fuse()` makes that safe.
//  - Dropping (destroying) a future cancels it.
#pragma once

#include <futures/fwd.hpp>
#include <futures/poll.hpp>

#include <tuple>
#include <type_traits>

namespace futures {

/// A value that can be polled to completion: has `Item`, `Error` and
/// `Poll<Item, Error> poll()`.
template <class F>
concept Future = requires(F& f) {
  typename F::Item;
  typename F::Error;
  { f.poll() } -> std::same_as<Poll<typename F::Item, typename F::Error>>;
};

/// Maps a type that can become a future to the future it becomes
/// (Rust's `IntoFuture::Future`). Specialised for futures (themselves) and for
/// `Result<T, E>` (an immediately ready future).
template <class T>
struct IntoFutureTraits {};

template <Future F>
struct IntoFutureTraits<F> {
  using type = F;
  static F convert(F&& f) { return std::move(f); }
};

template <class T, class E>
struct IntoFutureTraits<Result<T, E>> {
  using type = future::FutureResult<T, E>;
  static type convert(Result<T, E>&& r) { return type(std::move(r)); }
};

/// Anything that converts to a future: a future, or a `Result`.
template <class T>
concept IntoFuture = requires { typename IntoFutureTraits<std::remove_cvref_t<T>>::type; };

/// The future that `T` becomes.
template <IntoFuture T>
using IntoFutureT = typename IntoFutureTraits<std::remove_cvref_t<T>>::type;

/// Converts `t` into its future (Rust's `into_future()`).
template <IntoFuture T>
IntoFutureT<T> into_future(T&& t) {
  std::remove_cvref_t<T> copy(std::forward<T>(t));
  return IntoFutureTraits<std::remove_cvref_t<T>>::convert(std::move(copy));
}

/// Rust's `impl IntoFuture for (A, B, ...)`: a tuple of futures (or Results) becomes
/// their Join. Two or more elements, all with the same Error.
template <IntoFuture T, IntoFuture... Ts>
  requires(sizeof...(Ts) >= 1 &&
           (std::is_same_v<typename IntoFutureT<Ts>::Error, typename IntoFutureT<T>::Error> && ...))
struct IntoFutureTraits<std::tuple<T, Ts...>> {
  using type = future::Join<IntoFutureT<T>, IntoFutureT<Ts>...>;
  static type convert(std::tuple<T, Ts...>&& t) {
    return std::apply(
        [](T&& first, Ts&&... rest) {
          return type(futures::into_future(std::move(first)),
                      futures::into_future(std::move(rest))...);
        },
        std::move(t));
  }
};

}  // namespace futures
