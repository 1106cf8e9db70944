// futures layer: stream Select, the stream returned by `Stream::select`. Mirrors futures
// 0.1 `src/stream/select.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Interleaves S1 and S2 (same Item and Error), round-robin: each poll starts with the
/// stream the previous poll did not start with, and takes the first item found. When
/// one stream has ended the other is polled alone; the select ends when both have
/// ended. Neither stream is polled after its own end (both are fused).
///
/// Errors: an error of either stream is passed on at once (not terminal).
/// Notifies: nothing itself; NotReady means both streams returned NotReady (or one
/// ended and the other returned NotReady), and those arranged the notification.
template <class S1, class S2>
class Select : public StreamExt<Select<S1, S2>> {
  static_assert(std::is_same_v<typename S1::Item, typename S2::Item> &&
                    std::is_same_v<typename S1::Error, typename S2::Error>,
                "select(other): both streams must have the same Item and Error");

 public:
  using Item = typename S1::Item;
  using Error = typename S1::Error;

  Select(S1 stream1, S2 stream2) : stream1_(std::move(stream1)), stream2_(std::move(stream2)) {}

  Poll<std::optional<Item>, Error> poll() {
    const bool second_first = flag_;
    flag_ = !flag_;

    auto a = second_first ? poll_fused(stream2_, done2_) : poll_fused(stream1_, done1_);
    if (a.is_err() || (a.unwrap_ref().is_ready() && a.unwrap_ref().value())) return a;
    const bool a_done = a.unwrap_ref().is_ready();

    auto b = second_first ? poll_fused(stream1_, done1_) : poll_fused(stream2_, done2_);
    if (b.is_err()) return b;
    if (b.unwrap_ref().is_ready() && b.unwrap_ref().value()) {
      // A had nothing but is still live while B produced: A goes first again next time.
      if (!a_done) flag_ = !flag_;
      return b;
    }
    if (a_done && b.unwrap_ref().is_ready()) return Ready(std::optional<Item>());
    return NotReady;
  }

 private:
  template <class S>
  static Poll<std::optional<Item>, Error> poll_fused(S& stream, bool& done) {
    if (done) return Ready(std::optional<Item>());
    auto polled = stream.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_ready() && !polled.unwrap_ref().value())
      done = true;
    return polled;
  }

  S1 stream1_;
  S2 stream2_;
  bool flag_ = false;   // true: the next poll starts with S2
  bool done1_ = false;  // S1 ended: never poll it again (Rust's Fuse)
  bool done2_ = false;
};

}  // namespace futures::stream
