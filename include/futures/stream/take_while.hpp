// futures layer: stream::TakeWhile, the stream returned by `take_while`. Mirrors
// futures 0.1 `src/stream/take_while.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// The items of S while `pred(const Item&)` (FnMut) resolves true, then the end: the
/// first false ends TakeWhile for good (S is not polled again) and drops that item.
/// `pred` returns IntoFuture<Item = bool> (a future, a Result, or a bool future);
/// its error, and S's errors, are passed on (the stream goes on).
///
/// One item at a time: while the predicate's future runs, S is not polled.
///
/// Notifies: nothing itself; S, or the predicate's future, arranges it on NotReady.
template <class S, class P>
class TakeWhile : public StreamExt<TakeWhile<S, P>> {
  using In = const typename S::Item&;
  static_assert(futures::detail::CallableWith<P&, In>,
                "take_while(pred): pred must be callable with const Item&");
  using R = futures::detail::CallbackFuture<P&, In, typename S::Error>;
  static_assert(std::is_same_v<typename R::Item, bool>,
                "take_while(pred): pred must return a future (or Result) of bool");
  static_assert(std::is_constructible_v<typename S::Error, typename R::Error>,
                "take_while(pred): the error of pred's future must convert to this stream's Error");

 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  TakeWhile(S stream, P pred) : stream_(std::move(stream)), pred_(std::move(pred)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (done_taking_) return Ready(std::optional<Item>());
    if (!pending_) {
      std::optional<Item> item = FUTURES_TRY_READY(stream_.poll());
      if (!item) return Ready(std::optional<Item>());
      R fut = futures::detail::call_future<Error>(pred_, std::as_const(*item));
      pending_.emplace(Pending{std::move(fut), std::move(*item)});
    }
    auto polled = pending_->fut.poll();
    if (polled.is_err()) {
      pending_.reset();
      return Err(Error(std::move(polled).unwrap_err()));
    }
    if (polled.unwrap_ref().is_not_ready()) return NotReady;
    if (polled.unwrap_ref().value()) {
      std::optional<Item> item(std::in_place, std::move(pending_->item));
      pending_.reset();
      return Ready(std::move(item));
    }
    done_taking_ = true;
    pending_.reset();
    return Ready(std::optional<Item>());
  }

  const S& get_ref() const { return stream_; }
  S& get_mut() { return stream_; }
  S into_inner() && { return std::move(stream_); }

 private:
  struct Pending {
    R fut;
    Item item;
  };

  S stream_;
  std::optional<Pending> pending_;  // the item being judged and pred's future for it
  bool done_taking_ = false;
  [[no_unique_address]] P pred_;
};

}  // namespace futures::stream
