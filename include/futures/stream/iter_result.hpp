// futures layer: stream::iter_result and IterResult. Mirrors futures 0.1
// `src/stream/iter_result.rs`.
#pragma once

#include <futures/stream/iter_ok.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

namespace detail {
template <class V>
struct IsResult : std::false_type {};
template <class T, class E>
struct IsResult<Result<T, E>> : std::true_type {};
}  // namespace detail

/// A stream of the elements of a range of `Result<T, E>`: Ok(v) becomes the item v,
/// Err(e) the error e (which does not end the stream), then the end; never NotReady.
///
/// Polling after the end returns Ready(nullopt) again.
template <class R>
class IterResult : public StreamExt<IterResult<R>> {
  using Element = typename detail::RangeCursor<R>::value_type;
  static_assert(detail::IsResult<Element>::value,
                "iter_result(range): the range's elements must be futures::Result<T, E>");

 public:
  using Item = typename Element::value_type;
  using Error = typename Element::error_type;

  explicit IterResult(R range) : cursor_(std::move(range)) {}

  Poll<std::optional<Item>, Error> poll() {
    std::optional<Element> next = cursor_.next();
    if (!next) return Ready(std::optional<Item>());
    if (next->is_err()) return Err(std::move(*next).unwrap_err());
    return Ready(std::optional<Item>(std::in_place, std::move(*next).unwrap()));
  }

 private:
  detail::RangeCursor<R> cursor_;
};

/// Rust's `stream::iter_result(iterable)`: `R` is any range of futures::Result taken
/// by value, e.g. `stream::iter_result(std::vector<Result<int, E>>{...})`.
template <class R>
IterResult<R> iter_result(R range) {
  return IterResult<R>(std::move(range));
}

}  // namespace futures::stream
