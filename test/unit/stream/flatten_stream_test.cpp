// Port of futures 0.1 tests/future_flatten_stream.rs, followed by unit tests of
// future::FlattenStream (NotReady, the end after an error, drop).
#include <futures/future.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/contract_throw.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace flatten_stream_test {

using namespace futures;
using futures_test::ContractViolation;
using futures_test::poll_noop;
using futures_test::throw_violation;

namespace {

/// Rust's PanickingStream: a stream that must never be polled.
template <class T, class E>
struct PanickingStream : StreamExt<PanickingStream<T, E>> {
  using Item = T;
  using Error = E;
  Poll<std::optional<T>, E> poll() { throw Panic("PanickingStream polled"); }
};

}  // namespace

TEST(FutureFlattenStream, successful_future) {
  std::vector<int> stream_items{17, 19};
  auto future_of_a_stream = future::ok<void, bool>(stream::iter_ok<std::vector<int>, bool>(stream_items));

  auto stream = std::move(future_of_a_stream).flatten_stream();

  auto iter = std::move(stream).wait();
  EXPECT_EQ((Result<int, bool>(Ok(17))), iter.next().value());
  EXPECT_EQ((Result<int, bool>(Ok(19))), iter.next().value());
  EXPECT_EQ(std::nullopt, iter.next());
}

TEST(FutureFlattenStream, failed_future) {
  auto future_of_a_stream = future::err<PanickingStream<bool, std::uint32_t>, std::uint32_t>(10);
  auto stream = std::move(future_of_a_stream).flatten_stream();
  auto iter = std::move(stream).wait();
  EXPECT_EQ((Result<bool, std::uint32_t>(Err(10u))), iter.next().value());
  EXPECT_EQ(std::nullopt, iter.next());
}

// ===== Unit tests beyond the port =====

TEST(FlattenStream, not_ready_until_future_resolves_then_polls_stream_at_once) {
  using S = stream::IterOk<std::vector<int>, int>;
  futures_test::LifetimeCounts counts;
  auto slot = futures_test::make_slot<S, int>();
  auto s = futures_test::Manual<S, int>(slot, counts).flatten_stream();
  static_assert(Stream<decltype(s)>);
  static_assert(std::is_same_v<decltype(s)::Item, int>);
  ASSERT_NOT_READY(s);
  auto counter = std::make_shared<futures_test::CountingNotify>();
  slot->complete(Ok(stream::iter_ok<std::vector<int>, int>(std::vector<int>{5})));
  EXPECT_EQ(futures_test::poll_once(s, executor::NotifyHandle(counter)), Ready(std::optional<int>(5)));
  EXPECT_EQ(counts.alive(), 0);  // the future is destroyed once it resolved
  EXPECT_EQ(poll_noop(s), Ready(std::optional<int>()));
}

TEST(FlattenStream, error_then_end_then_violation) {
  auto prev = set_contract_violation_handler(&throw_violation);
  auto s = future::err<PanickingStream<int, long>, int>(3).flatten_stream();
  static_assert(std::is_same_v<decltype(s)::Error, long>);  // constructible from int
  EXPECT_EQ(poll_noop(s), Err(3L));
  EXPECT_EQ(poll_noop(s), Ready(std::optional<int>()));
  EXPECT_THROW((void)poll_noop(s), ContractViolation);
  set_contract_violation_handler(prev);
}

TEST(FlattenStream, stream_errors_are_not_terminal) {
  auto inner = stream::iter_result(std::vector<Result<int, int>>{Ok(1), Err(2), Ok(3)});
  auto s = future::ok<decltype(inner), int>(std::move(inner)).flatten_stream();
  EXPECT_EQ(poll_noop(s), Ready(std::optional<int>(1)));
  EXPECT_EQ(poll_noop(s), Err(2));
  EXPECT_EQ(poll_noop(s), Ready(std::optional<int>(3)));
  EXPECT_EQ(poll_noop(s), Ready(std::optional<int>()));
}

TEST(FlattenStream, drop_before_resolution_drops_future) {
  using S = stream::IterOk<std::vector<int>, int>;
  futures_test::LifetimeCounts counts;
  auto slot = futures_test::make_slot<S, int>();
  {
    auto s = futures_test::Manual<S, int>(slot, counts).flatten_stream();
    ASSERT_NOT_READY(s);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace flatten_stream_test
