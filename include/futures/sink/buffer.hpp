// futures layer: sink::Buffer, the sink returned by `buffer(n)`. Mirrors futures 0.1
// `src/sink/buffer.rs`.
#pragma once

#include <futures/sink/detail/stream_part.hpp>
#include <futures/sink_ext.hpp>

#include <cstddef>
#include <deque>
#include <utility>

namespace futures::sink {

/// Up to `cap` items queued in front of the wrapped sink K (Rust's VecDeque), so a
/// producer can run ahead of a slow sink.
///
/// start_send first pushes queued items into K, then queues the new one, or hands it
/// back (NotReady) when the queue is full. poll_complete / close drain the queue into K,
/// then flush / close K. With `cap == 0` every call goes straight to K.
///
/// Errors: K's, as they happen; an item K failed on is dropped.
///
/// Notifies: nothing itself; K registered the task when it handed an item back.
///
/// If K is also a Stream, so is Buffer (poll() is K's).
template <class K>
class Buffer : public SinkExt<Buffer<K>>, public detail::StreamPart<Buffer<K>, K> {
 public:
  using SinkItem = typename K::SinkItem;
  using SinkError = typename K::SinkError;

  Buffer(K sink, std::size_t cap) : sink_(std::move(sink)), cap_(cap) {}

  StartSend<SinkItem, SinkError> start_send(SinkItem item) {
    if (cap_ == 0) return sink_.start_send(std::move(item));
    auto emptied = try_empty_buffer();
    if (emptied.is_err()) return Err(std::move(emptied).unwrap_err());
    if (buf_.size() == cap_) return Ok(AsyncSink<SinkItem>::NotReady(std::move(item)));
    buf_.push_back(std::move(item));
    return Ok(AsyncSink<SinkItem>::Ready());
  }

  Poll<Unit, SinkError> poll_complete() {
    if (cap_ == 0) return sink_.poll_complete();
    FUTURES_TRY_READY(try_empty_buffer());
    return sink_.poll_complete();
  }

  Poll<Unit, SinkError> close() {
    if (cap_ == 0) return sink_.close();
    if (!buf_.empty()) FUTURES_TRY_READY(try_empty_buffer());
    return sink_.close();
  }

  const K& get_ref() const { return sink_; }
  K& get_mut() { return sink_; }
  K into_inner() && { return std::move(sink_); }

 private:
  Poll<Unit, SinkError> try_empty_buffer() {
    while (!buf_.empty()) {
      SinkItem item = std::move(buf_.front());
      buf_.pop_front();
      auto sent = sink_.start_send(std::move(item));
      if (sent.is_err()) return Err(std::move(sent).unwrap_err());
      AsyncSink<SinkItem> a = std::move(sent).unwrap();
      if (a.is_not_ready()) {
        buf_.push_front(std::move(a).item());
        return NotReady;
      }
    }
    return Ready();
  }

  K sink_;
  std::deque<SinkItem> buf_;
  std::size_t cap_;
};

}  // namespace futures::sink
