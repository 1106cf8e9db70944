// futures layer: stream::Inspect, the stream returned by `inspect`. Mirrors futures 0.1
// `src/stream/inspect.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <functional>
#include <optional>
#include <utility>

namespace futures::stream {

/// Calls `f(const Item&)` (FnMut) on each item of S before passing it on; errors,
/// NotReady and the end pass through without calling `f`.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class F>
class Inspect : public StreamExt<Inspect<S, F>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  Inspect(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    std::optional<Item> item = FUTURES_TRY_READY(stream_.poll());
    if (item) std::invoke(f_, std::as_const(*item));
    return Ready(std::move(item));
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
