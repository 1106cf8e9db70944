// futures layer: stream::MapErr, the stream returned by `map_err`. Mirrors futures 0.1
// `src/stream/map_err.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Each error of S becomes `f(error)` (FnMut; a void `f` yields Unit); items, NotReady
/// and the end pass through untouched. The stream goes on after an error, as S does.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class F>
class MapErr : public StreamExt<MapErr<S, F>> {
 public:
  using Item = typename S::Item;
  using Error = std::remove_cvref_t<futures::detail::CallResult<F&, typename S::Error>>;

  MapErr(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    auto polled = stream_.poll();
    if (polled.is_ok()) return Ok(std::move(polled).unwrap());
    return Err(futures::detail::call(f_, std::move(polled).unwrap_err()));
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
