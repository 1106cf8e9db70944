// futures layer, private: the storage of Result<T, E>, a T or an E and a flag.
//
// What std::variant<T, E> did for Result, with a fraction of its templates: every
// program instantiates Result for a dozen (T, E) pairs, and each std::variant brought
// its storage, constructor, assignment and visitation bases (examples/echo.cpp: 390 ->
// 339 MB of the compiler's memory). Async<T> holds its value here too (T or NotReady,
// instead of a std::optional). The special members are trivial when T's and E's are, as
// with std::variant, so a trivially copyable Poll still travels in registers.
//
// Assigning the other alternative builds it in a temporary first when building it could
// throw, so a throwing copy leaves the old value; a move constructor that throws after
// the old value is gone terminates (std::variant would be valueless_by_exception, a
// state Result does not have).
#pragma once

#include <new>
#include <type_traits>
#include <utility>

namespace futures::detail {

template <class T, class E>
class ResultStorage {
  static constexpr bool kTrivialDtor =
      std::is_trivially_destructible_v<T> && std::is_trivially_destructible_v<E>;
  static constexpr bool kTrivialCopy = kTrivialDtor && std::is_trivially_copy_constructible_v<T> &&
                                       std::is_trivially_copy_constructible_v<E>;
  static constexpr bool kTrivialMove = kTrivialDtor && std::is_trivially_move_constructible_v<T> &&
                                       std::is_trivially_move_constructible_v<E>;
  static constexpr bool kCopyable =
      std::is_copy_constructible_v<T> && std::is_copy_constructible_v<E>;
  static constexpr bool kMovable =
      std::is_move_constructible_v<T> && std::is_move_constructible_v<E>;

 public:
  template <class... A>
  explicit ResultStorage(std::in_place_index_t<0>, A&&... a) : ok_(std::forward<A>(a)...), is_ok_(true) {}
  template <class... A>
  explicit ResultStorage(std::in_place_index_t<1>, A&&... a) : err_(std::forward<A>(a)...), is_ok_(false) {}

  ResultStorage(const ResultStorage&)
    requires kTrivialCopy
  = default;
  ResultStorage(const ResultStorage& o) noexcept(std::is_nothrow_copy_constructible_v<T> &&
                                                 std::is_nothrow_copy_constructible_v<E>)
    requires(!kTrivialCopy && kCopyable)
      : is_ok_(o.is_ok_) {
    if (is_ok_) {
      ::new (static_cast<void*>(&ok_)) T(o.ok_);
    } else {
      ::new (static_cast<void*>(&err_)) E(o.err_);
    }
  }
  ResultStorage(ResultStorage&&)
    requires kTrivialMove
  = default;
  ResultStorage(ResultStorage&& o) noexcept(std::is_nothrow_move_constructible_v<T> &&
                                            std::is_nothrow_move_constructible_v<E>)
    requires(!kTrivialMove && kMovable)
      : is_ok_(o.is_ok_) {
    if (is_ok_) {
      ::new (static_cast<void*>(&ok_)) T(std::move(o.ok_));
    } else {
      ::new (static_cast<void*>(&err_)) E(std::move(o.err_));
    }
  }

  ResultStorage& operator=(const ResultStorage&)
    requires(kTrivialCopy && std::is_trivially_copy_assignable_v<T> &&
             std::is_trivially_copy_assignable_v<E>)
  = default;
  ResultStorage& operator=(const ResultStorage& o)
    requires(!(kTrivialCopy && std::is_trivially_copy_assignable_v<T> &&
               std::is_trivially_copy_assignable_v<E>) &&
             kCopyable && std::is_copy_assignable_v<T> && std::is_copy_assignable_v<E>)
  {
    if (o.is_ok_) {
      assign<true>(o.ok_);
    } else {
      assign<false>(o.err_);
    }
    return *this;
  }
  ResultStorage& operator=(ResultStorage&&)
    requires(kTrivialMove && std::is_trivially_move_assignable_v<T> &&
             std::is_trivially_move_assignable_v<E>)
  = default;
  ResultStorage& operator=(ResultStorage&& o) noexcept(
      std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_constructible_v<E> &&
      std::is_nothrow_move_assignable_v<T> && std::is_nothrow_move_assignable_v<E>)
    requires(!(kTrivialMove && std::is_trivially_move_assignable_v<T> &&
               std::is_trivially_move_assignable_v<E>) &&
             kMovable && std::is_move_assignable_v<T> && std::is_move_assignable_v<E>)
  {
    if (o.is_ok_) {
      assign<true>(std::move(o.ok_));
    } else {
      assign<false>(std::move(o.err_));
    }
    return *this;
  }

  ~ResultStorage()
    requires kTrivialDtor
  = default;
  ~ResultStorage() { destroy(); }

  bool is_ok() const noexcept { return is_ok_; }
  T& ok() noexcept { return ok_; }
  const T& ok() const noexcept { return ok_; }
  E& err() noexcept { return err_; }
  const E& err() const noexcept { return err_; }

 private:
  void destroy() noexcept {
    if (is_ok_) {
      ok_.~T();
    } else {
      err_.~E();
    }
  }
  // Makes the held value `v`, an Ok value if IsOk.
  template <bool IsOk, class V>
  void assign(V&& v) {
    using A = std::conditional_t<IsOk, T, E>;
    if (is_ok_ == IsOk) {
      if constexpr (IsOk) {
        ok_ = std::forward<V>(v);
      } else {
        err_ = std::forward<V>(v);
      }
    } else if constexpr (std::is_nothrow_constructible_v<A, V&&>) {
      replace<IsOk>(std::forward<V>(v));
    } else {
      A tmp(std::forward<V>(v));  // may throw: the old value stays
      replace<IsOk>(std::move(tmp));
    }
  }
  template <bool IsOk, class V>
  void replace(V&& v) noexcept {
    destroy();
    if constexpr (IsOk) {
      ::new (static_cast<void*>(&ok_)) T(std::forward<V>(v));
    } else {
      ::new (static_cast<void*>(&err_)) E(std::forward<V>(v));
    }
    is_ok_ = IsOk;
  }

  union {
    T ok_;
    E err_;
  };
  bool is_ok_;
};

}  // namespace futures::detail
