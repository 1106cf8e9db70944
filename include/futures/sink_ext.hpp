// futures layer: the Sink concept and SinkExt<Self>, the CRTP base that gives every sink
// its combinators (the provided methods of futures 0.1's `Sink` trait).
//
// The protocol: `start_send(item)` either accepts the item (AsyncSink::Ready) or hands it
// back (AsyncSink::NotReady(item)) after arranging a notify of the current task for when
// there is room. Nothing accepted is guaranteed delivered until `poll_complete()` returns
// Ready. `close()` flushes and shuts down; after it only close may be called.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/consumes.hpp>
#include <futures/fwd.hpp>
#include <futures/poll.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace futures {

/// A destination for values, with backpressure: has `SinkItem`, `SinkError`,
/// `StartSend<SinkItem, SinkError> start_send(SinkItem)`, `Poll<Unit, SinkError>
/// poll_complete()` and `Poll<Unit, SinkError> close()`.
template <class K>
concept Sink = requires(K& k, typename K::SinkItem item) {
  typename K::SinkItem;
  typename K::SinkError;
  { k.start_send(std::move(item)) } -> std::same_as<StartSend<typename K::SinkItem, typename K::SinkError>>;
  { k.poll_complete() } -> std::same_as<Poll<Unit, typename K::SinkError>>;
  { k.close() } -> std::same_as<Poll<Unit, typename K::SinkError>>;
};

template <class Self>
class SinkExt {
 public:
  /// Blocking wrapper (`sink::Wait<K>`) with send(item), flush(), close().
  auto wait() && { return sink::Wait<Self>(moved()); }
  /// Pre-processes each input: `f(U)` returns IntoFuture<Item = SinkItem> whose Error
  /// is constructible from SinkError. `U` is deduced from a non-generic `f`, or given:
  /// `with<U>(f)`.
  template <class U = void, class F>
  auto with(F f) && {
    return sink::With<Self, sink::detail::InputOf<U, F>, F>(moved(), std::move(f));
  }
  /// Each input becomes a stream of SinkItems: `f(U)` returns a Stream.
  template <class U = void, class F>
  auto with_flat_map(F f) && {
    return sink::WithFlatMap<Self, sink::detail::InputOf<U, F>, F>(moved(), std::move(f));
  }
  /// Maps the sink's errors with `f` (called at most once).
  template <class F>
  auto sink_map_err(F f) && {
    return sink::SinkMapErr<Self, F>(moved(), std::move(f));
  }
  /// Converts the sink's errors to `E`.
  template <class E>
  auto sink_from_err() && {
    static_assert(std::is_constructible_v<E, typename Self::SinkError>,
                  "sink_from_err<E>(): E must be constructible from SinkError");
    return sink::SinkFromErr<Self, E>(moved());
  }
  /// Queues up to `n` items in front of the sink.
  auto buffer(std::size_t n) && { return sink::Buffer<Self>(moved(), n); }
  /// Sends a copy of each item to this sink and to `other`.
  template <class K2>
  auto fanout(K2 other) && {
    return sink::Fanout<Self, K2>(moved(), std::move(other));
  }
  /// A future that resolves to the sink once poll_complete is Ready.
  auto flush() && { return sink::Flush<Self>(moved()); }
  /// A future that sends `item` and flushes; resolves to the sink.
  /// (A template so that SinkItem is looked up only when called: Self is incomplete
  /// while SinkExt<Self> is instantiated.)
  template <class K = Self>
  auto send(typename K::SinkItem item) && {
    return sink::Send<Self>(moved(), std::move(item));
  }
  /// A future that sends every item of `stream`, then flushes and closes the sink;
  /// resolves to std::tuple<Self, Stream>.
  template <class S>
  auto send_all(S stream) && {
    return sink::SendAll<Self, S>(moved(), std::move(stream));
  }

  FUTURES_DETAIL_CONSUMES("sink", wait)
  FUTURES_DETAIL_CONSUMES("sink", with)
  FUTURES_DETAIL_CONSUMES("sink", with_flat_map)
  FUTURES_DETAIL_CONSUMES("sink", sink_map_err)
  FUTURES_DETAIL_CONSUMES("sink", buffer)
  FUTURES_DETAIL_CONSUMES("sink", fanout)
  FUTURES_DETAIL_CONSUMES("sink", flush)
  FUTURES_DETAIL_CONSUMES("sink", send)
  FUTURES_DETAIL_CONSUMES("sink", send_all)

 protected:
  SinkExt() = default;

 private:
  Self&& moved() { return std::move(static_cast<Self&>(*this)); }
};

}  // namespace futures

// The combinators, after SinkExt is complete (as in future_ext.hpp).
#include <futures/sink/wait.hpp>
#include <futures/sink/with.hpp>
#include <futures/sink/with_flat_map.hpp>
#include <futures/sink/map_err.hpp>
#include <futures/sink/from_err.hpp>
#include <futures/sink/buffer.hpp>
#include <futures/sink/fanout.hpp>
#include <futures/sink/flush.hpp>
#include <futures/sink/send.hpp>
#include <futures/sink/send_all.hpp>
#include <futures/sink/vec_sink.hpp>
