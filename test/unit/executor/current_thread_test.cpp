// Port of tokio-current-thread 0.1 tests/current_thread.rs, plus unit tests of
// CurrentThread (exceptions, Handle stress, timeouts, shutdown).
//
// Rust's `mod x { fn spawn(); fn execute(); }` pairs become `x_spawn` / `x_execute`.
// `#[should_panic]` becomes EXPECT_THROW(futures::Panic). block_waits used a thread that
// slept one second before sending; here the sender waits until the executor reports
// that it parks (exec_test::ReportingPark), which tests the same path without a sleep.
#include <tokio/executor.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include "support/counted.hpp"
#include "support/exec_helpers.hpp"
#include "support/std_channel.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using futures::Unit;
using futures::future::lazy;
using tokio::executor::current_thread::block_on_all;
using tokio::executor::current_thread::CurrentThread;
using tokio::executor::current_thread::TaskExecutor;
namespace current_thread = tokio::executor::current_thread;
using exec_test::Never;

using LocalBox = futures::BoxFuture<Unit, Unit>;

futures::future::FutureResult<Unit, Unit> ok() { return futures::future::ok<Unit, Unit>(Unit{}); }

// The two ways Rust's tests spawn from inside the executor.
void spawn_fn(LocalBox f) { current_thread::spawn(std::move(f)); }
void execute_fn(LocalBox f) { ASSERT_TRUE(TaskExecutor::current().execute(std::move(f)).is_ok()); }

// ===== from_block_on_all =====
template <class Spawn>
void from_block_on_all(Spawn spawn) {
  auto cnt = std::make_shared<int>(0);
  auto c = cnt;
  auto msg = block_on_all(lazy([c, spawn] {
               *c += 1;
               spawn(lazy([c] { *c += 1; }));
               return futures::Result<std::string, Unit>(futures::Ok(std::string("hello")));
             })).unwrap();
  EXPECT_EQ(2, *cnt);
  EXPECT_EQ(msg, "hello");
}
TEST(CurrentThread, from_block_on_all_spawn) { from_block_on_all(spawn_fn); }
TEST(CurrentThread, from_block_on_all_execute) { from_block_on_all(execute_fn); }

TEST(CurrentThread, block_waits) {
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  auto [parked_tx, parked_rx] = futures_test::std_channel<int>();
  std::thread t([tx = std::move(tx), parked_rx = std::move(parked_rx)]() mutable {
    (void)parked_rx.recv();  // the executor is about to block
    (void)std::move(tx).send(Unit{});
  });
  auto cnt = std::make_shared<int>(0);
  CurrentThread<exec_test::ReportingPark> ct(exec_test::ReportingPark(std::move(parked_tx)));
  auto r = ct.block_on(std::move(rx).then([cnt](auto) { *cnt += 1; return futures::Result<Unit, Unit>(futures::Ok()); }));
  EXPECT_TRUE(r.is_ok());
  EXPECT_TRUE(ct.run().is_ok());
  t.join();
  EXPECT_EQ(1, *cnt);
}

TEST(CurrentThread, spawn_many) {
  constexpr int kIter = 200;
  auto cnt = std::make_shared<int>(0);
  CurrentThread<> ct;
  for (int i = 0; i < kIter; ++i) ct.spawn(lazy([cnt] { *cnt += 1; }));
  EXPECT_TRUE(ct.run().is_ok());
  EXPECT_EQ(*cnt, kIter);
}

// ===== does_not_set_global_executor_by_default =====
template <class Spawn>
void does_not_set_global_executor_by_default(Spawn spawn) {
  block_on_all(lazy([spawn] {
    EXPECT_TRUE(spawn(LocalBox(lazy([] { return ok(); }))));  // is_err
    return ok();
  })).unwrap();
}
TEST(CurrentThread, does_not_set_global_executor_by_default_spawn) {
  does_not_set_global_executor_by_default([](LocalBox f) {
    auto ex = tokio::executor::DefaultExecutor::current();
    return ex.spawn(std::move(f)).is_err();
  });
}
TEST(CurrentThread, does_not_set_global_executor_by_default_execute) {
  does_not_set_global_executor_by_default(
      [](LocalBox f) { return tokio::executor::DefaultExecutor::current().execute(std::move(f)).is_err(); });
}

// ===== from_block_on_future =====
template <class Spawn>
void from_block_on_future(Spawn spawn) {
  auto cnt = std::make_shared<int>(0);
  CurrentThread<> ct;
  ct.block_on(lazy([&] {
      auto c = cnt;
      spawn(lazy([c] { *c += 1; return futures::Result<Unit, Unit>(futures::Ok()); }));
      return futures::Result<Unit, Unit>(futures::Ok());
    })).unwrap();
  EXPECT_TRUE(ct.run().is_ok());
  EXPECT_EQ(1, *cnt);
}
TEST(CurrentThread, from_block_on_future_spawn) { from_block_on_future(spawn_fn); }
TEST(CurrentThread, from_block_on_future_execute) { from_block_on_future(execute_fn); }

// ===== outstanding_tasks_are_dropped_when_executor_is_dropped =====
template <class Spawn, class DotSpawn>
void outstanding_tasks_are_dropped_when_executor_is_dropped(Spawn spawn, DotSpawn dotspawn) {
  auto rc = std::make_shared<int>(0);
  {
    CurrentThread<> ct;
    dotspawn(ct, LocalBox(Never(rc)));
  }
  EXPECT_EQ(rc.use_count(), 1);  // the daemon is dropped

  // Using the global spawn fn.
  rc = std::make_shared<int>(0);
  {
    CurrentThread<> ct;
    ct.block_on(lazy([&] {
        spawn(LocalBox(Never(rc)));
        return futures::Result<Unit, Unit>(futures::Ok());
      })).unwrap();
  }
  EXPECT_EQ(rc.use_count(), 1);
}
TEST(CurrentThread, outstanding_tasks_are_dropped_when_executor_is_dropped_spawn) {
  outstanding_tasks_are_dropped_when_executor_is_dropped(spawn_fn, [](CurrentThread<>& rt, LocalBox f) { rt.spawn(std::move(f)); });
}
TEST(CurrentThread, outstanding_tasks_are_dropped_when_executor_is_dropped_execute) {
  // Rust could not call execute on CurrentThread; here it is an Executor, so use that.
  outstanding_tasks_are_dropped_when_executor_is_dropped(execute_fn, [](CurrentThread<>& rt, LocalBox f) {
    tokio::executor::Executor& ex = rt;
    EXPECT_TRUE(ex.spawn(std::move(f)).is_ok());
  });
}

TEST(CurrentThread, nesting_run) {  // #[should_panic]
  EXPECT_THROW(block_on_all(lazy([] {
                 block_on_all(lazy([] { return ok(); })).unwrap();
                 return ok();
               })).unwrap(),
               futures::Panic);
}

// ===== run_in_future (#[should_panic]) =====
TEST(CurrentThread, run_in_future_spawn) {
  EXPECT_THROW(block_on_all(lazy([] {
                 current_thread::spawn(lazy([] {
                   block_on_all(lazy([] { return ok(); })).unwrap();
                   return ok();
                 }));
                 return ok();
               })).unwrap(),
               futures::Panic);
}
TEST(CurrentThread, run_in_future_execute) {
  EXPECT_THROW(block_on_all(lazy([] {
                 auto executed = TaskExecutor::current().execute(lazy([] {
                   block_on_all(lazy([] { return ok(); })).unwrap();
                   return ok();
                 }));
                 EXPECT_TRUE(executed.is_ok());
                 return ok();
               })).unwrap(),
               futures::Panic);
}

struct Infini : futures::FutureExt<Infini> {
  using Item = Unit;
  using Error = Unit;
  explicit Infini(std::shared_ptr<int> n) : num(std::move(n)) {}
  std::shared_ptr<int> num;
  futures::Poll<Unit, Unit> poll() {
    *num += 1;
    futures::task::current().notify();
    return futures::NotReady;
  }
};

TEST(CurrentThread, tick_on_infini_future) {
  auto num = std::make_shared<int>(0);
  CurrentThread<> ct;
  ct.spawn(Infini(num)).turn(std::nullopt).unwrap();
  EXPECT_EQ(1, *num);
}

// ===== tasks_are_scheduled_fairly =====
struct Spin : futures::FutureExt<Spin> {
  using Item = Unit;
  using Error = Unit;
  Spin(std::shared_ptr<std::array<int, 2>> s, std::size_t i) : state(std::move(s)), idx(i) {}
  std::shared_ptr<std::array<int, 2>> state;
  std::size_t idx;
  futures::Poll<Unit, Unit> poll() {
    auto& s = *state;
    if (idx == 0) {
      int diff = s[0] - s[1];
      EXPECT_LE(std::abs(diff), 1);
      if (s[0] >= 50) return futures::Ready(Unit{});
    }
    s[idx] += 1;
    if (s[idx] >= 100) return futures::Ready(Unit{});
    futures::task::current().notify();
    return futures::NotReady;
  }
};
template <class Spawn>
void tasks_are_scheduled_fairly(Spawn spawn) {
  auto state = std::make_shared<std::array<int, 2>>(std::array<int, 2>{0, 0});
  block_on_all(lazy([&] {
    spawn(LocalBox(Spin(state, 0)));
    spawn(LocalBox(Spin(state, 1)));
    return ok();
  })).unwrap();
  EXPECT_EQ((*state)[0], 50);
  EXPECT_EQ((*state)[1], 100);
}
TEST(CurrentThread, tasks_are_scheduled_fairly_spawn) { tasks_are_scheduled_fairly(spawn_fn); }
TEST(CurrentThread, tasks_are_scheduled_fairly_execute) { tasks_are_scheduled_fairly(execute_fn); }

// ===== and_turn =====
template <class Spawn>
void and_turn(Spawn spawn) {
  auto cnt = std::make_shared<int>(0);
  auto c = cnt;
  CurrentThread<> ct;
  // Spawn a basic task to get the executor to turn
  ct.spawn(lazy([] { return ok(); }));
  // Turn once...
  ct.turn(std::nullopt).unwrap();
  ct.spawn(lazy([c, spawn] {
    *c += 1;
    spawn(LocalBox(lazy([c] { *c += 1; return ok(); })));
    return ok();
  }));
  // This does not run the newly spawned task
  ct.turn(std::nullopt).unwrap();
  EXPECT_EQ(1, *cnt);
  // This runs the newly spawned task
  ct.turn(std::nullopt).unwrap();
  EXPECT_EQ(2, *cnt);
}
TEST(CurrentThread, and_turn_spawn) { and_turn(spawn_fn); }
TEST(CurrentThread, and_turn_execute) { and_turn(execute_fn); }

template <class D>
struct MyFuture : futures::FutureExt<MyFuture<D>> {
  using Item = Unit;
  using Error = Unit;
  explicit MyFuture(std::shared_ptr<exec_test::OnDrop<D>> d) : data(std::move(d)) {}
  std::shared_ptr<exec_test::OnDrop<D>> data;
  futures::Poll<Unit, Unit> poll() { return futures::Ready(Unit{}); }
};

// ===== in_drop =====
template <class Spawn>
void in_drop(Spawn spawn) {
  CurrentThread<> ct;
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  auto tx_box = std::make_shared<std::optional<futures::sync::oneshot::Sender<Unit>>>(std::move(tx));
  auto on_drop = [spawn, tx_box] {
    spawn(LocalBox(lazy([tx_box] {
      EXPECT_TRUE(std::move(**tx_box).send(Unit{}).is_ok());
      return ok();
    })));
  };
  ct.spawn(LocalBox(MyFuture<decltype(on_drop)>(std::make_shared<exec_test::OnDrop<decltype(on_drop)>>(std::move(on_drop)))));
  EXPECT_TRUE(ct.block_on(std::move(rx)).is_ok());
  EXPECT_TRUE(ct.run().is_ok());
}
TEST(CurrentThread, in_drop_spawn) { in_drop(spawn_fn); }
TEST(CurrentThread, in_drop_execute) { in_drop(execute_fn); }

TEST(CurrentThread, hammer_turn) {
  // Rust: ITER 100 x 4 threads x N 100; fewer iterations keep the sanitizer runs short.
  static constexpr int kIter = 20;
  static constexpr int kN = 100;
  static constexpr int kThreads = 4;
  for (int it = 0; it < kIter; ++it) {
    std::vector<std::thread> ths;
    for (int th = 0; th < kThreads; ++th) {
      ths.emplace_back([] {
        CurrentThread<> ct;
        auto [tx, rx] = futures::sync::mpsc::unbounded<Unit>();
        auto cnt = std::make_shared<int>(0);
        ct.spawn(std::move(rx)
                     .for_each([c = cnt](Unit) { *c += 1; return futures::Result<Unit, Unit>(futures::Ok()); })
                     .map([cnt](Unit) { EXPECT_EQ(kN, *cnt); }));
        std::thread producer([tx = std::move(tx)]() mutable {
          for (int i = 0; i < kN; ++i) {
            EXPECT_TRUE(tx.unbounded_send(Unit{}).is_ok());
            std::this_thread::yield();
          }
        });
        while (!ct.is_idle()) ct.turn(std::nullopt).unwrap();
        producer.join();
      });
    }
    for (auto& t : ths) t.join();
  }
}

TEST(CurrentThread, turn_has_polled) {
  CurrentThread<> ct;
  // Spawn oneshot receiver
  auto [sender, receiver] = futures::sync::oneshot::channel<Unit>();
  ct.spawn(std::move(receiver).then([](auto) { return ok(); }));
  // Turn once: polled the receiver, not ready
  EXPECT_TRUE(ct.turn(0ms).unwrap().has_polled());
  // Turn another time: nothing to poll
  EXPECT_FALSE(ct.turn(0ms).unwrap().has_polled());
  // Make the receiver ready
  EXPECT_TRUE(std::move(sender).send(Unit{}).is_ok());
  EXPECT_TRUE(ct.turn(0ms).unwrap().has_polled());
  // Now the executor should be empty
  EXPECT_TRUE(ct.is_idle());
  EXPECT_FALSE(ct.turn(0ms).unwrap().has_polled());
}

// Dropping the executor destroys tasks that were polled (and left pending) and tasks
// never polled alike; a never-polled task's destructor may notify a pending one.
TEST(CurrentThread, drop_destroys_polled_and_never_polled_tasks) {
  futures_test::LifetimeCounts counts;
  auto kept = std::make_shared<std::optional<futures::task::Task>>();
  {
    CurrentThread<> ct;
    for (int i = 0; i < 3; ++i) {
      ct.spawn(futures::future::poll_fn([c = futures_test::Counted(counts), kept]() -> futures::Poll<Unit, Unit> {
        *kept = futures::task::current();
        return futures::NotReady;
      }));
    }
    EXPECT_TRUE(ct.turn(0ms).unwrap().has_polled());  // all three pending now
    auto notify_on_drop = [kept] {
      if (*kept) (*kept)->notify();
    };
    for (int i = 0; i < 3; ++i) {
      ct.spawn(LocalBox(MyFuture<decltype(notify_on_drop)>(
          std::make_shared<exec_test::OnDrop<decltype(notify_on_drop)>>(notify_on_drop))));
      ct.spawn(lazy([c = futures_test::Counted(counts)] { ADD_FAILURE() << "never polled"; }));
    }
    EXPECT_EQ(counts.alive(), 6);
  }
  EXPECT_EQ(counts.alive(), 0);
  (*kept)->notify();  // the task is gone: nothing happens
}

// Our own mock Park that never really waits; on request it sends (once) on a oneshot.
struct MyUnpark {
  void unpark() const {}
};
struct MyPark {
  using Unpark = MyUnpark;
  using Error = Unit;
  std::optional<futures::sync::oneshot::Sender<Unit>> sender;
  std::shared_ptr<bool> send_now;
  MyUnpark unpark() const { return {}; }
  futures::Result<Unit, Unit> park() {
    // If called twice with send_now, this intentionally fails the test
    if (*send_now) {
      EXPECT_TRUE(sender.has_value());
      if (sender) {
        EXPECT_TRUE(std::move(*sender).send(Unit{}).is_ok());
      }
      sender.reset();
    }
    return futures::Ok();
  }
  futures::Result<Unit, Unit> park_timeout(std::chrono::nanoseconds) { return park(); }
};

// A Park that counts its zero-timeout polls and says whether it has anything to poll
// (as Reactor::is_idle: no source registered).
struct IdleAwarePark {
  using Unpark = MyUnpark;
  using Error = Unit;
  std::shared_ptr<int> polls = std::make_shared<int>(0);
  std::shared_ptr<bool> idle = std::make_shared<bool>(true);
  MyUnpark unpark() const { return {}; }
  bool is_idle() const { return *idle; }
  futures::Result<Unit, Unit> park() { return futures::Ok(); }
  futures::Result<Unit, Unit> park_timeout(std::chrono::nanoseconds d) {
    if (d == 0ns) ++*polls;
    return futures::Ok();
  }
};

// While tasks stay queued, block_on polls the Park between budgeted ticks, except when
// the Park says it is idle (nothing could be ready there).
TEST(CurrentThread, busy_block_on_polls_the_park_only_when_it_is_not_idle) {
  IdleAwarePark park;
  auto polls = park.polls;
  auto idle = park.idle;
  CurrentThread<IdleAwarePark> ct(std::move(park));
  auto yield_n = [](int n) {
    return futures::future::poll_fn([left = n]() mutable -> futures::Poll<Unit, Unit> {
      if (left-- == 0) return futures::Ready();
      futures::task::current().notify();
      return futures::NotReady;
    });
  };
  constexpr int kYields = 1000;  // many budgeted ticks
  EXPECT_TRUE(ct.block_on(yield_n(kYields)).is_ok());
  EXPECT_EQ(*polls, 0);
  *idle = false;
  ct.spawn(yield_n(kYields));
  EXPECT_TRUE(ct.block_on(yield_n(kYields)).is_ok());
  EXPECT_GT(*polls, kYields / 61);  // at least one per budgeted tick
}

TEST(CurrentThread, turn_fair) {
  auto send_now = std::make_shared<bool>(false);
  auto [sender, receiver] = futures::sync::oneshot::channel<Unit>();
  auto [sender_2, receiver_2] = futures::sync::oneshot::channel<Unit>();
  auto [sender_3, receiver_3] = futures::sync::oneshot::channel<Unit>();
  CurrentThread<MyPark> ct(MyPark{std::move(sender_3), send_now});

  auto receiver_1_done = std::make_shared<bool>(false);
  // Once an item is received on the oneshot, it makes the second one ready at once
  ct.spawn(std::move(receiver)
               .map_err([](auto) { ADD_FAILURE(); })
               .and_then([s2 = std::move(sender_2), d = receiver_1_done](Unit) mutable {
                 EXPECT_TRUE(std::move(s2).send(Unit{}).is_ok());
                 *d = true;
                 return ok();
               }));
  auto receiver_2_done = std::make_shared<bool>(false);
  ct.spawn(std::move(receiver_2).map_err([](auto) { ADD_FAILURE(); }).and_then([d = receiver_2_done](Unit) {
    *d = true;
    return ok();
  }));
  // The third receiver is only woken from our Park: it simulates a socket that has to be
  // polled to know whether it is ready
  auto receiver_3_done = std::make_shared<bool>(false);
  ct.spawn(std::move(receiver_3).map_err([](auto) { ADD_FAILURE(); }).and_then([d = receiver_3_done](Unit) {
    *d = true;
    return ok();
  }));

  // First turn polls all three, none ready
  EXPECT_TRUE(ct.turn(0ms).unwrap().has_polled());
  // Next turn polls nothing
  EXPECT_FALSE(ct.turn(0ms).unwrap().has_polled());
  EXPECT_FALSE(*receiver_1_done);
  EXPECT_FALSE(*receiver_2_done);
  EXPECT_FALSE(*receiver_3_done);

  // The first receiver's future will wake the second: pending futures again
  EXPECT_TRUE(std::move(sender).send(Unit{}).is_ok());
  EXPECT_TRUE(ct.turn(std::nullopt).unwrap().has_polled());
  EXPECT_TRUE(*receiver_1_done);
  EXPECT_FALSE(*receiver_2_done);
  EXPECT_FALSE(*receiver_3_done);

  // Let the park send on sender 3
  *send_now = true;
  // This resolves the second receiver directly, and also polls the "socket" woken from
  // the park: both in one turn, so neither kind of wake-up is favoured
  EXPECT_TRUE(ct.turn(std::nullopt).unwrap().has_polled());
  EXPECT_TRUE(*receiver_1_done);
  EXPECT_TRUE(*receiver_2_done);
  EXPECT_TRUE(*receiver_3_done);

  // Don't send again
  *send_now = false;
  EXPECT_TRUE(ct.is_idle());
  EXPECT_FALSE(ct.turn(std::nullopt).unwrap().has_polled());
}

TEST(CurrentThread, spawn_from_other_thread) {
  CurrentThread<> ct;
  auto handle = ct.handle();
  auto [sender, receiver] = futures::sync::oneshot::channel<Unit>();
  std::thread t([handle, sender = std::move(sender)]() mutable {
    EXPECT_TRUE(handle
                    .spawn(lazy([s = std::move(sender)]() mutable {
                      EXPECT_TRUE(std::move(s).send(Unit{}).is_ok());
                      return ok();
                    }))
                    .is_ok());
  });
  EXPECT_TRUE(ct.block_on(std::move(receiver)).is_ok());
  t.join();
}

TEST(CurrentThread, spawn_from_other_thread_unpark) {
  CurrentThread<> ct;
  auto handle = ct.handle();
  auto [sender_1, receiver_1] = futures::sync::oneshot::channel<Unit>();
  auto [sender_2, receiver_2] = futures_test::std_channel<Unit>();
  std::thread t([handle, sender_1 = std::move(sender_1), receiver_2 = std::move(receiver_2)]() mutable {
    (void)receiver_2.recv();
    EXPECT_TRUE(handle
                    .spawn(lazy([s = std::move(sender_1)]() mutable {
                      EXPECT_TRUE(std::move(s).send(Unit{}).is_ok());
                      return ok();
                    }))
                    .is_ok());
  });
  // The executor first looks for new futures (none), runs the lazy below, which makes
  // the other thread spawn; then it parks and must be woken because a future arrived.
  auto r = ct.block_on(lazy([s2 = std::move(sender_2)] {
                         s2.send(Unit{});
                         return futures::Result<Unit, futures::sync::oneshot::Canceled>(futures::Ok());
                       }).and_then([r1 = std::move(receiver_1)](Unit) mutable { return std::move(r1); }));
  EXPECT_TRUE(r.is_ok());
  t.join();
}

TEST(CurrentThread, spawn_from_executor_with_handle) {
  CurrentThread<> ct;
  auto handle = ct.handle();
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  ct.spawn(lazy([handle, tx = std::move(tx)]() mutable {
    EXPECT_TRUE(handle
                    .spawn(lazy([tx = std::move(tx)]() mutable {
                      EXPECT_TRUE(std::move(tx).send(Unit{}).is_ok());
                      return ok();
                    }))
                    .is_ok());
    return ok();
  }));
  (void)ct.run();
  EXPECT_TRUE(std::move(rx).wait().is_ok());
}

// ===== Beyond the Rust file =====

struct Throws : futures::FutureExt<Throws> {
  using Item = Unit;
  using Error = Unit;
  explicit Throws(futures_test::Counted c) : counted(std::move(c)) {}
  futures_test::Counted counted;
  futures::Poll<Unit, Unit> poll() { throw std::runtime_error("task failed"); }
};

TEST(CurrentThread, exception_unwinds_out_of_run_and_drops_the_task) {
  futures_test::LifetimeCounts counts;
  auto ran = std::make_shared<int>(0);
  CurrentThread<> ct;
  ct.spawn(lazy([ran] { *ran += 1; }));
  ct.spawn(Throws(futures_test::Counted(counts)));
  ct.spawn(lazy([ran] { *ran += 1; }));
  EXPECT_THROW((void)ct.run(), std::runtime_error);
  EXPECT_EQ(counts.alive(), 0);  // the throwing task is gone
  EXPECT_EQ(*ran, 1);            // the task behind it has not run yet...
  EXPECT_FALSE(ct.is_idle());
  EXPECT_TRUE(ct.run().is_ok());  // ...and runs on the next run: the executor is intact
  EXPECT_EQ(*ran, 2);
  EXPECT_TRUE(ct.is_idle());
  EXPECT_TRUE(tokio::executor::enter().is_ok());  // the Enter guard was released
}

TEST(CurrentThread, exception_unwinds_out_of_block_on) {
  futures_test::LifetimeCounts counts;
  CurrentThread<> ct;
  ct.spawn(Throws(futures_test::Counted(counts)));
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  EXPECT_THROW((void)ct.block_on(std::move(rx)), std::runtime_error);
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_TRUE(ct.is_idle());
  // The block_on future itself throwing also unwinds.
  EXPECT_THROW((void)ct.block_on(Throws(futures_test::Counted(counts))), std::runtime_error);
  EXPECT_EQ(counts.alive(), 0);
}

TEST(CurrentThread, block_on_returns_the_future_error) {
  CurrentThread<> ct;
  auto r = ct.block_on(futures::future::err<int, std::string>("bad"));
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(std::move(r).unwrap_err().into_inner(), std::optional<std::string>("bad"));
  EXPECT_EQ(block_on_all(futures::future::err<int, std::string>("bad")).unwrap_err(), "bad");
  EXPECT_EQ(block_on_all(futures::future::ok<int, std::string>(4)).unwrap(), 4);
}

TEST(CurrentThread, run_timeout_times_out_with_a_pending_task) {
  CurrentThread<> ct;
  auto rc = std::make_shared<int>(0);
  ct.spawn(Never(rc));
  auto r = ct.run_timeout(1ms);
  ASSERT_TRUE(r.is_err());
  EXPECT_TRUE(r.unwrap_err().is_timeout());
  EXPECT_TRUE(CurrentThread<>().run_timeout(1ms).is_ok());  // idle: at once
}

TEST(CurrentThread, entered_api) {
  CurrentThread<> ct;
  auto e = tokio::executor::enter().unwrap();
  auto entered = ct.enter(e);
  auto cnt = std::make_shared<int>(0);
  entered.spawn(lazy([cnt] { *cnt += 1; }));
  EXPECT_EQ(entered.block_on(futures::future::ok<int, Unit>(3)).unwrap(), 3);
  EXPECT_TRUE(entered.run().is_ok());
  EXPECT_EQ(*cnt, 1);
  EXPECT_FALSE(entered.turn(0ms).unwrap().has_polled());
  // Entering again on this thread fails: the executor's own methods refuse.
  EXPECT_THROW((void)ct.run(), futures::Panic);
}

TEST(CurrentThread, spawn_outside_an_executor) {
  EXPECT_THROW(current_thread::spawn(ok()), futures::Panic);
  EXPECT_TRUE(TaskExecutor::current().spawn_local(ok()).unwrap_err().is_shutdown());
  EXPECT_TRUE(TaskExecutor::current().execute(ok()).is_err());
}

TEST(CurrentThread, move_only_futures_spawn) {
  CurrentThread<> ct;
  auto p = std::make_unique<int>(5);
  auto seen = std::make_shared<int>(0);
  ct.spawn(lazy([p = std::move(p), seen] { *seen = *p; }));
  EXPECT_TRUE(ct.run().is_ok());
  EXPECT_EQ(*seen, 5);
}

TEST(CurrentThread, handle_after_executor_dropped) {
  std::optional<current_thread::Handle> handle;
  {
    CurrentThread<> ct;
    handle = ct.handle();
    EXPECT_TRUE(handle->status().is_ok());
  }
  EXPECT_TRUE(handle->status().unwrap_err().is_shutdown());
  EXPECT_TRUE(handle->spawn(ok()).unwrap_err().is_shutdown());
  EXPECT_TRUE(handle->execute(ok()).is_err());
}

TEST(CurrentThread, task_handle_outliving_executor_is_harmless) {
  std::optional<futures::task::Task> kept;
  {
    CurrentThread<> ct;
    ct.spawn(futures::future::poll_fn([&]() -> futures::Poll<Unit, Unit> {
      kept = futures::task::current();
      return futures::NotReady;
    }));
    ct.turn(0ms).unwrap();
  }
  kept->notify();  // the task is gone: nothing happens
  std::thread t([task = *kept] { task.notify(); });
  t.join();
  kept.reset();
}

TEST(CurrentThread, notify_from_other_threads_stress) {
  // 64 tasks, each waiting on a oneshot completed by one of 4 threads, twice over.
  constexpr int kTasks = 64;
  for (int round = 0; round < 2; ++round) {
    CurrentThread<> ct;
    std::vector<futures::sync::oneshot::Sender<int>> senders;
    auto sum = std::make_shared<int>(0);
    for (int i = 0; i < kTasks; ++i) {
      auto [tx, rx] = futures::sync::oneshot::channel<int>();
      senders.push_back(std::move(tx));
      ct.spawn(std::move(rx).map([sum](int v) { *sum += v; }).map_err([](auto) {}));
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      std::vector<futures::sync::oneshot::Sender<int>> mine;
      for (int i = t; i < kTasks; i += 4) mine.push_back(std::move(senders[i]));
      threads.emplace_back([mine = std::move(mine)]() mutable {
        for (auto& s : mine) (void)std::move(s).send(1);
      });
    }
    EXPECT_TRUE(ct.run().is_ok());
    for (auto& t : threads) t.join();
    EXPECT_EQ(*sum, kTasks);
  }
}

// A task that notifies itself during its poll and then completes is polled once and
// freed; one that notifies itself and stays pending is polled again on the next turn.
TEST(CurrentThread, self_notify_in_the_last_poll_is_dropped_with_the_task) {
  auto polls = std::make_shared<int>(0);
  CurrentThread<> ct;
  ct.spawn(futures::future::poll_fn([polls]() -> futures::Poll<Unit, Unit> {
    ++*polls;
    futures::task::current().notify();
    if (*polls == 2) return futures::Ready(Unit{});
    return futures::NotReady;
  }));
  EXPECT_TRUE(ct.turn(0ms).unwrap().has_polled());
  EXPECT_EQ(*polls, 1);
  EXPECT_FALSE(ct.is_idle());
  EXPECT_TRUE(ct.turn(0ms).unwrap().has_polled());
  EXPECT_EQ(*polls, 2);
  EXPECT_TRUE(ct.is_idle());
  EXPECT_FALSE(ct.turn(0ms).unwrap().has_polled());
}

// Tasks that yield (notify themselves) while other threads notify them, AtomicTask
// style: a poll stores a Task handle when none is stored, a notifier takes it out,
// notifies and drops it (so the node may have no other handle left when its poll ends).
// Each task is queued once at a time (a node queued twice corrupts the run queues) and
// none is lost, so every task reaches its last poll.
TEST(CurrentThread, yield_races_with_notifies_from_other_threads) {
  constexpr int kTasks = 8;
  constexpr int kPolls = 2000;
  CurrentThread<> ct;
  std::mutex mutex;
  std::array<std::optional<futures::task::Task>, kTasks> handles;  // guarded by mutex
  std::atomic<int> finished{0};
  for (int i = 0; i < kTasks; ++i) {
    ct.spawn(futures::future::poll_fn([i, &mutex, &handles, &finished, polls = 0]() mutable -> futures::Poll<Unit, Unit> {
      ++polls;
      {
        std::lock_guard lock(mutex);
        if (!handles[i]) handles[i].emplace(futures::task::current());
      }
      if (polls == kPolls) {
        finished.fetch_add(1);
        return futures::Ready(Unit{});
      }
      if (polls % 2 == 0) futures::task::current().notify();  // a yield
      if (polls % 3 == 0) futures::task::current().notify();  // sometimes twice
      // The other polls wait for the notifiers' next notify.
      return futures::NotReady;
    }));
  }
  std::atomic<bool> stop{false};
  std::vector<std::thread> notifiers;
  for (int t = 0; t < 2; ++t) {
    notifiers.emplace_back([&, t] {
      while (!stop.load()) {
        for (int i = t; i < kTasks; i += 2) {
          std::optional<futures::task::Task> taken;
          {
            std::lock_guard lock(mutex);
            taken.swap(handles[i]);
          }
          if (taken) taken->notify();
        }
      }
    });
  }
  EXPECT_TRUE(ct.run().is_ok());
  stop.store(true);
  for (auto& n : notifiers) n.join();
  EXPECT_EQ(finished.load(), kTasks);
}

TEST(CurrentThread, handle_spawn_stress) {
  // 4 threads x 500 spawns through Handles while the executor runs.
  static constexpr int kThreads = 4;
  static constexpr int kPerThread = 500;
  CurrentThread<> ct;
  auto count = std::make_shared<std::atomic<int>>(0);
  auto [done_tx, done_rx] = futures::sync::oneshot::channel<Unit>();
  auto done = std::make_shared<std::optional<futures::sync::oneshot::Sender<Unit>>>(std::move(done_tx));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([handle = ct.handle(), count, done] {
      for (int i = 0; i < kPerThread; ++i) {
        auto spawned = handle.spawn(lazy([count, done] {
          if (count->fetch_add(1) + 1 == kThreads * kPerThread) (void)std::move(**done).send(Unit{});
        }));
        EXPECT_TRUE(spawned.is_ok());
      }
    });
  }
  EXPECT_TRUE(ct.block_on(std::move(done_rx)).is_ok());
  for (auto& t : threads) t.join();
  EXPECT_TRUE(ct.run().is_ok());
  EXPECT_EQ(count->load(), kThreads * kPerThread);
  EXPECT_TRUE(ct.is_idle());
}

TEST(CurrentThread, handle_spawn_races_with_executor_drop) {
  // Spawns racing with the executor's destruction either run or are dropped, never leak
  // (ASan/LSan) and never crash.
  for (int round = 0; round < 20; ++round) {
    futures_test::LifetimeCounts counts;
    std::thread t;
    {
      CurrentThread<> ct;
      t = std::thread([handle = ct.handle(), &counts] {
        for (int i = 0; i < 50; ++i) (void)handle.spawn(lazy([c = futures_test::Counted(counts)] {}));
      });
      (void)ct.turn(0ms);
    }
    t.join();
    EXPECT_EQ(counts.alive(), 0);
  }
}

}  // namespace
