// futures layer: Async<T>, Poll<T, E>, AsyncSink<T> and FUTURES_TRY_READY.
// Mirrors futures 0.1 `poll.rs` and `try_ready!`.
//
// `futures::Ready(v)` and `futures::NotReady` convert to any `Async<T>` and to any
// `Poll<T, E>`, so a poll function writes `return Ready(42);` / `return NotReady;`.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/result_storage.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures {

/// The tagged value `Ready(v)`.
template <class V>
struct ReadyValue {
  using ok_marker = void;
  V value;
};
/// The tag `NotReady`.
struct NotReadyTag {
  using ok_marker = void;
};
inline constexpr NotReadyTag NotReady{};

template <class V>
ReadyValue<std::decay_t<V>> Ready(V&& v) {
  return {std::forward<V>(v)};
}
/// `Ready(())`.
inline ReadyValue<Unit> Ready() { return {Unit{}}; }

/// Rust's `Async<T>`: a value, or "not ready yet, the current task will be notified".
template <class T>
class [[nodiscard]] Async {
 public:
  using value_type = T;

  static Async Ready(T v) { return Async(std::in_place, std::move(v)); }
  static Async NotReady() { return Async(); }

  Async(NotReadyTag) noexcept : v_(std::in_place_index<1>) {}
  template <class V>
    requires std::is_constructible_v<T, V&&>
  Async(ReadyValue<V>&& r) : v_(std::in_place_index<0>, std::move(r.value)) {}
  template <class V>
    requires std::is_constructible_v<T, const V&>
  Async(const ReadyValue<V>& r) : v_(std::in_place_index<0>, r.value) {}
  /// Rust's `From<T> for Async<T>`: `Ok(v.into())`.
  template <class V>
    requires(!std::is_same_v<Async<T>, std::remove_cvref_t<V>> && std::is_convertible_v<V &&, T> &&
             !detail::OkMarker<V>)
  Async(V&& v) : v_(std::in_place_index<0>, std::forward<V>(v)) {}

  bool is_ready() const noexcept { return v_.is_ok(); }
  bool is_not_ready() const noexcept { return !v_.is_ok(); }

  /// The ready value. Polling code must check is_ready() first.
  const T& value() const& {
    check();
    return v_.ok();
  }
  T& value() & {
    check();
    return v_.ok();
  }
  T value() && {
    check();
    return std::move(v_.ok());
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }

  /// Ready(v) -> Ready(f(v)); NotReady stays NotReady. A void `f` yields Unit.
  template <class F>
  auto map(F&& f) && {
    using R = std::invoke_result_t<F, T&&>;
    using U = std::conditional_t<std::is_void_v<R>, Unit, R>;
    if (!v_.is_ok()) return Async<U>(NotReadyTag{});
    if constexpr (std::is_void_v<R>) {
      std::invoke(std::forward<F>(f), std::move(v_.ok()));
      return Async<U>::Ready(Unit{});
    } else {
      return Async<U>::Ready(std::invoke(std::forward<F>(f), std::move(v_.ok())));
    }
  }
  template <class F>
  auto map(F&& f) const& {
    return Async(*this).map(std::forward<F>(f));
  }

  friend bool operator==(const Async& a, const Async& b)
    requires std::equality_comparable<T>
  {
    return a.v_.is_ok() ? b.v_.is_ok() && a.v_.ok() == b.v_.ok() : !b.v_.is_ok();
  }
  friend bool operator==(const Async& a, NotReadyTag) { return !a.v_.is_ok(); }
  template <class V>
  friend bool operator==(const Async& a, const ReadyValue<V>& b) {
    return a.v_.is_ok() && a.v_.ok() == b.value;
  }
  friend std::ostream& operator<<(std::ostream& os, const Async& a) {
    if (!a.v_.is_ok()) return os << "NotReady";
    os << "Ready(";
    detail::print_value(os, a.v_.ok());
    return os << ')';
  }

 private:
  Async() noexcept : v_(std::in_place_index<1>) {}
  template <class... A>
  explicit Async(std::in_place_t, A&&... a) : v_(std::in_place_index<0>, std::forward<A>(a)...) {}
  void check() const {
    if (!v_.is_ok()) contract_violation("Async::value() called on NotReady");
  }

  // The value, or NotReady. Result's storage rather than std::optional: fewer templates
  // for the compiler to instantiate in every Poll type.
  detail::ResultStorage<T, NotReadyTag> v_;
};

inline std::ostream& operator<<(std::ostream& os, NotReadyTag) { return os << "NotReady"; }
template <class V>
std::ostream& operator<<(std::ostream& os, const ReadyValue<V>& r) {
  os << "Ready(";
  detail::print_value(os, r.value);
  return os << ')';
}

/// Rust's `Poll<T, E>`: Ok(Ready(v)), Ok(NotReady) or Err(e).
template <class T, class E>
using Poll = Result<Async<T>, E>;

/// Rust's `AsyncSink<T>`: the item was accepted (Ready) or handed back (NotReady(item)).
template <class T>
class [[nodiscard]] AsyncSink {
 public:
  static AsyncSink Ready() { return AsyncSink(); }
  static AsyncSink NotReady(T item) { return AsyncSink(std::move(item)); }

  bool is_ready() const noexcept { return !item_.has_value(); }
  bool is_not_ready() const noexcept { return item_.has_value(); }

  /// The handed-back item of NotReady(item).
  T item() && {
    if (!item_) contract_violation("AsyncSink::item() called on Ready");
    return std::move(*item_);
  }
  const T& item() const& {
    if (!item_) contract_violation("AsyncSink::item() called on Ready");
    return *item_;
  }

  template <class F>
  auto map(F&& f) && {
    using U = std::invoke_result_t<F, T&&>;
    if (!item_) return AsyncSink<U>::Ready();
    return AsyncSink<U>::NotReady(std::invoke(std::forward<F>(f), std::move(*item_)));
  }

  friend bool operator==(const AsyncSink& a, const AsyncSink& b)
    requires std::equality_comparable<T>
  {
    return a.item_ == b.item_;
  }
  friend std::ostream& operator<<(std::ostream& os, const AsyncSink& a) {
    if (!a.item_) return os << "Ready";
    os << "NotReady(";
    detail::print_value(os, *a.item_);
    return os << ')';
  }

 private:
  AsyncSink() = default;
  explicit AsyncSink(T item) : item_(std::move(item)) {}
  std::optional<T> item_;
};

/// Rust's `StartSend<T, E>`.
template <class T, class E>
using StartSend = Result<AsyncSink<T>, E>;

namespace detail {
template <class P>
struct PollTraits;
template <class T, class E>
struct PollTraits<Result<Async<T>, E>> {
  using Item = T;
  using Error = E;
};
}  // namespace detail

}  // namespace futures

/// Rust's `try_ready!`: evaluates a Poll; returns NotReady or Err(e) from the enclosing
/// function, else yields the ready value. The enclosing function must return a Poll (or
/// a Result whose error converts from the expression's error).
#define FUTURES_TRY_READY(...)                                                              \
  __extension__({                                                                           \
    auto futures_try_ready_poll_ = (__VA_ARGS__);                                           \
    if (futures_try_ready_poll_.is_err())                                                   \
      return ::futures::Err(std::move(futures_try_ready_poll_).unwrap_err());               \
    if (futures_try_ready_poll_.unwrap_ref().is_not_ready()) return ::futures::NotReady;    \
    std::move(futures_try_ready_poll_).unwrap().value();                                    \
  })
