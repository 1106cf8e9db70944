// futures layer: IntoStream, the stream returned by `into_stream`. Mirrors futures 0.1
// `src/future/into_stream.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <utility>

namespace futures::future {

/// A stream of one element: A's item (or A's error), then the end, Ready(nullopt),
/// on every later poll.
///
/// A is destroyed as soon as it completes.
///
/// Notifies: nothing itself; A arranges the notification when it returns NotReady.
template <class A>
class IntoStream : public StreamExt<IntoStream<A>> {
 public:
  using Item = typename A::Item;
  using Error = typename A::Error;

  explicit IntoStream(A future) : future_(std::in_place, std::move(future)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (!future_) return Ready(std::optional<Item>());
    auto polled = future_->poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    future_.reset();
    if (polled.is_err()) return Err(std::move(polled).unwrap_err());
    return Ready(std::optional<Item>(std::move(polled).unwrap().value()));
  }

 private:
  std::optional<A> future_;  // empty once A completed
};

}  // namespace futures::future
