// futures layer: Fanout, the sink returned by `fanout`. Mirrors futures 0.1
// `src/sink/fanout.rs`.
#pragma once

#include <futures/sink/detail/sink_of.hpp>
#include <futures/sink_ext.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::sink {

/// Sends a copy of every item to sink A and the item itself to sink B (same SinkItem,
/// which must be copyable, and same SinkError). A plain std::vector<T> is accepted as
/// B and used as a VecSink<T>.
///
/// Each side remembers the item it handed back; start_send first retries those, and
/// accepts a new item only when neither side holds one (else hands it back). So the
/// slower side applies backpressure to both. poll_complete / close are Ready when both
/// sides are.
///
/// Errors: the first error of either side, at once (the item in flight is lost).
template <class A, class B>
class Fanout : public SinkExt<Fanout<A, B>> {
  using BSink = detail::SinkOf<B>;

 public:
  using SinkItem = typename A::SinkItem;
  using SinkError = typename A::SinkError;

  static_assert(Sink<BSink>, "fanout(other): other must be a Sink");
  static_assert(std::is_same_v<typename BSink::SinkItem, SinkItem> &&
                    std::is_same_v<typename BSink::SinkError, SinkError>,
                "fanout(other): both sinks must have the same SinkItem and SinkError");
  static_assert(std::is_copy_constructible_v<SinkItem>, "fanout: the SinkItem must be copyable");

  Fanout(A left, B right)
      : left_{std::move(left), std::nullopt}, right_{BSink(std::move(right)), std::nullopt} {}

  StartSend<SinkItem, SinkError> start_send(SinkItem item) {
    if (auto r = left_.keep_flushing(); r.is_err()) return Err(std::move(r).unwrap_err());
    if (auto r = right_.keep_flushing(); r.is_err()) return Err(std::move(r).unwrap_err());
    if (!left_.is_ready() || !right_.is_ready())
      return Ok(AsyncSink<SinkItem>::NotReady(std::move(item)));
    if (auto r = left_.start(SinkItem(item)); r.is_err()) return Err(std::move(r).unwrap_err());
    if (auto r = right_.start(std::move(item)); r.is_err()) return Err(std::move(r).unwrap_err());
    return Ok(AsyncSink<SinkItem>::Ready());
  }

  Poll<Unit, SinkError> poll_complete() {
    auto l = left_.poll_complete();
    if (l.is_err()) return l;
    auto r = right_.poll_complete();
    if (r.is_err()) return r;
    if (l.unwrap_ref().is_ready() && r.unwrap_ref().is_ready()) return Ready();
    return NotReady;
  }

  Poll<Unit, SinkError> close() {
    auto l = left_.close();
    if (l.is_err()) return l;
    auto r = right_.close();
    if (r.is_err()) return r;
    if (l.unwrap_ref().is_ready() && r.unwrap_ref().is_ready()) return Ready();
    return NotReady;
  }

  /// Both sinks, as given.
  std::tuple<A, B> into_inner() && {
    return std::tuple<A, B>(std::move(left_.sink), B(std::move(right_.sink)));
  }

 private:
  // One side: the sink and the item it handed back, if any.
  template <class K>
  struct Downstream {
    K sink;
    std::optional<SinkItem> pending;

    bool is_ready() const { return !pending; }

    Result<Unit, SinkError> start(SinkItem item) {
      auto sent = sink.start_send(std::move(item));
      if (sent.is_err()) return Err(std::move(sent).unwrap_err());
      AsyncSink<SinkItem> a = std::move(sent).unwrap();
      if (a.is_not_ready()) pending.emplace(std::move(a).item());
      return Ok();
    }
    Result<Unit, SinkError> keep_flushing() {
      if (!pending) return Ok();
      SinkItem item = std::move(*pending);
      pending.reset();
      return start(std::move(item));
    }
    Poll<Unit, SinkError> poll_complete() {
      auto kept = keep_flushing();
      if (kept.is_err()) return Err(std::move(kept).unwrap_err());
      auto flushed = sink.poll_complete();
      if (flushed.is_err()) return flushed;
      if (is_ready() && flushed.unwrap_ref().is_ready()) return Ready();
      return NotReady;
    }
    Poll<Unit, SinkError> close() {
      auto kept = keep_flushing();
      if (kept.is_err()) return Err(std::move(kept).unwrap_err());
      if (is_ready()) return sink.close();
      return NotReady;
    }
  };

  Downstream<A> left_;
  Downstream<BSink> right_;
};

}  // namespace futures::sink
