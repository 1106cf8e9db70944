// futures layer: stream::ByRef, the stream returned by `by_ref()`. Mirrors futures 0.1
// `impl Stream for &mut S` (`src/stream/mod.rs`).
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>

namespace futures::stream {

/// Rust's `&mut S` as a stream: polls the referred-to S, which must outlive the ByRef.
/// Combinators over a ByRef leave S usable afterwards:
/// `s.by_ref().take(2).collect()`, then keep polling `s`.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S>
class ByRef : public StreamExt<ByRef<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  explicit ByRef(S& stream) noexcept : stream_(&stream) {}

  Poll<std::optional<Item>, Error> poll() { return stream_->poll(); }

  const S& get_ref() const { return *stream_; }
  S& get_mut() { return *stream_; }

 private:
  S* stream_;  // a pointer, not a reference, so ByRef stays assignable
};

}  // namespace futures::stream
