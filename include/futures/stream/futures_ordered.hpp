// futures layer: FuturesOrdered<F> and stream::futures_ordered(iterable). Mirrors futures
// 0.1 `src/stream/futures_ordered.rs`.
//
// Built as in Rust: each pushed future is tagged with its push index and run in a
// FuturesUnordered; results that finish ahead of their turn wait in a min-heap keyed by
// index until every earlier one has been yielded.
#pragma once

#include <futures/future/concept.hpp>
#include <futures/poll.hpp>
#include <futures/stream/futures_unordered.hpp>
#include <futures/stream_ext.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace futures::stream {

namespace detail {

/// A result tagged with the push index of its future (Rust's `OrderWrapper<T::Item>`).
/// `item` is empty for a future that failed: its error was yielded at once, and the
/// empty entry only marks its turn as taken.
template <class T>
struct OrderWrapper {
  std::optional<T> item;
  std::size_t index;

  OrderWrapper(std::optional<T> i, std::size_t idx) : item(std::move(i)), index(idx) {}
  OrderWrapper(OrderWrapper&&) = default;
  // Rebuilds the item instead of assigning it, so items that are only move-constructible
  // (futures holding lambdas, ...) still work in the heap.
  OrderWrapper& operator=(OrderWrapper&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      item.reset();
      if (other.item) item.emplace(std::move(*other.item));
      index = other.index;
    }
    return *this;
  }
};

/// Heap order: the smallest index on top (Rust reverses Ord for its max-heap).
struct LaterIndexFirst {
  template <class T>
  bool operator()(const OrderWrapper<T>& a, const OrderWrapper<T>& b) const noexcept {
    return a.index > b.index;
  }
};

/// F tagged with its push index (Rust's `OrderWrapper<T>` as a Future). The error
/// carries the index too, so FuturesOrdered can mark that turn as taken.
template <class F>
class OrderedFuture {
 public:
  using Item = OrderWrapper<typename F::Item>;
  using Error = std::tuple<typename F::Error, std::size_t>;

  OrderedFuture(F future, std::size_t index) : future_(std::move(future)), index_(index) {}

  Poll<Item, Error> poll() {
    auto polled = future_.poll();
    if (polled.is_err()) return Err(Error(std::move(polled).unwrap_err(), index_));
    if (polled.unwrap_ref().is_not_ready()) return NotReady;
    return Ready(Item(std::optional<typename F::Item>(std::move(polled).unwrap().value()), index_));
  }

  F& get_mut() noexcept { return future_; }

 private:
  F future_;
  std::size_t index_;
};

}  // namespace detail

/// A set of futures yielding their results in the order the futures were pushed
/// (Rust's `FuturesOrdered`). Item = F::Item, Error = F::Error.
///
/// Every future runs concurrently (in a FuturesUnordered); a result that is ready
/// before its turn is kept until every earlier future has been yielded. `poll` returns
/// Ready(item) of the next future in push order, NotReady if that one is not done yet,
/// and Ready(nullopt) when nothing is in flight or waiting (more may be pushed later).
///
/// Errors: a future's error is yielded as soon as it happens (out of order, as Rust),
/// and that future's turn is then skipped. (futures 0.1.31 forgets the turn and stalls
/// forever on the next result; this does not.)
///
/// Notifies: as FuturesUnordered (the polling task, when a future is notified).
/// Allocates: per future as FuturesUnordered, plus the vector of waiting results.
/// Aborts: polling outside a task is a contract violation.
template <class F>
class FuturesOrdered : public StreamExt<FuturesOrdered<F>> {
  using Wrapped = detail::OrderedFuture<F>;
  using Waiting = detail::OrderWrapper<typename F::Item>;

 public:
  using Item = typename F::Item;
  using Error = typename F::Error;

  /// An empty set (Rust's `FuturesOrdered::new()`).
  FuturesOrdered() = default;
  FuturesOrdered(FuturesOrdered&&) noexcept = default;
  FuturesOrdered& operator=(FuturesOrdered&&) noexcept = default;

  /// Rust's `FromIterator`: a set of the futures of `iterable` (each converted to F),
  /// taken by value, in iteration order.
  template <class I>
    requires std::ranges::input_range<I> && std::is_constructible_v<F, std::ranges::range_value_t<I>&&>
  static FuturesOrdered from_iter(I iterable) {
    FuturesOrdered set;
    for (auto&& elem : iterable) set.push(F(std::move(elem)));
    return set;
  }

  /// Futures in flight plus results waiting for their turn.
  std::size_t len() const noexcept {
    return in_progress_.len() + queued_results_.size() - skipped_turns_;
  }
  /// True when nothing is in flight or waiting.
  bool is_empty() const noexcept { return len() == 0; }

  /// Adds `future` as the last in order. It is not polled now (see FuturesUnordered::push).
  void push(F future) {
    in_progress_.push(Wrapped(std::move(future), next_incoming_index_));
    ++next_incoming_index_;
  }

  Poll<std::optional<Item>, Error> poll() {
    for (;;) {
      auto polled = in_progress_.poll();
      if (polled.is_err()) {
        auto [error, index] = std::move(polled).unwrap_err();
        if (index == next_outgoing_index_) {
          ++next_outgoing_index_;
        } else {
          queue_result(Waiting(std::nullopt, index));  // its turn, with nothing to give
          ++skipped_turns_;
        }
        return Err(std::move(error));
      }
      auto ready = std::move(polled).unwrap();
      if (ready.is_not_ready()) break;
      std::optional<Waiting> result = std::move(ready).value();
      if (!result) break;
      queue_result(std::move(*result));
    }

    for (;;) {
      if (queued_results_.empty()) {
        if (!in_progress_.is_empty()) return NotReady;
        return Ready(std::optional<Item>());
      }
      if (queued_results_.front().index != next_outgoing_index_) return NotReady;
      std::pop_heap(queued_results_.begin(), queued_results_.end(), detail::LaterIndexFirst{});
      Waiting next = std::move(queued_results_.back());
      queued_results_.pop_back();
      ++next_outgoing_index_;
      if (next.item) return Ready(std::optional<Item>(std::move(*next.item)));
      --skipped_turns_;  // a failed future's turn: skip it
    }
  }

 private:
  void queue_result(Waiting w) {
    queued_results_.push_back(std::move(w));
    std::push_heap(queued_results_.begin(), queued_results_.end(), detail::LaterIndexFirst{});
  }

  FuturesUnordered<Wrapped> in_progress_;
  std::vector<Waiting> queued_results_;  // a min-heap by index
  std::size_t next_incoming_index_ = 0;
  std::size_t next_outgoing_index_ = 0;
  std::size_t skipped_turns_ = 0;  // entries of queued_results_ without an item
};

/// A FuturesOrdered of the futures (or Results) of `iterable`, taken by value, in
/// iteration order (Rust's `stream::futures_ordered`).
template <class I>
  requires std::ranges::input_range<I> && IntoFuture<std::ranges::range_value_t<I>>
auto futures_ordered(I iterable) {
  FuturesOrdered<IntoFutureT<std::ranges::range_value_t<I>>> set;
  for (auto&& elem : iterable) set.push(futures::into_future(std::move(elem)));
  return set;
}

}  // namespace futures::stream
