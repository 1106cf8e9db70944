// futures layer: stream::Fuse, the stream returned by `fuse()`. Mirrors futures 0.1
// `src/stream/fuse.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <utility>

namespace futures::stream {

/// S until it ends, then Ready(nullopt) on every poll, without polling S again:
/// polling a fused stream after its end is allowed. Errors do not end it (they do not
/// end S either). S is kept until Fuse is destroyed (Rust keeps it too).
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S>
class Fuse : public StreamExt<Fuse<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  explicit Fuse(S stream) : stream_(std::move(stream)) {}

  /// True once S has returned Ready(nullopt) (Rust's `is_done`).
  bool is_done() const noexcept { return done_; }

  Poll<std::optional<Item>, Error> poll() {
    if (done_) return Ready(std::optional<Item>());
    auto polled = stream_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_ready() && !polled.unwrap_ref().value())
      done_ = true;
    return polled;
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  bool done_ = false;
};

}  // namespace futures::stream
