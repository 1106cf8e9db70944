// futures layer: stream Zip, the stream returned by `Stream::zip`. Mirrors futures 0.1
// `src/stream/zip.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Pairs the items of S1 and S2 as `std::tuple<S1::Item, S2::Item>`, in order. An item
/// that arrives before its partner waits inside Zip. The zip ends as soon as either
/// stream has ended and no pair can be completed; neither stream is polled after its
/// own end (both are fused).
///
/// Errors: an error of either stream is passed on at once (S1's first); queued items
/// are kept, so the zip can be polled again.
/// Notifies: nothing itself; a stream that returned NotReady arranged it.
template <class S1, class S2>
class Zip : public StreamExt<Zip<S1, S2>> {
  static_assert(std::is_same_v<typename S1::Error, typename S2::Error>,
                "zip(other): both streams must have the same Error; convert one with "
                ".map_err(...) or .from_err<E>()");

 public:
  using Item = std::tuple<typename S1::Item, typename S2::Item>;
  using Error = typename S1::Error;

  Zip(S1 stream1, S2 stream2) : stream1_(std::move(stream1)), stream2_(std::move(stream2)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (!queued1_ && !done1_) {
      auto polled = stream1_.poll();
      if (polled.is_err()) return Err(std::move(polled).unwrap_err());
      if (polled.unwrap_ref().is_ready()) {
        auto item = std::move(polled).unwrap().value();
        if (item) queued1_.emplace(std::move(*item));
        else done1_ = true;
      }
    }
    if (!queued2_ && !done2_) {
      auto polled = stream2_.poll();
      if (polled.is_err()) return Err(std::move(polled).unwrap_err());
      if (polled.unwrap_ref().is_ready()) {
        auto item = std::move(polled).unwrap().value();
        if (item) queued2_.emplace(std::move(*item));
        else done2_ = true;
      }
    }
    if (queued1_ && queued2_) {
      Item pair(std::move(*queued1_), std::move(*queued2_));
      queued1_.reset();
      queued2_.reset();
      return Ready(std::optional<Item>(std::move(pair)));
    }
    if (done1_ || done2_) return Ready(std::optional<Item>());
    return NotReady;
  }

 private:
  S1 stream1_;
  S2 stream2_;
  std::optional<typename S1::Item> queued1_;
  std::optional<typename S2::Item> queued2_;
  bool done1_ = false;  // S1 returned Ready(nullopt): never poll it again (Rust's Fuse)
  bool done2_ = false;
};

}  // namespace futures::stream
