// futures layer: ForEach, the future returned by `Stream::for_each`. Mirrors futures 0.1
// `src/stream/for_each.rs`.
#pragma once

#include <futures/future/result.hpp>
#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// Runs `f(item)` for every item of S, in order: f (called as an lvalue, Rust's FnMut)
/// returns an IntoFuture with Item = Unit (or void), which is run to completion before
/// the next item is pulled. Resolves to Unit once S has ended and the last future has
/// finished. Each future is destroyed as soon as it completes.
///
/// Errors: the first error, of S or of a future f returned, fails the ForEach (the
/// future's Error must be S's Error or convertible to it); nothing more is pulled.
/// Notifies: nothing itself; S or the running future arranges the notification.
/// Aborts: polling again after it resolved or failed is a contract violation.
template <class S, class F>
class ForEach : public FutureExt<ForEach<S, F>> {
  using Fut = futures::detail::CallbackFuture<F&, typename S::Item, typename S::Error>;
  static_assert(std::is_same_v<typename Fut::Item, Unit>,
                "for_each(f): f must return void, a Result<Unit, E> or a future of Unit");
  static_assert(std::is_constructible_v<typename S::Error, typename Fut::Error&&>,
                "for_each(f): the Error of what f returns must be the stream's Error (or "
                "convertible to it)");

 public:
  using Item = Unit;
  using Error = typename S::Error;

  ForEach(S stream, F f) : stream_(std::move(stream)), f_(std::move(f)) {}

  Poll<Unit, Error> poll() {
    if (done_) contract_violation("ForEach polled after it completed");
    for (;;) {
      if (fut_) {
        auto polled = fut_->poll();
        if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
        fut_.reset();
        if (polled.is_err()) return fail(Error(std::move(polled).unwrap_err()));
      }
      auto polled = stream_.poll();
      if (polled.is_err()) return fail(std::move(polled).unwrap_err());
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      auto item = std::move(polled).unwrap().value();
      if (!item) {
        done_ = true;
        return Ready(Unit{});
      }
      fut_.emplace(futures::detail::call_future<Error>(f_, std::move(*item)));
    }
  }

 private:
  Poll<Unit, Error> fail(Error e) {
    done_ = true;
    return Err(std::move(e));
  }

  S stream_;
  [[no_unique_address]] F f_;
  std::optional<Fut> fut_;  // the future of the current item, while it runs
  bool done_ = false;
};

}  // namespace futures::stream
