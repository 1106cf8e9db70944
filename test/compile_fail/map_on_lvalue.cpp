// expect: map() consumes the future
// Rust's `map` takes `self`: calling it on a named future must not compile; the message
// says to write std::move(f).map(...).
#include <futures/future.hpp>

int main() {
  auto f = futures::future::ok<int, int>(1);
  f.map([](int x) { return x + 1; });
}
