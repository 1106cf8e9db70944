// expect: f must be callable with this future's Item
// and_then's callback must accept the Item (Rust: `F: FnOnce(Self::Item) -> B`).
#include <futures/future.hpp>

#include <string>
#include <utility>

int main() {
  auto f = futures::future::ok<int, int>(1);
  auto g = std::move(f).and_then(
      [](const std::string& s) { return futures::future::ok<int, int>(int(s.size())); });
  (void)g;
}
