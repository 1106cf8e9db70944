// futures layer: Result<T, E>, Rust's `Result` with the methods ports rely on.
//
// `futures::Ok(v)` and `futures::Err(e)` build tagged values that convert to any
// Result whose T (or E) can be constructed from them, so `return Ok(1);` reads as in
// Rust. Result is a value type: accessors work on lvalues (copying) and on rvalues
// (moving). `unwrap()` on an Err throws futures::Panic, as Rust panics.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/print.hpp>
#include <futures/detail/result_storage.hpp>
#include <futures/unit.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace futures {

/// The tagged success value `Ok(v)`; converts to any `Result<T, E>` with T from V.
template <class V>
struct OkValue {
  V value;
};
/// The tagged error value `Err(e)`; converts to any `Result<T, E>` with E from V.
template <class V>
struct ErrValue {
  V value;
};

template <class V>
OkValue<std::decay_t<V>> Ok(V&& v) {
  return {std::forward<V>(v)};
}
/// `Ok(())`.
inline OkValue<Unit> Ok() { return {Unit{}}; }
template <class V>
ErrValue<std::decay_t<V>> Err(V&& e) {
  return {std::forward<V>(e)};
}

namespace detail {
/// Values that stand for "Ok(something)" without naming the Result type: Ready(v),
/// NotReady, AsyncSink markers. They declare `using ok_marker = void;`.
template <class M>
concept OkMarker = requires { typename std::remove_cvref_t<M>::ok_marker; };

template <class R>
struct IsResult : std::false_type {};

[[noreturn]] inline void unwrap_failed(std::string_view method, std::string_view what,
                                       const std::string& shown) {
  std::string msg(method);
  msg += what;
  msg += shown;
  throw Panic(msg);
}
}  // namespace detail

template <class T, class E>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T> && !std::is_reference_v<E>,
                "Result<T, E> holds values; use std::reference_wrapper or a pointer for references");

 public:
  using value_type = T;
  using error_type = E;

  template <class V>
    requires std::is_constructible_v<T, V&&>
  Result(OkValue<V>&& ok) : v_(std::in_place_index<0>, std::move(ok.value)) {}
  template <class V>
    requires std::is_constructible_v<T, const V&>
  Result(const OkValue<V>& ok) : v_(std::in_place_index<0>, ok.value) {}
  template <class V>
    requires std::is_constructible_v<E, V&&>
  Result(ErrValue<V>&& err) : v_(std::in_place_index<1>, std::move(err.value)) {}
  template <class V>
    requires std::is_constructible_v<E, const V&>
  Result(const ErrValue<V>& err) : v_(std::in_place_index<1>, err.value) {}
  template <detail::OkMarker M>
    requires std::is_constructible_v<T, M&&>
  Result(M&& marker) : v_(std::in_place_index<0>, std::forward<M>(marker)) {}
  /// Converts Result<T2, E2> when both sides convert (Rust's `?` with `From`).
  template <class T2, class E2>
    requires(!std::is_same_v<Result<T2, E2>, Result> && std::is_constructible_v<T, T2 &&> &&
             std::is_constructible_v<E, E2 &&>)
  Result(Result<T2, E2>&& other)
      : v_(other.is_ok() ? Storage(std::in_place_index<0>, std::move(other).unwrap())
                         : Storage(std::in_place_index<1>, std::move(other).unwrap_err())) {}

  bool is_ok() const noexcept { return v_.is_ok(); }
  bool is_err() const noexcept { return !v_.is_ok(); }

  T unwrap() const& {
    check_ok("called `Result::unwrap()` on an `Err` value: ");
    return ok_unchecked();
  }
  T unwrap() && {
    check_ok("called `Result::unwrap()` on an `Err` value: ");
    return std::move(ok_unchecked());
  }
  T expect(std::string_view msg) const& {
    if (!is_ok()) [[unlikely]] fail_ok(msg, ": ");
    return ok_unchecked();
  }
  T expect(std::string_view msg) && {
    if (!is_ok()) [[unlikely]] fail_ok(msg, ": ");
    return std::move(ok_unchecked());
  }
  E unwrap_err() const& {
    check_err("called `Result::unwrap_err()` on an `Ok` value: ");
    return err_unchecked();
  }
  E unwrap_err() && {
    check_err("called `Result::unwrap_err()` on an `Ok` value: ");
    return std::move(err_unchecked());
  }
  E expect_err(std::string_view msg) const& {
    if (!is_err()) [[unlikely]] fail_err(msg, ": ");
    return err_unchecked();
  }
  E expect_err(std::string_view msg) && {
    if (!is_err()) [[unlikely]] fail_err(msg, ": ");
    return std::move(err_unchecked());
  }
  T unwrap_or(T fallback) const& { return is_ok() ? ok_unchecked() : std::move(fallback); }
  T unwrap_or(T fallback) && { return is_ok() ? std::move(ok_unchecked()) : std::move(fallback); }

  /// The success value in place, without copying. Panics (throws) on Err.
  [[gnu::always_inline]] const T& unwrap_ref() const& {
    check_ok("called `Result::unwrap_ref()` on an `Err` value: ");
    return ok_unchecked();
  }
  [[gnu::always_inline]] T& unwrap_ref() & {
    check_ok("called `Result::unwrap_ref()` on an `Err` value: ");
    return ok_unchecked();
  }
  /// The error value in place, without copying. Panics (throws) on Ok.
  [[gnu::always_inline]] const E& unwrap_err_ref() const& {
    check_err("called `Result::unwrap_err_ref()` on an `Ok` value: ");
    return err_unchecked();
  }
  [[gnu::always_inline]] E& unwrap_err_ref() & {
    check_err("called `Result::unwrap_err_ref()` on an `Ok` value: ");
    return err_unchecked();
  }

  std::optional<T> ok() const& { return is_ok() ? std::optional<T>(ok_unchecked()) : std::nullopt; }
  std::optional<T> ok() && {
    return is_ok() ? std::optional<T>(std::move(ok_unchecked())) : std::nullopt;
  }
  std::optional<E> err() const& { return is_err() ? std::optional<E>(err_unchecked()) : std::nullopt; }
  std::optional<E> err() && {
    return is_err() ? std::optional<E>(std::move(err_unchecked())) : std::nullopt;
  }

  /// Ok(v) -> Ok(f(v)); Err passes through. A void `f` yields Unit.
  template <class F>
  auto map(F&& f) const& {
    return Result(*this).map(std::forward<F>(f));
  }
  template <class F>
  auto map(F&& f) && {
    using U = detail_invoke_t<F, T>;
    if (is_err()) return Result<U, E>(Err(std::move(err_unchecked())));
    if constexpr (std::is_void_v<std::invoke_result_t<F, T&&>>) {
      std::invoke(std::forward<F>(f), std::move(ok_unchecked()));
      return Result<U, E>(Ok(Unit{}));
    } else {
      return Result<U, E>(Ok(std::invoke(std::forward<F>(f), std::move(ok_unchecked()))));
    }
  }
  /// Err(e) -> Err(f(e)); Ok passes through. A void `f` yields Unit.
  template <class F>
  auto map_err(F&& f) const& {
    return Result(*this).map_err(std::forward<F>(f));
  }
  template <class F>
  auto map_err(F&& f) && {
    using U = detail_invoke_t<F, E>;
    if (is_ok()) return Result<T, U>(Ok(std::move(ok_unchecked())));
    if constexpr (std::is_void_v<std::invoke_result_t<F, E&&>>) {
      std::invoke(std::forward<F>(f), std::move(err_unchecked()));
      return Result<T, U>(Err(Unit{}));
    } else {
      return Result<T, U>(Err(std::invoke(std::forward<F>(f), std::move(err_unchecked()))));
    }
  }
  /// Ok(v) -> f(v), which returns a Result with the same error type.
  template <class F>
  auto and_then(F&& f) const& {
    return Result(*this).and_then(std::forward<F>(f));
  }
  template <class F>
  auto and_then(F&& f) && {
    using R = std::invoke_result_t<F, T&&>;
    static_assert(detail::IsResult<R>::value, "Result::and_then: the callback must return a Result");
    static_assert(std::is_same_v<typename R::error_type, E>,
                  "Result::and_then: the callback's Result must have the same error type");
    if (is_err()) return R(Err(std::move(err_unchecked())));
    return std::invoke(std::forward<F>(f), std::move(ok_unchecked()));
  }
  /// Err(e) -> f(e), which returns a Result with the same value type.
  template <class F>
  auto or_else(F&& f) && {
    using R = std::invoke_result_t<F, E&&>;
    static_assert(detail::IsResult<R>::value, "Result::or_else: the callback must return a Result");
    if (is_ok()) return R(Ok(std::move(ok_unchecked())));
    return std::invoke(std::forward<F>(f), std::move(err_unchecked()));
  }

  friend bool operator==(const Result& a, const Result& b)
    requires std::equality_comparable<T> && std::equality_comparable<E>
  {
    return a.is_ok() ? b.is_ok() && a.ok_unchecked() == b.ok_unchecked()
                     : b.is_err() && a.err_unchecked() == b.err_unchecked();
  }
  template <class V>
  friend bool operator==(const Result& a, const OkValue<V>& b) {
    return a.is_ok() && a.ok_unchecked() == b.value;
  }
  template <class V>
  friend bool operator==(const Result& a, const ErrValue<V>& b) {
    return a.is_err() && a.err_unchecked() == b.value;
  }
  template <detail::OkMarker M>
  friend bool operator==(const Result& a, const M& marker)
    requires requires(const T& t) { t == marker; }
  {
    return a.is_ok() && a.ok_unchecked() == marker;
  }

  friend std::ostream& operator<<(std::ostream& os, const Result& r) {
    if (r.is_ok()) {
      os << "Ok(";
      detail::print_value(os, r.ok_unchecked());
    } else {
      os << "Err(";
      detail::print_value(os, r.err_unchecked());
    }
    return os << ')';
  }

 private:
  template <class F, class A>
  using detail_invoke_t = std::conditional_t<std::is_void_v<std::invoke_result_t<F, A&&>>, Unit,
                                             std::invoke_result_t<F, A&&>>;

  // The checks stay small enough to inline into every unwrap; the message is built out of
  // line, on the failure path only.
  // Always inline (with unwrap_ref / unwrap_err_ref): once Result stopped being a
  // std::variant, GCC kept unwrap_ref out of line in TaskCell::poll, and current_thread
  // chained_spawn went 23 -> 27 ns/op.
  [[gnu::always_inline]] void check_ok(std::string_view what) const {
    if (!is_ok()) [[unlikely]] fail_ok(what, "");
  }
  [[gnu::always_inline]] void check_err(std::string_view what) const {
    if (!is_err()) [[unlikely]] fail_err(what, "");
  }
  [[gnu::cold, gnu::noinline]] void fail_ok(std::string_view what, std::string_view sep) const {
    detail::unwrap_failed(what, sep, show_err());
  }
  [[gnu::cold, gnu::noinline]] void fail_err(std::string_view what, std::string_view sep) const {
    detail::unwrap_failed(what, sep, show_ok());
  }
  // The values, once a check has said which one is there.
  T& ok_unchecked() noexcept { return v_.ok(); }
  const T& ok_unchecked() const noexcept { return v_.ok(); }
  E& err_unchecked() noexcept { return v_.err(); }
  const E& err_unchecked() const noexcept { return v_.err(); }
  std::string show_ok() const { return detail::show(v_.ok()); }
  std::string show_err() const { return detail::show(v_.err()); }

  using Storage = detail::ResultStorage<T, E>;
  Storage v_;
};

namespace detail {
template <class T, class E>
struct IsResult<Result<T, E>> : std::true_type {};
}  // namespace detail

template <class V>
std::ostream& operator<<(std::ostream& os, const OkValue<V>& v) {
  os << "Ok(";
  detail::print_value(os, v.value);
  return os << ')';
}
template <class V>
std::ostream& operator<<(std::ostream& os, const ErrValue<V>& v) {
  os << "Err(";
  detail::print_value(os, v.value);
  return os << ')';
}

}  // namespace futures
