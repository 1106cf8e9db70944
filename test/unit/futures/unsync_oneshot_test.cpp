// Port of futures 0.1 tests/unsync-oneshot.rs
//
// Then unit tests of unsync::oneshot (include/futures/unsync/oneshot.hpp): notification
// counts, drop = cancel on both sides, poll_cancel, close, lifetimes, spawn / spawn_fn /
// forget. Everything here runs on one thread, as the unsync types require.
//
// Deviation from the Rust file: the spawn tests' one-second timeout thread becomes a
// timeout that fires when the executor runs out of work (LocalCore::run's on_idle).
#include <futures/future.hpp>
#include <futures/future/executor.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/unsync/oneshot.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/counted.hpp"
#include "support/drop.hpp"
#include "support/local_executor.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace unsync_oneshot_test {

using namespace futures;
using futures::unsync::oneshot::Canceled;
using futures::unsync::oneshot::channel;
using futures::unsync::oneshot::Receiver;
using futures::unsync::oneshot::Sender;
using futures::unsync::oneshot::spawn;
using futures_test::CountingNotify;
using futures_test::drop;
using futures_test::LifetimeCounts;

using futures_test::LocalCore;

namespace {


static_assert(future::Executor<const LocalCore, unsync::oneshot::Execute<future::FutureResult<int, Unit>>>);
static_assert(Future<Receiver<int>>);
static_assert(Future<unsync::oneshot::SpawnHandle<int, std::string>>);
static_assert(std::is_same_v<Canceled, sync::oneshot::Canceled>);
static_assert(!std::is_copy_constructible_v<Sender<int>> && std::is_nothrow_move_constructible_v<Sender<int>>);

/// A future that never completes, holding a (sync) Sender whose drop the test observes
/// (tests/unsync-oneshot.rs `Dead`).
struct Dead : FutureExt<Dead> {
  using Item = Unit;
  using Error = Unit;
  explicit Dead(sync::oneshot::Sender<Unit> d) : done(std::move(d)) {}
  Poll<Unit, Unit> poll() { return NotReady; }
  sync::oneshot::Sender<Unit> done;
};

executor::NotifyHandle counting(std::shared_ptr<CountingNotify>& out) {
  out = std::make_shared<CountingNotify>();
  return executor::NotifyHandle(out);
}

}  // namespace

// ===== Port of tests/unsync-oneshot.rs =====

TEST(UnsyncOneshot, smoke) {
  auto [tx, rx] = channel<int>();
  EXPECT_TRUE(std::move(tx).send(33).is_ok());
  EXPECT_EQ(std::move(rx).wait().unwrap(), 33);
}

TEST(UnsyncOneshot, canceled) {
  auto rx = std::get<1>(channel<Unit>());  // `let (_, rx)`: the Sender is dropped at once
  EXPECT_EQ(std::move(rx).wait().unwrap_err(), Canceled{});
}

TEST(UnsyncOneshot, poll_cancel) {
  auto tx = std::get<0>(channel<Unit>());  // `let (mut tx, _)`: the Receiver is dropped
  EXPECT_TRUE(tx.poll_cancel().unwrap().is_ready());
}

TEST(UnsyncOneshot, tx_complete_rx_unparked) {
  auto [tx, rx] = channel<int>();
  auto res = std::move(rx).join(future::lazy([tx = std::move(tx)]() mutable {
    EXPECT_TRUE(std::move(tx).send(55).is_ok());
    return Result<int, Canceled>(Ok(11));
  }));
  EXPECT_EQ(std::move(res).wait().unwrap(), std::make_tuple(55, 11));
}

TEST(UnsyncOneshot, tx_dropped_rx_unparked) {
  auto [tx, rx] = channel<int>();
  auto res = std::move(rx).join(future::lazy([tx = std::move(tx)]() mutable {
    auto dropped = std::move(tx);
    return Result<int, Canceled>(Ok(11));
  }));
  EXPECT_EQ(std::move(res).wait().unwrap_err(), Canceled{});
}

TEST(UnsyncOneshot, is_canceled) {
  auto [tx, rx] = channel<std::uint32_t>();
  EXPECT_FALSE(tx.is_canceled());
  drop(rx);
  EXPECT_TRUE(tx.is_canceled());
}

TEST(UnsyncOneshot, spawn_sends_items) {
  LocalCore core;
  auto future = future::ok<int, Unit>(1);
  auto rx = spawn(std::move(future), core);
  EXPECT_EQ(core.run(std::move(rx)).value().unwrap(), 1);
}

TEST(UnsyncOneshot, spawn_kill_dead_stream) {
  // The Rust test's timeout is a thread that sends after one second; here it fires when
  // the executor has nothing left to do, which is when it would otherwise hang.
  auto [timeout_tx, timeout_rx] = sync::oneshot::channel<Unit>();
  auto timeout = [tx = std::make_shared<sync::oneshot::Sender<Unit>>(std::move(timeout_tx))] {
    (void)std::move(*tx).send(Unit{});
  };

  LocalCore core;
  auto [done_tx, done_rx] = sync::oneshot::channel<Unit>();
  auto future = Dead(std::move(done_tx));
  auto rx = spawn(std::move(future), core);
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
  EXPECT_EQ(core.live(), 0);
}

TEST(UnsyncOneshot, spawn_dont_kill_forgot_dead_stream) {
  auto [timeout_tx, timeout_rx] = sync::oneshot::channel<Unit>();
  auto timeout = [tx = std::make_shared<sync::oneshot::Sender<Unit>>(std::move(timeout_tx))] {
    (void)std::move(*tx).send(Unit{});
  };

  LocalCore core;
  auto [done_tx, done_rx] = sync::oneshot::channel<Unit>();
  auto future = Dead(std::move(done_tx));
  auto rx = spawn(std::move(future), core);
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

TEST(UnsyncOneshotUnit, send_after_poll_notifies_once) {
  auto [tx, rx] = channel<std::string>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  EXPECT_TRUE(futures_test::poll_once(rx, h).unwrap().is_not_ready());
  EXPECT_TRUE(futures_test::poll_once(rx, h).unwrap().is_not_ready());
  EXPECT_EQ(n->count(), 0u);
  EXPECT_EQ(std::move(tx).send("hi"), Ok());
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(rx, h), Ok(Async<std::string>(Ready(std::string("hi")))));
}

TEST(UnsyncOneshotUnit, drop_sender_cancels_and_notifies) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  EXPECT_TRUE(futures_test::poll_once(rx, h).unwrap().is_not_ready());
  drop(tx);
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(rx, h), Err(Canceled{}));
}

TEST(UnsyncOneshotUnit, drop_receiver_send_returns_the_value) {
  auto [tx, rx] = channel<std::unique_ptr<int>>();
  drop(rx);
  EXPECT_TRUE(tx.is_canceled());
  auto sent = std::move(tx).send(std::make_unique<int>(5));
  ASSERT_TRUE(sent.is_err());
  EXPECT_EQ(*sent.unwrap_err_ref(), 5);
}

TEST(UnsyncOneshotUnit, poll_cancel_notifies_on_receiver_drop) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  auto poll_cancel = [&, &tx = tx] { return futures_test::with_task(h, [&] { return tx.poll_cancel(); }); };
  EXPECT_EQ(poll_cancel(), Ok(Async<Unit>(NotReady)));
  drop(rx);
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(poll_cancel(), Ok(Async<Unit>(Ready())));
}

TEST(UnsyncOneshotUnit, close_fails_later_sends_and_wakes_the_sender) {
  auto [tx, rx] = channel<int>();
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  EXPECT_TRUE(futures_test::with_task(h, [&, &tx = tx] { return tx.poll_cancel(); }).unwrap().is_not_ready());
  rx.close();
  EXPECT_EQ(n->count(), 1u);
  EXPECT_TRUE(tx.is_canceled());
  EXPECT_EQ(std::move(tx).send(1), Err(1));
  EXPECT_EQ(rx.poll(), Err(Canceled{}));  // no task needed once closed
}

TEST(UnsyncOneshotUnit, close_keeps_a_value_sent_before) {
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(std::move(tx).send(4), Ok());
  rx.close();
  rx.close();  // idempotent
  EXPECT_EQ(rx.poll(), Ok(Async<int>(Ready(4))));
}

TEST(UnsyncOneshotUnit, sender_parked_task_is_not_woken_by_its_own_send) {
  auto [tx, rx] = channel<int>();
  auto panic = futures_test::panic_notify();
  EXPECT_TRUE(futures_test::with_task(panic, [&, &tx = tx] { return tx.poll_cancel(); }).unwrap().is_not_ready());
  EXPECT_EQ(std::move(tx).send(1), Ok());
  ASSERT_READY_EQ(rx, 1);
}

TEST(UnsyncOneshotUnit, values_and_state_are_freed_in_either_order) {
  LifetimeCounts counts;
  {
    auto [tx, rx] = channel<futures_test::Counted>();
    EXPECT_EQ(std::move(tx).send(futures_test::Counted(counts)), Ok());
  }  // receiver dropped with the value inside
  EXPECT_EQ(counts.alive(), 0);
  {
    auto [tx, rx] = channel<futures_test::Counted>();
    drop(rx);
    EXPECT_TRUE(std::move(tx).send(futures_test::Counted(counts)).is_err());
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    auto [tx, rx] = channel<futures_test::Counted>();
    EXPECT_EQ(std::move(tx).send(futures_test::Counted(counts)), Ok());
    rx.close();  // the value moves into the receiver
    Receiver<futures_test::Counted> moved = std::move(rx);
    EXPECT_TRUE(futures_test::poll_noop(moved).unwrap().is_ready());
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(UnsyncOneshotUnit, move_assignment_drops_the_old_half) {
  auto [tx1, rx1] = channel<int>();
  auto [tx2, rx2] = channel<int>();
  tx1 = std::move(tx2);
  ASSERT_ERR_EQ(rx1, Canceled{});
  rx2 = std::move(rx1);  // rx1 is completed: assigning moves a Done receiver
  EXPECT_TRUE(tx1.is_canceled());  // the old rx2 was dropped
}

TEST(UnsyncOneshotUnitDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto [tx, rx] = channel<int>();
  EXPECT_EQ(std::move(tx).send(1), Ok());
  ASSERT_READY_EQ(rx, 1);
  EXPECT_DEATH((void)futures_test::poll_noop(rx), "unsync::oneshot::Receiver polled after it completed");
}

// ----- spawn -----

TEST(UnsyncOneshotSpawn, error_is_forwarded) {
  LocalCore core;
  auto rx = spawn(future::err<int, std::string>("bad"), core);
  EXPECT_EQ(core.run(std::move(rx)).value(), Err(std::string("bad")));
}

TEST(UnsyncOneshotSpawn, spawn_fn_runs_the_closure_on_the_executor) {
  LocalCore core;
  bool ran = false;
  auto rx = unsync::oneshot::spawn_fn(
      [&ran] {
        ran = true;
        return Result<int, Unit>(Ok(5));
      },
      core);
  EXPECT_FALSE(ran);
  EXPECT_EQ(core.run(std::move(rx)).value(), Ok(5));
  EXPECT_TRUE(ran);
}

TEST(UnsyncOneshotSpawn, handle_notified_when_the_spawned_future_completes) {
  LocalCore core;
  auto [tx, rx] = channel<int>();
  auto handle = spawn(std::move(rx), core);
  std::shared_ptr<CountingNotify> n;
  auto h = counting(n);
  core.run_until_stalled();
  EXPECT_TRUE(futures_test::poll_once(handle, h).unwrap().is_not_ready());
  EXPECT_EQ(std::move(tx).send(3), Ok());
  core.run_until_stalled();
  EXPECT_EQ(n->count(), 1u);
  EXPECT_EQ(futures_test::poll_once(handle, h), Ok(Async<int>(Ready(3))));
}

TEST(UnsyncOneshotSpawn, dropped_handle_cancels_without_polling_again) {
  LocalCore core;
  int polls = 0;
  auto handle = spawn(future::poll_fn([&polls]() -> Poll<Unit, Unit> {
                        ++polls;
                        return NotReady;
                      }),
                      core);
  core.run_until_stalled();
  EXPECT_EQ(polls, 1);
  drop(handle);
  core.run_until_stalled();
  EXPECT_EQ(polls, 1);
  EXPECT_EQ(core.live(), 0);
}

TEST(UnsyncOneshotSpawn, forgotten_future_runs_to_completion) {
  LocalCore core;
  auto [tx, rx] = channel<int>();
  int got = 0;
  auto handle = spawn(std::move(rx).map([&got](int v) { got = v; }), core);
  core.run_until_stalled();
  std::move(handle).forget();
  core.run_until_stalled();
  EXPECT_EQ(core.live(), 1);
  EXPECT_EQ(std::move(tx).send(6), Ok());
  core.run_until_stalled();
  EXPECT_EQ(core.live(), 0);
  EXPECT_EQ(got, 6);
}

TEST(UnsyncOneshotSpawn, handle_panics_if_the_executor_drops_the_future) {
  auto [done_tx, done_rx] = sync::oneshot::channel<Unit>();
  auto handle = [&, &done_tx = done_tx] {
    LocalCore core;
    return spawn(Dead(std::move(done_tx)), core);
  }();
  ASSERT_ERR_EQ(done_rx, Canceled{});
  EXPECT_THROW((void)futures_test::poll_noop(handle), Panic);
}

}  // namespace unsync_oneshot_test
