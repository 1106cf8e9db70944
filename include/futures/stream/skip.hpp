// futures layer: stream::Skip, the stream returned by `skip(n)`. Mirrors futures 0.1
// `src/stream/skip.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <cstdint>
#include <optional>
#include <utility>

namespace futures::stream {

/// S without its first `n` items. Errors are passed on and not counted, also while
/// skipping. Skipped items do not return control: the first poll keeps polling S
/// until `n` items went by or S is not ready.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S>
class Skip : public StreamExt<Skip<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  Skip(S stream, std::uint64_t n) : stream_(std::move(stream)), remaining_(n) {}

  Poll<std::optional<Item>, Error> poll() {
    while (remaining_ > 0) {
      std::optional<Item> item = FUTURES_TRY_READY(stream_.poll());
      if (!item) return Ready(std::optional<Item>());
      --remaining_;
    }
    return stream_.poll();
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  std::uint64_t remaining_;
};

}  // namespace futures::stream
