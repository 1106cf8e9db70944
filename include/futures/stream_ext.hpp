// futures layer: the Stream concept and StreamExt<Self>, the CRTP base that gives every
// stream its combinators (the provided methods of futures 0.1's `Stream` trait).
//
// A stream yields `Poll<std::optional<Item>, Error>`: Ready(item), Ready(nullopt) at
// the end, NotReady (the current task will be notified), or Err(e). Errors do not end a
// stream; only Ready(nullopt) does. Consumers that produce one value (for_each, fold,
// collect, concat2, forward) stop at the first error. Polling after Ready(nullopt) is a
// contract violation unless the stream says otherwise; `.fuse()` makes it safe.
//
// Like FutureExt, every combinator consumes the stream (`&&`), and the lvalue twin fails
// to compile with a message saying to write `std::move(s).name(...)`.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/consumes.hpp>
#include <futures/future/concept.hpp>
#include <futures/future/detail/callback.hpp>
#include <futures/fwd.hpp>
#include <futures/poll.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

namespace futures {

/// A source of many values: has `Item`, `Error` and
/// `Poll<std::optional<Item>, Error> poll()`.
template <class S>
concept Stream = requires(S& s) {
  typename S::Item;
  typename S::Error;
  { s.poll() } -> std::same_as<Poll<std::optional<typename S::Item>, typename S::Error>>;
};

template <class Self>
class StreamExt {
 public:
  /// Blocking iterator over the stream's results (`stream::Wait<S>`): next() returns
  /// std::optional<Result<Item, Error>>; also begin()/end(). Parks this OS thread.
  auto wait() && { return stream::Wait<Self>(moved()); }

  /// Type-erases the stream behind one heap allocation.
  auto boxed() && { return BoxStream<typename Self::Item, typename Self::Error>(moved()); }

  /// A future of the next item and the rest of the stream: Item =
  /// std::tuple<std::optional<Item>, Self>, Error = std::tuple<Error, Self>.
  auto into_future() && { return stream::StreamFuture<Self>(moved()); }

  /// Each item becomes `f(item)` (FnMut; void gives Unit; tuple items may be spread).
  template <class F>
  auto map(F f) && {
    static_assert(detail::CallableWith<F&, typename Self::Item>,
                  "map(f): f must be callable with this stream's Item");
    return stream::Map<Self, F>(moved(), std::move(f));
  }
  /// Each error becomes `f(error)`.
  template <class F>
  auto map_err(F f) && {
    static_assert(detail::CallableWith<F&, typename Self::Error>,
                  "map_err(f): f must be callable with this stream's Error");
    return stream::MapErr<Self, F>(moved(), std::move(f));
  }
  /// Converts every error to `E` (constructible from Error).
  template <class E>
  auto from_err() && {
    static_assert(std::is_constructible_v<E, typename Self::Error>,
                  "from_err<E>(): E must be constructible from this stream's Error");
    return stream::FromErr<Self, E>(moved());
  }
  /// Keeps the items for which `f(const Item&)` is true; errors pass through.
  template <class F>
  auto filter(F f) && {
    static_assert(std::is_invocable_r_v<bool, F&, const typename Self::Item&>,
                  "filter(f): f must take const Item& and return bool");
    return stream::Filter<Self, F>(moved(), std::move(f));
  }
  /// `f(item)` returns std::optional<B>: Some items are passed on as B, None dropped.
  template <class F>
  auto filter_map(F f) && {
    return stream::FilterMap<Self, F>(moved(), std::move(f));
  }
  /// Runs `f(result)` for every item and error, yielding what its future resolves to.
  template <class F>
  auto then(F f) && {
    return stream::Then<Self, F>(moved(), std::move(f));
  }
  /// Runs `f(item)` and yields what its future resolves to (same Error); errors pass
  /// through. One item at a time: the next is pulled after the future completes.
  template <class F>
  auto and_then(F f) && {
    return stream::AndThen<Self, F>(moved(), std::move(f));
  }
  /// Runs `f(error)` and yields what its future resolves to (same Item).
  template <class F>
  auto or_else(F f) && {
    return stream::OrElse<Self, F>(moved(), std::move(f));
  }
  /// A future of all items in a std::vector; the first error discards them.
  auto collect() && { return stream::Collect<Self>(moved()); }
  /// A future that extends the first item with the rest (Item must be a container);
  /// an empty stream gives Item{}.
  auto concat2() && { return stream::Concat2<Self>(moved()); }
  /// Deprecated futures 0.1 `concat`: like concat2 but an empty stream is a contract
  /// violation.
  auto concat() && { return stream::Concat<Self>(moved()); }
  /// A future of `f(f(init, a), b)...`; `f(T, Item)` returns IntoFuture<Item = T>. The
  /// fold's Error is this stream's Error, constructible from the future's Error (as in
  /// Rust); if only the opposite conversion exists, it is the future's Error.
  template <class T, class F>
  auto fold(T init, F f) && {
    return stream::Fold<Self, F, T>(moved(), std::move(f), std::move(init));
  }
  /// A stream of streams, flattened in order.
  auto flatten() && { return stream::Flatten<Self>(moved()); }
  /// Skips items while the predicate's future resolves true.
  template <class P>
  auto skip_while(P pred) && {
    return stream::SkipWhile<Self, P>(moved(), std::move(pred));
  }
  /// Yields items while the predicate's future resolves true, then ends.
  template <class P>
  auto take_while(P pred) && {
    return stream::TakeWhile<Self, P>(moved(), std::move(pred));
  }
  /// A future that runs `f(item)` to completion for each item in turn; resolves to
  /// Unit at the end of the stream; the first error (stream's or f's) ends it.
  template <class F>
  auto for_each(F f) && {
    static_assert(detail::CallableWith<F&, typename Self::Item>,
                  "for_each(f): f must be callable with this stream's Item");
    return stream::ForEach<Self, F>(moved(), std::move(f));
  }
  /// The first `n` items (errors are passed on and not counted).
  // (The integral members are templates so that `take(2)` is not ambiguous with the
  // lvalue twins below: an int argument would otherwise need a conversion.)
  template <std::integral N>
  auto take(N n) && { return stream::Take<Self>(moved(), static_cast<std::uint64_t>(n)); }
  /// All but the first `n` items (errors are passed on and not counted).
  template <std::integral N>
  auto skip(N n) && { return stream::Skip<Self>(moved(), static_cast<std::uint64_t>(n)); }
  /// After the end, keeps returning Ready(nullopt).
  auto fuse() && { return stream::Fuse<Self>(moved()); }
  /// Borrows the stream (Rust's `&mut S` as a Stream): the result refers to *this.
  auto by_ref() & { return stream::ByRef<Self>(static_cast<Self&>(*this)); }
  /// Exceptions thrown by poll become a final Err(std::exception_ptr) item... see
  /// stream/catch_unwind.hpp for the exact shape.
  auto catch_unwind() && { return stream::CatchUnwind<Self>(moved()); }
  /// Items are futures; runs up to `n` at once, yields results in input order.
  template <std::integral N>
  auto buffered(N n) && { return stream::Buffered<Self>(moved(), static_cast<std::size_t>(n)); }
  /// Items are futures; runs up to `n` at once, yields results as they complete.
  template <std::integral N>
  auto buffer_unordered(N n) && {
    return stream::BufferUnordered<Self>(moved(), static_cast<std::size_t>(n));
  }
  /// Interleaves with `other` (same Error): MergedItem<Item, Other::Item>.
  template <class S2>
  auto merge(S2 other) && {
    return stream::Merge<Self, S2>(moved(), std::move(other));
  }
  /// Pairs items with `other`'s (same Error) as std::tuple; ends when either ends.
  template <class S2>
  auto zip(S2 other) && {
    return stream::Zip<Self, S2>(moved(), std::move(other));
  }
  /// This stream, then `other` (same Item and Error).
  template <class S2>
  auto chain(S2 other) && {
    return stream::Chain<Self, S2>(moved(), std::move(other));
  }
  /// Adds `peek()`, which yields `const Item*` (nullptr at the end).
  auto peekable() && { return stream::Peekable<Self>(moved()); }
  /// Batches of at most `capacity` items as std::vector; `capacity == 0` is a contract
  /// violation.
  template <std::integral N>
  auto chunks(N capacity) && {
    return stream::Chunks<Self>(moved(), static_cast<std::size_t>(capacity));
  }
  /// Round-robin interleaving with `other` (same Item and Error); ends when both end.
  template <class S2>
  auto select(S2 other) && {
    return stream::Select<Self, S2>(moved(), std::move(other));
  }
  /// A future sending every item into `sink`, then flushing and closing it; resolves
  /// to std::tuple<Self, Sink>.
  template <class K>
  auto forward(K sink) && {
    return stream::Forward<Self, K>(moved(), std::move(sink));
  }
  /// For a value that is both a Stream and a Sink: std::tuple<SplitSink, SplitStream>
  /// sharing it through a BiLock; `reunite` puts it back together.
  auto split() && { return stream::split(moved()); }
  /// Calls `f(const Item&)` on each item.
  template <class F>
  auto inspect(F f) && {
    return stream::Inspect<Self, F>(moved(), std::move(f));
  }
  /// Calls `f(const Error&)` on each error.
  template <class F>
  auto inspect_err(F f) && {
    return stream::InspectErr<Self, F>(moved(), std::move(f));
  }

  FUTURES_DETAIL_CONSUMES("stream", wait)
  FUTURES_DETAIL_CONSUMES("stream", boxed)
  FUTURES_DETAIL_CONSUMES("stream", into_future)
  FUTURES_DETAIL_CONSUMES("stream", map)
  FUTURES_DETAIL_CONSUMES("stream", map_err)
  FUTURES_DETAIL_CONSUMES("stream", filter)
  FUTURES_DETAIL_CONSUMES("stream", filter_map)
  FUTURES_DETAIL_CONSUMES("stream", then)
  FUTURES_DETAIL_CONSUMES("stream", and_then)
  FUTURES_DETAIL_CONSUMES("stream", or_else)
  FUTURES_DETAIL_CONSUMES("stream", collect)
  FUTURES_DETAIL_CONSUMES("stream", concat2)
  FUTURES_DETAIL_CONSUMES("stream", concat)
  FUTURES_DETAIL_CONSUMES("stream", fold)
  FUTURES_DETAIL_CONSUMES("stream", flatten)
  FUTURES_DETAIL_CONSUMES("stream", skip_while)
  FUTURES_DETAIL_CONSUMES("stream", take_while)
  FUTURES_DETAIL_CONSUMES("stream", for_each)
  FUTURES_DETAIL_CONSUMES("stream", take)
  FUTURES_DETAIL_CONSUMES("stream", skip)
  FUTURES_DETAIL_CONSUMES("stream", fuse)
  FUTURES_DETAIL_CONSUMES("stream", catch_unwind)
  FUTURES_DETAIL_CONSUMES("stream", buffered)
  FUTURES_DETAIL_CONSUMES("stream", buffer_unordered)
  FUTURES_DETAIL_CONSUMES("stream", merge)
  FUTURES_DETAIL_CONSUMES("stream", zip)
  FUTURES_DETAIL_CONSUMES("stream", chain)
  FUTURES_DETAIL_CONSUMES("stream", peekable)
  FUTURES_DETAIL_CONSUMES("stream", chunks)
  FUTURES_DETAIL_CONSUMES("stream", select)
  FUTURES_DETAIL_CONSUMES("stream", forward)
  FUTURES_DETAIL_CONSUMES("stream", split)
  FUTURES_DETAIL_CONSUMES("stream", inspect)
  FUTURES_DETAIL_CONSUMES("stream", inspect_err)
  template <class E, class... FuturesA>
  void from_err(FuturesA&&...) const& {
    static_assert(detail::always_false<E, FuturesA...>,
                  "from_err<E>() consumes the stream (Rust takes `self`): call it on an rvalue, "
                  "e.g. std::move(s).from_err<E>()");
  }

 protected:
  StreamExt() = default;

 private:
  Self&& moved() { return std::move(static_cast<Self&>(*this)); }
};

}  // namespace futures

// The combinators, after StreamExt is complete (as in future_ext.hpp).
#include <futures/stream/and_then.hpp>
#include <futures/stream/boxed.hpp>
#include <futures/stream/buffer_unordered.hpp>
#include <futures/stream/buffered.hpp>
#include <futures/stream/by_ref.hpp>
#include <futures/stream/catch_unwind.hpp>
#include <futures/stream/chain.hpp>
#include <futures/stream/chunks.hpp>
#include <futures/stream/collect.hpp>
#include <futures/stream/concat.hpp>
#include <futures/stream/filter.hpp>
#include <futures/stream/filter_map.hpp>
#include <futures/stream/flatten.hpp>
#include <futures/stream/fold.hpp>
#include <futures/stream/for_each.hpp>
#include <futures/stream/forward.hpp>
#include <futures/stream/from_err.hpp>
#include <futures/stream/fuse.hpp>
#include <futures/stream/inspect.hpp>
#include <futures/stream/inspect_err.hpp>
#include <futures/stream/into_future.hpp>
#include <futures/stream/map.hpp>
#include <futures/stream/map_err.hpp>
#include <futures/stream/merge.hpp>
#include <futures/stream/or_else.hpp>
#include <futures/stream/peekable.hpp>
#include <futures/stream/select.hpp>
#include <futures/stream/skip.hpp>
#include <futures/stream/skip_while.hpp>
#include <futures/stream/split.hpp>
#include <futures/stream/take.hpp>
#include <futures/stream/take_while.hpp>
#include <futures/stream/then.hpp>
#include <futures/stream/wait.hpp>
#include <futures/stream/zip.hpp>
