// futures layer: StreamFuture, the future returned by `Stream::into_future`. Mirrors
// futures 0.1 `src/stream/future.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace futures::stream {

/// A future of the stream's next event together with the stream itself, so the stream
/// can be used again afterwards: resolves to `std::tuple<std::optional<Item>, S>`
/// (nullopt at the end of the stream) or fails with `std::tuple<Error, S>`.
///
/// Notifies: nothing itself; S arranges the notification when it returns NotReady.
/// Aborts: polling again after it resolved or failed is a contract violation.
template <class S>
class StreamFuture : public FutureExt<StreamFuture<S>> {
 public:
  using Item = std::tuple<std::optional<typename S::Item>, S>;
  using Error = std::tuple<typename S::Error, S>;

  explicit StreamFuture(S stream) : stream_(std::in_place, std::move(stream)) {}

  Poll<Item, Error> poll() {
    if (!stream_) contract_violation("polling StreamFuture twice");
    auto polled = stream_->poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    S stream = std::move(*stream_);
    stream_.reset();
    if (polled.is_err()) return Err(Error(std::move(polled).unwrap_err(), std::move(stream)));
    return Ready(Item(std::move(polled).unwrap().value(), std::move(stream)));
  }

  /// The stream, or nullptr once the future has completed (Rust's `Option<&S>`).
  const S* get_ref() const { return stream_ ? &*stream_ : nullptr; }
  /// The stream, or nullptr once the future has completed (Rust's `Option<&mut S>`).
  S* get_mut() { return stream_ ? &*stream_ : nullptr; }
  /// Gives the stream back without waiting (nullopt once the future has completed).
  std::optional<S> into_inner() && { return std::move(stream_); }

 private:
  std::optional<S> stream_;  // empty once the future completed
};

}  // namespace futures::stream
