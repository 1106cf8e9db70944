// futures layer: BoxFuture<T, E>, the C++ spelling of `Box<dyn Future<Item = T,
// Error = E> + Send>`. Mirrors futures 0.1 `src/future/mod.rs` (`BoxFuture`, `boxed`,
// `impl Future for Box<F>`).
//
// It allocates, on purpose (one block per boxed future): a BoxFuture names only Item
// and Error, so functions can return futures of different concrete types, and recursive
// futures (a future whose continuation is its own type) can be written at all.
#pragma once

#include <futures/future_ext.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace futures {

namespace detail {
/// The interface a boxed future is reached through.
template <class T, class E>
class BoxedFutureBase {
 public:
  virtual ~BoxedFutureBase() = default;
  virtual Poll<T, E> poll() = 0;
};

/// A future `F` in the heap block BoxFuture owns.
template <class F, class T, class E>
class BoxedFuture final : public BoxedFutureBase<T, E> {
 public:
  template <class G>
  explicit BoxedFuture(G&& future) : future_(std::forward<G>(future)) {}
  Poll<T, E> poll() override { return future_.poll(); }

 private:
  F future_;
};
}  // namespace detail

/// A type-erased future with Item `T` and Error `E`: any future of those types, moved
/// into one heap allocation. Movable, not copyable; destroying it destroys (cancels)
/// the future inside.
///
/// Made by `std::move(f).boxed()`, or converted implicitly from any future with the
/// same Item and Error (`return future::ok<int, E>(1);` in a function returning
/// `BoxFuture<int, E>`). Boxing a BoxFuture moves it, without a second allocation.
///
/// Notifies: nothing itself; the future inside arranges the notification.
/// Aborts: polling a moved-from BoxFuture is a contract violation, as is polling after
/// completion when the future inside checks for it (every library future does).
template <class T, class E>
class BoxFuture : public FutureExt<BoxFuture<T, E>> {
 public:
  using Item = T;
  using Error = E;

  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, BoxFuture> && Future<std::remove_cvref_t<F>>)
  BoxFuture(F&& future) {  // implicit, as Rust coerces Box<F> to Box<dyn Future>
    using Fut = std::remove_cvref_t<F>;
    static_assert(std::is_same_v<typename Fut::Item, T> && std::is_same_v<typename Fut::Error, E>,
                  "BoxFuture<T, E>: the future must have Item T and Error E; adjust it first "
                  "with .map(...), .map_err(...) or .from_err<E>()");
    inner_ = std::make_unique<detail::BoxedFuture<Fut, T, E>>(std::forward<F>(future));
  }

  BoxFuture(BoxFuture&&) noexcept = default;
  BoxFuture& operator=(BoxFuture&&) noexcept = default;

  Poll<T, E> poll() {
    if (!inner_) contract_violation("BoxFuture polled after it was moved from");
    return inner_->poll();
  }

 private:
  std::unique_ptr<detail::BoxedFutureBase<T, E>> inner_;
};

namespace future {
/// futures 0.1 also names it `futures::future::BoxFuture` (deprecated there).
template <class T, class E>
using BoxFuture = futures::BoxFuture<T, E>;
}  // namespace future

}  // namespace futures
