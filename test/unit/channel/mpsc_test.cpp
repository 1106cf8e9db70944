// Port of futures 0.1 tests/mpsc.rs
//
// Then unit tests of sync::mpsc (include/futures/sync/mpsc.hpp) driven by hand: capacity
// per sender, parking and unparking, notifications, close, errors, spawn.
//
// Deviations from the Rust file: threads Rust leaves detached are joined; `.forget()`
// is futures_test::Forgetter; `std::sync::mpsc` is futures_test's StdChannel; the spawn
// test's one-second timeout thread is a timeout fired when the executor runs out of work
// (LocalCore::run's on_idle), which is deterministic; stress iteration counts are
// reduced where noted (a shared 2-core machine, and ThreadSanitizer) without changing
// what is checked.
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/drop.hpp"
#include "support/forget.hpp"
#include "support/local_executor.hpp"
#include "support/notify.hpp"
#include "support/std_channel.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace mpsc_test {

namespace mpsc = futures::sync::mpsc;
namespace oneshot = futures::sync::oneshot;
using futures::Async;
using futures::AsyncSink;
using futures::Err;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::Unit;
using futures::future::lazy;
using futures_test::drop;
using futures_test::LocalCore;

namespace {

// Rust's `trait AssertSend: Send`: the halves may move to other threads.
static_assert(std::is_move_constructible_v<mpsc::Sender<int>>);
static_assert(std::is_move_constructible_v<mpsc::Receiver<int>>);
static_assert(std::is_copy_constructible_v<mpsc::UnboundedSender<std::uint32_t>>);
static_assert(futures::Sink<mpsc::Sender<int>>);
static_assert(futures::Sink<mpsc::UnboundedSender<int>>);
static_assert(futures::Stream<mpsc::Receiver<int>>);
static_assert(futures::Stream<mpsc::UnboundedReceiver<int>>);

}  // namespace

TEST(Mpsc, send_recv) {
  auto [tx, rx] = mpsc::channel<int>(16);
  auto w = std::move(rx).wait();

  std::move(tx).send(1).wait().unwrap();

  EXPECT_EQ(w.next().value(), Ok(1));
}

TEST(Mpsc, send_recv_no_buffer) {
  auto [tx, rx] = mpsc::channel<int>(0);

  // Run on a task context
  lazy([&tx = tx, &rx = rx]() -> Result<Unit, Unit> {
    EXPECT_TRUE(tx.poll_complete().unwrap().is_ready());
    EXPECT_TRUE(tx.poll_ready().unwrap().is_ready());

    // Send first message
    auto res = tx.start_send(1).unwrap();
    EXPECT_TRUE(res.is_ready());
    EXPECT_TRUE(tx.poll_ready().unwrap().is_not_ready());

    // Send second message
    res = tx.start_send(2).unwrap();
    EXPECT_FALSE(res.is_ready());

    // Take the value
    EXPECT_EQ(rx.poll().unwrap(), Async<std::optional<int>>::Ready(1));
    EXPECT_TRUE(tx.poll_ready().unwrap().is_ready());

    res = tx.start_send(2).unwrap();
    EXPECT_TRUE(res.is_ready());
    EXPECT_TRUE(tx.poll_ready().unwrap().is_not_ready());

    // Take the value
    EXPECT_EQ(rx.poll().unwrap(), Async<std::optional<int>>::Ready(2));
    EXPECT_TRUE(tx.poll_ready().unwrap().is_ready());

    return Ok();
  }).wait().unwrap();
}

TEST(Mpsc, send_shared_recv) {
  auto [tx1, rx] = mpsc::channel<int>(16);
  auto tx2 = tx1.clone();
  auto w = std::move(rx).wait();

  std::move(tx1).send(1).wait().unwrap();
  EXPECT_EQ(w.next().value(), Ok(1));

  std::move(tx2).send(2).wait().unwrap();
  EXPECT_EQ(w.next().value(), Ok(2));
}

TEST(Mpsc, send_recv_threads) {
  auto [tx, rx] = mpsc::channel<int>(16);
  auto w = std::move(rx).wait();

  std::thread t([tx = std::move(tx)]() mutable { std::move(tx).send(1).wait().unwrap(); });

  EXPECT_EQ(w.next().value(), Ok(1));
  t.join();
}

TEST(Mpsc, send_recv_threads_no_capacity) {
  auto [tx, rx] = mpsc::channel<int>(0);
  auto w = std::move(rx).wait();

  auto [readytx, readyrx] = mpsc::channel<Unit>(2);
  auto readyw = std::move(readyrx).wait();
  std::thread t([tx = std::move(tx), readytx = std::move(readytx)]() mutable {
    auto rtx = std::move(readytx).sink_map_err(
        [](mpsc::SendError<Unit>) -> mpsc::SendError<int> { throw futures::Panic("unexpected send error"); });
    auto [a, b] = std::move(tx).send(1).join(std::move(rtx).send(Unit{})).wait().unwrap();
    std::move(a).send(2).join(std::move(b).send(Unit{})).wait().unwrap();
  });

  (void)readyw.next().value();
  EXPECT_EQ(w.next().value(), Ok(1));
  (void)readyw.next().value();
  EXPECT_EQ(w.next().value(), Ok(2));

  t.join();
}

TEST(Mpsc, recv_close_gets_none) {
  auto [tx, rx] = mpsc::channel<int>(10);

  // Run on a task context
  lazy([&tx = tx, &rx = rx]() -> Result<Unit, Unit> {
    rx.close();

    EXPECT_EQ(rx.poll(), Ready(std::optional<int>()));
    EXPECT_TRUE(tx.poll_ready().is_err());

    drop(tx);

    return Ok();
  }).wait().unwrap();
}

TEST(Mpsc, tx_close_gets_none) {
  auto [tx, rx] = mpsc::channel<int>(10);
  drop(tx);  // Rust's `let (_, mut rx)` drops the sender at once

  // Run on a task context
  lazy([&rx = rx]() -> Result<Unit, Unit> {
    EXPECT_EQ(rx.poll(), Ready(std::optional<int>()));
    EXPECT_EQ(rx.poll(), Ready(std::optional<int>()));

    return Ok();
  }).wait().unwrap();
}

TEST(Mpsc, spawn_sends_items) {
  LocalCore core;
  auto stream = futures::stream::unfold(0, [](int i) {
    return std::optional(futures::future::ok<std::tuple<int, int>, std::uint8_t>(std::tuple<int, int>(i, i + 1)));
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

TEST(Mpsc, spawn_kill_dead_stream) {
  // The Rust test's timeout is a thread that sends after one second; here it fires when
  // the executor has nothing left to do, which is when it would otherwise hang.
  auto [timeout_tx, timeout_rx] = oneshot::channel<Unit>();
  auto timeout = [tx = std::make_shared<oneshot::Sender<Unit>>(std::move(timeout_tx))] {
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

TEST(Mpsc, stress_shared_unbounded) {
  const std::uint32_t amt = 10000;
  const std::uint32_t nthreads = 8;
  auto [tx, rx] = mpsc::unbounded<int>();
  auto w = std::move(rx).wait();

  std::thread t([&w, amt, nthreads] {
    for (std::uint32_t i = 0; i < amt * nthreads; ++i) ASSERT_EQ(w.next().value(), Ok(1));
    ASSERT_FALSE(w.next().has_value());
  });

  std::vector<std::thread> senders;
  for (std::uint32_t i = 0; i < nthreads; ++i) {
    senders.emplace_back([tx = tx.clone(), amt] {
      for (std::uint32_t j = 0; j < amt; ++j) tx.unbounded_send(1).unwrap();
    });
  }

  drop(tx);

  t.join();
  for (auto& s : senders) s.join();
}

TEST(Mpsc, stress_shared_bounded_hard) {
  const std::uint32_t amt = 2000;  // Rust: 10000 (each message wakes a thread here)
  const std::uint32_t nthreads = 8;
  auto [tx, rx] = mpsc::channel<int>(0);
  auto w = std::move(rx).wait();

  std::thread t([&w, amt, nthreads] {
    for (std::uint32_t i = 0; i < amt * nthreads; ++i) ASSERT_EQ(w.next().value(), Ok(1));
    ASSERT_FALSE(w.next().has_value());
  });

  std::vector<std::thread> senders;
  for (std::uint32_t i = 0; i < nthreads; ++i) {
    senders.emplace_back([tx = tx.clone(), amt]() mutable {
      for (std::uint32_t j = 0; j < amt; ++j) tx = std::move(tx).send(1).wait().unwrap();
    });
  }

  drop(tx);

  t.join();
  for (auto& s : senders) s.join();
}

TEST(Mpsc, stress_receiver_multi_task_bounded_hard) {
  const std::size_t amt = 2000;  // Rust: 10_000 (each message wakes a thread here)
  const std::uint32_t nthreads = 2;

  auto [tx, rx0] = mpsc::channel<std::size_t>(0);
  auto rx = std::make_shared<std::mutex>();
  auto slot = std::make_shared<std::optional<mpsc::Receiver<std::size_t>>>(std::move(rx0));
  auto n = std::make_shared<std::atomic<std::size_t>>(0);

  std::vector<std::thread> th;

  for (std::uint32_t t = 0; t < nthreads; ++t) {
    th.emplace_back([rx, slot, n] {
      int i = 0;

      for (;;) {
        i += 1;
        std::unique_lock lock(*rx);

        if (!slot->has_value()) break;
        mpsc::Receiver<std::size_t> r = std::move(**slot);
        slot->reset();
        if (i % 5 == 0) {
          auto [item, rest] = std::move(r).into_future().wait().ok().value();

          if (!item) break;

          n->fetch_add(1, std::memory_order_relaxed);
          slot->emplace(std::move(rest));
        } else {
          // Just poll
          bool done = lazy([&]() -> Result<bool, Unit> {
                        auto polled = r.poll().unwrap();
                        if (polled.is_ready() && polled.value().has_value()) {
                          n->fetch_add(1, std::memory_order_relaxed);
                          slot->emplace(std::move(r));
                          return Ok(false);
                        }
                        if (polled.is_ready()) return Ok(true);
                        slot->emplace(std::move(r));
                        return Ok(false);
                      })
                          .wait()
                          .unwrap();

          if (done) break;
        }
      }
    });
  }

  for (std::size_t i = 0; i < amt; ++i) tx = std::move(tx).send(i).wait().unwrap();

  drop(tx);

  for (auto& t : th) t.join();

  EXPECT_EQ(amt, n->load(std::memory_order_relaxed));
}

/// Stress test that receiver properly receives all the messages after sender dropped.
TEST(Mpsc, stress_drop_sender) {
  auto list = [](futures_test::Forgetter& forgetter) {
    auto [tx, rx] = mpsc::channel<Result<int, std::uint32_t>>(1);
    forgetter.forget(std::move(tx)
                         .send(Ok(1))
                         .and_then([](auto tx) { return std::move(tx).send(Ok(2)); })
                         .and_then([](auto tx) { return std::move(tx).send(Ok(3)); }));
    return std::move(rx)
        .then([](Result<Result<int, std::uint32_t>, Unit> r) { return r.unwrap(); })
        .boxed();
  };

  // Rust runs 10000 rounds, each on a fresh thread; 1000 keep the file fast.
  for (int round = 0; round < 1000; ++round) {
    futures_test::Forgetter forgetter;
    std::vector<int> got;
    bool failed = false;
    for (auto r : list(forgetter).wait()) {
      if (r.is_err()) failed = true;
      else got.push_back(r.unwrap());
    }
    ASSERT_FALSE(failed);
    ASSERT_EQ(got, (std::vector<int>{1, 2, 3}));
  }
}

namespace {
/// Stress test that after receiver dropped, no messages are lost.
void stress_close_receiver_iter() {
  auto [tx, rx] = mpsc::unbounded<std::uint64_t>();
  auto [unwritten_tx, unwritten_rx] = futures_test::std_channel<std::uint64_t>();
  std::thread th([tx = std::move(tx), unwritten_tx = std::move(unwritten_tx)] {
    for (std::uint64_t i = 1;; ++i) {
      if (tx.unbounded_send(i).is_err()) {
        EXPECT_TRUE(unwritten_tx.send(i)) << "unwritten_tx";
        return;
      }
    }
  });

  auto w = std::move(rx).wait();

  // Read one message to make sure thread effectively started
  ASSERT_EQ(w.next().value(), Ok(std::uint64_t{1}));

  w.get_mut().close();

  for (std::uint64_t i = 2;; ++i) {
    auto next = w.next();
    if (next) {
      ASSERT_TRUE(next->is_ok());
      ASSERT_EQ(next->unwrap(), i);
    } else {
      std::optional<std::uint64_t> left = unwritten_rx.recv();
      ASSERT_TRUE(left.has_value()) << "unwritten_rx";
      ASSERT_EQ(*left, i);
      th.join();
      return;
    }
  }
}
}  // namespace

TEST(Mpsc, stress_close_receiver) {
  // Rust runs 10000 rounds; 1000 here.
  for (int i = 0; i < 1000; ++i) {
    stress_close_receiver_iter();
    if (HasFatalFailure()) return;
  }
}

namespace {
// A task which checks channel capacity using poll_ready, and pushes items onto the
// channel when ready.
struct SenderTask : futures::FutureExt<SenderTask> {
  using Item = Unit;
  using Error = Unit;
  SenderTask(mpsc::Sender<std::uint32_t> s, std::uint32_t c) : sender(std::move(s)), count(c) {}
  mpsc::Sender<std::uint32_t> sender;
  std::uint32_t count;

  Poll<Unit, Unit> poll() {
    // In a loop, check if the channel is ready. If so, push an item onto the channel
    // (asserting that it doesn't attempt to block).
    while (count > 0) {
      FUTURES_TRY_READY(sender.poll_ready().map_err([](auto) {}));
      EXPECT_TRUE(sender.start_send(count).unwrap().is_ready());
      count -= 1;
    }
    return Ready();
  }
};

/// Run a stress test using the specified channel capacity.
void stress_poll_ready_with(std::size_t capacity) {
  const std::uint32_t amt = 1000;
  const std::uint32_t nthreads = 8;
  auto [tx, rx] = mpsc::channel<std::uint32_t>(capacity);
  std::vector<std::thread> threads;
  for (std::uint32_t i = 0; i < nthreads; ++i) {
    threads.emplace_back([sender = tx.clone(), amt]() mutable {
      EXPECT_TRUE(SenderTask(std::move(sender), amt).wait().is_ok());
    });
  }
  drop(tx);

  auto w = std::move(rx).wait();
  for (std::uint32_t i = 0; i < amt * nthreads; ++i) ASSERT_TRUE(w.next().has_value());

  ASSERT_FALSE(w.next().has_value());

  for (auto& t : threads) t.join();
}
}  // namespace

/// Tests that after `poll_ready` indicates capacity a channel can always send without
/// waiting.
TEST(Mpsc, stress_poll_ready) {
  stress_poll_ready_with(0);
  stress_poll_ready_with(1);
  stress_poll_ready_with(8);
  stress_poll_ready_with(16);
}

TEST(Mpsc, try_send_1) {
  const std::size_t n = 3000;
  auto [tx, rx] = mpsc::channel<std::size_t>(0);

  std::thread t([tx = std::move(tx), n]() mutable {
    for (std::size_t i = 0; i < n; ++i) {
      for (;;) {
        if (tx.try_send(i).is_ok()) break;
        std::this_thread::yield();  // Rust spins; yielding keeps a loaded 2-core machine moving
      }
    }
  });
  std::size_t i = 0;
  for (auto j : std::move(rx).wait()) {
    EXPECT_EQ(i, j.unwrap());
    ++i;
  }
  EXPECT_EQ(i, n);
  t.join();
}

TEST(Mpsc, try_send_2) {
  auto [tx, rx] = mpsc::channel<std::string>(0);

  tx.try_send("hello").unwrap();

  auto [readytx, readyrx] = oneshot::channel<Unit>();

  std::thread th([tx = std::move(tx), readytx = std::move(readytx)]() mutable {
    lazy([&]() -> Result<Unit, Unit> {
      EXPECT_TRUE(tx.start_send("fail").unwrap().is_not_ready());
      return Ok();
    }).wait().unwrap();

    drop(readytx);
    std::move(tx).send("goodbye").wait().unwrap();
  });

  auto w = std::move(rx).wait();

  (void)std::move(readyrx).wait();
  EXPECT_EQ(w.next().value(), Ok(std::string("hello")));
  EXPECT_EQ(w.next().value(), Ok(std::string("goodbye")));
  EXPECT_FALSE(w.next().has_value());

  th.join();
}

TEST(Mpsc, try_send_fail) {
  auto [tx, rx] = mpsc::channel<std::string>(0);
  auto w = std::move(rx).wait();

  tx.try_send("hello").unwrap();

  // This should fail
  EXPECT_TRUE(tx.try_send("fail").is_err());

  EXPECT_EQ(w.next().value(), Ok(std::string("hello")));

  tx.try_send("goodbye").unwrap();
  drop(tx);

  EXPECT_EQ(w.next().value(), Ok(std::string("goodbye")));
  EXPECT_FALSE(w.next().has_value());
}

TEST(Mpsc, bounded_is_really_bounded) {
  auto [tx, rx] = mpsc::channel<int>(0);
  lazy([&tx = tx, &rx = rx]() -> Result<Unit, Unit> {
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());
    // Not ready until we receive
    EXPECT_FALSE(tx.poll_complete().unwrap().is_ready());
    // Receive the value
    EXPECT_EQ(rx.poll().unwrap(), Async<std::optional<int>>::Ready(1));
    // Now the sender is ready
    EXPECT_TRUE(tx.poll_complete().unwrap().is_ready());
    return Ok();
  }).wait().unwrap();
}

// ===== Unit tests =====

using futures_test::CountingNotify;
using futures_test::with_task;

TEST(MpscUnit, capacity_is_buffer_plus_senders) {
  auto [tx, rx] = mpsc::channel<int>(2);
  auto tx2 = tx.clone();
  futures_test::with_noop_task([&, &tx = tx] {
    // buffer 2 + 2 senders = 4 messages; each sender parks once the shared part is full.
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());
    EXPECT_TRUE(tx.start_send(2).unwrap().is_ready());
    EXPECT_TRUE(tx.start_send(3).unwrap().is_ready());  // over the buffer: tx parks
    EXPECT_TRUE(tx.poll_ready().unwrap().is_not_ready());
    EXPECT_TRUE(tx.start_send(4).unwrap().is_not_ready());
    EXPECT_TRUE(tx2.start_send(4).unwrap().is_ready());  // tx2's guaranteed slot
    EXPECT_TRUE(tx2.poll_ready().unwrap().is_not_ready());
  });
  EXPECT_TRUE(tx.try_send(5).unwrap_err().is_full());
}

TEST(MpscUnit, receiver_notified_by_send) {
  auto [tx, rx] = mpsc::channel<int>(4);
  auto counter = std::make_shared<CountingNotify>();
  futures::executor::NotifyHandle handle(counter);
  EXPECT_TRUE(futures_test::poll_once(rx, handle).unwrap().is_not_ready());
  EXPECT_EQ(counter->count(), 0u);
  tx.try_send(1).unwrap();
  EXPECT_EQ(counter->count(), 1u);
  tx.try_send(2).unwrap();  // not parked any more: no second notify
  EXPECT_EQ(counter->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(rx, handle), Ready(std::optional<int>(1)));
  EXPECT_EQ(futures_test::poll_once(rx, handle), Ready(std::optional<int>(2)));
  EXPECT_TRUE(futures_test::poll_once(rx, handle).unwrap().is_not_ready());
  drop(tx);  // the end of the stream wakes the receiver too
  EXPECT_EQ(counter->count(), 2u);
  EXPECT_EQ(futures_test::poll_once(rx, handle), Ready(std::optional<int>()));
}

TEST(MpscUnit, parked_sender_notified_by_receive) {
  auto [tx, rx] = mpsc::channel<int>(0);
  auto counter = std::make_shared<CountingNotify>();
  futures::executor::NotifyHandle handle(counter);
  with_task(handle, [&, &tx = tx] {
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());
    EXPECT_TRUE(tx.poll_complete().unwrap().is_not_ready());
  });
  EXPECT_EQ(counter->count(), 0u);
  ASSERT_READY_EQ(rx, std::optional<int>(1));
  EXPECT_EQ(counter->count(), 1u);
  with_task(handle, [&, &tx = tx] { EXPECT_TRUE(tx.poll_complete().unwrap().is_ready()); });
}

TEST(MpscUnit, close_wakes_parked_sender_and_keeps_buffered) {
  auto [tx, rx] = mpsc::channel<int>(0);
  auto counter = std::make_shared<CountingNotify>();
  futures::executor::NotifyHandle handle(counter);
  with_task(handle, [&, &tx = tx] {
    EXPECT_TRUE(tx.start_send(1).unwrap().is_ready());
    EXPECT_TRUE(tx.start_send(2).unwrap().is_not_ready());
  });
  EXPECT_FALSE(tx.is_closed());
  rx.close();
  EXPECT_EQ(counter->count(), 1u);
  EXPECT_TRUE(tx.is_closed());
  with_task(handle, [&, &tx = tx] {
    auto sent = tx.start_send(2);
    ASSERT_TRUE(sent.is_err());
    EXPECT_EQ(std::move(sent).unwrap_err().into_inner(), 2);
    EXPECT_TRUE(tx.poll_ready().is_err());
    EXPECT_TRUE(tx.poll_complete().unwrap().is_ready());  // Rust: Ok(Ready) once closed
  });
  auto failed = tx.try_send(3);
  ASSERT_TRUE(failed.is_err());
  EXPECT_TRUE(failed.unwrap_err_ref().is_disconnected());
  EXPECT_EQ(std::move(failed).unwrap_err().into_inner(), 3);
  ASSERT_READY_EQ(rx, std::optional<int>(1));
  ASSERT_READY_EQ(rx, std::optional<int>());
  ASSERT_READY_EQ(rx, std::optional<int>());
}

TEST(MpscUnit, unbounded_send_and_errors) {
  auto [tx, rx] = mpsc::unbounded<std::string>();
  for (int i = 0; i < 100; ++i) tx.unbounded_send(std::to_string(i)).unwrap();
  futures_test::with_noop_task([&, &tx = tx] {
    EXPECT_TRUE(tx.start_send("x").unwrap().is_ready());
    EXPECT_TRUE(tx.poll_complete().unwrap().is_ready());
    EXPECT_TRUE(tx.close().unwrap().is_ready());
  });
  for (int i = 0; i < 100; ++i) ASSERT_READY_EQ(rx, std::optional<std::string>(std::to_string(i)));
  ASSERT_READY_EQ(rx, std::optional<std::string>("x"));
  ASSERT_NOT_READY(rx);
  drop(rx);
  EXPECT_TRUE(tx.is_closed());
  auto err = tx.unbounded_send("late");
  ASSERT_TRUE(err.is_err());
  EXPECT_EQ(err.unwrap_err_ref().what(), "send failed because receiver is gone");
  EXPECT_EQ(std::move(err).unwrap_err().into_inner(), "late");
}

TEST(MpscUnit, end_only_after_last_clone) {
  auto [tx, rx] = mpsc::channel<int>(1);
  auto tx2 = tx;  // copy = clone
  auto tx3 = tx2.clone();
  drop(tx);
  drop(tx2);
  ASSERT_NOT_READY(rx);
  tx3.try_send(7).unwrap();
  drop(tx3);
  ASSERT_READY_EQ(rx, std::optional<int>(7));
  ASSERT_READY_EQ(rx, std::optional<int>());
}

TEST(MpscUnit, moved_sender_keeps_channel_open) {
  auto [tx, rx] = mpsc::channel<int>(1);
  mpsc::Sender<int> moved = std::move(tx);
  ASSERT_NOT_READY(rx);
  moved.try_send(1).unwrap();
  ASSERT_READY_EQ(rx, std::optional<int>(1));
  mpsc::Sender<int> assigned = moved.clone();
  assigned = std::move(moved);  // releases the clone; `moved` is empty now
  ASSERT_NOT_READY(rx);
  drop(assigned);
  ASSERT_READY_EQ(rx, std::optional<int>());
}

TEST(MpscUnit, dropping_receiver_destroys_buffered) {
  auto counted = std::make_shared<int>(0);
  auto [tx, rx] = mpsc::channel<std::shared_ptr<int>>(8);
  for (int i = 0; i < 5; ++i) tx.try_send(counted).unwrap();
  EXPECT_EQ(counted.use_count(), 6);
  drop(rx);
  EXPECT_EQ(counted.use_count(), 1);
  EXPECT_TRUE(tx.try_send(counted).unwrap_err().is_disconnected());
}

TEST(MpscUnit, spawn_forwards_errors_and_end) {
  LocalCore core;
  auto stream = futures::stream::iter_result(std::vector<Result<int, std::string>>{
      Ok(1), Err(std::string("bad")), Ok(2)});
  auto handle = mpsc::spawn(std::move(stream), core, 0);
  core.run_until_stalled();
  ASSERT_READY_EQ(handle, std::optional<int>(1));
  core.run_until_stalled();
  ASSERT_ERR_EQ(handle, std::string("bad"));
  core.run_until_stalled();
  ASSERT_READY_EQ(handle, std::optional<int>(2));
  core.run_until_stalled();
  ASSERT_READY_EQ(handle, std::optional<int>());
  EXPECT_EQ(core.live(), 0);
}

TEST(MpscUnit, spawn_unbounded_runs_ahead) {
  LocalCore core;
  auto handle = mpsc::spawn_unbounded(futures::stream::iter_ok<std::vector<int>, Unit>({1, 2, 3}), core);
  core.run_until_stalled();
  EXPECT_EQ(core.live(), 0);  // everything was sent without waiting
  ASSERT_READY_EQ(handle, std::optional<int>(1));
  ASSERT_READY_EQ(handle, std::optional<int>(2));
  ASSERT_READY_EQ(handle, std::optional<int>(3));
  ASSERT_READY_EQ(handle, std::optional<int>());
}

TEST(MpscUnit, spawn_backpressure) {
  LocalCore core;
  auto polled = std::make_shared<int>(0);
  auto handle = mpsc::spawn(futures::stream::iter_ok<std::vector<int>, Unit>({1, 2, 3, 4, 5, 6})
                                .inspect([polled](const int&) { ++*polled; }),
                            core, 1);
  core.run_until_stalled();
  // buffer 1 + the sender's own slot, plus the item handed back by start_send.
  EXPECT_EQ(*polled, 3);
  EXPECT_EQ(core.live(), 1);
  ASSERT_READY_EQ(handle, std::optional<int>(1));
  core.run_until_stalled();
  EXPECT_EQ(*polled, 4);
}

}  // namespace mpsc_test
