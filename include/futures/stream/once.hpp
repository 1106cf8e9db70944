// futures layer: stream::once and Once. Mirrors futures 0.1 `src/stream/once.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <utility>

namespace futures::stream {

/// A stream of one element, the given Result (an item or an error), then the end;
/// never NotReady. Polling after the end returns Ready(nullopt) again.
template <class T, class E>
class Once : public StreamExt<Once<T, E>> {
 public:
  using Item = T;
  using Error = E;

  explicit Once(Result<T, E> item) : item_(std::in_place, std::move(item)) {}

  Poll<std::optional<T>, E> poll() {
    if (!item_) return Ready(std::optional<T>());
    Result<T, E> r = std::move(*item_);
    item_.reset();
    if (r.is_err()) return Err(std::move(r).unwrap_err());
    return Ready(std::optional<T>(std::in_place, std::move(r).unwrap()));
  }

 private:
  std::optional<Result<T, E>> item_;  // empty once yielded
};

/// Rust's `stream::once(result)`: `stream::once(Result<int, E>(Ok(1)))`.
template <class T, class E>
Once<T, E> once(Result<T, E> item) {
  return Once<T, E>(std::move(item));
}

}  // namespace futures::stream
