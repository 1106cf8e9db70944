// Port of futures 0.1 tests/recurse.rs
//
// A future whose continuation returns its own (boxed) type, a thousand levels deep,
// driven to completion on a separate thread, as in Rust.
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <future>
#include <thread>

// One namespace per file: a unity build compiles several test files as one unit.
namespace recurse_test {

using namespace futures;

namespace {
BoxFuture<Unit, Unit> doit(std::size_t n) {
  if (n == 0) {
    return BoxFuture<Unit, Unit>(future::ok(Unit{}));
  } else {
    return BoxFuture<Unit, Unit>(future::ok(n - 1).and_then(doit));
  }
}
}  // namespace

TEST(Recurse, lots) {
  std::promise<void> tx;
  std::future<void> rx = tx.get_future();
  std::thread thread([&tx] { (void)doit(1'000).map([&tx](Unit) { tx.set_value(); }).wait(); });
  rx.get();
  thread.join();
}

}  // namespace recurse_test
