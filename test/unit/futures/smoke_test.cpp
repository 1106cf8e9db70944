#include <futures/future.hpp>

#include <gtest/gtest.h>

#include "support/assert_poll.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace smoke_test {

using namespace futures;

TEST(Smoke, map_and_then_wait) {
  auto f = future::ok<int, int>(1)
               .map([](int x) { return x + 1; })
               .and_then([](int x) { return future::ok<int, int>(x * 10); })
               .and_then([](int x) { return Result<int, int>(Ok(x + 3)); });
  EXPECT_EQ(std::move(f).wait(), Ok(23));
}

TEST(Smoke, error_short_circuits) {
  bool called = false;
  auto f = future::err<int, int>(7).and_then([&](int) { called = true; });
  ASSERT_ERR_EQ(f, 7);
  EXPECT_FALSE(called);
}

}  // namespace smoke_test
