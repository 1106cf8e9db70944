// A user's program: composes futures from tokio-cpp and blocks on the result. Built by
// tools/consumer_test.sh against a subproject copy and an installed copy of tokio-cpp;
// prints one line and exits 0 when the chain resolves to the expected value.
#include <futures.hpp>

#include <cstdio>
#include <utility>

int main() {
  auto add_one = [](int x) { return x + 1; };
  auto twice = [](int x) { return futures::future::ok<int, int>(x * 2); };
  auto chain = futures::future::ok<int, int>(20).map(add_one).and_then(twice);
  futures::Result<int, int> r = std::move(chain).wait();
  if (!r.is_ok() || r.unwrap_ref() != 42) {
    std::printf("consumer: unexpected result\n");
    return 1;
  }
  std::printf("consumer: got %d\n", r.unwrap_ref());
  return 0;
}
