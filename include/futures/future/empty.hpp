// futures layer: future::empty and Empty. Mirrors futures 0.1 `src/future/empty.rs`.
#pragma once

#include <futures/future_ext.hpp>

namespace futures::future {

/// A future that never completes: every poll returns NotReady.
///
/// Notifies: never; nothing will wake the task for it (as in Rust).
template <class T, class E>
class Empty : public FutureExt<Empty<T, E>> {
 public:
  using Item = T;
  using Error = E;

  Empty() = default;

  Poll<T, E> poll() { return NotReady; }
};

/// A future that never completes: `future::empty<int, std::string>()`.
template <class T = Unit, class E = Unit>
Empty<T, E> empty() {
  return Empty<T, E>();
}

}  // namespace futures::future
