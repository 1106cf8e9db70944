// Port of futures 0.1 tests/inspect.rs
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <cstdint>

// One namespace per file: a unity build compiles several test files as one unit.
namespace inspect_test {

using namespace futures;

TEST(Inspect, smoke) {
  std::uint32_t counter = 0;

  {
    auto work = future::ok<std::uint32_t, std::uint32_t>(40).inspect(
        [&](const std::uint32_t& val) { counter += val; });
    EXPECT_EQ(std::move(work).wait(), Ok(40u));
  }

  EXPECT_EQ(counter, 40u);

  {
    auto work = future::err<std::uint32_t, std::uint32_t>(4).inspect(
        [&](const std::uint32_t& val) { counter += val; });
    EXPECT_EQ(std::move(work).wait(), Err(4u));
  }

  EXPECT_EQ(counter, 40u);
}

}  // namespace inspect_test
