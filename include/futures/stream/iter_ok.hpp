// futures layer: stream::iter_ok and IterOk. Mirrors futures 0.1 `src/stream/iter_ok.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <cstddef>
#include <iterator>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>

namespace futures::stream {

namespace detail {

/// A range owned by value plus a position in it: Rust's `IntoIterator::into_iter()`
/// result. Elements are moved out as they are taken. Moving or copying the cursor keeps
/// the position, even for ranges whose iterators point into the range object itself
/// (std::array, small strings): the iterator is re-derived from the number taken unless
/// the range is borrowed (its iterators survive a move of the range, as iota_view's do).
template <class R>
class RangeCursor {
  static_assert(std::ranges::input_range<R>, "iter_ok / iter_result: the argument must be a range");
  static_assert(std::ranges::borrowed_range<R> || std::ranges::forward_range<R>,
                "iter_ok / iter_result: a single-pass range must be a borrowed range (a view "
                "whose iterators outlive it)");

 public:
  using value_type = std::remove_cvref_t<std::ranges::range_reference_t<R>>;

  explicit RangeCursor(R range) : range_(std::move(range)), it_(std::ranges::begin(range_)) {}

  RangeCursor(RangeCursor&& other) noexcept(std::is_nothrow_move_constructible_v<R> &&
                                            (std::ranges::borrowed_range<R> ||
                                             std::ranges::random_access_range<R>))
      : range_(std::move(other.range_)), it_(rebase(other)), taken_(other.taken_) {
    other.forget_position();
  }
  RangeCursor(const RangeCursor& other)
    requires std::is_copy_constructible_v<R>
      : range_(other.range_), it_(rebase(other)), taken_(other.taken_) {}
  RangeCursor& operator=(RangeCursor&& other) {
    if (this != &other) {
      range_ = std::move(other.range_);
      it_ = rebase(other);
      taken_ = other.taken_;
      other.forget_position();
    }
    return *this;
  }
  RangeCursor& operator=(const RangeCursor& other)
    requires std::is_copy_assignable_v<R>
  {
    if (this != &other) {
      range_ = other.range_;
      it_ = rebase(other);
      taken_ = other.taken_;
    }
    return *this;
  }

  /// The next element, moved out of the range; nullopt at the end (and after it).
  std::optional<value_type> next() {
    if (it_ == std::ranges::end(range_)) return std::nullopt;
    std::optional<value_type> v(std::in_place, std::ranges::iter_move(it_));
    ++it_;
    ++taken_;
    return v;
  }

 private:
  using Iter = std::ranges::iterator_t<R>;

  // A moved-from cursor must not keep an iterator into the range it lost: it restarts
  // on what is left of its range (nothing, for a moved-from container).
  void forget_position() noexcept {
    if constexpr (!std::ranges::borrowed_range<R>) {
      it_ = std::ranges::begin(range_);
      taken_ = 0;
    }
  }

  // The position of `other` (whose range was just moved or copied into range_) in range_.
  Iter rebase(const RangeCursor& other) {
    if constexpr (std::ranges::borrowed_range<R>) {
      return other.it_;
    } else {
      return std::ranges::next(std::ranges::begin(range_),
                               static_cast<std::ranges::range_difference_t<R>>(other.taken_));
    }
  }

  R range_;
  Iter it_;
  std::size_t taken_ = 0;  // elements taken so far, to re-derive it_ after a move
};

}  // namespace detail

/// A stream of the elements of a range, each as an Ok item, then the end; never
/// NotReady. Item is the range's value type; Error is `E` (never produced).
///
/// Polling after the end returns Ready(nullopt) again.
template <class R, class E>
class IterOk : public StreamExt<IterOk<R, E>> {
 public:
  using Item = typename detail::RangeCursor<R>::value_type;
  using Error = E;

  explicit IterOk(R range) : cursor_(std::move(range)) {}

  Poll<std::optional<Item>, Error> poll() { return Ready(cursor_.next()); }

 private:
  detail::RangeCursor<R> cursor_;
};

/// Rust's `stream::iter_ok::<_, E>(iterable)`: `R` is any range taken by value (a
/// container, a view such as std::views::iota, a std::ranges::subrange of two
/// iterators): `stream::iter_ok<std::vector<int>, uint32_t>({1, 2, 3})`,
/// `stream::iter_ok(std::move(v))` (Error Unit).
template <class R, class E = Unit>
IterOk<R, E> iter_ok(R range) {
  return IterOk<R, E>(std::move(range));
}

}  // namespace futures::stream
