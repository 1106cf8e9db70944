// Port of futures 0.1 tests/oneshot.rs
//
// Then unit tests of sync::oneshot (include/futures/sync/oneshot.hpp) and the
// future::Executor concept (include/futures/future/executor.hpp): send before and after
// poll, drop = cancel on both sides, poll_cancel, close, try_recv, notification counts,
// spawn / spawn_fn / forget, and bounded cross-thread stress.
//
// Deviations from the Rust file: `.forget()` (tests/support: run the future on a fresh
// thread) becomes an explicit thread that waits and is joined; `std::sync::mpsc` is the
// small StdChannel below; the spawn tests' one-second timeout thread becomes a timeout
// that fires when the executor runs out of work (LocalCore::run's on_idle), which is
// deterministic.
#include <futures/future.hpp>
#include <futures/future/executor.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/counted.hpp"
#include "support/drop.hpp"
#include "support/local_executor.hpp"
#include "support/notify.hpp"
#include "support/std_channel.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace oneshot_test {

using namespace futures;
using futures::sync::oneshot::Canceled;
using futures::sync::oneshot::channel;
using futures::sync::oneshot::Receiver;
using futures::sync::oneshot::Sender;
using futures_test::CountingNotify;
using futures_test::drop;
using futures_test::LifetimeCounts;
using futures_test::LocalCore;
namespace oneshot = futures::sync::oneshot;

using futures_test::StdChannel;

namespace {

// ===== Test helpers =====



static_assert(future::Executor<LocalCore, oneshot::Execute<future::FutureResult<int, Unit>>>);
static_assert(future::Executor<const LocalCore, oneshot::Execute<future::FutureResult<int, Unit>>>);
// Executor<F> requires Item = Error = Unit.
static_assert(!future::Executor<LocalCore, future::FutureResult<int, Unit>>);
static_assert(!future::Executor<int, oneshot::Execute<future::FutureResult<int, Unit>>>);
static_assert(Future<Receiver<int>>);
static_assert(std::is_same_v<Receiver<int>::Error, Canceled>);
static_assert(!std::is_copy_constructible_v<Sender<int>> && std::is_nothrow_move_constructible_v<Sender<int>>);
static_assert(!std::is_copy_constructible_v<Receiver<int>>);

/// tests/oneshot.rs `WaitForCancel`: resolves when the receiver goes away.
struct WaitForCancel : FutureExt<WaitForCancel> {
  using Item = Unit;
  using Error = Unit;
  explicit WaitForCancel(Sender<std::uint32_t> s) : tx(std::move(s)) {}
  Poll<Unit, Unit> poll() { return tx.poll_cancel(); }
  Sender<std::uint32_t> tx;
};

/// A future that never completes, holding a Sender whose drop the test observes
/// (tests/oneshot.rs `Dead`).
struct Dead : FutureExt<Dead> {
  using Item = Unit;
  using Error = Unit;
  explicit Dead(Sender<Unit> d) : done(std::move(d)) {}
  Poll<Unit, Unit> poll() { return NotReady; }
  Sender<Unit> done;
};

executor::NotifyHandle counting(std::shared_ptr<CountingNotify>& out) {
  out = std::make_shared<CountingNotify>();
  return executor::NotifyHandle(out);
}

}  // namespace

// ===== Port of tests/oneshot.rs =====

TEST(Oneshot, smoke_poll) {
  auto [tx, rx] = channel<std::uint32_t>();
  auto task = executor::spawn(future::lazy([tx = std::move(tx), rx = std::optional(std::move(rx))]() mutable {
    EXPECT_TRUE(tx.poll_cancel().unwrap().is_not_ready());
    EXPECT_TRUE(tx.poll_cancel().unwrap().is_not_ready());
    rx.reset();
    EXPECT_TRUE(tx.poll_cancel().unwrap().is_ready());
    EXPECT_TRUE(tx.poll_cancel().unwrap().is_ready());
    return future::ok<Unit, Unit>(Unit{});
  }));
  EXPECT_TRUE(task.poll_future_notify(futures_test::noop_notify(), 0).unwrap().is_ready());
}

TEST(Oneshot, cancel_notifies) {
  auto [tx, rx] = channel<std::uint32_t>();
  auto [tx2, rx2] = StdChannel<Result<Unit, Unit>>::make();

  std::thread t([f = WaitForCancel(std::move(tx)), tx2 = std::move(tx2)]() mutable {
    tx2.send(std::move(f).wait());
  });
  drop(rx);
  EXPECT_EQ(rx2.recv(), std::optional(Result<Unit, Unit>(Ok())));
  t.join();
}

TEST(Oneshot, cancel_lots) {
  using Pair = std::tuple<Sender<std::uint32_t>, StdChannel<Result<Unit, Unit>>::Tx>;
  auto [tx, rx] = StdChannel<Pair>::make();
  std::thread t([rx = std::move(rx)]() mutable {
    // Rust forgets each WaitForCancel onto a fresh thread; the main thread waits for
    // each result before sending the next, so waiting here is the same interleaving.
    while (std::optional<Pair> pair = rx.recv()) {
      auto& [otx, tx2] = *pair;
      tx2.send(WaitForCancel(std::move(otx)).wait());
    }
  });

  [&] {  // ASSERT returns from here, so the worker is still joined below
    for (int i = 0; i < 20000; ++i) {
      auto [otx, orx] = channel<std::uint32_t>();
      auto [tx2, rx2] = StdChannel<Result<Unit, Unit>>::make();
      tx.send(Pair(std::move(otx), std::move(tx2)));
      drop(orx);
      std::optional<Result<Unit, Unit>> r = rx2.recv();
      ASSERT_TRUE(r.has_value() && r->is_ok()) << "iteration " << i;
    }
  }();
  drop(tx);
  t.join();
}

TEST(Oneshot, close) {
  auto [tx, rx] = channel<std::uint32_t>();
  rx.close();
  EXPECT_TRUE(rx.poll().is_err());  // no task needed: the channel is decided
  EXPECT_TRUE(tx.poll_cancel().unwrap().is_ready());
}

TEST(Oneshot, close_wakes) {
  auto [tx, rx] = channel<std::uint32_t>();
  auto [tx2, rx2] = StdChannel<Unit>::make();
  std::thread t([rx = std::move(rx), rx2 = std::move(rx2)]() mutable {
    rx.close();
    (void)rx2.recv();
  });
  EXPECT_TRUE(WaitForCancel(std::move(tx)).wait().is_ok());
  tx2.send(Unit{});
  t.join();
}

TEST(Oneshot, is_canceled) {
  auto [tx, rx] = channel<std::uint32_t>();
  EXPECT_FALSE(tx.is_canceled());
  drop(rx);
  EXPECT_TRUE(tx.is_canceled());
}

TEST(Oneshot, cancel_sends) {
  auto [tx, rx] = StdChannel<Sender<std::uint32_t>>::make();
  std::thread t([rx = std::move(rx)]() mutable {
    while (std::optional<Sender<std::uint32_t>> otx = rx.recv()) (void)std::move(*otx).send(42);
  });

  [&] {  // ASSERT returns from here, so the worker is still joined below
    for (int i = 0; i < 20000; ++i) {
      auto [otx, orx] = channel<std::uint32_t>();
      tx.send(std::move(otx));
      orx.close();
      // No task needed: after close() the receiver never calls task::current().
      (void)orx.poll();
    }
  }();
  drop(tx);
  t.join();
}

TEST(Oneshot, spawn_sends_items) {
  LocalCore core;
  auto future = future::ok<int, Unit>(1);
  auto rx = oneshot::spawn(std::move(future), core);
  EXPECT_EQ(core.run(std::move(rx)), std::optional(Result<int, Unit>(Ok(1))));
}

TEST(Oneshot, spawn_kill_dead_stream) {
  // The Rust test's timeout is a thread that sends after one second; here it fires when
  // the executor has nothing left to do, which is when it would otherwise hang.
  auto [timeout_tx, timeout_rx] = channel<Unit>();
  auto timeout = [tx = std::make_shared<Sender<Unit>>(std::move(timeout_tx))] { (void)std::move(*tx).send(Unit{}); };

  LocalCore core;
  auto [done_tx, done_rx] = channel<Unit>();
  auto future = Dead(std::move(done_tx));
  auto rx = oneshot::spawn(std::move(future), core);
  auto res = core.run(into_future(Result<Unit, Unit>(Ok()))
                          .then([rx = std::move(rx), done_rx = std::move(done_rx)](Result<Unit, Unit>) mutable {
                            // now drop the spawned future: maybe some timeout exceeded, or
                            // some connection on this end was closed by the remote end.
                            drop(rx);
                            // and wait for the spawned future to release its resources
                            return std::move(done_rx);
                          })
                          .select2(std::move(timeout_rx)),
                      timeout);
  ASSERT_TRUE(res.has_value()) << "dead future wasn't canceled (the executor stalled)";
  ASSERT_FALSE(res->is_ok() && res->unwrap_ref().is_b()) << "dead future wasn't canceled (timeout)";
  ASSERT_TRUE(res->is_err() && res->unwrap_err_ref().is_a()) << "dead future wasn't canceled (unexpected result)";
  EXPECT_EQ(std::get<0>(res->unwrap_err_ref().a()), Canceled{});
}

TEST(Oneshot, spawn_dont_kill_forgot_dead_stream) {
  auto [timeout_tx, timeout_rx] = channel<Unit>();
  auto timeout = [tx = std::make_shared<Sender<Unit>>(std::move(timeout_tx))] { (void)std::move(*tx).send(Unit{}); };

  LocalCore core;
  auto [done_tx, done_rx] = channel<Unit>();
  auto future = Dead(std::move(done_tx));
  auto rx = oneshot::spawn(std::move(future), core);
  auto res = core.run(into_future(Result<Unit, Unit>(Ok()))
                          .then([rx = std::move(rx), done_rx = std::move(done_rx)](Result<Unit, Unit>) mutable {
                            // forget the spawned future: should keep running, i.e. hit the
                            // timeout below.
                            std::move(rx).forget();
                            // and wait for the spawned future to release its resources
                            return std::move(done_rx);
                          })
                          .select2(std::move(timeout_rx)),
                      timeout);
  ASSERT_TRUE(res.has_value()) << "the executor stalled";
  ASSERT_FALSE(res->is_err() && res->unwrap_err_ref().is_a()) << "forgotten dead future was canceled";
  ASSERT_TRUE(res->is_ok() && res->unwrap_ref().is_b())
      << "forgotten dead future was canceled (unexpected result)";  // reached timeout
  EXPECT_EQ(core.live(), 1);  // Dead still running
}

// ===== Unit tests =====

TEST(OneshotUnit, send_before_poll) {
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(std::move(tx).send(7), Ok());
  auto n = std::make_shared<futures_test::PanicNotify>();
  auto polled = futures_test::poll_once(rx, executor::NotifyHandle(n));
  EXPECT_EQ(polled, Ok(Async<int>(Ready(7))));
}

TEST(OneshotUnit, send_after_poll_notifies_once) {
  auto [tx, rx] = channel<std::string>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  EXPECT_EQ(futures_test::poll_once(rx, h), Ok(Async<std::string>(NotReady)));
  EXPECT_EQ(futures_test::poll_once(rx, h), Ok(Async<std::string>(NotReady)));
  EXPECT_EQ(n->count(), 0u);
  EXPECT_EQ(std::move(tx).send("hi"), Ok());
  EXPECT_EQ(n->count(), 1u);  // one parked task, one notify
  EXPECT_EQ(futures_test::poll_once(rx, h), Ok(Async<std::string>(Ready(std::string("hi")))));
  EXPECT_EQ(n->count(), 1u);
}

TEST(OneshotUnit, only_the_latest_task_is_notified) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> a;
  std::shared_ptr<CountingNotify> b;
  auto ha = counting(a);
  auto hb = counting(b);
  ASSERT_NOT_READY(rx);
  EXPECT_TRUE(futures_test::poll_once(rx, ha).unwrap().is_not_ready());
  EXPECT_TRUE(futures_test::poll_once(rx, hb).unwrap().is_not_ready());
  drop(tx);
  EXPECT_EQ(a->count(), 0u);
  EXPECT_EQ(b->count(), 1u);
}

TEST(OneshotUnit, drop_sender_cancels_and_notifies) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  EXPECT_TRUE(futures_test::poll_once(rx, h).unwrap().is_not_ready());
  drop(tx);
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(rx, h), Err(Canceled{}));
}

TEST(OneshotUnit, drop_sender_before_poll_cancels) {
  auto [tx, rx] = channel<int>();
  drop(tx);
  ASSERT_ERR_EQ(rx, Canceled{});
  auto [tx2, rx2] = channel<int>();
  drop(tx2);
  EXPECT_EQ(std::move(rx2).wait(), Err(Canceled{}));
}

TEST(OneshotUnit, move_assigning_over_a_sender_drops_it) {
  auto [tx1, rx1] = channel<int>();
  auto [tx2, rx2] = channel<int>();
  tx1 = std::move(tx2);
  ASSERT_ERR_EQ(rx1, Canceled{});
  EXPECT_EQ(std::move(tx1).send(3), Ok());
  ASSERT_READY_EQ(rx2, 3);
}

TEST(OneshotUnit, drop_receiver_send_returns_the_value) {
  auto [tx, rx] = channel<std::unique_ptr<int>>();
  drop(rx);
  EXPECT_TRUE(tx.is_canceled());
  Result<Unit, std::unique_ptr<int>> sent = std::move(tx).send(std::make_unique<int>(5));
  ASSERT_TRUE(sent.is_err());
  EXPECT_EQ(*sent.unwrap_err_ref(), 5);
}

TEST(OneshotUnit, close_makes_sends_fail_and_wakes_the_sender) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  EXPECT_TRUE(futures_test::with_task(h, [&] { return tx.poll_cancel(); }).unwrap().is_not_ready());
  rx.close();
  EXPECT_EQ(n->count(), 1u);
  EXPECT_TRUE(tx.is_canceled());
  EXPECT_EQ(std::move(tx).send(1), Err(1));
  EXPECT_EQ(rx.poll(), Err(Canceled{}));  // outside any task: decided already
}

TEST(OneshotUnit, close_keeps_a_value_sent_before) {
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(std::move(tx).send(4), Ok());
  rx.close();
  EXPECT_EQ(rx.try_recv(), Ok(std::optional<int>(4)));
  auto [tx2, rx2] = channel<int>();
  EXPECT_EQ(std::move(tx2).send(5), Ok());
  rx2.close();
  EXPECT_EQ(rx2.poll(), Ok(Async<int>(Ready(5))));
}

TEST(OneshotUnit, poll_cancel_notifies_the_senders_task_on_drop) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  auto poll_cancel = [&, &tx = tx] { return futures_test::with_task(h, [&] { return tx.poll_cancel(); }); };
  EXPECT_EQ(poll_cancel(), Ok(Async<Unit>(NotReady)));
  EXPECT_EQ(poll_cancel(), Ok(Async<Unit>(NotReady)));
  EXPECT_EQ(n->count(), 0u);
  drop(rx);
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(poll_cancel(), Ok(Async<Unit>(Ready())));
  EXPECT_EQ(n->count(), 1u);
}

TEST(OneshotUnit, receiver_completing_does_not_notify_the_sender_side) {
  auto [tx, rx] = channel<int>();
  auto panic = futures_test::panic_notify();
  EXPECT_TRUE(futures_test::with_task(panic, [&, &tx = tx] { return tx.poll_cancel(); }).unwrap().is_not_ready());
  // The sender sends, so its own parked poll_cancel task is never woken.
  EXPECT_EQ(std::move(tx).send(1), Ok());
  ASSERT_READY_EQ(rx, 1);
}

TEST(OneshotUnit, try_recv) {
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(rx.try_recv(), Ok(std::optional<int>()));
  EXPECT_EQ(std::move(tx).send(9), Ok());
  EXPECT_EQ(rx.try_recv(), Ok(std::optional<int>(9)));
  EXPECT_EQ(rx.try_recv(), Err(Canceled{}));  // taken already

  auto [tx2, rx2] = channel<int>();
  drop(tx2);
  EXPECT_EQ(rx2.try_recv(), Err(Canceled{}));
}

TEST(OneshotUnit, try_recv_needs_no_task_and_parks_nothing) {
  auto [tx, rx] = channel<int>();
  EXPECT_FALSE(task::is_in_task());
  EXPECT_EQ(rx.try_recv(), Ok(std::optional<int>()));
  drop(tx);  // nothing parked: nothing to notify
  EXPECT_EQ(rx.try_recv(), Err(Canceled{}));
}

TEST(OneshotUnit, canceled_is_a_value) {
  Canceled a;
  Canceled b = a;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.what(), "oneshot canceled");
  std::ostringstream os;
  os << a << ' ' << Result<int, Canceled>(Err(a));
  EXPECT_EQ(os.str(), "Canceled Err(Canceled)");
}

TEST(OneshotUnit, values_are_destroyed_with_the_channel) {
  LifetimeCounts counts;
  {
    auto [tx, rx] = channel<futures_test::Counted>();
    EXPECT_EQ(std::move(tx).send(futures_test::Counted(counts)), Ok());
    EXPECT_GT(counts.alive(), 0);
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    auto [tx, rx] = channel<futures_test::Counted>();
    drop(rx);
    EXPECT_TRUE(std::move(tx).send(futures_test::Counted(counts)).is_err());
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(OneshotUnit, deprecated_complete_sends) {
  auto [tx, rx] = channel<int>();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  std::move(tx).complete(8);
#pragma GCC diagnostic pop
  ASSERT_READY_EQ(rx, 8);
}

TEST(OneshotUnit, combinators_apply) {
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(std::move(tx).send(20), Ok());
  auto doubled = std::move(rx).map([](int v) { return v * 2; });
  EXPECT_EQ(std::move(doubled).wait(), Ok(40));
}

TEST(OneshotUnitDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(std::move(tx).send(1), Ok());
  ASSERT_READY_EQ(rx, 1);
  EXPECT_DEATH((void)futures_test::poll_noop(rx), "oneshot::Receiver polled after it completed");
}

TEST(OneshotUnitDeathTest, poll_cancel_outside_a_task_while_open) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto [tx, rx] = channel<int>();
  EXPECT_DEATH((void)tx.poll_cancel(), "outside of a task");
}

// ----- Executor concept and spawn -----

TEST(OneshotSpawn, execute_error_hands_the_future_back) {
  future::ExecuteError<future::FutureResult<Unit, Unit>> e(future::ExecuteErrorKind::NoCapacity,
                                                           future::ok<Unit, Unit>(Unit{}));
  EXPECT_EQ(e.kind(), future::ExecuteErrorKind::NoCapacity);
  std::ostringstream os;
  os << e << " / " << future::ExecuteErrorKind::Shutdown;
  EXPECT_EQ(os.str(), "executor has no more capacity / Shutdown");
  auto f = std::move(e).into_future();
  EXPECT_EQ(std::move(f).wait(), Ok());
}

TEST(OneshotSpawn, refused_spawn_panics_and_drops_the_future) {
  LocalCore core;
  core.refuse_with(future::ExecuteErrorKind::Shutdown);
  auto [done_tx, done_rx] = channel<Unit>();
  try {
    (void)oneshot::spawn(Dead(std::move(done_tx)), core);
    ADD_FAILURE() << "spawn should have thrown";
  } catch (const Panic& p) {
    EXPECT_NE(std::string(p.what()).find("failed to spawn future: executor has shut down"), std::string::npos)
        << p.what();
  }
  ASSERT_ERR_EQ(done_rx, Canceled{});
}

TEST(OneshotSpawn, error_is_forwarded) {
  LocalCore core;
  auto rx = oneshot::spawn(future::err<int, std::string>("bad"), core);
  EXPECT_EQ(core.run(std::move(rx)), std::optional(Result<int, std::string>(Err(std::string("bad")))));
}

TEST(OneshotSpawn, spawn_fn_runs_the_closure_on_the_executor) {
  LocalCore core;
  bool ran = false;
  auto rx = oneshot::spawn_fn(
      [&ran] {
        ran = true;
        return Result<int, Unit>(Ok(5));
      },
      core);
  EXPECT_FALSE(ran);  // lazily, on the executor
  EXPECT_EQ(core.run(std::move(rx)), std::optional(Result<int, Unit>(Ok(5))));
  EXPECT_TRUE(ran);
}

TEST(OneshotSpawn, handle_notified_when_the_spawned_future_completes) {
  LocalCore core;
  auto [tx, rx] = channel<int>();
  auto handle = oneshot::spawn(std::move(rx), core);
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  core.run_until_stalled();
  EXPECT_TRUE(futures_test::poll_once(handle, h).unwrap().is_not_ready());
  EXPECT_EQ(std::move(tx).send(3), Ok());
  core.run_until_stalled();
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(handle, h), Ok(Async<int>(Ready(3))));
}

TEST(OneshotSpawn, spawned_error_type_is_the_futures) {
  LocalCore core;
  auto [tx, rx] = channel<int>();
  auto handle = oneshot::spawn(std::move(rx), core);
  static_assert(std::is_same_v<decltype(handle)::Error, Canceled>);
  drop(tx);
  EXPECT_EQ(core.run(std::move(handle)), std::optional(Result<int, Canceled>(Err(Canceled{}))));
}

TEST(OneshotSpawn, handle_panics_if_the_executor_drops_the_future) {
  auto [done_tx, done_rx] = channel<Unit>();
  auto handle = [&, &done_tx = done_tx] {
    LocalCore core;
    return oneshot::spawn(Dead(std::move(done_tx)), core);
  }();  // the executor is gone, and the spawned future with it
  ASSERT_ERR_EQ(done_rx, Canceled{});
  EXPECT_THROW((void)futures_test::poll_noop(handle), Panic);
}

TEST(OneshotSpawn, forgotten_future_runs_to_completion) {
  LocalCore core;
  auto [tx, rx] = channel<int>();
  auto [out_tx, out_rx] = channel<int>();
  auto relay = std::move(rx).map([out = std::make_shared<Sender<int>>(std::move(out_tx))](int v) {
    (void)std::move(*out).send(v + 1);
  });
  auto handle = oneshot::spawn(std::move(relay), core);
  core.run_until_stalled();
  std::move(handle).forget();
  core.run_until_stalled();
  EXPECT_EQ(core.live(), 1);
  EXPECT_EQ(std::move(tx).send(1), Ok());
  core.run_until_stalled();
  EXPECT_EQ(core.live(), 0);
  ASSERT_READY_EQ(out_rx, 2);
}

TEST(OneshotSpawn, dropped_handle_cancels_without_polling_again) {
  LocalCore core;
  int polls = 0;
  auto counted = future::poll_fn([&polls]() -> Poll<Unit, Unit> {
    ++polls;
    return NotReady;
  });
  auto handle = oneshot::spawn(std::move(counted), core);
  core.run_until_stalled();
  EXPECT_EQ(polls, 1);
  drop(handle);
  core.run_until_stalled();
  EXPECT_EQ(polls, 1);  // cancelled at the next poll, before reaching the future
  EXPECT_EQ(core.live(), 0);
}

// ----- Cross-thread stress (bounded; run under TSan too) -----

TEST(OneshotStress, send_or_drop_across_threads) {
  constexpr int kIterations = 10000;
  auto [tx, rx] = StdChannel<Sender<int>>::make();
  std::thread t([rx = std::move(rx)]() mutable {
    int i = 0;
    while (std::optional<Sender<int>> s = rx.recv()) {
      if (i++ % 3 == 2) {
        drop(*s);
      } else {
        EXPECT_EQ(std::move(*s).send(i), Ok());
      }
    }
  });
  [&] {  // ASSERT returns from here, so the worker is still joined below
    for (int i = 0; i < kIterations; ++i) {
      auto [otx, orx] = channel<int>();
      tx.send(std::move(otx));
      Result<int, Canceled> r = std::move(orx).wait();
      if (i % 3 == 2) {
        ASSERT_EQ(r, Err(Canceled{})) << "iteration " << i;
      } else {
        ASSERT_EQ(r, Ok(i + 1)) << "iteration " << i;
      }
    }
  }();
  drop(tx);
  t.join();
}

TEST(OneshotStress, close_races_send_consistently) {
  constexpr int kIterations = 10000;
  auto [tx, rx] = StdChannel<Sender<int>>::make();
  auto [res_tx, res_rx] = StdChannel<bool>::make();
  std::thread t([rx = std::move(rx), res_tx = std::move(res_tx)]() mutable {
    while (std::optional<Sender<int>> s = rx.recv()) res_tx.send(std::move(*s).send(1).is_ok());
  });
  [&] {  // ASSERT returns from here, so the worker is still joined below
    for (int i = 0; i < kIterations; ++i) {
      auto [otx, orx] = channel<int>();
      tx.send(std::move(otx));
      orx.close();
      Poll<int, Canceled> got = orx.poll();  // decided: no task needed
      std::optional<bool> sent = res_rx.recv();
      ASSERT_TRUE(sent.has_value());
      // A send reports success exactly when the closed receiver got the value.
      ASSERT_EQ(*sent, got.is_ok()) << "iteration " << i << ": " << got;
    }
  }();
  drop(tx);
  t.join();
}

TEST(OneshotStress, poll_cancel_races_receiver_drop) {
  constexpr int kIterations = 10000;
  auto [tx, rx] = StdChannel<Receiver<std::uint32_t>>::make();
  std::thread t([rx = std::move(rx)]() mutable {
    while (std::optional<Receiver<std::uint32_t>> r = rx.recv()) drop(*r);
  });
  [&] {  // ASSERT returns from here, so the worker is still joined below
    for (int i = 0; i < kIterations; ++i) {
      auto [otx, orx] = channel<std::uint32_t>();
      tx.send(std::move(orx));
      ASSERT_TRUE(WaitForCancel(std::move(otx)).wait().is_ok()) << "iteration " << i;
    }
  }();
  drop(tx);
  t.join();
}

}  // namespace oneshot_test
