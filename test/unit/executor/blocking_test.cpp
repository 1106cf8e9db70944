// Port of tokio-threadpool 0.1 tests/blocking.rs (every test, same names), plus
// blocking() called outside a pool.
//
// Sleeps inside blocking closures only provoke overlap (Rust: 100 ms; here 10 ms, and
// fewer iterations of `shutdown` and `hammer`: the CI machine has 2 cores).
#include <tokio/executor.hpp>
#include <tokio/threadpool.hpp>

#include <futures/future.hpp>
#include <futures/sync/oneshot.hpp>

#include "support/std_channel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <memory>
#include <random>
#include <thread>

namespace {

using futures::Unit;
using futures::future::lazy;
using futures::future::poll_fn;
using futures_test::std_channel;
using tokio::threadpool::blocking;
using tokio::threadpool::BlockingError;
using tokio::threadpool::Builder;

constexpr auto kSleep = std::chrono::milliseconds(10);

auto panic_on_err() {
  return [](BlockingError e) -> Unit {
    ADD_FAILURE() << "blocking err " << e;
    return Unit{};
  };
}

TEST(Blocking, basic) {
  auto pool = Builder().pool_size(1).max_blocking(1).build();
  auto [tx1, rx1] = std_channel<int>();
  auto [tx2, rx2] = std_channel<int>();
  pool.spawn(lazy([rx1 = std::move(rx1), tx2 = std::move(tx2)]() mutable {
    auto res = blocking([&] {
                 auto v = rx1.recv();
                 tx2.send(*v);
               }).unwrap();
    EXPECT_TRUE(res.is_ready());
  }));
  pool.spawn(lazy([tx1 = std::move(tx1)] { tx1.send(1); }));
  EXPECT_EQ(rx2.recv(), 1);
}

TEST(Blocking, other_executors_can_run_inside_blocking) {
  auto pool = Builder().pool_size(1).max_blocking(1).build();
  auto [tx, rx] = std_channel<int>();
  pool.spawn(lazy([tx = std::move(tx)] {
    auto res = blocking([&] {
                 auto e = tokio::executor::enter();
                 EXPECT_TRUE(e.is_ok()) << "nested blocking enter";
                 tx.send(1);
               }).unwrap();
    EXPECT_TRUE(res.is_ready());
  }));
  EXPECT_EQ(rx.recv(), 1);
}

TEST(Blocking, notify_task_on_capacity) {
  constexpr int BLOCKING = 10;
  auto pool = Builder().pool_size(1).max_blocking(1).build();
  auto rem = std::make_shared<std::atomic<int>>(BLOCKING);
  auto [tx, rx] = std_channel<int>();
  for (int i = 0; i < BLOCKING; ++i) {
    pool.spawn(lazy([rem, tx = tx] {
      return poll_fn([rem, tx]() -> futures::Poll<Unit, Unit> {
        return blocking([&] {
                 std::this_thread::sleep_for(kSleep);
                 if (rem->fetch_sub(1) == 1) tx.send(1);
               })
            .map_err(panic_on_err());
      });
    }));
  }
  EXPECT_EQ(rx.recv(), 1);
  EXPECT_EQ(rem->load(), 0);
}

TEST(Blocking, capacity_is_use_it_or_lose_it) {
  auto pool = Builder().pool_size(1).max_blocking(1).build();
  auto [tx1, rx1] = std_channel<int>();
  auto [tx2, rx2] = futures::sync::oneshot::channel<futures::task::Task>();
  auto [tx3, rx3] = std_channel<int>();
  auto [tx4, rx4] = std_channel<int>();

  // First, fill the blocking capacity.
  pool.spawn(lazy([rx1 = std::move(rx1)]() mutable {
    return poll_fn([rx1 = std::move(rx1)]() mutable -> futures::Poll<Unit, Unit> {
      return blocking([&] { (void)rx1.recv(); }).map_err(panic_on_err());
    });
  }));

  pool.spawn(lazy([rx2 = std::move(rx2), rx3 = std::move(rx3)]() mutable {
    return std::move(rx2)
        .map_err([](auto&&) { ADD_FAILURE() << "canceled"; })
        .and_then([rx3 = std::move(rx3)](futures::task::Task task) mutable {
          return poll_fn([task = std::move(task),
                          rx3 = std::move(rx3)]() mutable -> futures::Poll<Unit, Unit> {
            return blocking([&] {
                     task.notify();     // notify the other task
                     (void)rx3.recv();  // block until woken
                   })
                .map_err(panic_on_err());
          });
        });
  }));

  // A task that tries to block, gets notified, then does not use the capacity.
  pool.spawn(lazy([tx1 = std::move(tx1), tx2 = std::move(tx2), tx3 = std::move(tx3),
                   tx4 = std::move(tx4)]() mutable {
    return poll_fn([i = 0, tx1 = std::move(tx1), tx2 = std::move(tx2), tx3 = std::move(tx3),
                    tx4 = std::move(tx4)]() mutable -> futures::Poll<Unit, Unit> {
      switch (i) {
        case 0: {
          i = 1;
          auto res = blocking([] { ADD_FAILURE() << "unreachable"; });
          EXPECT_TRUE(res.unwrap().is_not_ready());
          tx1.send(1);  // unblock the first blocker
          return futures::NotReady;
        }
        case 1: {
          i = 2;
          // Skip blocking, and tell the second task to start blocking.
          EXPECT_TRUE(std::move(tx2).send(futures::task::current()).is_ok());
          return futures::NotReady;
        }
        case 2: {
          auto res = blocking([] { ADD_FAILURE() << "unreachable"; });
          EXPECT_TRUE(res.unwrap().is_not_ready());
          tx3.send(1);  // unblock the second blocker
          tx4.send(1);
          return futures::Ready(Unit{});
        }
        default:
          ADD_FAILURE() << "unreachable";
          return futures::Ready(Unit{});
      }
    });
  }));

  EXPECT_EQ(rx4.recv(), 1);
}

TEST(Blocking, blocking_thread_does_not_take_over_shutdown_worker_thread) {
  auto pool = Builder().pool_size(2).max_blocking(1).build();
  auto [enter_tx, enter_rx] = std_channel<int>();
  auto [exit_tx, exit_rx] = std_channel<int>();
  auto [try_tx, try_rx] = std_channel<bool>();
  auto exited = std::make_shared<std::atomic<bool>>(false);

  pool.spawn(lazy([enter_tx = std::move(enter_tx), exit_rx = std::move(exit_rx), exited]() mutable {
    return poll_fn([enter_tx = std::move(enter_tx), exit_rx = std::move(exit_rx),
                    exited]() mutable -> futures::Poll<Unit, Unit> {
      return blocking([&] {
               enter_tx.send(1);
               (void)exit_rx.recv();
               exited->store(true);
             })
          .map_err(panic_on_err());
    });
  }));

  // Wait for the task to block.
  EXPECT_EQ(enter_rx.recv(), 1);

  // Spawn another task that attempts to block.
  pool.spawn(lazy([exited, try_tx = std::move(try_tx)]() mutable {
    return poll_fn([exited, try_tx = std::move(try_tx)]() -> futures::Poll<Unit, Unit> {
      auto res = blocking([] {}).unwrap();
      EXPECT_EQ(res.is_ready(), exited->load());
      try_tx.send(res.is_ready());
      return futures::Ok(res);
    });
  }));

  // The second task tried to block and was not ready.
  EXPECT_EQ(try_rx.recv(), false);
  // Unblock the first task; the second then blocks successfully.
  exit_tx.send(1);
  EXPECT_EQ(try_rx.recv(), true);
}

TEST(Blocking, blocking_one_time_gets_capacity_for_multiple_blocks) {
  constexpr int ITER = 1;
  constexpr int BLOCKING = 2;
  for (int iter = 0; iter < ITER; ++iter) {
    auto pool = Builder().pool_size(4).max_blocking(1).build();
    auto rem = std::make_shared<std::atomic<int>>(BLOCKING);
    auto [tx, rx] = std_channel<int>();
    for (int i = 0; i < BLOCKING; ++i) {
      pool.spawn(lazy([rem, tx = tx] {
        return poll_fn([rem, tx]() -> futures::Poll<Unit, Unit> {
          // First block
          auto res = blocking([] { std::this_thread::sleep_for(kSleep); }).map_err(panic_on_err());
          FUTURES_TRY_READY(std::move(res));
          auto res2 = blocking([&] {
            std::this_thread::sleep_for(kSleep);
            if (rem->fetch_sub(1) == 1) tx.send(1);
          });
          EXPECT_TRUE(res2.unwrap().is_ready());
          return futures::Ready(Unit{});
        });
      }));
    }
    EXPECT_EQ(rx.recv(), 1);
    EXPECT_EQ(rem->load(), 0);
  }
}

TEST(Blocking, shutdown) {
  constexpr int ITER = 100;  // Rust: 1,000
  constexpr int BLOCKING = 10;
  for (int iter = 0; iter < ITER; ++iter) {
    auto num_inc = std::make_shared<std::atomic<int>>(0);
    auto num_dec = std::make_shared<std::atomic<int>>(0);
    auto [tx, rx] = std_channel<int>();
    {
      auto pool = Builder()
                      .pool_size(1)
                      .max_blocking(BLOCKING)
                      .after_start([num_inc] { num_inc->fetch_add(1); })
                      .before_stop([num_dec] { num_dec->fetch_add(1); })
                      .build();
      auto barrier = std::make_shared<std::barrier<>>(BLOCKING);
      for (int i = 0; i < BLOCKING; ++i) {
        pool.spawn(lazy([barrier, tx = tx] {
          auto res = blocking([&] {
                       barrier->arrive_and_wait();
                       return futures::Result<Unit, Unit>(futures::Ok());
                     }).unwrap();
          tx.send(1);
          EXPECT_TRUE(res.is_ready());
        }));
      }
      for (int i = 0; i < BLOCKING; ++i)
        EXPECT_EQ(rx.recv(), 1);
      // Shutdown: dropping the pool.
    }
    EXPECT_EQ(num_inc->load(), 11);
    EXPECT_EQ(num_dec->load(), 11);
  }
}

enum class Sleep { Skip, Yield, Rand, Fixed };

TEST(Blocking, hammer) {
  constexpr int ITER = 2;  // Rust: 5
  struct Combo {
    std::size_t size;
    std::size_t max_blocking;
    int n;
    Sleep sleep;
    std::chrono::milliseconds fixed;
  };
  const Combo combos[] = {
      {2, 4, 1'000, Sleep::Skip, {}},
      {2, 4, 1'000, Sleep::Yield, {}},
      {2, 4, 100, Sleep::Rand, {}},
      {2, 4, 100, Sleep::Fixed, std::chrono::milliseconds(3)},
      {2, 4, 100, Sleep::Fixed, std::chrono::milliseconds(12)},
  };
  for (const Combo& c : combos) {
    for (int iter = 0; iter < ITER; ++iter) {
      auto pool = Builder().pool_size(c.size).max_blocking(c.max_blocking).build();
      auto cnt_task = std::make_shared<std::atomic<int>>(0);
      auto cnt_block = std::make_shared<std::atomic<int>>(0);
      for (int i = 0; i < c.n; ++i) {
        pool.spawn(lazy([cnt_task, cnt_block, c] {
          cnt_task->fetch_add(1);
          return poll_fn([cnt_block, c]() -> futures::Poll<Unit, Unit> {
            return blocking([&] {
                     switch (c.sleep) {
                       case Sleep::Skip:
                         break;
                       case Sleep::Yield:
                         std::this_thread::yield();
                         break;
                       case Sleep::Rand: {
                         thread_local std::minstd_rand rng(std::random_device{}());
                         std::this_thread::sleep_for(std::chrono::milliseconds(3 + rng() % 9));
                         break;
                       }
                       case Sleep::Fixed:
                         std::this_thread::sleep_for(c.fixed);
                         break;
                     }
                     cnt_block->fetch_add(1);
                   })
                .map_err(panic_on_err());
          });
        }));
      }
      // Wait for the work to complete.
      ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
      EXPECT_EQ(cnt_task->load(), c.n);
      EXPECT_EQ(cnt_block->load(), c.n);
    }
  }
}

// ----- beyond the Rust file -----

TEST(Blocking, outside_a_pool_is_an_error) {
  auto res = blocking([] { ADD_FAILURE() << "must not run"; });
  ASSERT_TRUE(res.is_err());
  EXPECT_EQ(res.unwrap_err().what(),
            "`blocking` annotation used from outside the context of a thread pool");
}

TEST(Blocking, returns_the_closure_value_and_nested_blocking_runs_inline) {
  auto pool = Builder().pool_size(1).max_blocking(1).build();
  auto [tx, rx] = std_channel<int>();
  pool.spawn(lazy([tx = std::move(tx)] {
    auto outer = blocking([] {
      // Nested: runs at once, although max_blocking (1) is in use by this very call.
      auto inner = blocking([] { return 20; });
      return inner.unwrap().value() + 1;
    });
    tx.send(outer.unwrap().value());
  }));
  EXPECT_EQ(rx.recv(), 21);
}

}  // namespace
