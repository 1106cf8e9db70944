// expect: and_then() consumes the future
// Rust's `and_then` takes `self`: calling it on a named future must not compile.
#include <futures/future.hpp>

int main() {
  auto f = futures::future::ok<int, int>(1);
  f.and_then([](int x) { return futures::future::ok<int, int>(x + 1); });
}
