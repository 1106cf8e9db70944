// futures layer: future::select_all and SelectAll<F>. Mirrors futures 0.1
// `src/future/select_all.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future/concept.hpp>
#include <futures/future/join_all.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>

#include <cstddef>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace futures::future {

/// Waits for the first of a list of futures to finish (Rust's `SelectAll`). Made by
/// `future::select_all(iterable)`.
///
/// Resolves to `(item, index, rest)` or fails with `(error, index, rest)`: `index` is
/// the finished future's position in the list, `rest` the other futures, unfinished
/// and in their original order (handed back, not cancelled). Each poll polls the
/// futures first to last and stops at the first that finishes.
///
/// Allocates: the list of futures, as Rust's `Vec`.
/// Notifies: nothing itself; the futures inside register the current task.
/// Aborts: polling after Ready or an error is a contract violation.
template <class F>
class SelectAll : public FutureExt<SelectAll<F>> {
 public:
  using Item = std::tuple<typename F::Item, std::size_t, std::vector<F>>;
  using Error = std::tuple<typename F::Error, std::size_t, std::vector<F>>;

  /// Aborts: an empty list is a contract violation (Rust panics).
  explicit SelectAll(std::vector<F> list) : inner_(std::move(list)) {
    if (inner_.empty()) contract_violation("select_all: the list of futures is empty");
  }

  Poll<Item, Error> poll() {
    if (inner_.empty()) contract_violation("SelectAll polled after it completed");
    for (std::size_t idx = 0; idx < inner_.size(); ++idx) {
      auto polled = inner_[idx].poll();
      if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) continue;
      detail::remove_at(inner_, idx);
      std::vector<F> rest = std::move(inner_);
      inner_.clear();  // a moved-from vector is only "valid": make it empty (= done)
      if (polled.is_err()) return Err(Error(std::move(polled).unwrap_err(), idx, std::move(rest)));
      return Ready(Item(std::move(polled).unwrap().value(), idx, std::move(rest)));
    }
    return NotReady;
  }

 private:
  std::vector<F> inner_;  // empty once completed
};

/// A future of the first of the futures (or Results) in `iterable` to finish, with its
/// index and the others. `iterable` is taken by
/// value: pass a container with std::move, or a copy is made.
///
/// Aborts: an empty `iterable` is a contract violation (Rust panics).
template <class I>
  requires std::ranges::input_range<I> && IntoFuture<std::ranges::range_value_t<I>>
auto select_all(I iterable) {
  auto list = detail::collect_futures(iterable);
  return SelectAll<typename decltype(list)::value_type>(std::move(list));
}

}  // namespace futures::future
