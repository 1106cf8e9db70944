// futures layer: stream::unfold and Unfold. Mirrors futures 0.1 `src/stream/unfold.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::stream {

namespace detail {
template <class O>
struct UnfoldReturn : std::false_type {};
template <class X>
struct UnfoldReturn<std::optional<X>> : std::bool_constant<IntoFuture<X>> {
  using Fut = IntoFutureT<X>;
};
}  // namespace detail

/// A stream built from a state `T` and a step `f(T)` (FnMut) that returns
/// `std::optional<X>`: nullopt ends the stream; X is IntoFuture (a future or a Result)
/// resolving to `std::tuple<Item, T>`: the item to yield and the next state.
///
/// One step at a time: `f` is called on the poll after the previous item was yielded.
/// An error of the step's future is yielded, and then the stream ends (there is no
/// state left to continue from). After the end, polls return Ready(nullopt).
///
/// Notifies: nothing itself; the step's future arranges the notification on NotReady.
template <class T, class F>
class Unfold : public StreamExt<Unfold<T, F>> {
  using Returned = std::remove_cvref_t<futures::detail::CallRawResult<F&, T>>;
  static_assert(detail::UnfoldReturn<Returned>::value,
                "unfold(init, f): f(state) must return std::optional of a future or a Result");
  using Fut = typename detail::UnfoldReturn<Returned>::Fut;
  static_assert(std::tuple_size_v<typename Fut::Item> == 2,
                "unfold(init, f): the future must resolve to std::tuple<Item, State>");

 public:
  using Item = std::tuple_element_t<0, typename Fut::Item>;
  using Error = typename Fut::Error;

  Unfold(T init, F f) : f_(std::move(f)), state_(std::in_place_index<1>, std::move(init)) {}

  Poll<std::optional<Item>, Error> poll() {
    for (;;) {
      switch (state_.index()) {
        case 0:
          return Ready(std::optional<Item>());
        case 1: {
          T state = std::move(std::get<1>(state_));
          state_.template emplace<0>();  // stays ended if f throws
          std::optional<typename Returned::value_type> next =
              futures::detail::call_raw(f_, std::move(state));
          if (!next) return Ready(std::optional<Item>());
          state_.template emplace<2>(futures::into_future(std::move(*next)));
          break;
        }
        default: {
          auto polled = std::get<2>(state_).poll();
          if (polled.is_err()) {
            state_.template emplace<0>();
            return Err(std::move(polled).unwrap_err());
          }
          if (polled.unwrap_ref().is_not_ready()) return NotReady;
          auto pair = std::move(polled).unwrap().value();
          state_.template emplace<1>(std::get<1>(std::move(pair)));
          return Ready(std::optional<Item>(std::in_place, std::get<0>(std::move(pair))));
        }
      }
    }
  }

 private:
  F f_;
  std::variant<std::monostate, T, Fut> state_;  // ended | ready to step | step running
};

/// Rust's `stream::unfold(init, f)`.
template <class T, class F>
Unfold<T, F> unfold(T init, F f) {
  return Unfold<T, F>(std::move(init), std::move(f));
}

}  // namespace futures::stream
