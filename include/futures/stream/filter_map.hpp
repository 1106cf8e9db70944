// futures layer: stream::FilterMap, the stream returned by `filter_map`. Mirrors
// futures 0.1 `src/stream/filter_map.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

namespace detail {
template <class O>
struct OptionValue {};
template <class B>
struct OptionValue<std::optional<B>> {
  using type = B;
};
}  // namespace detail

/// Calls `f(item)` (FnMut; tuple items may be taken spread) on each item of S; it
/// returns std::optional<B>: a value is passed on as the item, nullopt drops the item.
/// Errors, NotReady and the end pass through untouched.
///
/// Dropped items do not return control: FilterMap keeps polling S in the same call.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class F>
class FilterMap : public StreamExt<FilterMap<S, F>> {
  static_assert(futures::detail::CallableWith<F&, typename S::Item>,
                "filter_map(f): f must be callable with this stream's Item");
  using Returned = std::remove_cvref_t<futures::detail::CallRawResult<F&, typename S::Item>>;
  static_assert(requires { typename detail::OptionValue<Returned>::type; },
                "filter_map(f): f must return std::optional<B>");

 public:
  using Item = typename detail::OptionValue<Returned>::type;
  using Error = typename S::Error;

  FilterMap(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    for (;;) {
      std::optional<typename S::Item> item = FUTURES_TRY_READY(stream_.poll());
      if (!item) return Ready(std::optional<Item>());
      std::optional<Item> mapped = futures::detail::call_raw(f_, std::move(*item));
      if (mapped) return Ready(std::move(mapped));
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
