// futures layer: FutureResult and future::ok / err / result. Mirrors futures 0.1
// `future/result.rs`: a future that is ready on its first poll.
#pragma once

#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace futures::future {

/// A future holding a ready Result (Rust's `FutureResult`).
template <class T, class E>
class FutureResult : public FutureExt<FutureResult<T, E>> {
 public:
  using Item = T;
  using Error = E;

  explicit FutureResult(Result<T, E> r) : inner_(std::move(r)) {}

  /// Ready(v) or Err(e), once. Aborts if polled again.
  Poll<T, E> poll() {
    if (!inner_) contract_violation("FutureResult polled after it completed");
    Result<T, E> r = std::move(*inner_);
    inner_.reset();
    if (r.is_ok()) return Ready(std::move(r).unwrap());
    return Err(std::move(r).unwrap_err());
  }

 private:
  std::optional<Result<T, E>> inner_;
};

/// A future ready with `v`: `future::ok(1)` (Error Unit), `future::ok<int, std::string>(1)`.
template <class T = void, class E = Unit, class V>
auto ok(V&& v) {
  using Item = std::conditional_t<std::is_void_v<T>, std::decay_t<V>, T>;
  return FutureResult<Item, E>(Ok(Item(std::forward<V>(v))));
}
/// A future ready with Unit.
template <class E = Unit>
FutureResult<Unit, E> ok() {
  return FutureResult<Unit, E>(Ok(Unit{}));
}

/// A future failed with `e`: `future::err(e)` (Item Unit), `future::err<int, std::string>("bad")`.
template <class T = Unit, class E = void, class V>
auto err(V&& e) {
  using Error = std::conditional_t<std::is_void_v<E>, std::decay_t<V>, E>;
  return FutureResult<T, Error>(Err(Error(std::forward<V>(e))));
}

/// A future ready with the given Result.
template <class T, class E>
FutureResult<T, E> result(Result<T, E> r) {
  return FutureResult<T, E>(std::move(r));
}

/// Old names (futures 0.1 deprecated): finished = ok, failed = err, done = result.
template <class T = void, class E = Unit, class V>
auto finished(V&& v) {
  return ok<T, E>(std::forward<V>(v));
}
template <class T = Unit, class E = void, class V>
auto failed(V&& e) {
  return err<T, E>(std::forward<V>(e));
}
template <class T, class E>
FutureResult<T, E> done(Result<T, E> r) {
  return result(std::move(r));
}

}  // namespace futures::future
