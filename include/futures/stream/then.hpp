// futures layer: stream::Then, the stream returned by `then`. Mirrors futures 0.1
// `src/stream/then.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <utility>

namespace futures::stream {

/// Calls `f(result)` (FnMut) on each outcome of S, a `Result<Item, Error>` (items and
/// errors alike), and yields what the returned future resolves to: its item as an
/// item, its error as an error. `f` may return a future, a Result, or void (Unit, with
/// Error Unit). The end of S ends Then.
///
/// One element at a time: while the future runs, S is not polled.
///
/// Notifies: nothing itself; S, or the running future, arranges it on NotReady.
template <class S, class F>
class Then : public StreamExt<Then<S, F>> {
  using Outcome = Result<typename S::Item, typename S::Error>;
  static_assert(futures::detail::CallableWith<F&, Outcome>,
                "then(f): f must be callable with futures::Result<Item, Error>");
  static_assert(futures::detail::CallbackReturn<futures::detail::CallRawResult<F&, Outcome>>,
                "then(f): f must return a future, a futures::Result, or void");
  using U = futures::detail::CallbackFuture<F&, Outcome, Unit>;

 public:
  using Item = typename U::Item;
  using Error = typename U::Error;

  Then(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (!future_) {
      auto polled = stream_.poll();
      if (polled.is_err()) {
        future_.emplace(futures::detail::call_future<Unit>(f_, Outcome(Err(std::move(polled).unwrap_err()))));
      } else {
        if (polled.unwrap_ref().is_not_ready()) return NotReady;
        std::optional<typename S::Item> item = std::move(polled).unwrap().value();
        if (!item) return Ready(std::optional<Item>());
        future_.emplace(futures::detail::call_future<Unit>(f_, Outcome(Ok(std::move(*item)))));
      }
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
  std::optional<U> future_;  // the running f(result), if any
  [[no_unique_address]] F f_;
};

}  // namespace futures::stream
