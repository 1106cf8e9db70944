// futures layer: Forward, the future returned by `forward`. Mirrors futures 0.1
// `src/stream/forward.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/sink/detail/sink_of.hpp>
#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Sends every item of stream S into sink K; when the stream ends, closes the sink and
/// resolves to std::tuple<S, K>. A plain std::vector<T> is accepted as K (used as a
/// sink::VecSink<T> and given back as the vector).
///
/// Whenever the stream is not ready, the sink is flushed (poll_complete) before
/// returning NotReady. An item the sink hands back is kept and retried first on the
/// next poll. After the end of the stream it is not polled again (Rust fuses it).
///
/// Errors: Error is the stream's; the sink's SinkError must be convertible to it (Rust's
/// `T::Error: From<U::SinkError>`). The first error, of either, resolves the future.
///
/// Notifies: nothing itself; the stream or sink registered the task when NotReady.
///
/// Aborts: polling after completion is a contract violation.
template <class S, class K>
class Forward : public FutureExt<Forward<S, K>> {
  using Sk = sink::detail::SinkOf<K>;
  using SinkItem = typename Sk::SinkItem;

 public:
  using Item = std::tuple<S, K>;
  using Error = typename S::Error;

  static_assert(Sink<Sk>, "forward(k): k must be a Sink (or a std::vector)");
  static_assert(std::is_constructible_v<SinkItem, typename S::Item>,
                "forward(k): the stream's Item must be the sink's SinkItem");
  static_assert(std::is_constructible_v<Error, typename Sk::SinkError>,
                "forward(k): the stream's Error must be constructible from the sink's "
                "SinkError (Rust: T::Error: From<U::SinkError>)");

  Forward(S stream, K sink)
      : sink_(std::in_place, Sk(std::move(sink))), stream_(std::in_place, std::move(stream)) {}

  Poll<Item, Error> poll() {
    if (!sink_) contract_violation("Attempted to poll Forward after completion");
    if (buffered_) {
      SinkItem item = std::move(*buffered_);
      buffered_.reset();
      FUTURES_TRY_READY(try_start_send(std::move(item)));
    }
    for (;;) {
      if (!stream_done_) {
        auto polled = stream_->poll();
        if (polled.is_err()) return Err(std::move(polled).unwrap_err());
        if (polled.unwrap_ref().is_not_ready()) {
          FUTURES_TRY_READY(map_sink_err(sink_->poll_complete()));
          return NotReady;
        }
        std::optional<typename S::Item> next = std::move(polled).unwrap().value();
        if (next) {
          FUTURES_TRY_READY(try_start_send(SinkItem(std::move(*next))));
          continue;
        }
        stream_done_ = true;
      }
      FUTURES_TRY_READY(map_sink_err(sink_->close()));
      Item done(std::move(*stream_), K(std::move(*sink_)));
      sink_.reset();
      stream_.reset();
      return Ready(std::move(done));
    }
  }

  /// The sink, or nullptr once resolved.
  const Sk* sink_ref() const { return sink_ ? &*sink_ : nullptr; }
  Sk* sink_mut() { return sink_ ? &*sink_ : nullptr; }
  /// The stream, or nullptr once resolved.
  const S* stream_ref() const { return stream_ ? &*stream_ : nullptr; }
  S* stream_mut() { return stream_ ? &*stream_ : nullptr; }

 private:
  static Poll<Unit, Error> map_sink_err(Poll<Unit, typename Sk::SinkError>&& p) {
    if (p.is_ok()) return Ok(std::move(p).unwrap());
    return Err(Error(std::move(p).unwrap_err()));
  }

  Poll<Unit, Error> try_start_send(SinkItem item) {
    auto sent = sink_->start_send(std::move(item));
    if (sent.is_err()) return Err(Error(std::move(sent).unwrap_err()));
    AsyncSink<SinkItem> a = std::move(sent).unwrap();
    if (a.is_ready()) return Ready();
    buffered_.emplace(std::move(a).item());
    return NotReady;
  }

  std::optional<Sk> sink_;            // empty once resolved
  std::optional<S> stream_;           // empty once resolved
  bool stream_done_ = false;          // the stream returned Ready(nullopt): Rust's Fuse
  std::optional<SinkItem> buffered_;  // the item the sink handed back
};

}  // namespace futures::stream
