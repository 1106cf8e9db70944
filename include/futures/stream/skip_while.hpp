// futures layer: stream::SkipWhile, the stream returned by `skip_while`. Mirrors
// futures 0.1 `src/stream/skip_while.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// S without its leading items for which `pred(const Item&)` (FnMut) resolves true:
/// from the first false on (that item included) every item passes and `pred` is not
/// called again. `pred` returns IntoFuture<Item = bool>; its error, and S's errors,
/// are passed on (the stream goes on; an error while skipping drops the judged item).
///
/// Skipped items do not return control: SkipWhile keeps polling in the same call
/// while items and predicate futures are ready.
///
/// Notifies: nothing itself; S, or the predicate's future, arranges it on NotReady.
template <class S, class P>
class SkipWhile : public StreamExt<SkipWhile<S, P>> {
  using In = const typename S::Item&;
  static_assert(futures::detail::CallableWith<P&, In>,
                "skip_while(pred): pred must be callable with const Item&");
  using R = futures::detail::CallbackFuture<P&, In, typename S::Error>;
  static_assert(std::is_same_v<typename R::Item, bool>,
                "skip_while(pred): pred must return a future (or Result) of bool");
  static_assert(std::is_constructible_v<typename S::Error, typename R::Error>,
                "skip_while(pred): the error of pred's future must convert to this stream's Error");

 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  SkipWhile(S stream, P pred) : stream_(std::move(stream)), pred_(std::move(pred)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (done_skipping_) return stream_.poll();
    for (;;) {
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
      if (!polled.unwrap_ref().value()) {
        std::optional<Item> item(std::in_place, std::move(pending_->item));
        pending_.reset();
        done_skipping_ = true;
        return Ready(std::move(item));
      }
      pending_.reset();
    }
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
  bool done_skipping_ = false;
  [[no_unique_address]] P pred_;
};

}  // namespace futures::stream
