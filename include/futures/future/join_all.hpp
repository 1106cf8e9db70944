// futures layer: future::join_all (alias future::collect) and JoinAll<F>. Mirrors
// futures 0.1 `src/future/join_all.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future/concept.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>

#include <cstddef>
#include <iterator>
#include <ranges>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace futures::future {

namespace detail {
/// Converts every element of `iterable` (owned: the caller's argument, taken by value
/// as Rust's `IntoIterator`) into its future, moving each element out.
template <class I>
auto collect_futures(I& iterable) {
  using Elem = std::ranges::range_value_t<I>;
  if constexpr (std::is_same_v<I, std::vector<Elem>> && Future<Elem>) {
    return std::move(iterable);  // already a vector of futures: reuse it
  } else {
    std::vector<IntoFutureT<Elem>> out;
    if constexpr (std::ranges::sized_range<I>) out.reserve(std::ranges::size(iterable));
    for (auto&& elem : iterable)
      out.push_back(futures::into_future(std::move(elem)));
    return out;
  }
}

/// Destroys `v[idx]`, keeping the others in order (Rust's `Vec::remove`). Futures
/// holding lambdas are not move-assignable, so those are moved into a new vector.
template <class F>
void remove_at(std::vector<F>& v, std::size_t idx) {
  if constexpr (std::is_move_assignable_v<F>) {
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(idx));
  } else {
    std::vector<F> kept;
    kept.reserve(v.size() - 1);
    for (std::size_t i = 0; i < v.size(); ++i)
      if (i != idx) kept.push_back(std::move(v[i]));
    v = std::move(kept);
  }
}
}  // namespace detail

/// Waits for every future of a list and resolves to a `std::vector` of their Items in
/// input order (Rust's `JoinAll`). Made by `future::join_all(iterable)`.
///
/// Each poll polls every unfinished future, first to last; a finished one's value is
/// stored and the future destroyed. The first error destroys (cancels) all the other
/// futures and stored values and becomes the JoinAll's error; later futures are not
/// polled in that round. An empty list resolves at once to an empty vector.
///
/// Allocates: the list of futures/values and the result vector, as Rust's `Vec`s.
/// Notifies: nothing itself; the futures inside register the current task.
/// Aborts: polling after Ready or an error is a contract violation (Rust would return
/// an empty Vec again).
template <class F>
class JoinAll : public FutureExt<JoinAll<F>> {
 public:
  using Item = std::vector<typename F::Item>;
  using Error = typename F::Error;

  explicit JoinAll(std::vector<F> list) {
    elems_.reserve(list.size());
    for (F& f : list)
      elems_.emplace_back(std::in_place_index<0>, std::move(f));
  }

  Poll<Item, Error> poll() {
    if (done_) contract_violation("JoinAll polled after it completed");
    bool all_done = true;
    for (ElemState& elem : elems_) {
      if (elem.index() == 1) continue;
      auto polled = std::get<0>(elem).poll();
      if (polled.is_err()) {
        // Drop every other future and value now, as Rust does.
        done_ = true;
        elems_ = std::vector<ElemState>();
        return Err(std::move(polled).unwrap_err());
      }
      if (polled.unwrap_ref().is_not_ready()) {
        all_done = false;
        continue;
      }
      elem.template emplace<1>(std::move(polled).unwrap().value());
    }
    if (!all_done) return NotReady;
    done_ = true;
    Item result;
    result.reserve(elems_.size());
    for (ElemState& elem : elems_)
      result.push_back(std::move(std::get<1>(elem)));
    elems_ = std::vector<ElemState>();
    return Ready(std::move(result));
  }

 private:
  using ElemState = std::variant<F, typename F::Item>;  // Pending(future), Done(item)

  std::vector<ElemState> elems_;
  bool done_ = false;
};

/// A future of the Items of every future (or Result) in `iterable`, in order; fails
/// with the first error, cancelling the rest. `iterable` is taken by value
/// (Rust's `IntoIterator`): pass a container with std::move, or a copy is made.
template <class I>
  requires std::ranges::input_range<I> && IntoFuture<std::ranges::range_value_t<I>>
auto join_all(I iterable) {
  auto list = detail::collect_futures(iterable);
  return JoinAll<typename decltype(list)::value_type>(std::move(list));
}

/// Rust's deprecated name for join_all.
template <class I>
  requires std::ranges::input_range<I> && IntoFuture<std::ranges::range_value_t<I>>
auto collect(I iterable) {
  return join_all(std::move(iterable));
}

}  // namespace futures::future
