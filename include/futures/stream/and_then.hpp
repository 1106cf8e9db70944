// futures layer: stream::AndThen, the stream returned by `and_then`. Mirrors futures
// 0.1 `src/stream/and_then.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Calls `f(item)` (FnMut; tuple items may be taken spread) on each item of S and
/// yields what the returned future resolves to; its error becomes an error of the
/// stream (which goes on). Errors of S pass through without calling `f`. `f` may
/// return a future, a Result, or void (Unit). The future's Error must convert to S's.
///
/// One item at a time: while the future runs, S is not polled.
///
/// Notifies: nothing itself; S, or the running future, arranges it on NotReady.
template <class S, class F>
class AndThen : public StreamExt<AndThen<S, F>> {
  static_assert(futures::detail::CallableWith<F&, typename S::Item>,
                "and_then(f): f must be callable with this stream's Item");
  static_assert(futures::detail::CallbackReturn<futures::detail::CallRawResult<F&, typename S::Item>>,
                "and_then(f): f must return a future, a futures::Result, or void");
  using U = futures::detail::CallbackFuture<F&, typename S::Item, typename S::Error>;
  static_assert(std::is_constructible_v<typename S::Error, typename U::Error>,
                "and_then(f): the error of f's future must convert to this stream's Error");

 public:
  using Item = typename U::Item;
  using Error = typename S::Error;

  AndThen(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (!future_) {
      std::optional<typename S::Item> item = FUTURES_TRY_READY(stream_.poll());
      if (!item) return Ready(std::optional<Item>());
      future_.emplace(futures::detail::call_future<Error>(f_, std::move(*item)));
    }
    auto polled = future_->poll();
    if (polled.is_err()) {
      future_.reset();
      return Err(Error(std::move(polled).unwrap_err()));
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
  std::optional<U> future_;  // the running f(item), if any
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
