// futures layer: Join<Fs...>, the future returned by join / join3 / join4 / join5.
// Mirrors futures 0.1 `src/future/join.rs` (Join, Join3, Join4, Join5 and the
// `IntoFuture` impls for tuples), as one variadic template.
//
// Each part is a MaybeDone: the future while it runs, its Item once it finished (the
// future is destroyed at that moment), Gone after the Join completed.
#pragma once

#include <futures/contract.hpp>
#include <futures/future/concept.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::future {

/// Waits for every future in `Fs` and resolves to `std::tuple<Fs::Item...>`, in
/// argument order. All must have the same Error.
///
/// Every unfinished future is polled on each poll, first to last; a finished one's
/// value is stored and the future destroyed. The first error destroys (cancels) all the
/// other futures and stored values and becomes the Join's error; later futures are not
/// polled in that round.
///
/// Notifies: nothing itself; the futures inside register the current task.
/// Aborts: polling after Ready or an error is a contract violation.
template <class... Fs>
class Join : public FutureExt<Join<Fs...>> {
  static_assert(sizeof...(Fs) >= 2, "Join needs at least two futures");

 public:
  using Item = std::tuple<typename Fs::Item...>;
  using Error = typename std::tuple_element_t<0, std::tuple<Fs...>>::Error;
  static_assert((std::is_same_v<typename Fs::Error, Error> && ...),
                "join(...): every future must have the same Error type");

  explicit Join(Fs... futures)
      : elems_(MaybeDone<Fs>(std::in_place_index<0>, std::move(futures))...) {}

  Poll<Item, Error> poll() { return poll_impl(std::index_sequence_for<Fs...>{}); }

 private:
  struct Gone {};
  template <class F>
  using MaybeDone = std::variant<F, typename F::Item, Gone>;  // NotYet, Done, Gone

  template <std::size_t... Is>
  Poll<Item, Error> poll_impl(std::index_sequence<Is...>) {
    bool all_done = true;
    std::optional<Error> error;
    // Polls part I; false stops the round (an error).
    auto step = [&](auto index) {
      auto& elem = std::get<decltype(index)::value>(elems_);
      if (elem.index() == 1) return true;
      if (elem.index() != 0) contract_violation("Join polled after it completed");
      auto polled = std::get<0>(elem).poll();
      if (polled.is_err()) {
        error.emplace(std::move(polled).unwrap_err());
        return false;
      }
      if (polled.unwrap_ref().is_not_ready()) {
        all_done = false;
        return true;
      }
      elem.template emplace<1>(std::move(polled).unwrap().value());
      return true;
    };
    (step(std::integral_constant<std::size_t, Is>{}) && ...);
    if (error) {
      // Drop every other future (and stored value) now, as Rust's `erase`.
      (std::get<Is>(elems_).template emplace<2>(), ...);
      return Err(std::move(*error));
    }
    if (!all_done) return NotReady;
    Item items(std::move(std::get<1>(std::get<Is>(elems_)))...);
    (std::get<Is>(elems_).template emplace<2>(), ...);
    return Ready(std::move(items));
  }

  std::tuple<MaybeDone<Fs>...> elems_;
};

}  // namespace futures::future

// Rust's `impl IntoFuture for (A, B, ...)` lives in future/concept.hpp, beside the
// other IntoFuture rules, so every translation unit sees the same answer.
