// futures layer: Chunks, the stream returned by `Stream::chunks`. Mirrors futures 0.1
// `src/stream/chunks.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/stream_ext.hpp>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace futures::stream {

/// Batches S's items into `std::vector`s of `capacity` items, yielding a batch as soon
/// as it is full. When S returns NotReady the partial batch waits; when S ends, the
/// partial batch (if any) is yielded, then the end. S is fused: never polled after its
/// end.
///
/// Errors: passed on, not terminal. An error arriving while a batch is partly filled
/// is held back: the partial batch is yielded first and the error on the next poll.
/// Notifies: nothing itself; S arranges the notification when it returns NotReady.
/// Aborts: `capacity == 0` is a contract violation (Rust asserts).
template <class S>
class Chunks : public StreamExt<Chunks<S>> {
 public:
  using Item = std::vector<typename S::Item>;
  using Error = typename S::Error;

  Chunks(S stream, std::size_t capacity) : stream_(std::move(stream)), cap_(capacity) {
    if (capacity == 0) contract_violation("chunks(capacity): capacity must be greater than zero");
    items_.reserve(cap_);
  }

  Poll<std::optional<Item>, Error> poll() {
    if (err_) {
      Error e = std::move(*err_);
      err_.reset();
      return Err(std::move(e));
    }
    for (;;) {
      if (done_) return end();
      auto polled = stream_.poll();
      if (polled.is_err()) {
        if (items_.empty()) return Err(std::move(polled).unwrap_err());
        err_.emplace(std::move(polled).unwrap_err());
        return Ready(std::optional<Item>(take()));
      }
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      auto item = std::move(polled).unwrap().value();
      if (!item) {
        done_ = true;
        return end();
      }
      items_.push_back(std::move(*item));
      if (items_.size() >= cap_) return Ready(std::optional<Item>(take()));
    }
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  /// The stream back; buffered items and a held-back error are dropped.
  S into_inner() && { return std::move(stream_); }

 private:
  // The full batch, leaving a fresh buffer with room for `cap_` items (as Rust does).
  Item take() {
    Item full;
    full.reserve(cap_);
    full.swap(items_);
    return full;
  }
  // After S's end: the last partial batch, then the end for ever.
  Poll<std::optional<Item>, Error> end() {
    if (items_.empty()) return Ready(std::optional<Item>());
    Item last;
    last.swap(items_);
    return Ready(std::optional<Item>(std::move(last)));
  }

  S stream_;
  std::vector<typename S::Item> items_;  // the batch being filled
  std::optional<Error> err_;             // held back behind a partial batch
  std::size_t cap_;
  bool done_ = false;  // S ended: never poll it again (Rust's Fuse)
};

}  // namespace futures::stream
