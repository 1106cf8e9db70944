// Port of futures 0.1 tests/fuse.rs
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <cstdint>

#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace fuse_test {

using namespace futures;

TEST(Fuse, fuse) {
  auto future = executor::spawn(future::ok<int, std::uint32_t>(2).fuse());
  EXPECT_TRUE(future.poll_future_notify(futures_test::panic_notify(), 0).unwrap().is_ready());
  EXPECT_TRUE(future.poll_future_notify(futures_test::panic_notify(), 0).unwrap().is_not_ready());
}

namespace {
struct Wrapped : FutureExt<Wrapped> {
  using Item = Unit;
  using Error = Unit;

  explicit Wrapped(future::Fuse<future::FutureResult<int, std::uint32_t>> f)
      : inner(std::move(f)) {}

  Poll<Unit, Unit> poll() {
    EXPECT_FALSE(inner.is_done());
    EXPECT_EQ(inner.poll().unwrap(), Async<int>::Ready(2));
    EXPECT_TRUE(inner.is_done());
    EXPECT_EQ(inner.poll().unwrap(), Async<int>::NotReady());
    EXPECT_TRUE(inner.is_done());

    return Ready();
  }

  future::Fuse<future::FutureResult<int, std::uint32_t>> inner;
};
}  // namespace

TEST(Fuse, fuse_is_done) {
  EXPECT_TRUE(Wrapped(future::ok<int, std::uint32_t>(2).fuse()).wait().is_ok());
}

}  // namespace fuse_test
