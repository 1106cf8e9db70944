// Port of futures 0.1 tests/futures_ordered.rs
//
// Then unit tests of FuturesOrdered (include/futures/stream/futures_ordered.hpp) and
// Buffered (include/futures/stream/buffered.hpp): push order kept, len/is_empty, reuse
// after the end, errors yielded at once without stalling later results, and buffered(n)
// running at most n futures.
//
// Deviations from the Rust file: `Box<Any + Send>` items become std::shared_ptr<void>;
// `stream.collect().wait()` becomes a loop over Spawn::wait_stream (collect_all below).
#include <futures/executor.hpp>
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/collect.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/manual_stream.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace futures_ordered_test {

using namespace futures;
using futures::stream::FuturesOrdered;
using futures::stream::futures_ordered;
using futures::sync::oneshot::Canceled;
namespace oneshot = futures::sync::oneshot;
using futures_test::collect_all;
using futures_test::LifetimeCounts;
using futures_test::make_slot;
using futures_test::Manual;
using futures_test::ManualStream;
using futures_test::noop_notify;
using futures_test::some_ok;
using futures_test::vec;

// ===== Port of tests/futures_ordered.rs =====

TEST(FuturesOrdered, works_1) {
  auto [a_tx, a_rx] = oneshot::channel<uint32_t>();
  auto [b_tx, b_rx] = oneshot::channel<uint32_t>();
  auto [c_tx, c_rx] = oneshot::channel<uint32_t>();

  auto stream = futures_ordered(vec(std::move(a_rx), std::move(b_rx), std::move(c_rx)));

  auto spawn = executor::spawn(std::move(stream));
  ASSERT_TRUE(std::move(b_tx).send(99).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());

  ASSERT_TRUE(std::move(a_tx).send(33).is_ok());
  ASSERT_TRUE(std::move(c_tx).send(33).is_ok());
  EXPECT_EQ(some_ok<uint32_t>(33), spawn.wait_stream());
  EXPECT_EQ(some_ok<uint32_t>(99), spawn.wait_stream());
  EXPECT_EQ(some_ok<uint32_t>(33), spawn.wait_stream());
  EXPECT_EQ(std::nullopt, spawn.wait_stream());
}

TEST(FuturesOrdered, works_2) {
  auto [a_tx, a_rx] = oneshot::channel<uint32_t>();
  auto [b_tx, b_rx] = oneshot::channel<uint32_t>();
  auto [c_tx, c_rx] = oneshot::channel<uint32_t>();

  auto stream = futures_ordered(vec<BoxFuture<uint32_t, Canceled>>(
      std::move(a_rx).boxed(),
      std::move(b_rx).join(std::move(c_rx)).map([](uint32_t a, uint32_t b) { return a + b; }).boxed()));

  auto spawn = executor::spawn(std::move(stream));
  ASSERT_TRUE(std::move(a_tx).send(33).is_ok());
  ASSERT_TRUE(std::move(b_tx).send(33).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_ready());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
  ASSERT_TRUE(std::move(c_tx).send(33).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_ready());
}

TEST(FuturesOrdered, from_iterator) {
  auto stream = FuturesOrdered<future::FutureResult<uint32_t, Unit>>::from_iter(
      vec(future::ok<uint32_t, Unit>(1), future::ok<uint32_t, Unit>(2), future::ok<uint32_t, Unit>(3)));
  EXPECT_EQ(stream.len(), 3u);
  EXPECT_EQ(collect_all(std::move(stream)), (Ok(std::vector<uint32_t>{1, 2, 3})));
}

TEST(FuturesOrdered, queue_never_unblocked) {
  using Any = std::shared_ptr<void>;
  auto [a_tx, a_rx] = oneshot::channel<Any>();
  auto [b_tx, b_rx] = oneshot::channel<Any>();
  auto [c_tx, c_rx] = oneshot::channel<Any>();

  auto stream = futures_ordered(vec<BoxFuture<Any, Canceled>>(
      std::move(a_rx).boxed(),
      std::move(b_rx)
          .select(std::move(c_rx))
          .then([](auto res) -> Result<Any, Canceled> {
            return Ok(Any(std::make_shared<decltype(res)>(std::move(res))));
          })
          .boxed()));

  auto spawn = executor::spawn(std::move(stream));
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());

  ASSERT_TRUE(std::move(b_tx).send(Any(std::make_shared<Unit>())).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
  // The finished select waits (holding c_rx) behind a_rx, which never completes.
  ASSERT_TRUE(std::move(c_tx).send(Any(std::make_shared<Unit>())).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
}

// ===== Unit tests: FuturesOrdered =====

namespace {
using ManualF = Manual<int, int>;
}  // namespace

TEST(FuturesOrdered, yields_in_push_order_and_counts_waiting_results) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<futures_test::Slot<int, int>>> slots;
  FuturesOrdered<ManualF> set;
  EXPECT_TRUE(set.is_empty());
  ASSERT_READY_EQ(set, std::optional<int>());
  for (int i = 0; i < 4; ++i) {
    slots.push_back(make_slot<int, int>());
    set.push(ManualF(slots.back(), counts));
  }
  EXPECT_EQ(set.len(), 4u);
  ASSERT_NOT_READY(set);
  slots[3]->complete(Ok(3));
  slots[1]->complete(Ok(1));
  ASSERT_NOT_READY(set);
  EXPECT_EQ(set.len(), 4u);      // two in flight, two waiting
  EXPECT_EQ(counts.alive(), 2);  // finished futures are destroyed, results kept
  slots[0]->complete(Ok(0));
  ASSERT_READY_EQ(set, std::optional<int>(0));
  ASSERT_READY_EQ(set, std::optional<int>(1));
  ASSERT_NOT_READY(set);
  EXPECT_EQ(set.len(), 2u);
  slots[2]->complete(Ok(2));
  ASSERT_READY_EQ(set, std::optional<int>(2));
  ASSERT_READY_EQ(set, std::optional<int>(3));
  ASSERT_READY_EQ(set, std::optional<int>());
  EXPECT_TRUE(set.is_empty());

  // Reusable after the end; indices continue.
  auto s = make_slot<int, int>();
  set.push(ManualF(s, counts));
  ASSERT_NOT_READY(set);
  s->complete(Ok(10));
  ASSERT_READY_EQ(set, std::optional<int>(10));
  ASSERT_READY_EQ(set, std::optional<int>());
}

TEST(FuturesOrdered, error_is_yielded_at_once_and_its_turn_skipped) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<futures_test::Slot<int, int>>> slots;
  FuturesOrdered<ManualF> set;
  for (int i = 0; i < 4; ++i) {
    slots.push_back(make_slot<int, int>());
    set.push(ManualF(slots.back(), counts));
  }
  ASSERT_NOT_READY(set);
  slots[2]->complete(Ok(2));
  slots[1]->complete(Err(-1));
  ASSERT_ERR_EQ(set, -1);  // out of order, at once
  EXPECT_EQ(set.len(), 3u);
  ASSERT_NOT_READY(set);  // 0 is not done
  slots[0]->complete(Err(-0));
  ASSERT_ERR_EQ(set, 0);
  // 0 and 1 are taken: 2 comes next, without stalling (futures 0.1.31 would stall).
  ASSERT_READY_EQ(set, std::optional<int>(2));
  slots[3]->complete(Ok(3));
  ASSERT_READY_EQ(set, std::optional<int>(3));
  ASSERT_READY_EQ(set, std::optional<int>());
  EXPECT_TRUE(set.is_empty());
}

TEST(FuturesOrdered, move_only_items) {
  auto [tx, rx] = oneshot::channel<std::unique_ptr<int>>();
  auto [tx2, rx2] = oneshot::channel<std::unique_ptr<int>>();
  auto set = futures_ordered(vec(std::move(rx), std::move(rx2)));
  ASSERT_TRUE(std::move(tx2).send(std::make_unique<int>(2)).is_ok());
  ASSERT_NOT_READY(set);
  ASSERT_TRUE(std::move(tx).send(std::make_unique<int>(1)).is_ok());
  auto spawn = executor::spawn(std::move(set));
  auto first = spawn.wait_stream();
  ASSERT_TRUE(first && first->is_ok());
  EXPECT_EQ(*std::move(*first).unwrap(), 1);
  auto second = spawn.wait_stream();
  ASSERT_TRUE(second && second->is_ok());
  EXPECT_EQ(*std::move(*second).unwrap(), 2);
}

TEST(FuturesOrdered, destroying_drops_futures_and_waiting_results) {
  LifetimeCounts counts;
  auto a = make_slot<int, int>();
  auto b = make_slot<int, int>();
  {
    FuturesOrdered<ManualF> set;
    set.push(ManualF(a, counts));
    set.push(ManualF(b, counts));
    ASSERT_NOT_READY(set);
    b->complete(Ok(1));
    ASSERT_NOT_READY(set);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

// ===== Unit tests: Buffered =====

TEST(Buffered, runs_at_most_n_and_yields_in_order) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<futures_test::Slot<int, int>>> slots;
  for (int i = 0; i < 5; ++i) slots.push_back(make_slot<int, int>());
  auto s = ManualStream(&slots, &counts).buffered(2);
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 2u);
  EXPECT_EQ(slots[0]->polls, 1);
  EXPECT_EQ(slots[1]->polls, 1);
  EXPECT_EQ(slots[2]->polls, 0);

  slots[1]->complete(Ok(1));
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 2u);  // a finished result still waits its turn: n = 2
  slots[0]->complete(Ok(0));
  ASSERT_READY_EQ(s, std::optional<int>(0));
  ASSERT_READY_EQ(s, std::optional<int>(1));
  EXPECT_EQ(s.get_ref().pulled, 3u);
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 4u);
  slots[3]->complete(Ok(3));
  slots[2]->complete(Ok(2));
  ASSERT_READY_EQ(s, std::optional<int>(2));
  ASSERT_READY_EQ(s, std::optional<int>(3));
  slots[4]->complete(Ok(4));
  ASSERT_READY_EQ(s, std::optional<int>(4));
  ASSERT_READY_EQ(s, std::optional<int>());
  ASSERT_READY_EQ(s, std::optional<int>());  // fused
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Buffered, stream_errors_pass_through) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<futures_test::Slot<int, int>>> slots;
  for (int i = 0; i < 2; ++i) slots.push_back(make_slot<int, int>());
  ManualStream inner(&slots, &counts);
  inner.error_at = 1;
  auto s = std::move(inner).buffered(4);
  ASSERT_ERR_EQ(s, 99);  // the stream's error stops the pull and is returned
  EXPECT_EQ(s.get_ref().pulled, 1u);
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 2u);
  slots[1]->complete(Ok(1));
  slots[0]->complete(Err(5));
  ASSERT_ERR_EQ(s, 5);
  ASSERT_READY_EQ(s, std::optional<int>(1));
  ASSERT_READY_EQ(s, std::optional<int>());
}

namespace {
/// An always-ready stream of the given items (stream::iter_ok's shape, kept local).
template <class T>
struct VecStream : StreamExt<VecStream<T>> {
  using Item = T;
  using Error = int;
  explicit VecStream(std::vector<T> v) : items(std::move(v)) {}
  std::vector<T> items;
  std::size_t next = 0;
  Poll<std::optional<T>, int> poll() {
    if (next == items.size()) return Ready(std::optional<T>());
    return Ready(std::optional<T>(std::move(items[next++])));
  }
};
}  // namespace

TEST(Buffered, items_may_be_results) {
  auto s = VecStream<Result<int, int>>({Ok(1), Err(2), Ok(3)}).buffered(2);
  // Both first futures finish in the first poll; the error comes out at once (as in
  // Rust, where `in_progress.poll()?` returns before the ordered item is yielded).
  ASSERT_ERR_EQ(s, 2);
  ASSERT_READY_EQ(s, std::optional<int>(1));
  ASSERT_READY_EQ(s, std::optional<int>(3));
  ASSERT_READY_EQ(s, std::optional<int>());
}

TEST(Buffered, into_inner_cancels_running_futures) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<futures_test::Slot<int, int>>> slots;
  for (int i = 0; i < 3; ++i) slots.push_back(make_slot<int, int>());
  auto s = ManualStream(&slots, &counts).buffered(2);
  ASSERT_NOT_READY(s);
  EXPECT_EQ(counts.alive(), 2);
  ManualStream inner = std::move(s).into_inner();
  EXPECT_EQ(inner.pulled, 2u);
  { auto gone = std::move(s); }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace futures_ordered_test
