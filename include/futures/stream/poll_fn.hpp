// futures layer: stream::poll_fn and PollFn. Mirrors futures 0.1 `src/stream/poll_fn.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

namespace detail {
template <class P>
struct PollOptionTraits {};
template <class T, class E>
struct PollOptionTraits<Poll<std::optional<T>, E>> {
  using Item = T;
  using Error = E;
};
}  // namespace detail

/// A stream whose poll is `f()`, a callable (FnMut) returning
/// `Poll<std::optional<T>, E>`; Item T, Error E.
///
/// `f` is called on every poll and owns the contract: NotReady means it arranged a
/// notification of task::current(); what it does after the end is up to it.
template <class F>
class PollFn : public StreamExt<PollFn<F>> {
  using Returned = std::invoke_result_t<F&>;
  static_assert(
      requires { typename detail::PollOptionTraits<Returned>::Item; },
      "stream::poll_fn(f): f() must return futures::Poll<std::optional<T>, E>");

 public:
  using Item = typename detail::PollOptionTraits<Returned>::Item;
  using Error = typename detail::PollOptionTraits<Returned>::Error;

  explicit PollFn(F f) : f_(std::move(f)) {}

  Poll<std::optional<Item>, Error> poll() { return std::invoke(f_); }

 private:
  F f_;
};

/// Wraps `f() -> Poll<std::optional<T>, E>` into a stream.
template <class F>
PollFn<F> poll_fn(F f) {
  static_assert(std::is_invocable_v<F&>, "stream::poll_fn(f): f must be callable with no arguments");
  return PollFn<F>(std::move(f));
}

}  // namespace futures::stream
