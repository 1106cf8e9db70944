// expect: from_err<E>() consumes the future
// Rust's `from_err` takes `self`: calling it on a named future must not compile.
#include <futures/future.hpp>

int main() {
  auto f = futures::future::ok<int, int>(1);
  f.from_err<long>();
}
