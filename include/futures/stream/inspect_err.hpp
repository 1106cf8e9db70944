// futures layer: stream::InspectErr, the stream returned by `inspect_err`. Mirrors
// futures 0.1 `src/stream/inspect_err.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <functional>
#include <optional>
#include <utility>

namespace futures::stream {

/// Calls `f(const Error&)` (FnMut) on each error of S before passing it on; items,
/// NotReady and the end pass through without calling `f`.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class F>
class InspectErr : public StreamExt<InspectErr<S, F>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  InspectErr(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    auto polled = stream_.poll();
    if (polled.is_err()) std::invoke(f_, std::as_const(polled.unwrap_err_ref()));
    return polled;
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
