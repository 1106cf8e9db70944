// futures layer: Either<L, R>, a value that is one of two types. Mirrors futures 0.1
// `src/future/either.rs`.
//
// Either is a value type (PORTING "values" rule): it copies when L and R do, and its
// accessors work on lvalues (a reference) and on rvalues (moving out). When L and R are
// both futures with the same Item and Error, Either is itself a future (it derives from
// FutureExt and has every combinator); when both are such streams, it is a stream.
// Otherwise it is a plain value: the base class is chosen by a condition, so
// `Either<int, std::string>` carries no future machinery.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/print.hpp>
#include <futures/future/concept.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/stream_ext.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::future {

namespace detail {

/// Both sides are futures with one Item and one Error: Either is a Future.
template <class L, class R>
concept EitherOfFutures =
    Future<L> && Future<R> && std::same_as<typename L::Item, typename R::Item> &&
    std::same_as<typename L::Error, typename R::Error>;

/// Both sides are streams with one Item and one Error (and not futures): a Stream.
template <class L, class R>
concept EitherOfStreams = !EitherOfFutures<L, R> && Stream<L> && Stream<R> &&
                          std::same_as<typename L::Item, typename R::Item> &&
                          std::same_as<typename L::Error, typename R::Error>;

/// The base of Either: nothing for plain values, FutureExt / StreamExt (with Item and
/// Error) when Either is a future / stream.
template <class Self, class L, class R>
struct EitherBase {};

template <class Self, class L, class R>
  requires EitherOfFutures<L, R>
struct EitherBase<Self, L, R> : FutureExt<Self> {
  using Item = typename L::Item;
  using Error = typename L::Error;
};

template <class Self, class L, class R>
  requires EitherOfStreams<L, R>
struct EitherBase<Self, L, R> : StreamExt<Self> {
  using Item = typename L::Item;
  using Error = typename L::Error;
};

template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::tuple<A, B>> : std::true_type {};

/// `Either<(T, A), (T, B)>`: both sides are 2-tuples with the same first type.
template <class L, class R>
concept Splittable = IsPair<L>::value && IsPair<R>::value &&
    std::same_as<std::tuple_element_t<0, L>, std::tuple_element_t<0, R>>;

}  // namespace detail

/// One of two values: `A(l)` or `B(r)` (Rust's `enum Either<A, B> { A(A), B(B) }`;
/// the type parameters are named L and R here because A and B are the constructors).
///
/// Make one with `Either<L, R>::A(v)` / `Either<L, R>::B(v)`; inspect it with is_a(),
/// is_b(), a(), b() or visit(f). As a future (L and R futures with the same Item and
/// Error) it polls whichever side it holds.
///
/// Aborts: a() on a B value, or b() on an A value, is a contract violation.
template <class L, class R>
class Either : public detail::EitherBase<Either<L, R>, L, R> {
 public:
  static Either A(L v) { return Either(std::in_place_index<0>, std::move(v)); }
  static Either B(R v) { return Either(std::in_place_index<1>, std::move(v)); }

  bool is_a() const noexcept { return v_.index() == 0; }
  bool is_b() const noexcept { return v_.index() == 1; }

  /// The A value, in place (`auto v = e.a();` copies it).
  const L& a() const& {
    check(0, "Either::a() called on a B value");
    return std::get<0>(v_);
  }
  L& a() & {
    check(0, "Either::a() called on a B value");
    return std::get<0>(v_);
  }
  /// The A value, moved out.
  L a() && {
    check(0, "Either::a() called on a B value");
    return std::move(std::get<0>(v_));
  }
  /// The B value, in place.
  const R& b() const& {
    check(1, "Either::b() called on an A value");
    return std::get<1>(v_);
  }
  R& b() & {
    check(1, "Either::b() called on an A value");
    return std::get<1>(v_);
  }
  /// The B value, moved out.
  R b() && {
    check(1, "Either::b() called on an A value");
    return std::move(std::get<1>(v_));
  }

  /// Calls `f` with the value held (Rust's `match`): `f(L&)` or `f(R&)` (const on a
  /// const Either, rvalues on an rvalue Either). visit returns the common type of the
  /// two calls' results (void if both are void).
  template <class F>
  decltype(auto) visit(F&& f) & {
    return visit_impl(*this, std::forward<F>(f));
  }
  template <class F>
  decltype(auto) visit(F&& f) const& {
    return visit_impl(*this, std::forward<F>(f));
  }
  template <class F>
  decltype(auto) visit(F&& f) && {
    return visit_impl(std::move(*this), std::forward<F>(f));
  }

  /// `Either<(T, X), (T, Y)>` -> `(T, Either<X, Y>)`: splits out the common first
  /// element (typically select2's result).
  auto split() &&
    requires detail::Splittable<L, R>
  {
    using T = std::tuple_element_t<0, L>;
    using X = std::tuple_element_t<1, L>;
    using Y = std::tuple_element_t<1, R>;
    using Out = std::tuple<T, Either<X, Y>>;
    if (is_a()) {
      auto& [t, x] = std::get<0>(v_);
      return Out(std::move(t), Either<X, Y>::A(std::move(x)));
    }
    auto& [t, y] = std::get<1>(v_);
    return Out(std::move(t), Either<X, Y>::B(std::move(y)));
  }
  auto split() const&
    requires detail::Splittable<L, R> && std::copy_constructible<L> && std::copy_constructible<R>
  {
    return Either(*this).split();
  }

  /// Polls the future held (when Either is a future).
  auto poll()
    requires detail::EitherOfFutures<L, R>
  {
    if (is_a()) return std::get<0>(v_).poll();
    return std::get<1>(v_).poll();
  }
  /// Polls the stream held (when Either is a stream).
  auto poll()
    requires detail::EitherOfStreams<L, R>
  {
    if (is_a()) return std::get<0>(v_).poll();
    return std::get<1>(v_).poll();
  }

  friend bool operator==(const Either& x, const Either& y)
    requires std::equality_comparable<L> && std::equality_comparable<R>
  {
    return x.v_ == y.v_;
  }

  /// Prints `A(v)` or `B(v)`.
  friend std::ostream& operator<<(std::ostream& os, const Either& e) {
    if (e.is_a()) {
      os << "A(";
      futures::detail::print_value(os, std::get<0>(e.v_));
    } else {
      os << "B(";
      futures::detail::print_value(os, std::get<1>(e.v_));
    }
    return os << ')';
  }

 private:
  template <std::size_t I, class V>
  Either(std::in_place_index_t<I> tag, V&& v) : v_(tag, std::forward<V>(v)) {}

  void check(std::size_t index, const char* message) const {
    if (v_.index() != index) contract_violation(message);
  }

  template <class Self, class F>
  static decltype(auto) visit_impl(Self&& self, F&& f) {
    using RA = std::invoke_result_t<F, decltype(std::get<0>(std::forward<Self>(self).v_))>;
    using RB = std::invoke_result_t<F, decltype(std::get<1>(std::forward<Self>(self).v_))>;
    using Ret = std::common_type_t<RA, RB>;
    if (self.is_a())
      return static_cast<Ret>(
          std::invoke(std::forward<F>(f), std::get<0>(std::forward<Self>(self).v_)));
    return static_cast<Ret>(
        std::invoke(std::forward<F>(f), std::get<1>(std::forward<Self>(self).v_)));
  }

  std::variant<L, R> v_;
};

}  // namespace futures::future

namespace futures {
using future::Either;
}  // namespace futures
