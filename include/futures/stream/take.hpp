// futures layer: stream::Take, the stream returned by `take(n)`. Mirrors futures 0.1
// `src/stream/take.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <cstdint>
#include <optional>
#include <utility>

namespace futures::stream {

/// The first `n` items of S, then the end. Errors are passed on and not counted. Once
/// `n` items were yielded (or S ended) every poll returns Ready(nullopt) without
/// polling S again; S itself is kept until Take is destroyed.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S>
class Take : public StreamExt<Take<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  Take(S stream, std::uint64_t n) : stream_(std::move(stream)), remaining_(n) {}

  Poll<std::optional<Item>, Error> poll() {
    if (remaining_ == 0) return Ready(std::optional<Item>());
    auto polled = stream_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_ready()) {
      if (polled.unwrap_ref().value()) {
        --remaining_;
      } else {
        remaining_ = 0;
      }
    }
    return polled;
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  std::uint64_t remaining_;
};

}  // namespace futures::stream
