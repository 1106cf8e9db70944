// futures layer: SinkFromErr, the sink returned by `sink_from_err<E>()`. Mirrors
// futures 0.1 `src/sink/from_err.rs`.
#pragma once

#include <futures/sink/detail/stream_part.hpp>
#include <futures/sink_ext.hpp>

#include <utility>

namespace futures::sink {

/// The wrapped sink K with every error converted to `E` (constructible from K's
/// SinkError; Rust's `From`).
///
/// If K is also a Stream, so is SinkFromErr (poll() and its errors are K's).
template <class K, class E>
class SinkFromErr : public SinkExt<SinkFromErr<K, E>>,
                    public detail::StreamPart<SinkFromErr<K, E>, K> {
 public:
  using SinkItem = typename K::SinkItem;
  using SinkError = E;

  explicit SinkFromErr(K sink) : sink_(std::move(sink)) {}

  StartSend<SinkItem, E> start_send(SinkItem item) {
    return convert(sink_.start_send(std::move(item)));
  }
  Poll<Unit, E> poll_complete() { return convert(sink_.poll_complete()); }
  Poll<Unit, E> close() { return convert(sink_.close()); }

  const K& get_ref() const { return sink_; }
  K& get_mut() { return sink_; }
  K into_inner() && { return std::move(sink_); }

 private:
  template <class T>
  static Result<T, E> convert(Result<T, typename K::SinkError>&& r) {
    if (r.is_ok()) return Ok(std::move(r).unwrap());
    return Err(E(std::move(r).unwrap_err()));
  }

  K sink_;
};

}  // namespace futures::sink
