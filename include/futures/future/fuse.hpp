// futures layer: Fuse, the future returned by `fuse`. Mirrors futures 0.1
// `src/future/fuse.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace futures::future {

/// Polls A until it completes, then returns NotReady forever: polling a fused future
/// after completion is allowed (and never resolves again).
///
/// A is destroyed as soon as it completes.
///
/// Notifies: while A runs, A arranges the notification. After completion, the
/// NotReady it returns arranges none: nothing will ever wake the task for it.
template <class A>
class Fuse : public FutureExt<Fuse<A>> {
 public:
  using Item = typename A::Item;
  using Error = typename A::Error;

  explicit Fuse(A future) : future_(std::in_place, std::move(future)) {}

  /// True once A has returned Ready or an error (Rust's `is_done`).
  bool is_done() const noexcept { return !future_.has_value(); }

  Poll<Item, Error> poll() {
    if (!future_) return NotReady;
    auto polled = future_->poll();
    if (polled.is_err() || polled.unwrap_ref().is_ready()) future_.reset();
    return polled;
  }

 private:
  std::optional<A> future_;  // empty once A completed
};

}  // namespace futures::future
