// Test support: Rust's `drop(x)` for a value the test still names: moves it into a
// temporary that is destroyed at once, leaving x moved-from.
#pragma once

#include <utility>

namespace futures_test {

template <class T>
void drop(T& x) {
  T gone(std::move(x));
}

}  // namespace futures_test
