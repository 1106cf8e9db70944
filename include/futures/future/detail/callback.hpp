// futures layer (internal): calling user callbacks the way the porting contract says.
//
//  - A callback returning void produces Unit.
//  - A callback given a std::tuple may take the tuple whole or its elements.
//  - A callback given Unit may take Unit or nothing.
//  - Where Rust takes IntoFuture, the callback may return a future, a Result, or void
//    (success with Unit, with the error type the combinator requires).
#pragma once

#include <futures/future/concept.hpp>
#include <futures/unit.hpp>

#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::detail {

template <class T>
struct IsTuple : std::false_type {};
template <class... T>
struct IsTuple<std::tuple<T...>> : std::true_type {};

template <class F, class V>
struct ApplyInvocable : std::false_type {};
template <class F, class... T>
struct ApplyInvocable<F, std::tuple<T...>> : std::is_invocable<F, T...> {};

/// True if `f(v)` can be called under the rules above.
template <class F, class V>
concept CallableWith =
    std::is_invocable_v<F, V> ||
    (IsTuple<std::remove_cvref_t<V>>::value && ApplyInvocable<F, std::remove_cvref_t<V>>::value) ||
    (std::is_same_v<std::remove_cvref_t<V>, Unit> && std::is_invocable_v<F>);

/// Calls `f` with `v` (whole, spread, or nothing for Unit), as the rules say.
template <class F, class V>
decltype(auto) call_raw(F&& f, V&& v) {
  if constexpr (std::is_invocable_v<F, V>) {
    return std::invoke(std::forward<F>(f), std::forward<V>(v));
  } else if constexpr (std::is_same_v<std::remove_cvref_t<V>, Unit>) {
    return std::invoke(std::forward<F>(f));
  } else {
    return std::apply(std::forward<F>(f), std::forward<V>(v));
  }
}

/// What call_raw returns.
template <class F, class V>
using CallRawResult = decltype(call_raw(std::declval<F>(), std::declval<V>()));

/// call_raw, with void turned into Unit.
template <class F, class V>
auto call(F&& f, V&& v) {
  if constexpr (std::is_void_v<CallRawResult<F, V>>) {
    call_raw(std::forward<F>(f), std::forward<V>(v));
    return Unit{};
  } else {
    return call_raw(std::forward<F>(f), std::forward<V>(v));
  }
}

/// What call returns (void becomes Unit).
template <class F, class V>
using CallResult = decltype(call(std::declval<F>(), std::declval<V>()));

/// The future a callback result `R` becomes; void becomes an immediately ready
/// `FutureResult<Unit, VoidError>`.
template <class R, class VoidError>
struct CallbackFutureImpl {
  using type = IntoFutureT<R>;
};
template <class VoidError>
struct CallbackFutureImpl<void, VoidError> {
  using type = future::FutureResult<Unit, VoidError>;
};

/// True if a callback returning `R` can continue a future chain.
template <class R>
concept CallbackReturn = std::is_void_v<R> || IntoFuture<R>;

template <class F, class V, class VoidError>
using CallbackFuture = typename CallbackFutureImpl<CallRawResult<F, V>, VoidError>::type;

/// Calls `f(v)` and converts what it returns into a future.
template <class VoidError, class F, class V>
CallbackFuture<F, V, VoidError> call_future(F&& f, V&& v) {
  using R = CallRawResult<F, V>;
  if constexpr (std::is_void_v<R>) {
    call_raw(std::forward<F>(f), std::forward<V>(v));
    return future::FutureResult<Unit, VoidError>(Result<Unit, VoidError>(Ok(Unit{})));
  } else {
    return into_future(call_raw(std::forward<F>(f), std::forward<V>(v)));
  }
}

}  // namespace futures::detail
