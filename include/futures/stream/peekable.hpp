// futures layer: Peekable, the stream returned by `Stream::peekable`. Mirrors futures
// 0.1 `src/stream/peek.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <utility>

namespace futures::stream {

/// S with a one-item look-ahead: `peek()` pulls the next item (if none is held yet)
/// and keeps it for the next `poll()`. S is fused: after its end both keep returning
/// the end, and S is never polled again.
///
/// Errors: poll() passes S's errors on (not terminal); so does peek(), which holds
/// nothing in that case.
/// Notifies: nothing itself; S arranges the notification when it returns NotReady.
template <class S>
class Peekable : public StreamExt<Peekable<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  explicit Peekable(S stream) : stream_(std::move(stream)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (peeked_) {
      std::optional<Item> item(std::move(peeked_));
      peeked_.reset();
      return Ready(std::move(item));
    }
    if (done_) return Ready(std::optional<Item>());
    auto polled = stream_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_ready() && !polled.unwrap_ref().value())
      done_ = true;
    return polled;
  }

  /// Rust's `peek(&mut self) -> Poll<Option<&Item>, Error>`: Ready(pointer to the next
  /// item, held inside the Peekable), Ready(nullptr) at the end of the stream,
  /// NotReady, or S's error. The pointer stays valid until the next poll() or until
  /// the Peekable is moved or destroyed; repeated peeks return the same item.
  Poll<const Item*, Error> peek() {
    if (!peeked_) {
      auto polled = poll();
      if (polled.is_err()) return Err(std::move(polled).unwrap_err());
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      peeked_ = std::move(polled).unwrap().value();
      if (!peeked_) return Ready(static_cast<const Item*>(nullptr));
    }
    return Ready(static_cast<const Item*>(&*peeked_));
  }

 private:
  S stream_;
  std::optional<Item> peeked_;  // the item peek() pulled, handed out by the next poll()
  bool done_ = false;           // S ended: never poll it again (Rust's Fuse)
};

}  // namespace futures::stream
