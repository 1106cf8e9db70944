// futures layer: stream Merge (the stream returned by the deprecated `Stream::merge`)
// and MergedItem. Mirrors futures 0.1 `src/stream/merge.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/print.hpp>
#include <futures/stream_ext.hpp>

#include <concepts>
#include <optional>
#include <ostream>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Rust's `enum MergedItem<I1, I2> { First(I1), Second(I2), Both(I1, I2) }`: what a
/// Merge yields when only the first stream, only the second, or both had an item.
///
/// Build with `MergedItem<T, U>::First(t)`, `::Second(u)`, `::Both(t, u)`. Matching, as
/// Rust's `match`, takes one callable per case and returns what the chosen one returns:
/// ```
/// item.match([](T a) { ... },          // First(a)
///            [](U b) { ... },          // Second(b)
///            [](T a, U b) { ... });    // Both(a, b)
/// ```
/// (on an rvalue the values are moved in; on an lvalue they are passed as lvalues).
/// Or test with is_first() / is_second() / is_both() and read first() (the value of
/// First, or the first of Both) and second() (the value of Second, or the second of
/// Both); reading a value the case does not hold is a contract violation.
template <class T, class U>
class MergedItem {
 public:
  static MergedItem First(T t) { return MergedItem(std::move(t), std::nullopt); }
  static MergedItem Second(U u) { return MergedItem(std::nullopt, std::move(u)); }
  static MergedItem Both(T t, U u) { return MergedItem(std::move(t), std::move(u)); }

  bool is_first() const noexcept { return first_ && !second_; }
  bool is_second() const noexcept { return !first_ && second_; }
  bool is_both() const noexcept { return first_ && second_; }

  /// First's value, or the first value of Both.
  T& first() & { return check(first_, "MergedItem::first() called on Second"); }
  const T& first() const& { return check(first_, "MergedItem::first() called on Second"); }
  T first() && { return std::move(check(first_, "MergedItem::first() called on Second")); }
  /// Second's value, or the second value of Both.
  U& second() & { return check(second_, "MergedItem::second() called on First"); }
  const U& second() const& { return check(second_, "MergedItem::second() called on First"); }
  U second() && { return std::move(check(second_, "MergedItem::second() called on First")); }

  /// Calls `on_first(t)`, `on_second(u)` or `on_both(t, u)`, by case; see the class doc.
  template <class FFirst, class FSecond, class FBoth>
  decltype(auto) match(FFirst&& on_first, FSecond&& on_second, FBoth&& on_both) & {
    if (is_both()) return std::forward<FBoth>(on_both)(*first_, *second_);
    if (first_) return std::forward<FFirst>(on_first)(*first_);
    return std::forward<FSecond>(on_second)(*second_);
  }
  template <class FFirst, class FSecond, class FBoth>
  decltype(auto) match(FFirst&& on_first, FSecond&& on_second, FBoth&& on_both) const& {
    if (is_both()) return std::forward<FBoth>(on_both)(*first_, *second_);
    if (first_) return std::forward<FFirst>(on_first)(*first_);
    return std::forward<FSecond>(on_second)(*second_);
  }
  template <class FFirst, class FSecond, class FBoth>
  decltype(auto) match(FFirst&& on_first, FSecond&& on_second, FBoth&& on_both) && {
    if (is_both()) return std::forward<FBoth>(on_both)(std::move(*first_), std::move(*second_));
    if (first_) return std::forward<FFirst>(on_first)(std::move(*first_));
    return std::forward<FSecond>(on_second)(std::move(*second_));
  }

  friend bool operator==(const MergedItem& a, const MergedItem& b)
    requires std::equality_comparable<T> && std::equality_comparable<U>
  {
    return a.first_ == b.first_ && a.second_ == b.second_;
  }
  friend std::ostream& operator<<(std::ostream& os, const MergedItem& m) {
    if (m.is_both()) {
      os << "Both(";
      futures::detail::print_value(os, *m.first_);
      os << ", ";
      futures::detail::print_value(os, *m.second_);
    } else if (m.first_) {
      os << "First(";
      futures::detail::print_value(os, *m.first_);
    } else {
      os << "Second(";
      futures::detail::print_value(os, *m.second_);
    }
    return os << ')';
  }

 private:
  MergedItem(std::optional<T> t, std::optional<U> u) : first_(std::move(t)), second_(std::move(u)) {}
  template <class V>
  static V& check(std::optional<V>& v, const char* msg) {
    if (!v) contract_violation(msg);
    return *v;
  }
  template <class V>
  static const V& check(const std::optional<V>& v, const char* msg) {
    if (!v) contract_violation(msg);
    return *v;
  }

  // The case is which of the two is set: First, Second, or both.
  std::optional<T> first_;
  std::optional<U> second_;
};

/// Interleaves S1 and S2 (same Error): each poll polls both and yields
/// MergedItem::First, ::Second or ::Both with what they had. S1 is always polled first.
/// Ends when both have ended; neither is polled after its own end (both are fused).
/// (Deprecated in futures 0.1 in favour of `select`.)
///
/// Errors: passed on, not terminal. When S1 yields an item in the same poll that S2
/// fails, the item is returned (as First) and S2's error on the next poll.
/// Notifies: nothing itself; NotReady means the streams polled returned NotReady (or
/// ended) and arranged the notification.
template <class S1, class S2>
class Merge : public StreamExt<Merge<S1, S2>> {
  static_assert(std::is_same_v<typename S1::Error, typename S2::Error>,
                "merge(other): both streams must have the same Error; convert one with "
                ".map_err(...) or .from_err<E>()");

 public:
  using Item = MergedItem<typename S1::Item, typename S2::Item>;
  using Error = typename S1::Error;

  Merge(S1 stream1, S2 stream2) : stream1_(std::move(stream1)), stream2_(std::move(stream2)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (queued_error_) {
      Error e = std::move(*queued_error_);
      queued_error_.reset();
      return Err(std::move(e));
    }
    auto polled1 = poll_fused(stream1_, done1_);
    if (polled1.is_err()) return Err(std::move(polled1).unwrap_err());
    if (polled1.unwrap_ref().is_not_ready() || !polled1.unwrap_ref().value()) {
      const bool ended1 = polled1.unwrap_ref().is_ready();
      auto polled2 = poll_fused(stream2_, done2_);
      if (polled2.is_err()) return Err(std::move(polled2).unwrap_err());
      if (polled2.unwrap_ref().is_not_ready()) return NotReady;
      auto item2 = std::move(polled2).unwrap().value();
      if (item2) return Ready(std::optional<Item>(Item::Second(std::move(*item2))));
      if (ended1) return Ready(std::optional<Item>());
      return NotReady;
    }
    auto item1 = std::move(*std::move(polled1).unwrap().value());
    auto polled2 = poll_fused(stream2_, done2_);
    if (polled2.is_err()) {
      queued_error_.emplace(std::move(polled2).unwrap_err());
      return Ready(std::optional<Item>(Item::First(std::move(item1))));
    }
    if (polled2.unwrap_ref().is_ready() && polled2.unwrap_ref().value()) {
      auto item2 = std::move(*std::move(polled2).unwrap().value());
      return Ready(std::optional<Item>(Item::Both(std::move(item1), std::move(item2))));
    }
    return Ready(std::optional<Item>(Item::First(std::move(item1))));
  }

 private:
  template <class S>
  static auto poll_fused(S& stream, bool& done) -> decltype(stream.poll()) {
    if (done) return Ready(std::optional<typename S::Item>());
    auto polled = stream.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_ready() && !polled.unwrap_ref().value())
      done = true;
    return polled;
  }

  S1 stream1_;
  S2 stream2_;
  std::optional<Error> queued_error_;  // S2's error, held back behind S1's item
  bool done1_ = false;                 // S1 ended: never poll it again (Rust's Fuse)
  bool done2_ = false;
};

}  // namespace futures::stream
