// Port of futures 0.1 tests/unsync.rs
//
// Then unit tests of unsync::mpsc (include/futures/unsync/mpsc.hpp).
//
// Deviations: the one-second timeout threads of spawn_kill_dead_stream and
// dropped_sender_of_unused_channel_notifies_receiver become the deterministic "the
// executor ran out of work" of LocalCore::run (a stall fails the test instead of
// hanging it); `panic!` in a callback is ADD_FAILURE().
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/unsync/mpsc.hpp>
#include <futures/unsync/oneshot.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/drop.hpp"
#include "support/local_executor.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace unsync_test {

namespace mpsc = futures::unsync::mpsc;
namespace oneshot = futures::unsync::oneshot;
using futures::BoxFuture;
using futures::Err;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::Unit;
using futures::future::lazy;
using futures::stream::iter_ok;
using futures_test::drop;
using futures_test::LocalCore;
using mpsc::SendError;

TEST(Unsync, mpsc_send_recv) {
  auto [tx, rx] = mpsc::channel<int>(1);
  auto w = std::move(rx).wait();

  std::move(tx).send(42).wait().unwrap();

  EXPECT_EQ(w.next().value(), Ok(42));
  EXPECT_FALSE(w.next().has_value());
}

TEST(Unsync, mpsc_rx_notready) {
  auto [tx, rx] = mpsc::channel<int>(1);

  lazy([&rx = rx]() -> Result<Unit, Unit> {
    EXPECT_TRUE(rx.poll().unwrap().is_not_ready());
    return Ok();
  }).wait().unwrap();
}

TEST(Unsync, mpsc_rx_end) {
  auto [tx, rx] = mpsc::channel<int>(1);
  drop(tx);  // Rust's `let (_, mut rx)`

  lazy([&rx = rx]() -> Result<Unit, Unit> {
    EXPECT_EQ(rx.poll(), Ready(std::optional<int>()));
    return Ok();
  }).wait().unwrap();
}

TEST(Unsync, mpsc_tx_clone_weak_rc) {
  auto [tx, rx] = mpsc::channel<int>(1);  // rc = 1

  auto tx_clone = tx.clone();  // rc = 2
  lazy([&rx = rx]() -> Result<Unit, Unit> {
    EXPECT_TRUE(rx.poll().unwrap().is_not_ready());
    return Ok();
  }).wait().unwrap();

  drop(tx);  // rc = 1
  lazy([&rx = rx]() -> Result<Unit, Unit> {
    EXPECT_TRUE(rx.poll().unwrap().is_not_ready());
    return Ok();
  }).wait().unwrap();

  drop(tx_clone);  // rc = 0
  lazy([&rx = rx]() -> Result<Unit, Unit> {
    EXPECT_EQ(rx.poll(), Ready(std::optional<int>()));
    return Ok();
  }).wait().unwrap();
}

TEST(Unsync, mpsc_tx_notready) {
  auto [tx0, rx] = mpsc::channel<int>(1);
  auto tx = std::move(tx0).send(1).wait().unwrap();
  lazy([tx = std::move(tx)]() mutable -> Result<Unit, Unit> {
    auto send = std::move(tx).send(2);
    EXPECT_TRUE(send.poll().unwrap().is_not_ready());
    return Ok();
  }).wait().unwrap();
}

TEST(Unsync, mpsc_tx_err) {
  auto [tx, rx] = mpsc::channel<int>(1);
  drop(rx);  // Rust's `let (tx, _)`
  lazy([tx = std::move(tx)]() mutable -> Result<Unit, Unit> {
    auto send = std::move(tx).send(2);
    EXPECT_TRUE(send.poll().is_err());
    return Ok();
  }).wait().unwrap();
}

TEST(Unsync, mpsc_backpressure) {
  auto [tx, rx] = mpsc::channel<int>(1);
  lazy([tx = std::move(tx), rx = std::move(rx)]() mutable {
    return iter_ok<std::vector<int>, SendError<int>>({1, 2, 3})
        .forward(std::move(tx))
        .map_err([](SendError<int> e) -> Unit {
          ADD_FAILURE() << e.what();
          return Unit{};
        })
        .join(std::move(rx).take(3).collect().map([](std::vector<int> xs) {
          EXPECT_EQ(xs, (std::vector<int>{1, 2, 3}));
        }));
  }).wait().unwrap();
}

TEST(Unsync, mpsc_unbounded) {
  auto [tx, rx] = mpsc::unbounded<int>();
  lazy([tx = std::move(tx), rx = std::move(rx)]() mutable {
    return iter_ok<std::vector<int>, SendError<int>>({1, 2, 3})
        .forward(std::move(tx))
        .map_err([](SendError<int> e) -> Unit {
          ADD_FAILURE() << e.what();
          return Unit{};
        })
        .join(std::move(rx).take(3).collect().map([](std::vector<int> xs) {
          EXPECT_EQ(xs, (std::vector<int>{1, 2, 3}));
        }));
  }).wait().unwrap();
}

TEST(Unsync, mpsc_recv_unpark) {
  LocalCore core;
  auto [tx, rx] = mpsc::channel<int>(1);
  auto tx2 = tx.clone();
  core.execute(std::move(rx).collect().map([](std::vector<int> xs) { EXPECT_EQ(xs, (std::vector<int>{1, 2})); }))
      .unwrap();
  core.execute(lazy([tx = std::move(tx)]() mutable {
                 return std::move(tx).send(1).map([](auto) {}).map_err([](SendError<int> e) {
                   ADD_FAILURE() << e.what();
                 });
               }))
      .unwrap();
  auto r = core.run(lazy([tx2 = std::move(tx2)]() mutable { return std::move(tx2).send(2); }));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->is_ok());
}

TEST(Unsync, mpsc_send_unpark) {
  LocalCore core;
  auto [tx, rx] = mpsc::channel<int>(1);
  auto [donetx, donerx] = oneshot::channel<Unit>();
  core.execute(iter_ok<std::vector<int>, SendError<int>>({1, 2})
                   .forward(std::move(tx))
                   .then([donetx = std::make_shared<oneshot::Sender<Unit>>(std::move(donetx))](auto x) {
                     EXPECT_TRUE(x.is_err());
                     EXPECT_TRUE(std::move(*donetx).send(Unit{}).is_ok());
                     return Result<Unit, Unit>(Ok());
                   }))
      .unwrap();
  core.execute(lazy([rx = std::move(rx)]() mutable {
                 drop(rx);  // Rust's `let _ = rx;` moves rx into the closure and drops it
                 return Result<Unit, Unit>(Ok());
               }))
      .unwrap();
  auto r = core.run(std::move(donerx));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->is_ok());
}

TEST(Unsync, spawn_sends_items) {
  LocalCore core;
  auto stream = futures::stream::unfold(0, [](int i) {
    return std::optional(Result<std::tuple<int, int>, std::uint8_t>(Ok(std::tuple<int, int>(i, i + 1))));
  });
  auto rx = mpsc::spawn(std::move(stream), core, 1);
  EXPECT_EQ(core.run(std::move(rx).take(4).collect())->unwrap(), (std::vector<int>{0, 1, 2, 3}));
}

namespace {
// a stream which never returns anything (maybe a remote end isn't responding), but
// dropping it leads to observable side effects (like closing connections, releasing
// limited resources, ...)
struct Dead : futures::StreamExt<Dead> {
  using Item = Unit;
  using Error = Unit;
  // when dropped you should get Err(oneshot::Canceled) on the receiving end
  explicit Dead(oneshot::Sender<Unit> d) : done(std::move(d)) {}
  oneshot::Sender<Unit> done;
  Poll<std::optional<Unit>, Unit> poll() { return NotReady; }
};
}  // namespace

TEST(Unsync, spawn_kill_dead_stream) {
  // The Rust test's timeout is a thread that sends after one second; here it fires when
  // the executor has nothing left to do, which is when it would otherwise hang.
  auto [timeout_tx, timeout_rx] = futures::sync::oneshot::channel<Unit>();
  auto timeout = [tx = std::make_shared<futures::sync::oneshot::Sender<Unit>>(std::move(timeout_tx))] {
    (void)std::move(*tx).send(Unit{});
  };

  LocalCore core;
  auto [done_tx, done_rx] = oneshot::channel<Unit>();
  auto stream = Dead(std::move(done_tx));
  auto rx = mpsc::spawn(std::move(stream), core, 1);
  auto res = core.run(futures::into_future(Result<Unit, Unit>(Ok()))
                          .then([rx = std::move(rx), done_rx = std::move(done_rx)](Result<Unit, Unit>) mutable {
                            // now drop the spawned stream: maybe some timeout exceeded,
                            // or some connection on this end was closed by the remote end.
                            drop(rx);
                            // and wait for the spawned stream to release its resources
                            return std::move(done_rx);
                          })
                          .select2(std::move(timeout_rx)),
                      timeout);
  ASSERT_TRUE(res.has_value()) << "dead stream wasn't canceled (the executor stalled)";
  ASSERT_TRUE(res->is_err() && res->unwrap_err_ref().is_a()) << "dead stream wasn't canceled";
  EXPECT_EQ(std::get<0>(res->unwrap_err_ref().a()), oneshot::Canceled{});
}

/// Test case for PR #768 (issue #766). The issue was: given that an empty channel is
/// polled by the Receiver, and the only Sender gets dropped without sending anything,
/// then the Receiver would get stuck.
TEST(Unsync, dropped_sender_of_unused_channel_notifies_receiver) {
  LocalCore core;
  using Fut = BoxFuture<std::uint8_t, Unit>;

  // Constructs the channel which we want to test, and two futures which act on that
  // channel.
  auto pair = [](bool reverse) {
    // This is the channel which we want to test.
    auto [tx, rx] = mpsc::channel<std::uint8_t>(1);
    std::vector<Fut> futures;
    futures.push_back(iter_ok<std::vector<std::uint8_t>, SendError<std::uint8_t>>({})
                          .forward(std::move(tx))
                          .map_err([](SendError<std::uint8_t>) {})
                          .map([](auto&&) { return std::uint8_t{42}; })
                          .boxed());
    futures.push_back(std::move(rx)
                          .fold(Unit{}, [](Unit, std::uint8_t) { return Result<Unit, Unit>(Ok()); })
                          .map([](Unit) { return std::uint8_t{24}; })
                          .boxed());
    if (reverse) std::swap(futures[0], futures[1]);
    return futures;
  };

  // The order of the tested futures is important to test fix of PR #768. We want
  // future_2 to poll on the Receiver before the Sender is dropped. A stall (the bug)
  // makes run() return nullopt instead of the Rust test's timeout.
  auto result = core.run(futures::future::join_all(pair(false)));
  ASSERT_TRUE(result.has_value()) << "Test timed out.";
  EXPECT_EQ(result->unwrap(), (std::vector<std::uint8_t>{42, 24}));

  // Test also the other ordering:
  result = core.run(futures::future::join_all(pair(true)));
  ASSERT_TRUE(result.has_value()) << "Test timed out.";
  EXPECT_EQ(result->unwrap(), (std::vector<std::uint8_t>{24, 42}));
}

// ===== Unit tests =====

TEST(UnsyncMpscUnit, capacity_is_exactly_buffer) {
  auto [tx, rx] = mpsc::channel<int>(2);
  auto tx2 = tx.clone();
  futures_test::with_noop_task([&, &tx = tx] {
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());
    EXPECT_TRUE(tx2.start_send(2).unwrap().is_ready());
    auto full = tx.start_send(3).unwrap();
    ASSERT_TRUE(full.is_not_ready());
    EXPECT_EQ(std::move(full).item(), 3);
  });
  ASSERT_READY_EQ(rx, std::optional<int>(1));
}

TEST(UnsyncMpscUnit, zero_capacity_never_accepts) {
  auto [tx, rx] = mpsc::channel<int>(0);
  futures_test::with_noop_task([&tx = tx] { EXPECT_TRUE(tx.start_send(1).unwrap().is_not_ready()); });
}

TEST(UnsyncMpscUnit, notifications) {
  auto [tx, rx] = mpsc::channel<int>(1);
  auto counter = std::make_shared<futures_test::CountingNotify>();
  futures::executor::NotifyHandle handle(counter);
  EXPECT_TRUE(futures_test::poll_once(rx, handle).unwrap().is_not_ready());
  futures_test::with_task(handle, [&tx = tx] {
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());  // wakes the receiver
    EXPECT_TRUE(tx.start_send(2).unwrap().is_not_ready());  // parks the sender
  });
  EXPECT_EQ(counter->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(rx, handle), Ready(std::optional<int>(1)));  // wakes the sender
  EXPECT_EQ(counter->count(), 2u);
  EXPECT_TRUE(futures_test::poll_once(rx, handle).unwrap().is_not_ready());
  drop(tx);  // the last sender wakes the receiver
  EXPECT_EQ(counter->count(), 3u);
  EXPECT_EQ(futures_test::poll_once(rx, handle), Ready(std::optional<int>()));
}

TEST(UnsyncMpscUnit, close_keeps_buffered_and_fails_senders) {
  auto [tx, rx] = mpsc::unbounded<std::string>();
  tx.unbounded_send("a").unwrap();
  tx.unbounded_send("b").unwrap();
  rx.close();
  auto err = tx.unbounded_send("c");
  ASSERT_TRUE(err.is_err());
  EXPECT_EQ(std::move(err).unwrap_err().into_inner(), "c");
  ASSERT_READY_EQ(rx, std::optional<std::string>("a"));
  ASSERT_READY_EQ(rx, std::optional<std::string>("b"));
  ASSERT_READY_EQ(rx, std::optional<std::string>());
  drop(tx);
  ASSERT_READY_EQ(rx, std::optional<std::string>());
}

TEST(UnsyncMpscUnit, close_wakes_blocked_senders) {
  auto [tx, rx] = mpsc::channel<int>(1);
  auto counter = std::make_shared<futures_test::CountingNotify>();
  futures::executor::NotifyHandle handle(counter);
  futures_test::with_task(handle, [&tx = tx] {
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());
    EXPECT_TRUE(tx.start_send(2).unwrap().is_not_ready());
  });
  rx.close();
  EXPECT_EQ(counter->count(), 1u);
  futures_test::with_noop_task([&tx = tx] { EXPECT_TRUE(tx.start_send(2).is_err()); });
  ASSERT_READY_EQ(rx, std::optional<int>(1));
}

TEST(UnsyncMpscUnit, receiver_dropped_first_then_senders) {
  auto counted = std::make_shared<int>(0);
  auto [tx, rx] = mpsc::channel<std::shared_ptr<int>>(4);
  auto tx2 = tx.clone();
  futures_test::with_noop_task([&, &tx = tx] { EXPECT_TRUE(tx.start_send(counted).unwrap().is_ready()); });
  EXPECT_EQ(counted.use_count(), 2);
  drop(rx);  // destroys the buffered message
  EXPECT_EQ(counted.use_count(), 1);
  drop(tx);
  drop(tx2);  // frees the shared block (ASan checks)
}

TEST(UnsyncMpscUnit, spawn_unbounded_and_errors) {
  LocalCore core;
  auto handle = mpsc::spawn_unbounded(
      futures::stream::iter_result(std::vector<Result<int, std::string>>{Ok(1), Err(std::string("e")), Ok(2)}), core);
  core.run_until_stalled();
  EXPECT_EQ(core.live(), 0);
  ASSERT_READY_EQ(handle, std::optional<int>(1));
  ASSERT_ERR_EQ(handle, std::string("e"));
  ASSERT_READY_EQ(handle, std::optional<int>(2));
  ASSERT_READY_EQ(handle, std::optional<int>());
}

}  // namespace unsync_test
