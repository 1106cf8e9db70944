// futures layer: stream Flatten, the stream returned by `Stream::flatten`. Mirrors
// futures 0.1 `src/stream/flatten.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// S yields streams; Flatten yields the items of each in turn: the next inner stream
/// is pulled from S only after the current one has ended, and is destroyed then.
/// Item and Error are the inner stream's.
///
/// Errors: passed on, not terminal. An error of S (the outer stream) becomes the inner
/// Error, constructed from it (Rust's `From`).
/// Notifies: nothing itself; S or the current inner stream arranges the notification
/// when it returns NotReady.
template <class S>
class Flatten : public StreamExt<Flatten<S>> {
  using Inner = typename S::Item;
  static_assert(Stream<Inner>, "flatten(): the stream's items must themselves be streams");
  static_assert(std::is_constructible_v<typename Inner::Error, typename S::Error&&>,
                "flatten(): the inner streams' Error must be constructible from the outer "
                "stream's Error (Rust's From); convert one with .map_err(...) or .from_err<E>()");

 public:
  using Item = typename Inner::Item;
  using Error = typename Inner::Error;

  explicit Flatten(S stream) : stream_(std::move(stream)) {}

  Poll<std::optional<Item>, Error> poll() {
    for (;;) {
      if (!next_) {
        auto polled = stream_.poll();
        if (polled.is_err()) return Err(Error(std::move(polled).unwrap_err()));
        if (polled.unwrap_ref().is_not_ready()) return NotReady;
        auto inner = std::move(polled).unwrap().value();
        if (!inner) return Ready(std::optional<Item>());
        next_.emplace(std::move(*inner));
      }
      auto polled = next_->poll();
      if (polled.is_ok() && polled.unwrap_ref().is_ready() && !polled.unwrap_ref().value()) {
        next_.reset();  // this inner stream ended: go on with the next one
        continue;
      }
      return polled;
    }
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  /// The outer stream back; the current inner stream is dropped.
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  std::optional<Inner> next_;  // the inner stream being drained
};

}  // namespace futures::stream
