// futures layer: FutureExt<Self>, the CRTP base that gives every future its combinators
// (the provided methods of futures 0.1's `Future` trait).
//
// A future type derives from `futures::FutureExt<Self>`, declares `Item`, `Error` and
// `Poll<Item, Error> poll()`, and gets map, and_then, join, select, wait, ... . Every
// combinator consumes the future (Rust takes `self`): it is `&&`-qualified and called on
// an rvalue, `std::move(fut).map(f)`. Calling one on an lvalue fails to compile with a
// message that says so. Combinators hold their parts by value: a chain is one object
// and allocates nothing (boxed() and shared() are the exceptions, by design).
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/consumes.hpp>
#include <futures/future/concept.hpp>
#include <futures/future/detail/callback.hpp>
#include <futures/fwd.hpp>
#include <futures/poll.hpp>

#include <type_traits>
#include <utility>

namespace futures {


template <class Self>
class FutureExt {
 public:
  /// Ok(v) -> Ok(f(v)). `f` may take a tuple Item whole or spread; void gives Unit.
  template <class F>
  auto map(F f) && {
    static_assert(detail::CallableWith<F, typename Self::Item>,
                  "map(f): f must be callable with this future's Item (or its tuple elements)");
    return future::Map<Self, F>(take(), std::move(f));
  }

  /// Err(e) -> Err(f(e)). A void `f` makes the error type Unit.
  template <class F>
  auto map_err(F f) && {
    static_assert(detail::CallableWith<F, typename Self::Error>,
                  "map_err(f): f must be callable with this future's Error");
    return future::MapErr<Self, F>(take(), std::move(f));
  }

  /// Converts the error to `E` (Rust's `From`): E must be constructible from Error.
  template <class E>
  auto from_err() && {
    static_assert(std::is_constructible_v<E, typename Self::Error>,
                  "from_err<E>(): E must be constructible from this future's Error");
    return future::FromErr<Self, E>(take());
  }

  /// On success runs `f(item)` and continues with the future it returns (a future, a
  /// Result, or void). The error type of that future must equal this one's.
  template <class F>
  auto and_then(F f) && {
    using Item = typename Self::Item;
    using Error = typename Self::Error;
    static_assert(detail::CallableWith<F, Item>,
                  "and_then(f): f must be callable with this future's Item (or its tuple elements)");
    static_assert(detail::CallbackReturn<detail::CallRawResult<F, Item>>,
                  "and_then(f): f must return a future, a futures::Result, or void");
    using B = detail::CallbackFuture<F, Item, Error>;
    static_assert(std::is_same_v<typename B::Error, Error>,
                  "and_then(f): the future f returns must have the same Error type as this "
                  "future. Convert one side first: .map_err(...) or .from_err<E>() on this "
                  "future, or on the future f returns");
    return future::AndThen<Self, B, F>(take(), std::move(f));
  }

  /// On error runs `f(error)` and continues with the future it returns, whose Item
  /// must equal this one's. (A void `f` recovers with Unit and keeps the Error type.)
  template <class F>
  auto or_else(F f) && {
    using Item = typename Self::Item;
    using Error = typename Self::Error;
    static_assert(detail::CallableWith<F, Error>,
                  "or_else(f): f must be callable with this future's Error");
    static_assert(detail::CallbackReturn<detail::CallRawResult<F, Error>>,
                  "or_else(f): f must return a future, a futures::Result, or void");
    using B = detail::CallbackFuture<F, Error, Error>;
    static_assert(std::is_same_v<typename B::Item, Item>,
                  "or_else(f): the future f returns must have the same Item type as this "
                  "future; adjust it with .map(...)");
    return future::OrElse<Self, B, F>(take(), std::move(f));
  }

  /// Runs `f(result)` on either outcome and continues with the future it returns. A
  /// void `f` gives Item and Error Unit.
  template <class F>
  auto then(F f) && {
    using R = Result<typename Self::Item, typename Self::Error>;
    static_assert(detail::CallableWith<F, R>,
                  "then(f): f must be callable with futures::Result<Item, Error>");
    static_assert(detail::CallbackReturn<detail::CallRawResult<F, R>>,
                  "then(f): f must return a future, a futures::Result, or void");
    using B = detail::CallbackFuture<F, R, Unit>;
    return future::Then<Self, B, F>(take(), std::move(f));
  }

  /// Calls `f(const Item&)` on success and passes the value on.
  template <class F>
  auto inspect(F f) && {
    static_assert(std::is_invocable_v<F&, const typename Self::Item&>,
                  "inspect(f): f must be callable with const Item&");
    return future::Inspect<Self, F>(take(), std::move(f));
  }

  /// Waits for this future and every other one; Item is a std::tuple of all Items.
  /// The first error drops the others and becomes the result. All Errors must match.
  template <class... Others>
  auto join(Others... others) && {
    static_assert(sizeof...(Others) >= 1, "join(...): give at least one other future");
    static_assert((IntoFuture<Others> && ...), "join(...): every argument must be a future or a Result");
    static_assert((std::is_same_v<typename IntoFutureT<Others>::Error, typename Self::Error> && ...),
                  "join(...): every future must have the same Error type; use .map_err(...) or "
                  ".from_err<E>() first");
    return future::Join<Self, IntoFutureT<Others>...>(take(), into_future(std::move(others))...);
  }
  template <class B, class C>
  auto join3(B b, C c) && {
    return std::move(*this).join(std::move(b), std::move(c));
  }
  template <class B, class C, class D>
  auto join4(B b, C c, D d) && {
    return std::move(*this).join(std::move(b), std::move(c), std::move(d));
  }
  template <class B, class C, class D, class E>
  auto join5(B b, C c, D d, E e) && {
    return std::move(*this).join(std::move(b), std::move(c), std::move(d), std::move(e));
  }

  /// Waits for the first of this future and `other` (same Item and Error). Resolves
  /// to (value, SelectNext) or fails with (error, SelectNext): the unfinished future is
  /// handed back, not cancelled. Polls this future first every time.
  template <class B>
  auto select(B other) && {
    static_assert(IntoFuture<B>, "select(other): other must be a future or a Result");
    using BF = IntoFutureT<B>;
    static_assert(std::is_same_v<typename BF::Item, typename Self::Item> &&
                      std::is_same_v<typename BF::Error, typename Self::Error>,
                  "select(other): both futures must have the same Item and Error; use "
                  "select2 for different types");
    return future::Select<Self, BF>(take(), into_future(std::move(other)));
  }

  /// Like select for futures of different types: resolves to
  /// Either<(A::Item, B), (B::Item, A)>, fails with Either<(A::Error, B), (B::Error, A)>.
  template <class B>
  auto select2(B other) && {
    static_assert(IntoFuture<B>, "select2(other): other must be a future or a Result");
    return future::Select2<Self, IntoFutureT<B>>(take(), into_future(std::move(other)));
  }

  /// A future of a future becomes the inner future; the inner Error must be
  /// constructible from the outer one.
  auto flatten() && {
    static_assert(IntoFuture<typename Self::Item>, "flatten(): Item must itself be a future");
    return future::Flatten<Self>(take());
  }

  /// A future of a stream becomes that stream (same Error).
  auto flatten_stream() && { return future::FlattenStream<Self>(take()); }

  /// After completion, returns NotReady forever instead of violating the contract.
  auto fuse() && { return future::Fuse<Self>(take()); }

  /// A copyable future: every copy resolves to SharedItem<Item> / SharedError<Error>.
  /// Whichever copy is polled drives the inner future; safe across threads.
  auto shared() && { return future::Shared<Self>(take()); }

  /// A stream of one element (the item or the error), then the end.
  auto into_stream() && { return future::IntoStream<Self>(take()); }

  /// Catches exceptions thrown by poll: Item = Result<Item, Error>,
  /// Error = std::exception_ptr.
  auto catch_unwind() && { return future::CatchUnwind<Self>(take()); }

  /// Type-erases the future behind one heap allocation.
  auto boxed() && { return BoxFuture<typename Self::Item, typename Self::Error>(take()); }

  /// Blocks this thread until the future completes (futures 0.1 `wait`). Not for
  /// executor threads: it parks the OS thread.
  auto wait() &&;

  FUTURES_DETAIL_CONSUMES("future", map)
  FUTURES_DETAIL_CONSUMES("future", map_err)
  FUTURES_DETAIL_CONSUMES("future", and_then)
  FUTURES_DETAIL_CONSUMES("future", or_else)
  FUTURES_DETAIL_CONSUMES("future", then)
  FUTURES_DETAIL_CONSUMES("future", inspect)
  FUTURES_DETAIL_CONSUMES("future", join)
  FUTURES_DETAIL_CONSUMES("future", join3)
  FUTURES_DETAIL_CONSUMES("future", join4)
  FUTURES_DETAIL_CONSUMES("future", join5)
  FUTURES_DETAIL_CONSUMES("future", select)
  FUTURES_DETAIL_CONSUMES("future", select2)
  FUTURES_DETAIL_CONSUMES("future", flatten)
  FUTURES_DETAIL_CONSUMES("future", flatten_stream)
  FUTURES_DETAIL_CONSUMES("future", fuse)
  FUTURES_DETAIL_CONSUMES("future", shared)
  FUTURES_DETAIL_CONSUMES("future", into_stream)
  FUTURES_DETAIL_CONSUMES("future", catch_unwind)
  FUTURES_DETAIL_CONSUMES("future", boxed)
  FUTURES_DETAIL_CONSUMES("future", wait)
  template <class E, class... FuturesA>
  void from_err(FuturesA&&...) const& {
    static_assert(detail::always_false<E, FuturesA...>,
                  "from_err<E>() consumes the future (Rust takes `self`): call it on an rvalue, "
                  "e.g. std::move(x).from_err<E>()");
  }

 protected:
  FutureExt() = default;

 private:
  Self&& take() { return std::move(static_cast<Self&>(*this)); }
};

}  // namespace futures

#include <futures/executor.hpp>

template <class Self>
auto futures::FutureExt<Self>::wait() && {
  return executor::spawn(take()).wait_future();
}

// The combinators, after FutureExt is complete (Asio-style bottom includes).
#include <futures/future/and_then.hpp>
#include <futures/future/boxed.hpp>
#include <futures/future/catch_unwind.hpp>
#include <futures/future/either.hpp>
#include <futures/future/flatten.hpp>
#include <futures/future/flatten_stream.hpp>
#include <futures/future/from_err.hpp>
#include <futures/future/fuse.hpp>
#include <futures/future/inspect.hpp>
#include <futures/future/into_stream.hpp>
#include <futures/future/join.hpp>
#include <futures/future/map.hpp>
#include <futures/future/map_err.hpp>
#include <futures/future/or_else.hpp>
#include <futures/future/result.hpp>
#include <futures/future/select.hpp>
#include <futures/future/select2.hpp>
#include <futures/future/shared.hpp>
#include <futures/future/then.hpp>
