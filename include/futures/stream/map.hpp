// futures layer: stream::Map, the stream returned by `map`. Mirrors futures 0.1
// `src/stream/map.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Each item of S becomes `f(item)` (FnMut; a void `f` yields Unit; tuple items may
/// be taken spread); errors, NotReady and the end pass through untouched.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class F>
class Map : public StreamExt<Map<S, F>> {
 public:
  using Item = std::remove_cvref_t<futures::detail::CallResult<F&, typename S::Item>>;
  using Error = typename S::Error;

  Map(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    std::optional<typename S::Item> item = FUTURES_TRY_READY(stream_.poll());
    if (!item) return Ready(std::optional<Item>());
    return Ready(std::optional<Item>(std::in_place, futures::detail::call(f_, std::move(*item))));
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
