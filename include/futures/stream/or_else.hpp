// futures layer: stream::OrElse, the stream returned by `or_else`. Mirrors futures 0.1
// `src/stream/or_else.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Calls `f(error)` (FnMut) on each error of S and yields what the returned future
/// resolves to: its item replaces the error, its error is passed on. Items and the end
/// of S pass through without calling `f`. `f` may return a future, a Result, or void
/// (recovers with Unit, keeping S's Error). The future's Item must convert to S's.
///
/// One error at a time: while the future runs, S is not polled.
///
/// Notifies: nothing itself; S, or the running future, arranges it on NotReady.
template <class S, class F>
class OrElse : public StreamExt<OrElse<S, F>> {
  static_assert(futures::detail::CallableWith<F&, typename S::Error>,
                "or_else(f): f must be callable with this stream's Error");
  static_assert(futures::detail::CallbackReturn<futures::detail::CallRawResult<F&, typename S::Error>>,
                "or_else(f): f must return a future, a futures::Result, or void");
  using U = futures::detail::CallbackFuture<F&, typename S::Error, typename S::Error>;
  static_assert(std::is_constructible_v<typename S::Item, typename U::Item>,
                "or_else(f): the item of f's future must convert to this stream's Item");

 public:
  using Item = typename S::Item;
  using Error = typename U::Error;

  OrElse(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (!future_) {
      auto polled = stream_.poll();
      if (polled.is_ok()) return Ok(std::move(polled).unwrap());
      future_.emplace(futures::detail::call_future<typename S::Error>(f_, std::move(polled).unwrap_err()));
    }
    auto polled = future_->poll();
    if (polled.is_err()) {
      future_.reset();
      return Err(std::move(polled).unwrap_err());
    }
    if (polled.unwrap_ref().is_not_ready()) return NotReady;
    future_.reset();
    return Ready(std::optional<Item>(std::in_place, std::move(polled).unwrap().value()));
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  S stream_;
  std::optional<U> future_;  // the running f(error), if any
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
