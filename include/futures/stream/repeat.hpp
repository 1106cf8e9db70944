// futures layer: stream::repeat and Repeat. Mirrors futures 0.1 `src/stream/repeat.rs`.
#pragma once

#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

/// An endless stream of copies of one value (Rust's `Clone`); never NotReady, never
/// an error (Error `E`). Bound it with `take(n)`.
template <class T, class E>
class Repeat : public StreamExt<Repeat<T, E>> {
  static_assert(std::is_copy_constructible_v<T>, "repeat(item): the item must be copyable (Clone)");

 public:
  using Item = T;
  using Error = E;

  explicit Repeat(T item) : item_(std::move(item)) {}

  Poll<std::optional<T>, E> poll() { return Ready(std::optional<T>(std::in_place, item_)); }

 private:
  T item_;
};

/// Rust's `stream::repeat::<T, E>(item)`: `stream::repeat<int, std::string>(7)`, or
/// `stream::repeat(7)` (Error Unit).
template <class T = void, class E = Unit, class V>
auto repeat(V&& item) {
  using Item = std::conditional_t<std::is_void_v<T>, std::decay_t<V>, T>;
  return Repeat<Item, E>(Item(std::forward<V>(item)));
}

}  // namespace futures::stream
