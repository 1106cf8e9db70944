// futures layer: BufferUnordered<S>, the stream of `stream.buffer_unordered(n)`. Mirrors
// futures 0.1 `src/stream/buffer_unordered.rs`.
#pragma once

#include <futures/future/concept.hpp>
#include <futures/poll.hpp>
#include <futures/stream/futures_unordered.hpp>
#include <futures/stream_ext.hpp>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Runs the futures a stream yields, up to `n` at a time, and yields their results as
/// they complete (Rust's `BufferUnordered`). S::Item must be IntoFuture (a future or a
/// Result) with S's Error. Item = that future's Item, Error = S::Error.
///
/// Each poll first pulls items from S while fewer than `n` futures are running (none
/// is polled by the pull itself), then polls the running set (a FuturesUnordered). It
/// returns a finished future's item or error, NotReady if none finished, and
/// Ready(nullopt) once S has ended and every future is done; later polls keep giving
/// Ready(nullopt). Errors of S and of the futures are passed on and end nothing; an
/// error of S stops that poll's pulling.
///
/// Notifies: nothing itself; S and the running futures notify the polling task.
/// Allocates: as FuturesUnordered (one node per running future).
/// Aborts: polling outside a task is a contract violation.
template <class S>
class BufferUnordered : public StreamExt<BufferUnordered<S>> {
  static_assert(IntoFuture<typename S::Item>,
                "buffer_unordered(n): the stream's Item must be a future or a Result");
  using Fut = IntoFutureT<typename S::Item>;
  static_assert(std::is_same_v<typename Fut::Error, typename S::Error>,
                "buffer_unordered(n): the futures' Error must be the stream's Error");

 public:
  using Item = typename Fut::Item;
  using Error = typename S::Error;

  BufferUnordered(S stream, std::size_t n) : stream_(std::move(stream)), max_(n) {}

  Poll<std::optional<Item>, Error> poll() {
    while (!stream_done_ && queue_.len() < max_) {
      auto polled = stream_.poll();
      if (polled.is_err()) return Err(std::move(polled).unwrap_err());
      auto ready = std::move(polled).unwrap();
      if (ready.is_not_ready()) break;
      std::optional<typename S::Item> next = std::move(ready).value();
      if (!next) {
        stream_done_ = true;  // Rust's Fuse: S is never polled again
        break;
      }
      queue_.push(futures::into_future(std::move(*next)));
    }

    auto polled = queue_.poll();
    if (polled.is_err()) return Err(std::move(polled).unwrap_err());
    auto ready = std::move(polled).unwrap();
    if (ready.is_not_ready()) return NotReady;
    std::optional<Item> item = std::move(ready).value();
    if (item) return Ready(std::move(item));
    if (stream_done_) return Ready(std::optional<Item>());
    return NotReady;
  }

  /// The underlying stream.
  const S& get_ref() const noexcept { return stream_; }
  S& get_mut() noexcept { return stream_; }
  /// The underlying stream; the running futures are destroyed (cancelled).
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  bool stream_done_ = false;
  FuturesUnordered<Fut> queue_;
  std::size_t max_;
};

}  // namespace futures::stream
