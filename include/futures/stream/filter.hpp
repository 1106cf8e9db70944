// futures layer: stream::Filter, the stream returned by `filter`. Mirrors futures 0.1
// `src/stream/filter.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <functional>
#include <optional>
#include <utility>

namespace futures::stream {

/// Passes on the items of S for which `f(const Item&)` (FnMut) is true and drops the
/// others; errors, NotReady and the end pass through untouched.
///
/// Dropped items do not return control: Filter keeps polling S in the same call until
/// an item passes or S is not ready.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class F>
class Filter : public StreamExt<Filter<S, F>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  Filter(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    for (;;) {
      std::optional<Item> item = FUTURES_TRY_READY(stream_.poll());
      if (!item || std::invoke(f_, std::as_const(*item))) return Ready(std::move(item));
    }
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
