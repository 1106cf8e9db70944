// futures layer: future::select_ok and SelectOk<F>. Mirrors futures 0.1
// `src/future/select_ok.rs`.
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

/// Waits for the first of a list of futures to *succeed* (Rust's `SelectOk`). Made by
/// `future::select_ok(iterable)`.
///
/// Resolves to `(item, rest)`: `rest` holds the futures still unfinished, in their
/// original order (handed back, not cancelled). A future that fails is destroyed and
/// its error ignored, unless it was the last one left: then that error is the result.
/// Each poll polls the futures first to last until one finishes, and starts over after
/// an ignored error.
///
/// Allocates: the list of futures, as Rust's `Vec`.
/// Notifies: nothing itself; the futures inside register the current task.
/// Aborts: polling after Ready or an error is a contract violation.
template <class F>
class SelectOk : public FutureExt<SelectOk<F>> {
 public:
  using Item = std::tuple<typename F::Item, std::vector<F>>;
  using Error = typename F::Error;

  /// Aborts: an empty list is a contract violation (Rust panics).
  explicit SelectOk(std::vector<F> list) : inner_(std::move(list)) {
    if (inner_.empty()) contract_violation("select_ok: the list of futures is empty");
  }

  Poll<Item, Error> poll() {
    if (inner_.empty()) contract_violation("SelectOk polled after it completed");
    // Loop until a success, the last error, or nothing is ready.
    for (;;) {
      bool ignored_error = false;
      for (std::size_t idx = 0; idx < inner_.size(); ++idx) {
        auto polled = inner_[idx].poll();
        if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) continue;
        // Finished either way: destroy it now, as Rust's `drop(self.inner.remove(idx))`.
        detail::remove_at(inner_, idx);
        if (polled.is_ok()) {
          std::vector<F> rest = std::move(inner_);
          inner_.clear();  // a moved-from vector is only "valid": make it empty (= done)
          return Ready(Item(std::move(polled).unwrap().value(), std::move(rest)));
        }
        if (inner_.empty()) return Err(std::move(polled).unwrap_err());
        ignored_error = true;  // poll the rest again from the start
        break;
      }
      if (!ignored_error) return NotReady;
    }
  }

 private:
  std::vector<F> inner_;  // empty once completed
};

/// A future of the first success among the futures (or Results) in `iterable`, with
/// the unfinished others; fails with the last error if all fail. An rvalue container is
/// moved from; an lvalue one is copied.
///
/// Aborts: an empty `iterable` is a contract violation (Rust panics).
template <class I>
  requires std::ranges::input_range<I> && IntoFuture<std::ranges::range_value_t<I>>
auto select_ok(I iterable) {
  auto list = detail::collect_futures(iterable);
  return SelectOk<typename decltype(list)::value_type>(std::move(list));
}

}  // namespace futures::future
