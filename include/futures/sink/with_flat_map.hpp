// futures layer: WithFlatMap, the sink returned by `with_flat_map`. Mirrors futures 0.1
// `src/sink/with_flat_map.rs`.
#pragma once

#include <futures/future/detail/callback.hpp>
#include <futures/sink/detail/stream_part.hpp>
#include <futures/sink/with.hpp>
#include <futures/sink_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::sink {

/// A sink of `U`: each input becomes the stream `f(U)`, whose items are all sent to the
/// wrapped sink K, in order. Made by `std::move(k).with_flat_map(f)` /
/// `with_flat_map<U>(f)`.
///
/// start_send hands the input back (NotReady) until the previous input's stream has
/// ended and K accepted all its items; after accepting an input it already pushes as
/// much of its stream as it can. poll_complete / close drain the stream, then flush /
/// close K.
///
/// Errors: the stream's Error must be K's SinkError; an error from the stream or from K
/// is returned as is (the stream is dropped on its error).
///
/// Notifies: nothing itself; the stream or K registered the task when NotReady.
///
/// If K is also a Stream, so is WithFlatMap (poll() is K's).
template <class K, class U, class F>
class WithFlatMap : public SinkExt<WithFlatMap<K, U, F>>,
                    public detail::StreamPart<WithFlatMap<K, U, F>, K> {
  using St = std::invoke_result_t<F&, U>;

 public:
  using SinkItem = U;
  using SinkError = typename K::SinkError;

  static_assert(Stream<St>, "with_flat_map(f): f must return a Stream");
  static_assert(std::is_same_v<typename St::Item, typename K::SinkItem>,
                "with_flat_map(f): the stream's Item must be the wrapped sink's SinkItem");
  static_assert(std::is_same_v<typename St::Error, SinkError>,
                "with_flat_map(f): the stream's Error must be the wrapped sink's SinkError");

  WithFlatMap(K sink, F f) : sink_(std::move(sink)), f_(std::move(f)) {}

  /// Hands `item` back (NotReady) while the previous input's stream is not drained;
  /// else starts `f(item)`'s stream and pushes what it can.
  StartSend<U, SinkError> start_send(U item) {
    auto p = try_empty_stream();
    if (p.is_err()) return Err(std::move(p).unwrap_err());
    if (p.unwrap_ref().is_not_ready()) return Ok(AsyncSink<U>::NotReady(std::move(item)));
    stream_.emplace(std::invoke(f_, std::move(item)));
    auto again = try_empty_stream();
    if (again.is_err()) return Err(std::move(again).unwrap_err());
    return Ok(AsyncSink<U>::Ready());
  }

  /// Drains the current stream into K, then flushes K.
  Poll<Unit, SinkError> poll_complete() {
    FUTURES_TRY_READY(try_empty_stream());
    return sink_.poll_complete();
  }

  /// Drains the current stream into K, then closes K.
  Poll<Unit, SinkError> close() {
    FUTURES_TRY_READY(try_empty_stream());
    return sink_.close();
  }

  const K& get_ref() const { return sink_; }
  K& get_mut() { return sink_; }
  K into_inner() && { return std::move(sink_); }

 private:
  using Item = typename K::SinkItem;

  // Sends the handed-back item, then the rest of the stream, until K or the stream is
  // not ready. Ready once the stream ended and everything was accepted. The stream is
  // dropped when it ends or fails, or when K fails.
  Poll<Unit, SinkError> try_empty_stream() {
    if (buffer_) {
      Item x = std::move(*buffer_);
      buffer_.reset();
      FUTURES_TRY_READY(send_one(std::move(x)));
    }
    while (stream_) {
      auto polled = stream_->poll();
      if (polled.is_err()) {
        stream_.reset();
        return Err(std::move(polled).unwrap_err());
      }
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      std::optional<Item> next = std::move(polled).unwrap().value();
      if (!next) {
        stream_.reset();
        break;
      }
      auto sent = send_one(std::move(*next));
      if (sent.is_err()) stream_.reset();
      FUTURES_TRY_READY(std::move(sent));
    }
    return Ready();
  }

  // start_send on K; NotReady when K handed the item back (kept in buffer_).
  Poll<Unit, SinkError> send_one(Item x) {
    auto sent = sink_.start_send(std::move(x));
    if (sent.is_err()) return Err(std::move(sent).unwrap_err());
    AsyncSink<Item> a = std::move(sent).unwrap();
    if (a.is_ready()) return Ready();
    buffer_.emplace(std::move(a).item());
    return NotReady;
  }

  K sink_;
  [[no_unique_address]] F f_;
  std::optional<St> stream_;
  std::optional<Item> buffer_;  // an item K handed back
};

}  // namespace futures::sink
