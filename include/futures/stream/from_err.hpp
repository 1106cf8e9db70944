// futures layer: stream::FromErr, the stream returned by `from_err<E>()`. Mirrors
// futures 0.1 `src/stream/from_err.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <utility>

namespace futures::stream {

/// Each error of S is converted to `E` (Rust's `From`: E must be constructible from
/// S::Error); everything else passes through untouched.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S, class E>
class FromErr : public StreamExt<FromErr<S, E>> {
 public:
  using Item = typename S::Item;
  using Error = E;

  explicit FromErr(S stream) : stream_(std::move(stream)) {}

  Poll<std::optional<Item>, Error> poll() {
    auto polled = stream_.poll();
    if (polled.is_ok()) return Ok(std::move(polled).unwrap());
    return Err(E(std::move(polled).unwrap_err()));
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
};

}  // namespace futures::stream
