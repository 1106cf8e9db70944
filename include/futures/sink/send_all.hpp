// futures layer: SendAll, the future returned by `send_all`. Mirrors futures 0.1
// `src/sink/send_all.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::sink {

/// Sends every item of stream S into sink K; when the stream ends, closes the sink and
/// resolves to std::tuple<K, S>.
///
/// Whenever the stream is not ready, the sink is flushed (poll_complete) before
/// returning NotReady. An item the sink hands back is kept and retried first on the
/// next poll. After the end of the stream it is not polled again (Rust fuses it).
///
/// Errors: SinkError is K's; the stream's Error must be convertible to it (Rust's
/// `T::SinkError: From<U::Error>`). The first error, of either, resolves the future.
///
/// Notifies: nothing itself; the stream or sink registered the task when NotReady.
///
/// Aborts: polling after completion is a contract violation.
template <class K, class S>
class SendAll : public FutureExt<SendAll<K, S>> {
  using SinkItem = typename K::SinkItem;

 public:
  using Item = std::tuple<K, S>;
  using Error = typename K::SinkError;

  static_assert(Stream<S>, "send_all(s): s must be a Stream");
  static_assert(std::is_constructible_v<SinkItem, typename S::Item>,
                "send_all(s): the stream's Item must be the sink's SinkItem");
  static_assert(std::is_constructible_v<Error, typename S::Error>,
                "send_all(s): the sink's SinkError must be constructible from the stream's "
                "Error (Rust: T::SinkError: From<U::Error>)");

  SendAll(K sink, S stream)
      : sink_(std::in_place, std::move(sink)), stream_(std::in_place, std::move(stream)) {}

  Poll<Item, Error> poll() {
    if (!sink_) contract_violation("Attempted to poll SendAll after completion");
    if (buffered_) {
      SinkItem item = std::move(*buffered_);
      buffered_.reset();
      FUTURES_TRY_READY(try_start_send(std::move(item)));
    }
    for (;;) {
      if (!stream_done_) {
        auto polled = stream_->poll();
        if (polled.is_err()) return Err(Error(std::move(polled).unwrap_err()));
        if (polled.unwrap_ref().is_not_ready()) {
          FUTURES_TRY_READY(sink_->poll_complete());
          return NotReady;
        }
        std::optional<typename S::Item> next = std::move(polled).unwrap().value();
        if (next) {
          FUTURES_TRY_READY(try_start_send(SinkItem(std::move(*next))));
          continue;
        }
        stream_done_ = true;
      }
      FUTURES_TRY_READY(sink_->close());
      Item done(std::move(*sink_), std::move(*stream_));
      sink_.reset();
      stream_.reset();
      return Ready(std::move(done));
    }
  }

 private:
  Poll<Unit, Error> try_start_send(SinkItem item) {
    auto sent = sink_->start_send(std::move(item));
    if (sent.is_err()) return Err(std::move(sent).unwrap_err());
    AsyncSink<SinkItem> a = std::move(sent).unwrap();
    if (a.is_ready()) return Ready();
    buffered_.emplace(std::move(a).item());
    return NotReady;
  }

  std::optional<K> sink_;             // empty once resolved
  std::optional<S> stream_;           // empty once resolved
  bool stream_done_ = false;          // the stream returned Ready(nullopt): Rust's Fuse
  std::optional<SinkItem> buffered_;  // the item the sink handed back
};

}  // namespace futures::sink
