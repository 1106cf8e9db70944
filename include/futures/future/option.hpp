// futures layer: future::option and OptionFuture, Rust's `impl Future for Option<F>`.
// Mirrors futures 0.1 `src/future/option.rs`.
#pragma once

#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace futures::future {

/// An optional future: empty resolves at once to Ready(nullopt); otherwise resolves to
/// the future's item wrapped in an optional, or fails with its error.
///
/// Holds nothing but the optional (as in Rust): polling after completion is passed to
/// F, which catches it (every library future does); an empty one is Ready every time.
///
/// Notifies: nothing itself; F arranges the notification when it returns NotReady.
template <class F>
class OptionFuture : public FutureExt<OptionFuture<F>> {
 public:
  using Item = std::optional<typename F::Item>;
  using Error = typename F::Error;

  explicit OptionFuture(std::optional<F> future) : future_(std::move(future)) {}

  Poll<Item, Error> poll() {
    if (!future_) return Ready(Item());
    auto polled = future_->poll();
    if (polled.is_err()) return Err(std::move(polled).unwrap_err());
    if (polled.unwrap_ref().is_not_ready()) return NotReady;
    return Ready(Item(std::move(polled).unwrap().value()));
  }

 private:
  std::optional<F> future_;
};

/// Rust's `Option<F>` used as a future: `future::option(std::optional<F>(f))`.
template <class F>
OptionFuture<F> option(std::optional<F> future) {
  static_assert(Future<F>, "future::option(opt): opt must hold a future");
  return OptionFuture<F>(std::move(future));
}

}  // namespace futures::future
