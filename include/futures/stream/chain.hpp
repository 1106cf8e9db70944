// futures layer: stream Chain, the stream returned by `Stream::chain`. Mirrors futures
// 0.1 `src/stream/chain.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Yields everything S1 yields (items and errors), then, once S1 ends, everything S2
/// yields. S1 is destroyed as soon as it ends; S2 is then polled directly, so the end
/// of S2 is the end of the chain (and polling past it is S2's business).
///
/// Notifies: nothing itself; S1 or S2 arranges the notification when it returns NotReady.
template <class S1, class S2>
class Chain : public StreamExt<Chain<S1, S2>> {
  static_assert(std::is_same_v<typename S1::Item, typename S2::Item> &&
                    std::is_same_v<typename S1::Error, typename S2::Error>,
                "chain(other): both streams must have the same Item and Error");

 public:
  using Item = typename S1::Item;
  using Error = typename S1::Error;

  Chain(S1 first, S2 second)
      : first_(std::in_place, std::move(first)), second_(std::move(second)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (first_) {
      auto polled = first_->poll();
      if (polled.is_err() || polled.unwrap_ref().is_not_ready() || polled.unwrap_ref().value())
        return polled;
      first_.reset();  // S1 ended: roll over to S2
    }
    return second_.poll();
  }

 private:
  std::optional<S1> first_;  // empty once S1 ended
  S2 second_;
};

}  // namespace futures::stream
