// futures layer: stream::empty and Empty. Mirrors futures 0.1 `src/stream/empty.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>

namespace futures::stream {

/// A stream that ends at once: every poll returns Ready(nullopt).
template <class T, class E>
class Empty : public StreamExt<Empty<T, E>> {
 public:
  using Item = T;
  using Error = E;

  Poll<std::optional<T>, E> poll() { return Ready(std::optional<T>()); }
};

/// Rust's `stream::empty::<T, E>()`.
template <class T = Unit, class E = Unit>
Empty<T, E> empty() {
  return Empty<T, E>();
}

}  // namespace futures::stream
