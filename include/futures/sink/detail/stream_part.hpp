// futures layer (internal): the Stream half of a sink adaptor. Rust's sink adaptors
// (With, SinkMapErr, Buffer, ...) are also a Stream when the sink they wrap is one, and
// pass `poll()` straight through; so a framed connection keeps both halves after
// `.with(...)` and can still be `split()`.
#pragma once

#include <futures/fwd.hpp>
#include <futures/poll.hpp>

#include <optional>

namespace futures::sink::detail {

/// Empty unless `K` is a Stream; then `Self` gets K's Item, Error, a `poll()` that
/// forwards to `Self::get_mut().poll()`, and every stream combinator (StreamExt<Self>).
///
/// Declared before stream_ext.hpp is included: that header includes the sink headers
/// (through stream/forward.hpp), which name StreamPart while this file is mid-include.
template <class Self, class K>
class StreamPart {};

}  // namespace futures::sink::detail

#include <futures/stream_ext.hpp>

namespace futures::sink::detail {

template <class Self, class K>
requires Stream<K>
class StreamPart<Self, K> : public StreamExt<Self> {
 public:
  using Item = typename K::Item;
  using Error = typename K::Error;

  /// The wrapped stream's poll, untouched.
  Poll<std::optional<Item>, Error> poll() { return static_cast<Self&>(*this).get_mut().poll(); }
};

}  // namespace futures::sink::detail
