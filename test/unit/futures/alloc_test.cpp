// Allocation and size budget of combinator chains (issue: "a chain of 10 combinators
// over a ready future allocates nothing"). Its own executable: it replaces the global
// operator new to count allocations (support/counting_new.cpp).
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include "support/counting_new.hpp"
#include "support/notify.hpp"

using namespace futures;

namespace {

auto ten_deep_chain() {
  return future::ok<int, int>(1)
      .map([](int x) { return x + 1; })
      .and_then([](int x) { return future::ok<int, int>(x * 2); })
      .map_err([](int e) { return e + 1; })
      .inspect([](const int&) {})
      .then([](Result<int, int> r) { return r; })
      .or_else([](int e) { return Result<int, int>(Err(e)); })
      .from_err<long>()
      .map([](int x) { return x + 3; })
      .and_then([](int x) { return Result<int, long>(Ok(x * 10)); })
      .fuse();
}

}  // namespace

TEST(Alloc, ten_combinator_chain_over_a_ready_future_allocates_nothing) {
  auto handle = futures_test::noop_notify();  // allocated before counting starts
  long before = test_support::allocations();
  auto chain = ten_deep_chain();
  auto polled = futures_test::poll_once(chain, handle);
  long after = test_support::allocations();
  EXPECT_EQ(polled, Ready(70));
  EXPECT_EQ(after - before, 0) << "building and polling the chain allocated";
}

TEST(Alloc, wait_on_a_ready_chain_allocates_nothing_after_the_first_wait) {
  (void)future::ok<int, int>(0).wait();  // the thread's parker is created lazily, once
  long before = test_support::allocations();
  auto r = ten_deep_chain().wait();
  EXPECT_EQ(test_support::allocations() - before, 0);
  EXPECT_EQ(r, Ok(70));
}

TEST(Alloc, sizeof_map_and_and_then_is_parts_plus_a_small_state) {
  using Ready = future::FutureResult<int, int>;
  auto add = [](int x) { return x + 1; };
  using M = future::Map<Ready, decltype(add)>;
  // The stateless callback costs at most the optional's flag, rounded to alignment.
  EXPECT_LE(sizeof(M), sizeof(Ready) + alignof(Ready));

  int captured = 5;
  auto chain_fn = [captured](int x) { return future::ok<int, int>(x + captured); };
  using B = future::FutureResult<int, int>;
  using AT = future::AndThen<Ready, B, decltype(chain_fn)>;
  // First {A, F} or Second {B}, plus the variant index.
  std::size_t parts = std::max(sizeof(Ready) + sizeof(chain_fn), sizeof(B));
  EXPECT_LE(sizeof(AT), parts + alignof(std::max_align_t));
}

// ---------------------------------------------------------------------------------
// Streams (issue 3): a pipeline over a range allocates nothing per item.
#include <futures/stream.hpp>

#include <cstdint>
#include <ranges>

TEST(Alloc, stream_pipeline_over_ten_million_items_allocates_nothing) {
  constexpr int kItems = 10'000'000;
  auto handle = futures_test::noop_notify();  // allocated before counting starts
  long before = test_support::allocations();
  auto sum = stream::iter_ok(std::views::iota(0, kItems))
                 .map([](int x) { return std::int64_t{x} * 3; })
                 .filter([](const std::int64_t& x) { return x % 2 == 0; })
                 .fold(std::int64_t{0}, [](std::int64_t acc, std::int64_t x) {
                   return future::ok<std::int64_t, Unit>(acc + x);
                 });
  auto polled = futures_test::poll_once(sum, handle);
  long after = test_support::allocations();
  // The even multiples of 3 below 3 * kItems: 6 * (0 + 1 + ... + (kItems / 2 - 1)).
  std::int64_t half = kItems / 2;
  EXPECT_EQ(polled, Ready(6 * (half * (half - 1) / 2)));
  EXPECT_EQ(after - before, 0) << "the stream pipeline allocated";
}

TEST(Alloc, stream_pipeline_wait_allocates_nothing_after_the_first_wait) {
  (void)future::ok<int, int>(0).wait();  // the thread's parker is created lazily, once
  long before = test_support::allocations();
  auto r = stream::iter_ok<std::ranges::iota_view<int, int>, int>(std::views::iota(0, 1'000'000))
               .filter([](const int& x) { return x % 3 == 0; })
               .map([](int x) { return std::int64_t{x}; })
               .take(10)
               .fold(std::int64_t{0}, [](std::int64_t acc, std::int64_t x) { return Result<std::int64_t, int>(Ok(acc + x)); })
               .wait();
  EXPECT_EQ(test_support::allocations() - before, 0);
  EXPECT_EQ(r, Ok(std::int64_t{135}));
}
