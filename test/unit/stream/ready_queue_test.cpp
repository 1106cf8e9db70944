// Port of futures 0.1 tests/ready_queue.rs
//
// Then unit tests of the intrusive MPSC "ready to run" queue on its own
// (include/futures/stream/detail/ready_to_run_queue.hpp): FIFO order, the stub, reuse of
// nodes, and a bounded multi-producer stress (run under ThreadSanitizer).
//
// Deviations from the Rust file: `AssertSendSync` (a compile-time Send + Sync check)
// has no C++ counterpart; `queue.wait()` + `take(n)` becomes n calls of
// Spawn::wait_stream(); `panic::catch_unwind` becomes EXPECT_THROW.
#include <futures/executor.hpp>
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/stream/detail/ready_to_run_queue.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/drop.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace ready_queue_test {

using namespace futures;
using futures::stream::FuturesUnordered;
using futures::sync::oneshot::Canceled;
namespace oneshot = futures::sync::oneshot;
using futures_test::drop;

namespace {
using Str = std::string_view;
using Polled = Async<std::optional<Str>>;
}  // namespace

// ===== Port of tests/ready_queue.rs =====

TEST(ReadyQueue, basic_usage) {
  auto r = future::lazy([]() -> Result<Unit, Unit> {
             FuturesUnordered<oneshot::Receiver<Str>> queue;
             auto [tx1, rx1] = oneshot::channel<Str>();
             auto [tx2, rx2] = oneshot::channel<Str>();
             auto [tx3, rx3] = oneshot::channel<Str>();

             queue.push(std::move(rx1));
             queue.push(std::move(rx2));
             queue.push(std::move(rx3));

             EXPECT_FALSE(queue.poll().unwrap().is_ready());

             EXPECT_TRUE(std::move(tx2).send("hello").is_ok());

             EXPECT_EQ(Polled::Ready(Str("hello")), queue.poll().unwrap());
             EXPECT_FALSE(queue.poll().unwrap().is_ready());

             EXPECT_TRUE(std::move(tx1).send("world").is_ok());
             EXPECT_TRUE(std::move(tx3).send("world2").is_ok());

             EXPECT_EQ(Polled::Ready(Str("world")), queue.poll().unwrap());
             EXPECT_EQ(Polled::Ready(Str("world2")), queue.poll().unwrap());
             EXPECT_EQ(Polled::Ready(std::nullopt), queue.poll().unwrap());

             return Ok();
           }).wait();
  EXPECT_TRUE(r.is_ok());
}

TEST(ReadyQueue, resolving_errors) {
  auto r = future::lazy([]() -> Result<Unit, Unit> {
             FuturesUnordered<oneshot::Receiver<Str>> queue;
             auto [tx1, rx1] = oneshot::channel<Str>();
             auto [tx2, rx2] = oneshot::channel<Str>();
             auto [tx3, rx3] = oneshot::channel<Str>();

             queue.push(std::move(rx1));
             queue.push(std::move(rx2));
             queue.push(std::move(rx3));

             EXPECT_FALSE(queue.poll().unwrap().is_ready());

             drop(tx2);

             EXPECT_TRUE(queue.poll().is_err());
             EXPECT_FALSE(queue.poll().unwrap().is_ready());

             drop(tx1);
             EXPECT_TRUE(std::move(tx3).send("world2").is_ok());

             EXPECT_TRUE(queue.poll().is_err());
             EXPECT_EQ(Polled::Ready(Str("world2")), queue.poll().unwrap());
             EXPECT_EQ(Polled::Ready(std::nullopt), queue.poll().unwrap());

             return Ok();
           }).wait();
  EXPECT_TRUE(r.is_ok());
}

TEST(ReadyQueue, dropping_ready_queue) {
  auto r = future::lazy([]() -> Result<Unit, Unit> {
             std::optional<FuturesUnordered<oneshot::Receiver<Unit>>> queue(std::in_place);
             auto [tx1, rx1] = oneshot::channel<Unit>();
             auto [tx2, rx2] = oneshot::channel<Unit>();
             auto [tx3, rx3] = oneshot::channel<Unit>();

             queue->push(std::move(rx1));
             queue->push(std::move(rx2));
             queue->push(std::move(rx3));

             EXPECT_FALSE(tx1.poll_cancel().unwrap().is_ready());
             EXPECT_FALSE(tx2.poll_cancel().unwrap().is_ready());
             EXPECT_FALSE(tx3.poll_cancel().unwrap().is_ready());

             queue.reset();  // drop(queue)

             EXPECT_TRUE(tx1.poll_cancel().unwrap().is_ready());
             EXPECT_TRUE(tx2.poll_cancel().unwrap().is_ready());
             EXPECT_TRUE(tx3.poll_cancel().unwrap().is_ready());

             return Ok();
           }).wait();
  EXPECT_TRUE(r.is_ok());
}

TEST(ReadyQueue, stress) {
  constexpr std::size_t kIter = 300;

  for (std::size_t i = 0; i < kIter; ++i) {
    const std::size_t n = (i % 10) + 1;

    FuturesUnordered<oneshot::Receiver<std::size_t>> queue;

    for (int round = 0; round < 5; ++round) {
      std::barrier barrier(static_cast<std::ptrdiff_t>(n + 1));
      std::vector<std::thread> threads;

      for (std::size_t num = 0; num < n; ++num) {
        auto [tx, rx] = oneshot::channel<std::size_t>();
        queue.push(std::move(rx));
        threads.emplace_back([&barrier, tx = std::move(tx), num]() mutable {
          barrier.arrive_and_wait();
          (void)std::move(tx).send(num).unwrap();
        });
      }

      barrier.arrive_and_wait();

      auto sync = executor::spawn(std::move(queue));
      std::vector<std::size_t> rx;
      for (std::size_t k = 0; k < n; ++k) {
        auto next = sync.wait_stream();
        ASSERT_TRUE(next.has_value());
        rx.push_back(std::move(*next).unwrap());
      }
      for (auto& t : threads) t.join();

      ASSERT_EQ(rx.size(), n);
      std::sort(rx.begin(), rx.end());
      for (std::size_t num = 0; num < n; ++num) ASSERT_EQ(rx[num], num);

      queue = std::move(sync).into_inner();
    }
  }
}

TEST(ReadyQueue, panicking_future_dropped) {
  auto r = future::lazy([]() -> Result<Unit, Unit> {
             auto f = future::poll_fn([]() -> Poll<int, int> { throw std::runtime_error("panic"); });
             FuturesUnordered<decltype(f)> queue;
             queue.push(std::move(f));

             EXPECT_THROW((void)queue.poll(), std::runtime_error);
             EXPECT_TRUE(queue.is_empty());
             EXPECT_EQ(Async<std::optional<int>>::Ready(std::nullopt), queue.poll().unwrap());

             return Ok();
           }).wait();
  EXPECT_TRUE(r.is_ok());
}

// ===== Unit tests of ReadyToRunQueue =====

namespace {
using futures::stream::detail::DequeueKind;
using futures::stream::detail::ReadyNode;
using futures::stream::detail::ReadyToRunQueue;

struct TestNode : ReadyNode {
  int value = 0;
};

int pop_value(ReadyToRunQueue& q) {
  auto d = q.dequeue();
  if (d.kind != DequeueKind::Data) return -1;
  return static_cast<TestNode*>(d.node)->value;
}
}  // namespace

TEST(ReadyToRunQueue, empty_then_fifo) {
  ReadyToRunQueue q;
  EXPECT_EQ(q.dequeue().kind, DequeueKind::Empty);
  TestNode nodes[4];
  for (int i = 0; i < 4; ++i) {
    nodes[i].value = i;
    q.enqueue(&nodes[i]);
  }
  for (int i = 0; i < 4; ++i) EXPECT_EQ(pop_value(q), i);
  EXPECT_EQ(q.dequeue().kind, DequeueKind::Empty);
  EXPECT_EQ(q.dequeue().kind, DequeueKind::Empty);
}

TEST(ReadyToRunQueue, nodes_are_reused_after_dequeue) {
  ReadyToRunQueue q;
  TestNode a, b;
  a.value = 1;
  b.value = 2;
  for (int round = 0; round < 3; ++round) {
    q.enqueue(&a);
    EXPECT_EQ(pop_value(q), 1);  // the last node: the stub goes behind it
    q.enqueue(&b);
    q.enqueue(&a);
    EXPECT_EQ(pop_value(q), 2);
    EXPECT_EQ(pop_value(q), 1);
    EXPECT_EQ(q.dequeue().kind, DequeueKind::Empty);
  }
}

TEST(ReadyToRunQueue, stub_is_never_returned) {
  ReadyToRunQueue q;
  TestNode a;
  for (int i = 0; i < 10; ++i) {
    q.enqueue(&a);
    auto d = q.dequeue();
    ASSERT_EQ(d.kind, DequeueKind::Data);
    EXPECT_NE(d.node, q.stub());
    EXPECT_EQ(d.node, &a);
  }
}

TEST(ReadyToRunQueue, many_producers_one_consumer) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 5000;
  ReadyToRunQueue q;
  std::vector<TestNode> nodes(kProducers * kPerProducer);
  for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i].value = static_cast<int>(i);

  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int k = 0; k < kPerProducer; ++k) q.enqueue(&nodes[p * kPerProducer + k]);
    });
  }
  // Per producer, values come out in the order that producer enqueued them.
  std::vector<int> last(kProducers, -1);
  std::size_t received = 0;
  while (received < nodes.size()) {
    auto d = q.dequeue();
    if (d.kind != DequeueKind::Data) {
      std::this_thread::yield();  // Empty or Inconsistent: producers are still at work
      continue;
    }
    int v = static_cast<TestNode*>(d.node)->value;
    int p = v / kPerProducer;
    ASSERT_GT(v, last[p]);
    last[p] = v;
    ++received;
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(q.dequeue().kind, DequeueKind::Empty);
}

}  // namespace ready_queue_test
