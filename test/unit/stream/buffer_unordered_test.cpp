// Port of futures 0.1 tests/buffer_unordered.rs
//
// Then unit tests of BufferUnordered (include/futures/stream/buffer_unordered.hpp):
// at most n futures running, results in completion order, errors of the stream and of
// the futures passed on, the end, cancellation of running futures on destruction.
//
// Deviations from the Rust file: `std::sync::mpsc` is futures_test::StdChannel; the
// `map_err(|_| panic!())` on the receiver (whose `!` becomes Canceled) is a map_err to
// Canceled that fails the test if called.
#include <futures/executor.hpp>
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/manual_stream.hpp"
#include "support/notify.hpp"
#include "support/std_channel.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace buffer_unordered_test {

using namespace futures;
namespace oneshot = futures::sync::oneshot;
namespace mpsc = futures::sync::mpsc;
using futures_test::LifetimeCounts;
using futures_test::make_slots;
using futures_test::ManualStream;
using futures_test::Slots;
using futures_test::std_channel;

// ===== Port of tests/buffer_unordered.rs =====

TEST(BufferUnordered, works) {
  constexpr std::size_t N = 4;

  auto [tx, rx] = mpsc::channel<oneshot::Receiver<int>>(1);

  auto [tx2, rx2] = std_channel<Unit>();
  auto [tx3, rx3] = std_channel<oneshot::Sender<int>>();
  std::thread t1([tx = std::move(tx), rx2 = std::move(rx2), tx3 = std::move(tx3)]() mutable {
    for (std::size_t i = 0; i < N + 1; ++i) {
      auto [mytx, myrx] = oneshot::channel<int>();
      tx = std::move(tx).send(std::move(myrx)).wait().unwrap();
      tx3.send(std::move(mytx));
    }
    ASSERT_TRUE(rx2.recv().has_value());
    for (std::size_t i = 0; i < N; ++i) {
      auto [mytx, myrx] = oneshot::channel<int>();
      tx = std::move(tx).send(std::move(myrx)).wait().unwrap();
      tx3.send(std::move(mytx));
    }
  });

  auto [tx4, rx4] = std_channel<int>();
  std::thread t2([rx = std::move(rx), tx4 = std::move(tx4)]() mutable {
    auto items = std::move(rx)
                     .map_err([](Unit) -> oneshot::Canceled {
                       ADD_FAILURE() << "the receiver never fails";
                       return {};
                     })
                     .buffer_unordered(N)
                     .wait();
    for (auto& item : items) tx4.send(std::move(item).unwrap());
  });

  auto o1 = *rx3.recv();
  auto o2 = *rx3.recv();
  auto o3 = *rx3.recv();
  auto o4 = *rx3.recv();
  EXPECT_FALSE(rx4.try_recv().has_value());

  ASSERT_TRUE(std::move(o1).send(1).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(1));
  ASSERT_TRUE(std::move(o3).send(3).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(3));
  tx2.send(Unit{});
  ASSERT_TRUE(std::move(o2).send(2).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(2));
  ASSERT_TRUE(std::move(o4).send(4).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(4));

  auto o5 = *rx3.recv();
  auto o6 = *rx3.recv();
  auto o7 = *rx3.recv();
  auto o8 = *rx3.recv();
  auto o9 = *rx3.recv();

  ASSERT_TRUE(std::move(o5).send(5).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(5));
  ASSERT_TRUE(std::move(o8).send(8).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(8));
  ASSERT_TRUE(std::move(o9).send(9).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(9));
  ASSERT_TRUE(std::move(o7).send(7).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(7));
  ASSERT_TRUE(std::move(o6).send(6).is_ok());
  EXPECT_EQ(rx4.recv(), std::optional<int>(6));

  t1.join();
  t2.join();
}

// ===== Unit tests =====

TEST(BufferUnordered, runs_at_most_n_and_yields_in_completion_order) {
  LifetimeCounts counts;
  Slots slots = make_slots(5);
  auto s = ManualStream(&slots, &counts).buffer_unordered(2);
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 2u);
  EXPECT_EQ(slots[2]->polls, 0);

  slots[1]->complete(Ok(1));
  ASSERT_READY_EQ(s, std::optional<int>(1));
  EXPECT_EQ(s.get_ref().pulled, 2u);  // the pull ran before 1 finished
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 3u);
  EXPECT_EQ(slots[2]->polls, 1);

  slots[2]->complete(Ok(2));
  slots[0]->complete(Ok(0));
  ASSERT_READY_EQ(s, std::optional<int>(2));
  ASSERT_READY_EQ(s, std::optional<int>(0));
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 5u);
  slots[4]->complete(Ok(4));
  slots[3]->complete(Ok(3));
  ASSERT_READY_EQ(s, std::optional<int>(4));
  ASSERT_READY_EQ(s, std::optional<int>(3));
  ASSERT_READY_EQ(s, std::optional<int>());
  ASSERT_READY_EQ(s, std::optional<int>());  // fused
  EXPECT_EQ(counts.alive(), 0);
}

TEST(BufferUnordered, not_ready_stream_and_empty_queue_is_not_ready) {
  LifetimeCounts counts;
  Slots slots = make_slots(2);
  ManualStream inner(&slots, &counts);
  inner.pause_at = 0;
  auto s = std::move(inner).buffer_unordered(3);
  ASSERT_NOT_READY(s);  // nothing running, stream not ended: not the end
  s.get_mut().pause_at.reset();
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 2u);
  slots[0]->complete(Ok(0));
  slots[1]->complete(Ok(1));
  ASSERT_READY_EQ(s, std::optional<int>(0));
  ASSERT_READY_EQ(s, std::optional<int>(1));
  ASSERT_READY_EQ(s, std::optional<int>());
}

TEST(BufferUnordered, errors_pass_through) {
  LifetimeCounts counts;
  Slots slots = make_slots(2);
  ManualStream inner(&slots, &counts);
  inner.error_at = 1;
  auto s = std::move(inner).buffer_unordered(4);
  ASSERT_ERR_EQ(s, 99);  // the stream's error stops the pull and is returned
  EXPECT_EQ(s.get_ref().pulled, 1u);
  ASSERT_NOT_READY(s);
  EXPECT_EQ(s.get_ref().pulled, 2u);
  slots[0]->complete(Err(5));
  ASSERT_ERR_EQ(s, 5);
  slots[1]->complete(Ok(1));
  ASSERT_READY_EQ(s, std::optional<int>(1));
  ASSERT_READY_EQ(s, std::optional<int>());
}

TEST(BufferUnordered, destroying_cancels_running_futures) {
  LifetimeCounts counts;
  Slots slots = make_slots(3);
  {
    auto s = ManualStream(&slots, &counts).buffer_unordered(2);
    ASSERT_NOT_READY(s);
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(BufferUnordered, only_notified_futures_are_polled) {
  LifetimeCounts counts;
  Slots slots = make_slots(3);
  auto s = ManualStream(&slots, &counts).buffer_unordered(3);
  ASSERT_NOT_READY(s);
  ASSERT_NOT_READY(s);
  for (auto& slot : slots) EXPECT_EQ(slot->polls, 1);
  slots[1]->task->notify();
  ASSERT_NOT_READY(s);
  EXPECT_EQ(slots[0]->polls, 1);
  EXPECT_EQ(slots[1]->polls, 2);
  EXPECT_EQ(slots[2]->polls, 1);
}

TEST(BufferUnordered, with_oneshots_across_threads) {
  // Bounded stress: futures completed from other threads while the buffer is waited on.
  constexpr int kFutures = 200;
  std::vector<oneshot::Receiver<int>> rxs;
  std::vector<oneshot::Sender<int>> txs;
  for (int i = 0; i < kFutures; ++i) {
    auto [tx, rx] = oneshot::channel<int>();
    rxs.push_back(std::move(rx));
    txs.push_back(std::move(tx));
  }
  std::thread sender([&txs] {
    for (int i = kFutures - 1; i >= 0; --i) (void)std::move(txs[i]).send(i);
  });
  struct VecStream : StreamExt<VecStream> {
    using Item = oneshot::Receiver<int>;
    using Error = oneshot::Canceled;
    explicit VecStream(std::vector<Item> v) : items(std::move(v)) {}
    std::vector<Item> items;
    std::size_t next = 0;
    Poll<std::optional<Item>, Error> poll() {
      if (next == items.size()) return Ready(std::optional<Item>());
      return Ready(std::optional<Item>(std::move(items[next++])));
    }
  };
  auto spawn = executor::spawn(VecStream(std::move(rxs)).buffer_unordered(8));
  long sum = 0;
  int count = 0;
  while (auto next = spawn.wait_stream()) {
    sum += std::move(*next).unwrap();
    ++count;
  }
  sender.join();
  EXPECT_EQ(count, kFutures);
  EXPECT_EQ(sum, static_cast<long>(kFutures) * (kFutures - 1) / 2);
}

}  // namespace buffer_unordered_test
