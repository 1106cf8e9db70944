// Port of tokio-threadpool 0.1 tests/threadpool.rs, plus unit tests of the pool
// (state machine under cross-thread notifies, shutdown modes, callbacks).
//
// Loop counts are smaller than Rust's (the CI machine has 2 cores).
// thread_shutdown_timeout is from an older tokio-threadpool (removed in 0.1.22 when
// worker threads stopped honouring keep_alive): here it checks a spare thread left by
// blocking(), the threads keep_alive applies to.
#include <tokio/executor.hpp>
#include <tokio/threadpool.hpp>

#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include "support/notify.hpp"
#include "support/std_channel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace {

using futures::Unit;
using futures::future::lazy;
using futures_test::std_channel;
using tokio::threadpool::Builder;
using tokio::threadpool::ThreadPool;

thread_local int FOO = 0;

/// Never completes; counts its destruction (Rust tests' `Never(Arc<AtomicUsize>)`).
struct Never : futures::FutureExt<Never> {
  using Item = Unit;
  using Error = Unit;
  explicit Never(std::shared_ptr<std::atomic<int>> drops) : drops_(std::move(drops)) {}
  Never(Never&& other) noexcept : drops_(std::move(other.drops_)) {}
  ~Never() {
    if (drops_) drops_->fetch_add(1);
  }
  futures::Poll<Unit, Unit> poll() { return futures::NotReady; }
  std::shared_ptr<std::atomic<int>> drops_;
};

Builder counting_builder(std::shared_ptr<std::atomic<int>> inc, std::shared_ptr<std::atomic<int>> dec) {
  Builder b;
  b.around_worker([inc, dec](tokio::threadpool::Worker& w, tokio::executor::Enter&) {
    inc->fetch_add(1);
    w.run();
    dec->fetch_add(1);
  });
  return b;
}

TEST(ThreadPool, natural_shutdown_simple_futures) {
  for (int iter = 0; iter < 100; ++iter) {
    auto num_inc = std::make_shared<std::atomic<int>>(0);
    auto num_dec = std::make_shared<std::atomic<int>>(0);
    FOO = 1;
    ThreadPool pool = counting_builder(num_inc, num_dec).build();
    auto tx = pool.sender().clone();

    auto [ta, a] = std_channel<std::string>();
    ASSERT_TRUE(tx.spawn(lazy([t = std::move(ta)] {
                    EXPECT_EQ(FOO, 0);  // runs on a worker thread
                    t.send("one");
                  })).is_ok());
    auto [tb, b] = std_channel<std::string>();
    ASSERT_TRUE(tx.spawn(lazy([t = std::move(tb)] {
                    EXPECT_EQ(FOO, 0);
                    t.send("two");
                  })).is_ok());

    EXPECT_EQ(a.recv(), "one");
    EXPECT_EQ(b.recv(), "two");

    ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
    EXPECT_GT(num_inc->load(), 0);
    EXPECT_EQ(num_inc->load(), num_dec->load());
  }
  FOO = 0;
}

TEST(ThreadPool, force_shutdown_drops_futures) {
  for (int iter = 0; iter < 100; ++iter) {
    auto num_inc = std::make_shared<std::atomic<int>>(0);
    auto num_dec = std::make_shared<std::atomic<int>>(0);
    auto num_drop = std::make_shared<std::atomic<int>>(0);
    ThreadPool pool = counting_builder(num_inc, num_dec).build();
    auto tx = pool.sender().clone();
    ASSERT_TRUE(tx.spawn(Never(num_drop)).is_ok());

    ASSERT_TRUE(std::move(pool).shutdown_now().wait().is_ok());
    EXPECT_GE(num_inc->load(), 1);
    EXPECT_EQ(num_inc->load(), num_dec->load());
    EXPECT_EQ(num_drop->load(), 1);
  }
}

TEST(ThreadPool, drop_threadpool_drops_futures) {
  for (int iter = 0; iter < 30; ++iter) {
    auto num_inc = std::make_shared<std::atomic<int>>(0);
    auto num_dec = std::make_shared<std::atomic<int>>(0);
    auto num_drop = std::make_shared<std::atomic<int>>(0);
    {
      ThreadPool pool = counting_builder(num_inc, num_dec).pool_size(20).max_blocking(2).build();
      auto tx = pool.sender().clone();
      ASSERT_TRUE(tx.spawn(Never(num_drop)).is_ok());
    }
    EXPECT_GE(num_inc->load(), 1);
    EXPECT_EQ(num_inc->load(), num_dec->load());
    EXPECT_EQ(num_drop->load(), 1);
  }
}

// Task handles hold no share of the pool (Notify::ids_keep_alive): a handle that
// outlives its task, and the pool, keeps what it names alive. Handles to a task that
// finished and to one shutdown_now dropped are notified and dropped, here and on
// another thread, after the pool is gone (ASan checks the accesses).
TEST(ThreadPool, task_handles_outliving_the_pool_are_harmless) {
  for (int iter = 0; iter < 20; ++iter) {
    std::mutex mu;
    std::vector<futures::task::Task> kept;
    auto keep_current = [&] {
      std::lock_guard lk(mu);
      kept.push_back(futures::task::current());
    };
    {
      ThreadPool pool = Builder().pool_size(1 + iter % 2).build();
      auto [done_tx, done_rx] = std_channel<int>();
      pool.spawn(lazy([&, done_tx = done_tx]() mutable {
        keep_current();
        done_tx.send(1);
      }));
      pool.spawn(futures::future::poll_fn([&, done_tx = done_tx, first = true]() mutable
                                          -> futures::Poll<Unit, Unit> {
        if (first) {
          first = false;
          keep_current();
          done_tx.send(2);
        }
        return futures::NotReady;
      }));
      EXPECT_EQ(*done_rx.recv() + *done_rx.recv(), 3);
      if (iter % 2 == 0) {
        ASSERT_TRUE(std::move(pool).shutdown_now().wait().is_ok());
      }
    }
    ASSERT_EQ(kept.size(), 2u);
    for (auto& task : kept) task.notify();
    std::thread([copies = kept] {
      for (auto& task : copies) task.notify();
    }).join();
    kept.clear();
  }
}

TEST(ThreadPool, many_oneshot_futures) {
  constexpr int NUM = 10'000;
  for (int iter = 0; iter < 5; ++iter) {
    ThreadPool pool;
    auto tx = pool.sender().clone();
    auto cnt = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < NUM; ++i) {
      ASSERT_TRUE(tx.spawn(lazy([cnt] { cnt->fetch_add(1, std::memory_order_relaxed); })).is_ok());
    }
    ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
    EXPECT_EQ(cnt->load(), NUM);
  }
}

TEST(ThreadPool, many_multishot_futures) {
  constexpr int CHAIN = 200;
  constexpr int CYCLES = 5;
  constexpr int TRACKS = 50;
  namespace mpsc = futures::sync::mpsc;

  for (int iter = 0; iter < 3; ++iter) {
    ThreadPool pool;
    auto pool_tx = pool.sender().clone();

    std::vector<mpsc::Sender<std::string>> start_txs;
    std::vector<mpsc::Receiver<std::string>> final_rxs;
    for (int t = 0; t < TRACKS; ++t) {
      auto [start_tx, chain_rx] = mpsc::channel<std::string>(10);
      for (int c = 0; c < CHAIN; ++c) {
        auto [next_tx, next_rx] = mpsc::channel<std::string>(10);
        auto rx = std::move(chain_rx).map_err([](Unit) -> mpsc::SendError<std::string> {
          throw std::logic_error("receiver error");
        });
        ASSERT_TRUE(pool_tx
                        .spawn(std::move(next_tx)
                                   .send_all(std::move(rx))
                                   .map([](auto&&...) {})
                                   .map_err([](auto&&) { ADD_FAILURE() << "send_all failed"; }))
                        .is_ok());
        chain_rx = std::move(next_rx);
      }
      // The final task cycles the message back CYCLES - 1 times, then hands it over.
      auto [final_tx, final_rx] = mpsc::channel<std::string>(10);
      auto cycle_tx = start_tx.clone();
      auto rem = std::make_shared<int>(CYCLES);
      auto task = std::move(chain_rx).take(CYCLES).for_each(
          [rem, final_tx = std::move(final_tx), cycle_tx = std::move(cycle_tx)](std::string msg) {
            *rem -= 1;
            auto target = *rem == 0 ? final_tx.clone() : cycle_tx.clone();
            return std::move(target).send(std::move(msg)).then([](auto res) -> futures::Result<Unit, Unit> {
              EXPECT_TRUE(res.is_ok());
              return futures::Ok();
            });
          });
      ASSERT_TRUE(pool_tx.spawn(std::move(task).map([](auto&&...) {}).map_err([](auto&&) {})).is_ok());
      start_txs.push_back(std::move(start_tx));
      final_rxs.push_back(std::move(final_rx));
    }
    for (auto& start_tx : start_txs) {
      ASSERT_TRUE(std::move(start_tx).send("ping").wait().is_ok());
    }
    for (auto& final_rx : final_rxs) {
      auto got = std::move(final_rx).into_future().wait();
      ASSERT_TRUE(got.is_ok());
    }
    ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
  }
}

TEST(ThreadPool, global_executor_is_configured) {
  ThreadPool pool;
  auto tx = pool.sender().clone();
  auto [signal_tx, signal_rx] = std_channel<int>();
  ASSERT_TRUE(tx.spawn(lazy([signal_tx = std::move(signal_tx)] {
                  tokio::spawn(lazy([signal_tx] { signal_tx.send(1); }));
                })).is_ok());
  EXPECT_EQ(signal_rx.recv(), 1);
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
}

TEST(ThreadPool, new_threadpool_is_idle) {
  ThreadPool pool;
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
}

TEST(ThreadPool, busy_threadpool_is_not_idle) {
  ThreadPool pool = Builder().pool_size(4).max_blocking(2).build();
  auto tx = pool.sender().clone();
  auto [term_tx, term_rx] = futures::sync::oneshot::channel<Unit>();
  ASSERT_TRUE(tx.spawn(std::move(term_rx).then([](auto&&) -> futures::Result<Unit, Unit> { return futures::Ok(); }))
                  .is_ok());
  auto idle = std::move(pool).shutdown_on_idle();
  ASSERT_TRUE(lazy([&idle]() -> futures::Result<Unit, Unit> {
                EXPECT_TRUE(idle.poll().unwrap().is_not_ready());
                return futures::Ok();
              })
                  .wait()
                  .is_ok());
  ASSERT_TRUE(std::move(term_tx).send(Unit{}).is_ok());
  ASSERT_TRUE(std::move(idle).wait().is_ok());
}

/// Throws from poll (Rust's `Boom`, which panics). Rust's Drop asserts that the thread
/// is panicking; in C++ the task is destroyed after the exception was caught.
struct Boom : futures::FutureExt<Boom> {
  using Item = Unit;
  using Error = Unit;
  Boom() = default;
  futures::Poll<Unit, Unit> poll() { throw std::runtime_error("boom"); }
};

TEST(ThreadPool, panic_in_task) {
  ThreadPool pool = Builder().panic_handler([](std::exception_ptr) {}).build();  // keep the log quiet
  auto tx = pool.sender().clone();
  ASSERT_TRUE(tx.spawn(Boom()).is_ok());
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
}

TEST(ThreadPool, panic_in_task_default_handler_logs) {
  ThreadPool pool;
  ASSERT_TRUE(pool.sender().spawn(Boom()).is_ok());
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
}

TEST(ThreadPool, count_panics) {
  auto counter = std::make_shared<std::atomic<int>>(0);
  ThreadPool pool = Builder()
                        .panic_handler([counter](std::exception_ptr e) {
                          EXPECT_TRUE(e != nullptr);
                          counter->fetch_add(1);
                        })
                        .build();
  pool.spawn(lazy([]() -> futures::Result<Unit, Unit> { throw std::runtime_error("panic"); }));
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(counter->load(), 1);
}

TEST(ThreadPool, multi_threadpool) {
  ThreadPool pool1;
  ThreadPool pool2;
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  auto [done_tx, done_rx] = std_channel<int>();
  pool2.spawn(std::move(rx)
                  .and_then([done_tx = std::move(done_tx)](Unit) -> futures::Result<Unit, futures::sync::oneshot::Canceled> {
                    done_tx.send(1);
                    return futures::Ok();
                  })
                  .map_err([](auto&&) { ADD_FAILURE() << "canceled"; }));
  pool1.spawn(lazy([tx = std::move(tx)]() mutable { EXPECT_TRUE(std::move(tx).send(Unit{}).is_ok()); }));
  EXPECT_EQ(done_rx.recv(), 1);
}

/// Sends on a channel when destroyed (Rust's `NotifyOnDrop`).
struct NotifyOnDrop {
  explicit NotifyOnDrop(futures_test::StdChannel<int>::Sender tx) : tx_(std::move(tx)) {}
  NotifyOnDrop(NotifyOnDrop&& other) noexcept : tx_(std::move(other.tx_)), armed_(std::exchange(other.armed_, false)) {}
  ~NotifyOnDrop() {
    if (armed_) tx_.send(1);
  }
  futures_test::StdChannel<int>::Sender tx_;
  bool armed_ = true;
};

/// A Park wrapping DefaultPark that holds `token` (Rust's MyPark / MyUnpark with their
/// channel senders): the pool must destroy both when it shuts down.
struct TokenUnpark {
  tokio::threadpool::park::DefaultUnpark inner;
  std::shared_ptr<int> token;
  void unpark() const { inner.unpark(); }
};
struct TokenPark {
  using Unpark = TokenUnpark;
  using Error = tokio::threadpool::park::ParkError;
  tokio::threadpool::park::DefaultPark inner;
  std::shared_ptr<int> token;
  TokenUnpark unpark() const { return TokenUnpark{inner.unpark(), token}; }
  futures::Result<Unit, Error> park() { return inner.park(); }
  futures::Result<Unit, Error> park_timeout(std::chrono::nanoseconds d) { return inner.park_timeout(d); }
};

TEST(ThreadPool, eagerly_drops_futures) {
  auto [task_tx, task_rx] = std_channel<futures::task::Task>();
  auto [drop_tx, drop_rx] = std_channel<int>();
  auto token = std::make_shared<int>(0);
  std::optional<futures::task::Task> task;
  {
    NotifyOnDrop notify_on_drop(std::move(drop_tx));
    ThreadPool pool = Builder()
                          .custom_park([token](const tokio::threadpool::WorkerId&) {
                            return TokenPark{tokio::threadpool::park::DefaultPark(), token};
                          })
                          .build();
    pool.spawn(lazy([task_tx = std::move(task_tx), notify_on_drop = std::move(notify_on_drop)]() mutable {
      task_tx.send(futures::task::current());
      return futures::future::empty<Unit, Unit>().then(
          [n = std::move(notify_on_drop)](auto&&) -> futures::Result<Unit, Unit> {
            ADD_FAILURE() << "unreachable";
            return futures::Ok();
          });
    }));
    task = task_rx.recv();
    ASSERT_TRUE(task.has_value());
    // Dropping the pool destroys the future although a Task handle is alive.
  }
  // The parks and unparks were destroyed during shutdown.
  EXPECT_EQ(token.use_count(), 1);
  EXPECT_EQ(drop_rx.recv(), 1);
  task.reset();
}

// ----- further unit tests -----

/// Notifies itself during each poll and checks that no two polls overlap.
struct Yielder : futures::FutureExt<Yielder> {
  using Item = Unit;
  using Error = Unit;
  Yielder(int n, std::shared_ptr<std::atomic<int>> in_poll, std::shared_ptr<std::atomic<int>> done)
      : n_(n), in_poll_(std::move(in_poll)), done_(std::move(done)) {}
  futures::Poll<Unit, Unit> poll() {
    EXPECT_EQ(busy_.exchange(true), false) << "polled twice at once";
    in_poll_->fetch_add(1);
    futures::task::current().notify();  // Running -> Notified: queued after this poll
    const bool finished = --n_ == 0;
    busy_.store(false);
    if (finished) {
      done_->fetch_add(1);
      return futures::Ready(Unit{});
    }
    return futures::NotReady;
  }
  int n_;
  std::shared_ptr<std::atomic<int>> in_poll_;
  std::shared_ptr<std::atomic<int>> done_;
  std::atomic<bool> busy_{false};
  Yielder(Yielder&& o) noexcept : n_(o.n_), in_poll_(std::move(o.in_poll_)), done_(std::move(o.done_)) {}
};

TEST(ThreadPool, notified_while_running_is_requeued) {
  ThreadPool pool = Builder().pool_size(2).build();
  auto polls = std::make_shared<std::atomic<int>>(0);
  auto done = std::make_shared<std::atomic<int>>(0);
  for (int i = 0; i < 1000; ++i) pool.spawn(Yielder(10, polls, done));
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(done->load(), 1000);
  EXPECT_EQ(polls->load(), 10'000);
}

TEST(ThreadPool, stress_cross_thread_notify) {
  // 10,000 tasks each waiting on a oneshot completed from one of two outside threads.
  constexpr int N = 10'000;
  ThreadPool pool = Builder().pool_size(2).build();
  auto cnt = std::make_shared<std::atomic<int>>(0);
  std::vector<futures::sync::oneshot::Sender<int>> txs;
  txs.reserve(N);
  for (int i = 0; i < N; ++i) {
    auto [tx, rx] = futures::sync::oneshot::channel<int>();
    txs.push_back(std::move(tx));
    pool.spawn(std::move(rx).then([cnt, i](futures::Result<int, futures::sync::oneshot::Canceled> r)
                                      -> futures::Result<Unit, Unit> {
      EXPECT_TRUE(r.is_ok() && r.unwrap_ref() == i);
      cnt->fetch_add(1);
      return futures::Ok();
    }));
  }
  std::thread t1([&] {
    for (int i = 0; i < N; i += 2) (void)std::move(txs[i]).send(int(i));
  });
  std::thread t2([&] {
    for (int i = 1; i < N; i += 2) (void)std::move(txs[i]).send(int(i));
  });
  t1.join();
  t2.join();
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
  EXPECT_EQ(cnt->load(), N);
}

TEST(ThreadPool, spawn_inside_goes_to_pool_and_shutdown_waits) {
  ThreadPool pool = Builder().pool_size(2).build();
  auto cnt = std::make_shared<std::atomic<int>>(0);
  for (int i = 0; i < 100; ++i) {
    pool.spawn(lazy([cnt] {
      for (int j = 0; j < 10; ++j) tokio::spawn(lazy([cnt] { cnt->fetch_add(1); }));
    }));
  }
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
  EXPECT_EQ(cnt->load(), 1000);
}

TEST(ThreadPool, sender_refuses_after_shutdown) {
  ThreadPool pool;
  auto tx = pool.sender();
  EXPECT_TRUE(tx.status().is_ok());
  auto shutdown = std::move(pool).shutdown();
  auto drops = std::make_shared<std::atomic<int>>(0);
  auto spawned = tx.spawn(Never(drops));
  ASSERT_TRUE(spawned.is_err());
  EXPECT_TRUE(spawned.unwrap_err_ref().is_shutdown());
  EXPECT_EQ(drops->load(), 1);  // refused futures are destroyed
  EXPECT_TRUE(tx.status().is_err());
  auto executed = tx.execute(Never(drops));
  ASSERT_TRUE(executed.is_err());
  EXPECT_EQ(executed.unwrap_err_ref().kind(), futures::future::ExecuteErrorKind::Shutdown);
  ASSERT_TRUE(std::move(shutdown).wait().is_ok());
}

TEST(ThreadPool, sender_is_an_executor) {
  static_assert(futures::future::Executor<tokio::threadpool::Sender, Never>);
  ThreadPool pool;
  auto tx = pool.sender();
  tokio::executor::Executor& ex = tx;
  auto [done_tx, done_rx] = std_channel<int>();
  ASSERT_TRUE(ex.spawn(lazy([done_tx = done_tx] { done_tx.send(1); })).is_ok());
  ASSERT_TRUE(tx.execute(lazy([done_tx = std::move(done_tx)] { done_tx.send(2); })).is_ok());
  int sum = 0;
  while (auto v = done_rx.recv()) sum += *v;
  EXPECT_EQ(sum, 3);
}

TEST(ThreadPool, panic_does_not_stop_the_pool) {
  auto panics = std::make_shared<std::atomic<int>>(0);
  ThreadPool pool = Builder().pool_size(1).panic_handler([panics](std::exception_ptr) { panics->fetch_add(1); }).build();
  auto [tx, rx] = std_channel<int>();
  pool.spawn(Boom());
  pool.spawn(lazy([tx = std::move(tx)] { tx.send(7); }));
  EXPECT_EQ(rx.recv(), 7);
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(panics->load(), 1);
}

TEST(ThreadPool, after_start_before_stop_and_names) {
  auto starts = std::make_shared<std::atomic<int>>(0);
  auto stops = std::make_shared<std::atomic<int>>(0);
  ThreadPool pool = Builder()
                        .pool_size(3)
                        .name_prefix("pool-w-")
                        .stack_size(1 << 20)
                        .after_start([starts] { starts->fetch_add(1); })
                        .before_stop([stops] { stops->fetch_add(1); })
                        .build();
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(starts->load(), 3);
  EXPECT_EQ(stops->load(), 3);
}

// ----- keep_alive, around_worker, custom_park -----

TEST(ThreadPool, thread_shutdown_timeout) {
  // A spare thread (left by blocking()) exits after keep_alive; futures still run.
  auto [shutdown_tx, shutdown_rx] = std_channel<int>();
  auto [complete_tx, complete_rx] = std_channel<int>();
  ThreadPool pool = Builder()
                        .pool_size(1)
                        .keep_alive(std::chrono::milliseconds(20))
                        .around_worker([shutdown_tx = std::move(shutdown_tx)](tokio::threadpool::Worker& w,
                                                                             tokio::executor::Enter&) {
                          w.run();
                          shutdown_tx.send(1);  // there could be several threads here
                        })
                        .build();
  auto tx = pool.sender().clone();
  ASSERT_TRUE(tx.spawn(lazy([t = complete_tx] {
                  (void)tokio::threadpool::blocking([&] { t.send(1); });
                })).is_ok());
  // The future completes.
  EXPECT_EQ(complete_rx.recv(), 1);
  // The spare thread shuts down eventually.
  EXPECT_EQ(shutdown_rx.recv(), 1);
  // Futures can still be run.
  ASSERT_TRUE(tx.spawn(lazy([t = complete_tx] { t.send(2); })).is_ok());
  EXPECT_EQ(complete_rx.recv(), 2);
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
}

TEST(ThreadPool, keep_alive_spare_thread_is_reused) {
  // With keep_alive unset (forever), the spare left by one blocking() takes the slot
  // handed off by the next: two blocking sections in a row start one extra thread.
  auto starts = std::make_shared<std::atomic<int>>(0);
  ThreadPool pool = Builder().pool_size(1).after_start([starts] { starts->fetch_add(1); }).build();
  auto [tx, rx] = std_channel<int>();
  for (int i = 0; i < 2; ++i) {
    pool.spawn(lazy([t = tx, i] { (void)tokio::threadpool::blocking([&] { t.send(i); }); }));
    EXPECT_EQ(rx.recv(), i);
    // Let the poll end (and its thread become a spare) before the next blocking().
    auto [done_tx, done_rx] = std_channel<int>();
    pool.spawn(lazy([done_tx = std::move(done_tx)] { done_tx.send(1); }));
    EXPECT_EQ(done_rx.recv(), 1);
  }
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
  EXPECT_LE(starts->load(), 3);
  EXPECT_GE(starts->load(), 2);
}

TEST(ThreadPool, around_worker) {
  auto ids = std::make_shared<std::mutex>();
  auto seen = std::make_shared<std::vector<std::size_t>>();
  auto entered_ok = std::make_shared<std::atomic<int>>(0);
  ThreadPool pool = Builder()
                        .pool_size(3)
                        .around_worker([ids, seen, entered_ok](tokio::threadpool::Worker& w, tokio::executor::Enter&) {
                          {
                            std::lock_guard lk(*ids);
                            seen->push_back(w.id().to_usize());
                          }
                          // The thread is already inside an executor.
                          if (tokio::executor::enter().is_err()) entered_ok->fetch_add(1);
                          w.run();
                        })
                        .build();
  auto [tx, rx] = std_channel<int>();
  pool.spawn(lazy([tx = std::move(tx)] { tx.send(5); }));
  EXPECT_EQ(rx.recv(), 5);
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
  std::sort(seen->begin(), seen->end());
  EXPECT_EQ(*seen, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(entered_ok->load(), 3);
  std::ostringstream os;
  os << tokio::threadpool::WorkerId(2);
  EXPECT_EQ(os.str(), "WorkerId(2)");
  EXPECT_LT(tokio::threadpool::WorkerId(1), tokio::threadpool::WorkerId(2));
}

/// Counts park/unpark calls and reports the first park on a channel.
struct CountingUnpark {
  tokio::threadpool::park::DefaultUnpark inner;
  std::shared_ptr<std::atomic<int>> unparks;
  void unpark() const {
    unparks->fetch_add(1);
    inner.unpark();
  }
};
struct CountingPark {
  using Unpark = CountingUnpark;
  using Error = tokio::threadpool::park::ParkError;
  tokio::threadpool::park::DefaultPark inner;
  std::shared_ptr<std::atomic<int>> parks;
  std::shared_ptr<std::atomic<int>> unparks;
  futures_test::StdChannel<int>::Sender parked;
  CountingUnpark unpark() const { return CountingUnpark{inner.unpark(), unparks}; }
  futures::Result<Unit, Error> park() {
    if (parks->fetch_add(1) == 0) parked.send(1);
    return inner.park();
  }
  futures::Result<Unit, Error> park_timeout(std::chrono::nanoseconds d) { return inner.park_timeout(d); }
};

TEST(ThreadPool, custom_park_is_parked_and_unparked) {
  auto parks = std::make_shared<std::atomic<int>>(0);
  auto unparks = std::make_shared<std::atomic<int>>(0);
  auto made = std::make_shared<std::atomic<int>>(0);
  auto [parked_tx, parked_rx] = std_channel<int>();
  ThreadPool pool = Builder()
                        .pool_size(1)
                        .custom_park([&, parked_tx = parked_tx](const tokio::threadpool::WorkerId& id) {
                          EXPECT_EQ(id.to_usize(), 0u);
                          made->fetch_add(1);
                          return CountingPark{tokio::threadpool::park::DefaultPark(), parks, unparks, parked_tx};
                        })
                        .build();
  EXPECT_EQ(made->load(), 1);
  // The idle worker parks on our Park...
  EXPECT_EQ(parked_rx.recv(), 1);
  // ...and a spawn from outside wakes it through our Unpark.
  auto [tx, rx] = std_channel<int>();
  pool.spawn(lazy([tx = std::move(tx)] { tx.send(1); }));
  EXPECT_EQ(rx.recv(), 1);
  EXPECT_GE(parks->load(), 1);
  EXPECT_GE(unparks->load(), 1);
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
}

// ----- scheduling: LIFO and injector fairness, stealing -----

/// Two of these notify each other forever (until `stop`): a LIFO ping-pong.
struct PingPong : futures::FutureExt<PingPong> {
  using Item = Unit;
  using Error = Unit;
  struct Shared {
    std::mutex mu;
    std::optional<futures::task::Task> tasks[2];
    std::atomic<bool> stop{false};
    std::atomic<long> polls{0};
  };
  PingPong(std::shared_ptr<Shared> s, int me, std::function<void()> on_first) : s_(std::move(s)), me_(me), on_first_(std::move(on_first)) {}
  futures::Poll<Unit, Unit> poll() {
    if (s_->stop.load()) return futures::Ready(Unit{});
    s_->polls.fetch_add(1);
    std::optional<futures::task::Task> other;
    {
      std::lock_guard lk(s_->mu);
      s_->tasks[me_] = futures::task::current();
      other = s_->tasks[1 - me_];
    }
    if (on_first_) std::exchange(on_first_, nullptr)();
    if (other) other->notify();
    return futures::NotReady;
  }
  std::shared_ptr<Shared> s_;
  int me_;
  std::function<void()> on_first_;
};

TEST(ThreadPool, lifo_slot_cannot_starve_the_local_queue) {
  // One worker. A and B notify each other forever through the LIFO slot; C was spawned
  // locally (by A) and waits in the local queue behind them. It must still run.
  ThreadPool pool = Builder().pool_size(1).build();
  auto shared = std::make_shared<PingPong::Shared>();
  auto [tx, rx] = std_channel<int>();
  pool.spawn(lazy([shared, tx = std::move(tx)] {
    tokio::spawn(PingPong(shared, 0, [tx] { tokio::spawn(lazy([tx] { tx.send(1); })); }));
    tokio::spawn(PingPong(shared, 1, nullptr));
  }));
  EXPECT_EQ(rx.recv(), 1);
  EXPECT_GT(shared->polls.load(), 2);
  shared->stop.store(true);
  {
    std::lock_guard lk(shared->mu);
    for (auto& t : shared->tasks)
      if (t) t->notify();
  }
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
}

/// Notifies itself forever (until `stop`).
struct Spinner : futures::FutureExt<Spinner> {
  using Item = Unit;
  using Error = Unit;
  explicit Spinner(std::shared_ptr<std::atomic<bool>> stop, futures_test::StdChannel<int>::Sender started)
      : stop_(std::move(stop)), started_(std::move(started)) {}
  futures::Poll<Unit, Unit> poll() {
    if (stop_->load()) return futures::Ready(Unit{});
    if (!told_) {
      told_ = true;
      started_.send(1);
    }
    futures::task::current().notify();
    return futures::NotReady;
  }
  std::shared_ptr<std::atomic<bool>> stop_;
  futures_test::StdChannel<int>::Sender started_;
  bool told_ = false;
};

TEST(ThreadPool, self_notifying_task_cannot_starve_the_injector) {
  ThreadPool pool = Builder().pool_size(1).build();
  auto stop = std::make_shared<std::atomic<bool>>(false);
  auto [started_tx, started_rx] = std_channel<int>();
  pool.spawn(Spinner(stop, started_tx));
  EXPECT_EQ(started_rx.recv(), 1);
  // The worker is busy with the spinner forever; a spawn from outside still runs.
  auto [tx, rx] = std_channel<int>();
  pool.spawn(lazy([tx = std::move(tx)] { tx.send(1); }));
  EXPECT_EQ(rx.recv(), 1);
  stop->store(true);
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
}

/// Counts the unparks made by one thread (`watched`), so wake-ups a worker sends itself
/// or the spawning thread sends do not count.
struct WatchedUnpark {
  tokio::threadpool::park::DefaultUnpark inner;
  std::shared_ptr<std::atomic<int>> unparks;
  std::shared_ptr<std::atomic<std::thread::id>> watched;
  std::shared_ptr<std::atomic<int>> all_unparks;
  void unpark() const {
    all_unparks->fetch_add(1);
    if (std::this_thread::get_id() == watched->load()) unparks->fetch_add(1);
    inner.unpark();
  }
};
/// WatchedUnpark's Park, also counting the workers inside park() right now and the
/// calls of park() so far.
struct WatchedPark {
  using Unpark = WatchedUnpark;
  using Error = tokio::threadpool::park::ParkError;
  tokio::threadpool::park::DefaultPark inner;
  std::shared_ptr<std::atomic<int>> unparks;
  std::shared_ptr<std::atomic<std::thread::id>> watched;
  std::shared_ptr<std::atomic<int>> all_unparks;
  std::shared_ptr<std::atomic<int>> parked;
  std::shared_ptr<std::atomic<int>> parks;
  WatchedUnpark unpark() const {
    return WatchedUnpark{inner.unpark(), unparks, watched, all_unparks};
  }
  futures::Result<Unit, Error> park() {
    parks->fetch_add(1);
    parked->fetch_add(1);
    auto r = inner.park();
    parked->fetch_sub(1);
    return r;
  }
  futures::Result<Unit, Error> park_timeout(std::chrono::nanoseconds d) { return inner.park_timeout(d); }
};

TEST(ThreadPool, yield_with_a_task_behind_it_wakes_nobody) {
  // A producer yields (its coop budget) while the consumer it woke waits in the LIFO
  // slot. The yield adds no work, so its worker wakes no parked worker: woken, that one
  // would steal the producer, and every message would then cross CPUs (mt2 mpsc_1p:
  // 220-300 ns per message instead of 30-45). See schedule_local. Only the producer's
  // thread's unparks count: the other worker may still be settling from the wake-ups
  // that started the pool (one it is about to consume can make it wake itself once more
  // as the last searcher), and those are not the yield's.
  auto unparks = std::make_shared<std::atomic<int>>(0);
  auto watched = std::make_shared<std::atomic<std::thread::id>>();
  auto all_unparks = std::make_shared<std::atomic<int>>(0);
  auto parked = std::make_shared<std::atomic<int>>(0);
  auto parks = std::make_shared<std::atomic<int>>(0);
  ThreadPool pool = Builder()
                        .pool_size(2)
                        .custom_park([=](const tokio::threadpool::WorkerId&) {
                          return WatchedPark{tokio::threadpool::park::DefaultPark(),
                                             unparks,
                                             watched,
                                             all_unparks,
                                             parked,
                                             parks};
                        })
                        .build();
  auto [tx, rx] = std_channel<int>();
  auto spawned = std::make_shared<std::atomic<bool>>(false);
  pool.spawn(futures::future::poll_fn([unparks, watched, all_unparks, parked, parks, spawned,
                                       tx = tx,
                                       first_poll = true]() mutable -> futures::Poll<Unit, Unit> {
    if (!first_poll) {
      tx.send(unparks->load());
      return futures::Ready(Unit{});
    }
    first_poll = false;
    // Until the spawn that started this task has returned and the other worker has
    // settled in one park (no unpark and no new park for 2 ms), so that a wake-up would
    // reach it: a worker still searching would not be woken, and the test would pass
    // whatever the yield does.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      if (std::chrono::steady_clock::now() > give_up) {
        tx.send(-1);
        return futures::Ready(Unit{});
      }
      if (!spawned->load() || parked->load() != 1) {
        std::this_thread::yield();
        continue;
      }
      const int parks_seen = parks->load();
      const int unparks_seen = all_unparks->load();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (parked->load() == 1 && parks->load() == parks_seen && all_unparks->load() == unparks_seen)
        break;
    }
    watched->store(std::this_thread::get_id());
    tokio::spawn(futures::future::lazy([] {}));  // the LIFO slot: no wake-up either
    futures::task::current().notify();
    return futures::NotReady;
  }));
  spawned->store(true);
  EXPECT_EQ(rx.recv(), 0) << "-1: the other worker never parked";
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
}

TEST(ThreadPool, blocked_worker_leaves_its_tasks_to_be_stolen) {
  // A task blocks its worker thread (without blocking()) until the tasks it spawned
  // onto that worker's queue and LIFO slot have run: the other worker steals them.
  ThreadPool pool = Builder().pool_size(2).build();
  auto [done_tx, done_rx] = std_channel<int>();
  auto [all_tx, all_rx] = std_channel<int>();
  pool.spawn(lazy([done_tx = std::move(done_tx), all_tx = std::move(all_tx)]() mutable {
    auto [ran_tx, ran_rx] = std_channel<int>();
    constexpr int N = 4;
    for (int i = 0; i < N; ++i) tokio::spawn(lazy([t = ran_tx, i] { t.send(i); }));
    int sum = 0;
    for (int i = 0; i < N; ++i) sum += *ran_rx.recv();
    all_tx.send(sum);
  }));
  EXPECT_EQ(all_rx.recv(), 0 + 1 + 2 + 3);
  ASSERT_TRUE(std::move(pool).shutdown().wait().is_ok());
}

// ----- spawn_handle -----

TEST(ThreadPool, spawn_handle_returns_the_value) {
  ThreadPool pool;
  auto handle = pool.spawn_handle(lazy([]() -> futures::Result<int, std::string> { return futures::Ok(42); }));
  auto res = std::move(handle).wait();
  ASSERT_TRUE(res.is_ok());
  EXPECT_EQ(res.unwrap(), 42);
}

TEST(ThreadPool, spawn_handle_returns_the_error) {
  ThreadPool pool;
  auto handle =
      pool.sender().spawn_handle(lazy([]() -> futures::Result<int, std::string> { return futures::Err(std::string("no")); }));
  auto res = std::move(handle).wait();
  ASSERT_TRUE(res.is_err());
  EXPECT_EQ(res.unwrap_err(), "no");
}

TEST(ThreadPool, spawn_handle_dropped_cancels_the_task) {
  ThreadPool pool = Builder().pool_size(1).build();
  auto drops = std::make_shared<std::atomic<int>>(0);
  auto [dropped_tx, dropped_rx] = std_channel<int>();
  struct Pending : futures::FutureExt<Pending> {
    using Item = int;
    using Error = Unit;
    explicit Pending(futures_test::StdChannel<int>::Sender tx) : tx_(std::move(tx)) {}
    Pending(Pending&& o) noexcept : tx_(std::move(o.tx_)), armed_(std::exchange(o.armed_, false)) {}
    ~Pending() {
      if (armed_) tx_.send(1);
    }
    futures::Poll<int, Unit> poll() { return futures::NotReady; }
    futures_test::StdChannel<int>::Sender tx_;
    bool armed_ = true;
  };
  {
    auto handle = pool.spawn_handle(Pending(dropped_tx));
    (void)handle;
  }
  // The task is notified when the handle goes and destroys the future.
  EXPECT_EQ(dropped_rx.recv(), 1);
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
}

TEST(ThreadPool, pending_tasks_lists_live_tasks) {
  ThreadPool pool = Builder().pool_size(1).build();
  auto drops = std::make_shared<std::atomic<int>>(0);
  pool.spawn(Never(drops));
  pool.spawn(Never(drops));
  std::size_t seen = 0;
  const auto* inner = tokio::threadpool::detail::inner(pool);
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(tokio::threadpool::detail::pending_tasks(*inner, [&](const tokio::executor::TaskNode&) { ++seen; }), 2u);
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(tokio::threadpool::detail::pending_tasks(*tokio::threadpool::detail::inner(pool.sender()), nullptr), 2u);
}

// More ready tasks than a worker's queue holds (a reactor waking a thousand sockets):
// every task still gets its turn. 1,000 tasks on one worker each yield 20 times; none
// may finish before every task has been polled once, which fails when the newest tasks
// keep running ahead of those that overflowed to the injector.
TEST(ThreadPool, overflowing_queue_serves_every_task_in_turn) {
  constexpr int kTasks = 1000;
  constexpr int kYields = 20;
  ThreadPool pool = Builder().pool_size(1).build();
  struct Shared {
    std::atomic<int> started{0};
    std::atomic<int> started_when_first_done{-1};
  };
  auto shared = std::make_shared<Shared>();
  ASSERT_TRUE(pool.sender()
                  .spawn(lazy([shared] {
                    for (int i = 0; i < kTasks; ++i) {
                      tokio::executor::spawn(futures::future::poll_fn([shared, polls = 0]() mutable
                                                          -> futures::Poll<Unit, Unit> {
                        if (polls++ == 0) shared->started.fetch_add(1, std::memory_order_relaxed);
                        if (polls <= kYields) {
                          futures::task::current().notify();
                          return futures::NotReady;
                        }
                        int expected = -1;
                        shared->started_when_first_done.compare_exchange_strong(
                            expected, shared->started.load(std::memory_order_relaxed));
                        return futures::Ready(Unit{});
                      }));
                    }
                  }))
                  .is_ok());
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(shared->started.load(), kTasks);
  EXPECT_EQ(shared->started_when_first_done.load(), kTasks);
}

// A lone worker keeps the tasks its full queue cannot hold in a backlog of its own slot.
// When it calls blocking(), the slot, backlog included, goes to another thread, which
// must run every one of those tasks in the order they were spawned (the last one spawned
// runs first, from the LIFO slot). The blocking closure waits for all of them, so a task
// left behind with the blocked thread fails the wait.
TEST(ThreadPool, lone_worker_hands_its_overflow_to_the_next_owner) {
  constexpr int kTasks = 1000;  // well past the 256 a worker's queue holds
  ThreadPool pool = Builder().pool_size(1).max_blocking(1).build();
  struct Shared {
    std::mutex mu;
    std::vector<int> order;
  };
  auto shared = std::make_shared<Shared>();
  auto [tx, rx] = std_channel<int>();
  auto [done_tx, done_rx] = std_channel<int>();
  ASSERT_TRUE(pool.sender()
                  .spawn(lazy([shared, tx = std::move(tx), rx = std::move(rx),
                               done_tx = std::move(done_tx)]() mutable {
                    for (int i = 0; i < kTasks; ++i) {
                      tokio::executor::spawn(lazy([shared, i, tx] {
                        std::lock_guard lk(shared->mu);
                        shared->order.push_back(i);
                        if (shared->order.size() == kTasks) tx.send(1);
                      }));
                    }
                    auto waited = tokio::threadpool::blocking([&] { return rx.recv(); });
                    EXPECT_TRUE(waited.is_ok());
                    done_tx.send(1);
                  }))
                  .is_ok());
  EXPECT_EQ(done_rx.recv(), 1);
  ASSERT_TRUE(std::move(pool).shutdown_on_idle().wait().is_ok());
  std::vector<int> order = shared->order;
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kTasks));
  EXPECT_EQ(order.front(), kTasks - 1);
  order.erase(order.begin());
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

}  // namespace
