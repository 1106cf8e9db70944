// expect: same Error type
// and_then's callback must return a future with the same Error as the first future
// (Rust: `B: IntoFuture<Error = Self::Error>`); the message suggests map_err/from_err.
#include <futures/future.hpp>

#include <string>
#include <utility>

int main() {
  auto f = futures::future::ok<int, int>(1);
  auto g =
      std::move(f).and_then([](int x) { return futures::future::ok<int, std::string>(x + 1); });
  (void)g;
}
