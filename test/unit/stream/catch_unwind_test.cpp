// Port of futures 0.1 tests/stream_catch_unwind.rs
//
// Rust's panic is a C++ exception here: `o.unwrap()` on None becomes
// `std::optional::value()` throwing std::bad_optional_access.
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <vector>

// One namespace per file: a unity build compiles several test files as one unit.
namespace catch_unwind_test {

using futures::Result;
namespace stream = futures::stream;

TEST(StreamCatchUnwind, panic_in_the_middle_of_the_stream) {
  auto s = stream::iter_ok<std::vector<std::optional<int>>, bool>({10, std::nullopt, 11});

  // panic on second element
  auto stream_panicking = std::move(s).map([](std::optional<int> o) { return o.value(); });
  auto iter = std::move(stream_panicking).catch_unwind().wait();

  EXPECT_EQ((Result<int, bool>(futures::Ok(10))), iter.next().value().ok().value());
  EXPECT_TRUE(iter.next().value().is_err());
  EXPECT_FALSE(iter.next().has_value());
}

TEST(StreamCatchUnwind, no_panic) {
  auto s = stream::iter_ok<std::vector<int>, bool>({10, 11, 12});

  auto iter = std::move(s).catch_unwind().wait();

  EXPECT_EQ((Result<int, bool>(futures::Ok(10))), iter.next().value().ok().value());
  EXPECT_EQ((Result<int, bool>(futures::Ok(11))), iter.next().value().ok().value());
  EXPECT_EQ((Result<int, bool>(futures::Ok(12))), iter.next().value().ok().value());
  EXPECT_FALSE(iter.next().has_value());
}

}  // namespace catch_unwind_test
