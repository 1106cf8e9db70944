// futures layer: stream::SelectAll<S> and stream::select_all(iterable). futures 0.1.31 has
// no stream::select_all (only future::select_all); this mirrors futures 0.3
// `src/stream/select_all.rs`, adapted to 0.1 streams that can fail: a FuturesUnordered of
// StreamFutures (Stream::into_future), each stream pushed back after every event.
#pragma once

#include <futures/poll.hpp>
#include <futures/stream/futures_unordered.hpp>
#include <futures/stream/into_future.hpp>
#include <futures/stream_ext.hpp>

#include <cstddef>
#include <optional>
#include <ranges>
#include <tuple>
#include <utility>

namespace futures::stream {

/// Merges any number of streams of the same type into one, yielding each item or error
/// as soon as its stream produces it (futures 0.3's `SelectAll`; not in futures 0.1.31).
/// Item = S::Item, Error = S::Error.
///
/// Only streams that were notified are polled again. A stream's error is passed on and
/// the stream stays in the set (stream errors are not terminal); a stream that ends is
/// destroyed. `poll` returns Ready(nullopt) when no stream is left, which is not final:
/// `push` may add streams later.
///
/// Notifies: the polling task, when one of the streams is notified (as FuturesUnordered).
/// Allocates: one FuturesUnordered node per stream event (the stream moves into a new
/// StreamFuture after each item), as futures 0.3 does.
/// Aborts: polling outside a task is a contract violation.
template <class S>
class SelectAll : public StreamExt<SelectAll<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  /// An empty set of streams (futures 0.3's `SelectAll::new()`).
  SelectAll() = default;

  /// The number of streams in the set.
  std::size_t len() const noexcept { return inner_.len(); }
  /// True if the set holds no stream.
  bool is_empty() const noexcept { return inner_.is_empty(); }

  /// Adds `stream`. It is not polled now: the next `poll` will.
  void push(S stream) { inner_.push(StreamFuture<S>(std::move(stream))); }

  Poll<std::optional<Item>, Error> poll() {
    for (;;) {
      auto polled = inner_.poll();
      if (polled.is_err()) {
        auto [error, rest] = std::move(polled).unwrap_err();
        push(std::move(rest));
        return Err(std::move(error));
      }
      auto ready = std::move(polled).unwrap();
      if (ready.is_not_ready()) return NotReady;
      auto event = std::move(ready).value();
      if (!event) return Ready(std::optional<Item>());  // no stream left
      auto [item, rest] = std::move(*event);
      if (item) {
        push(std::move(rest));
        return Ready(std::move(item));
      }
      // That stream ended: `rest` is destroyed; look at the others.
    }
  }

 private:
  FuturesUnordered<StreamFuture<S>> inner_;
};

/// A SelectAll of the streams of `iterable`, taken by value (futures 0.3's
/// `stream::select_all`).
template <class I>
  requires std::ranges::input_range<I> && Stream<std::ranges::range_value_t<I>>
auto select_all(I iterable) {
  SelectAll<std::ranges::range_value_t<I>> set;
  for (auto&& s : iterable) set.push(std::move(s));
  return set;
}

}  // namespace futures::stream
