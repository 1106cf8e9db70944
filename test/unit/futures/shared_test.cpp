// Port of futures 0.1 tests/shared.rs
//
// Core is tests/support/local_executor.rs: a single-threaded executor with spawn/run that
// blocks (bounded) for notifications from other threads. The channels are the library's
// futures::sync::oneshot and futures::sync::mpsc.
//
// Then unit tests of Shared beyond the Rust file (SharedItem/SharedError access,
// notification of waiting copies, errors, poisoning, copies and moves).
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace shared_test {

using namespace futures;
using futures::sync::oneshot::channel;

namespace {

// ===== Core: tests/support/local_executor.rs =====

/// Runs futures on the calling thread (Rust's test `Core`): `spawn` queues a future
/// with Item and Error Unit, `run(f)` polls f and every spawned future that is notified
/// until f completes. Notifications may come from any thread.
class Core {
 public:
  Core() : notify_(std::make_shared<QueueNotify>()), handle_(notify_) {}

  /// Queues `f`; it is first polled by a later run().
  template <class F>
  void spawn(F f) {
    static_assert(std::is_same_v<typename F::Item, Unit> && std::is_same_v<typename F::Error, Unit>,
                  "Core::spawn: Item and Error must be Unit");
    std::size_t idx = tasks_.size();
    tasks_.emplace_back(executor::spawn(BoxFuture<Unit, Unit>(std::move(f))));
    notify_->push(idx);
  }

  /// Polls `f` (and notified spawned futures) until `f` completes.
  template <class F>
  Result<typename F::Item, typename F::Error> run(F f) {
    notify_->push(kRunId);
    auto spawned = executor::spawn(std::move(f));
    for (;;) {
      if (!turn()) continue;
      auto polled = spawned.poll_future_notify(handle_, kRunId);
      if (polled.is_err()) return Err(std::move(polled).unwrap_err());
      if (polled.unwrap_ref().is_ready()) return Ok(std::move(polled).unwrap().value());
    }
  }

 private:
  static constexpr std::size_t kRunId = std::numeric_limits<std::size_t>::max();

  /// The queue of ids to poll (Rust's `mpsc::channel<usize>`).
  class QueueNotify final : public executor::Notify {
   public:
    void notify(std::size_t id) override { push(id); }
    void push(std::size_t id) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ids_.push_back(id);
      }
      cv_.notify_one();
    }
    /// Waits for an id. A lost wake-up fails the test instead of hanging it.
    std::size_t pop() {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !ids_.empty(); }))
        throw std::runtime_error("Core: nothing was notified for 30 s (lost wake-up)");
      std::size_t id = ids_.front();
      ids_.pop_front();
      return id;
    }

   private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::size_t> ids_;
  };

  /// One tick: polls the spawned future named by the next id. True when the id is the
  /// future given to run().
  bool turn() {
    std::size_t id = notify_->pop();
    if (id == kRunId) return true;
    // Spurious ids (finished futures) are ignored. The future is taken out while it is
    // polled, so spawning from inside it (which may grow tasks_) is safe.
    if (id >= tasks_.size() || !tasks_[id]) return false;
    auto future = std::move(*tasks_[id]);
    tasks_[id].reset();
    auto polled = future.poll_future_notify(handle_, id);
    bool done = polled.is_err() || polled.unwrap_ref().is_ready();
    if (!done) tasks_[id].emplace(std::move(future));
    return false;
  }

  std::shared_ptr<QueueNotify> notify_;
  executor::NotifyHandle handle_;
  std::vector<std::optional<executor::Spawn<BoxFuture<Unit, Unit>>>> tasks_;
};

// ===== mpsc::unbounded::<Box<Future>>() and rx.for_each(|f| f) =====

using BoxedUnit = BoxFuture<Unit, Unit>;

/// Rust's `let (tx, rx) = mpsc::unbounded::<Box<Future<Item = (), Error = ()>>>();` and
/// `rx.for_each(|f| f)`: the sender and a future running every received future in turn.
auto unbounded_future_queue() {
  auto [tx, rx] = futures::sync::mpsc::unbounded<BoxedUnit>();
  auto run_stream = std::move(rx).for_each([](BoxedUnit f) { return f; });
  return std::make_tuple(std::move(tx), std::move(run_stream));
}

/// Ignores its argument (Rust's `|_| ()`).
constexpr auto ignore = [](auto&&) {};

}  // namespace

// ===== tests/shared.rs =====

namespace {

void send_shared_oneshot_and_wait_on_multiple_threads(std::uint32_t threads_number) {
  auto [tx, rx] = channel<std::uint32_t>();
  auto f = std::move(rx).shared();
  std::vector<std::thread> threads;
  for (std::uint32_t n = 0; n < threads_number; ++n) {
    threads.emplace_back([cloned_future = f.clone()]() mutable {
      EXPECT_EQ(*std::move(cloned_future).wait().unwrap(), 6u);
    });
  }
  ASSERT_TRUE(std::move(tx).send(6).is_ok());
  EXPECT_EQ(*std::move(f).wait().unwrap(), 6u);
  for (auto& t : threads)
    t.join();
}

}  // namespace

TEST(Shared, one_thread) {
  send_shared_oneshot_and_wait_on_multiple_threads(1);
}

TEST(Shared, two_threads) {
  send_shared_oneshot_and_wait_on_multiple_threads(2);
}

// 1000 threads as in Rust; ThreadSanitizer makes each thread start slowly, so fewer there.
#if defined(__SANITIZE_THREAD__)
constexpr std::uint32_t kManyThreads = 100;
#else
constexpr std::uint32_t kManyThreads = 1000;
#endif

TEST(Shared, many_threads) { send_shared_oneshot_and_wait_on_multiple_threads(kManyThreads); }

TEST(Shared, drop_on_one_task_ok) {
  auto [tx, rx] = channel<std::uint32_t>();
  auto f1 = std::move(rx).shared();
  auto f2 = f1.clone();

  auto [tx2, rx2] = channel<std::uint32_t>();

  std::thread t1([f1 = std::move(f1), rx2 = std::move(rx2)]() mutable {
    auto f = std::move(f1)
                 .map_err(ignore)
                 .map([](auto x) { return *x; })
                 .select(std::move(rx2).map_err(ignore));
    (void)std::move(f).wait();
  });

  auto [tx3, rx3] = channel<std::uint32_t>();

  std::thread t2([f2 = std::move(f2), tx3 = std::move(tx3)]() mutable {
    (void)std::move(f2)
        .map([tx3 = std::move(tx3)](auto x) mutable { (void)std::move(tx3).send(*x).unwrap(); })
        .map_err(ignore)
        .wait();
  });

  ASSERT_TRUE(std::move(tx2).send(11).is_ok());  // cancel `f1`
  t1.join();

  ASSERT_TRUE(std::move(tx).send(42).is_ok());  // Should cause `f2` and then `rx3` to get resolved.
  auto result = std::move(rx3).wait().unwrap();
  EXPECT_EQ(result, 42u);
  t2.join();
}

TEST(Shared, drop_in_poll) {
  using Boxed = BoxFuture<future::SharedItem<int>, future::SharedError<std::uint32_t>>;
  auto slot = std::make_shared<std::optional<Boxed>>();
  auto slot2 = slot;
  auto future = future::poll_fn([slot2]() -> Poll<int, std::uint32_t> {
                  EXPECT_TRUE(slot2->has_value());  // Rust: take().unwrap()
                  slot2->reset();
                  return Ready(1);
                }).shared();
  Boxed future2 = future.clone().boxed();
  *slot = std::move(future2);
  EXPECT_EQ(*std::move(future).wait().unwrap(), 1);
}

TEST(Shared, peek) {
  Core core;

  auto [tx0, rx0] = channel<std::uint32_t>();
  auto f1 = std::move(rx0).shared();
  auto f2 = f1.clone();

  // Repeated calls on the original or clone do not change the outcome.
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(f1.peek().has_value());
    EXPECT_FALSE(f2.peek().has_value());
  }

  // Completing the underlying future has no effect, because the value has not been `poll`ed in.
  ASSERT_TRUE(std::move(tx0).send(42).is_ok());
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(f1.peek().has_value());
    EXPECT_FALSE(f2.peek().has_value());
  }

  // Once the Shared has been polled, the value is peekable on the clone.
  core.spawn(std::move(f1).map(ignore).map_err(ignore));
  ASSERT_TRUE(core.run(future::ok<Unit, Unit>(Unit{})).is_ok());
  for (int i = 0; i < 2; ++i) {
    auto peeked = f2.peek();
    ASSERT_TRUE(peeked.has_value());
    EXPECT_EQ(42u, *peeked->unwrap());
  }
}

TEST(Shared, polled_then_ignored) {
  Core core;

  auto [tx0, rx0] = channel<std::uint32_t>();
  auto f1 = std::move(rx0).shared();
  auto f2 = f1.clone();

  auto [tx1, rx1] = channel<std::uint32_t>();
  auto [tx2, rx2] = channel<std::uint32_t>();
  auto [tx3, rx3] = channel<std::uint32_t>();

  core.spawn(
      std::move(f1)
          .map([tx3 = std::move(tx3)](auto n) mutable { (void)std::move(tx3).send(*n).unwrap(); })
          .map_err(ignore));

  ASSERT_TRUE(core.run(future::ok<Unit, Unit>(Unit{})).is_ok());  // Allow f1 to be polled.

  core.spawn(std::move(f2)
                 .map_err(ignore)
                 .map([](auto x) { return *x; })
                 .select(std::move(rx2).map_err(ignore))
                 .map_err(ignore)
                 .and_then([rx3 = std::move(rx3), tx1 = std::move(tx1)](auto, auto f2) mutable {
                   return std::move(rx3).map_err(ignore).map(
                       [f2 = std::move(f2), tx1 = std::move(tx1)](std::uint32_t n) mutable {
                         { [[maybe_unused]] auto dropped = std::move(f2); }  // drop(f2)
                         (void)std::move(tx1).send(n).unwrap();
                       });
                 }));

  ASSERT_TRUE(core.run(future::ok<Unit, Unit>(Unit{})).is_ok());  // Allow f2 to be polled.

  ASSERT_TRUE(std::move(tx2).send(11).is_ok());  // Resolve rx2, causing f2 to no longer get polled.

  ASSERT_TRUE(core.run(future::ok<Unit, Unit>(Unit{})).is_ok());  // Let the send() propagate.

  ASSERT_TRUE(
      std::move(tx0).send(42).is_ok());  // Should cause f1, then rx3, and then rx1 to resolve.

  EXPECT_EQ(core.run(std::move(rx1)).unwrap(), 42u);
}

TEST(Shared, recursive_poll) {
  Core core;
  auto [tx0, rx0] = unbounded_future_queue();
  auto run_stream = std::move(rx0);

  auto [tx1, rx1] = channel<Unit>();

  auto f1 = std::move(run_stream).shared();
  auto f2 = f1.clone();
  auto f3 = f1.clone();
  ASSERT_TRUE(tx0.unbounded_send(BoxedUnit(std::move(f1)
                                               .map(ignore)
                                               .map_err(ignore)
                                               .select(std::move(rx1).map_err(ignore))
                                               .map(ignore)
                                               .map_err(ignore)))
                  .is_ok());

  core.spawn(std::move(f2).map(ignore).map_err(ignore));

  // Call poll() on the spawned future. We want to be sure that this does not trigger a
  // deadlock or panic due to a recursive lock() on a mutex.
  ASSERT_TRUE(core.run(future::ok<Unit, Unit>(Unit{})).is_ok());

  ASSERT_TRUE(std::move(tx1).send(Unit{}).is_ok());    // Break the cycle.
  { [[maybe_unused]] auto dropped = std::move(tx0); }  // drop(tx0)
  EXPECT_TRUE(core.run(std::move(f3)).is_ok());
}

TEST(Shared, recursive_poll_with_unpark) {
  Core core;
  auto [tx0, rx0] = unbounded_future_queue();
  auto run_stream = std::move(rx0);

  auto [tx1, rx1] = channel<Unit>();

  auto f1 = std::move(run_stream).shared();
  auto f2 = f1.clone();
  auto f3 = f1.clone();
  ASSERT_TRUE(tx0.unbounded_send(BoxedUnit(future::lazy([f1 = std::move(f1),
                                                          rx1 = std::move(rx1)]() mutable {
                                     task::current().notify();
                                     return std::move(f1)
                                         .map(ignore)
                                         .map_err(ignore)
                                         .select(std::move(rx1).map_err(ignore))
                                         .map(ignore)
                                         .map_err(ignore);
                                   })))
                  .is_ok());

  core.spawn(std::move(f2).map(ignore).map_err(ignore));

  // Call poll() on the spawned future. We want to be sure that this does not trigger a
  // deadlock or panic due to a recursive lock() on a mutex.
  ASSERT_TRUE(core.run(future::ok<Unit, Unit>(Unit{})).is_ok());

  ASSERT_TRUE(std::move(tx1).send(Unit{}).is_ok());    // Break the cycle.
  { [[maybe_unused]] auto dropped = std::move(tx0); }  // drop(tx0)
  EXPECT_TRUE(core.run(std::move(f3)).is_ok());
}

TEST(Shared, shared_future_that_wakes_itself_until_pending_is_returned) {
  Core core;

  bool proceed = false;
  auto fut = future::poll_fn([&proceed]() -> Poll<Unit, Unit> {
               if (proceed) return Ready(Unit{});
               task::current().notify();
               return NotReady;
             })
                 .shared()
                 .map(ignore)
                 .map_err(ignore);

  // The join future can only complete if the second future gets a chance to run after the first
  // has returned pending
  auto second = future::lazy([&proceed] {
    proceed = true;
    return Result<Unit, Unit>(Ok());
  });

  EXPECT_TRUE(core.run(std::move(fut).join(std::move(second))).is_ok());
}

// ===== Beyond the Rust file =====

namespace {

/// A leaf future completed by hand through its Cell (support/manual_future.hpp).
using Cell = futures_test::Slot<int, std::string>;
using Manual = futures_test::Manual<int, std::string>;

struct Point {
  int x;
  int y;
};

}  // namespace

TEST(Shared, every_copy_gets_the_one_item) {
  auto f = future::ok<Point, int>(Point{1, 2}).shared();
  static_assert(std::is_same_v<decltype(f)::Item, future::SharedItem<Point>>);
  static_assert(std::is_same_v<decltype(f)::Error, future::SharedError<int>>);
  static_assert(std::is_copy_constructible_v<decltype(f)>);
  auto g = f;  // Clone
  auto h = f.clone();
  auto a = std::move(f).wait().unwrap();
  auto b = std::move(g).wait().unwrap();
  auto c = std::move(h).wait().unwrap();
  EXPECT_EQ(a->x, 1);
  EXPECT_EQ((*b).y, 2);
  EXPECT_EQ(&a.get(), &b.get());  // one value, shared
  EXPECT_EQ(&b.get(), &c.get());
}

TEST(Shared, every_copy_gets_the_one_error) {
  auto f = future::err<int, std::string>("bad").shared();
  auto g = f.clone();
  auto e1 = std::move(f).wait().unwrap_err();
  auto e2 = std::move(g).wait().unwrap_err();
  EXPECT_EQ(*e1, "bad");
  EXPECT_EQ(e1->size(), 3u);
  EXPECT_EQ(&e1.get(), &e2.get());
  std::ostringstream os;
  os << e1;
  EXPECT_EQ(os.str(), "\"bad\"");
}

TEST(Shared, waiting_copies_are_notified_when_the_poller_completes) {
  auto cell = std::make_shared<Cell>();
  auto f1 = Manual(cell).shared();
  auto f2 = f1.clone();
  auto n1 = std::make_shared<futures_test::CountingNotify>();
  auto n2 = std::make_shared<futures_test::CountingNotify>();
  executor::NotifyHandle h1(n1);
  executor::NotifyHandle h2(n2);

  auto p1 = futures_test::poll_once(f1, h1);
  ASSERT_TRUE(p1.is_ok() && p1.unwrap_ref().is_not_ready());
  auto p2 = futures_test::poll_once(f2, h2);
  ASSERT_TRUE(p2.is_ok() && p2.unwrap_ref().is_not_ready());
  EXPECT_EQ(cell->polls, 2);  // each poll of an idle Shared polls the inner future

  cell->complete(Ok(7));       // the inner future notifies the Shared's own Notify ...
  EXPECT_EQ(n1->count(), 1u);  // ... which wakes every waiting copy
  EXPECT_EQ(n2->count(), 1u);

  auto r2 = futures_test::poll_once(f2, h2);
  ASSERT_TRUE(r2.is_ok() && r2.unwrap_ref().is_ready());
  EXPECT_EQ(*r2.unwrap_ref().value(), 7);
  EXPECT_EQ(n1->count(), 1u);  // f1 was woken once already: it is not in the map again
  EXPECT_EQ(n2->count(), 2u);  // the poller registered itself too, and completion wakes it
  auto peeked = f1.peek();
  ASSERT_TRUE(peeked.has_value());
  EXPECT_EQ(*peeked->unwrap(), 7);
  auto r1 = futures_test::poll_once(f1, h1);
  ASSERT_TRUE(r1.is_ok() && r1.unwrap_ref().is_ready());
  EXPECT_EQ(cell->polls, 3);  // f1 took the stored result
  // A completed copy may be polled again: it hands out the result again.
  auto again = futures_test::poll_once(f1, h1);
  ASSERT_TRUE(again.is_ok() && again.unwrap_ref().is_ready());
}

TEST(Shared, a_copy_polled_while_another_copy_polls_waits_for_it) {
  // The inner future polls a copy of its own Shared: that copy finds the state POLLING,
  // registers and returns NotReady without touching the inner future.
  using SharedBox = future::Shared<BoxFuture<int, std::string>>;
  auto cell = std::make_shared<Cell>();
  auto slot = std::make_shared<std::optional<SharedBox>>();
  std::optional<bool> copy_was_not_ready;
  auto f = BoxFuture<int, std::string>(future::poll_fn([slot, &copy_was_not_ready,
                                                        m = Manual(cell)]() mutable {
             if (*slot && !copy_was_not_ready) {
               auto p = (**slot).poll();
               copy_was_not_ready = p.is_ok() && p.unwrap_ref().is_not_ready();
             }
             return m.poll();
           })).shared();
  *slot = f.clone();

  auto n = std::make_shared<futures_test::CountingNotify>();
  executor::NotifyHandle handle(n);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  ASSERT_TRUE(copy_was_not_ready.has_value());
  EXPECT_TRUE(*copy_was_not_ready);
  EXPECT_EQ(cell->polls, 1);

  cell->complete(Ok(7));
  EXPECT_EQ(n->count(), 1u);
  ASSERT_READY(f);
  // The inner future is gone with its result (breaking the slot -> future cycle), and
  // the copy that waited gets the value.
  auto from_copy = futures_test::poll_noop(**slot);
  ASSERT_TRUE(from_copy.is_ok() && from_copy.unwrap_ref().is_ready());
  EXPECT_EQ(*from_copy.unwrap_ref().value(), 7);
}

TEST(Shared, poisoned_after_the_inner_poll_throws) {
  int polls = 0;
  auto f = future::poll_fn([&]() -> Poll<int, int> {
             ++polls;
             throw std::runtime_error("inner failure");
           }).shared();
  auto g = f.clone();
  auto n = std::make_shared<futures_test::CountingNotify>();
  executor::NotifyHandle handle(n);
  EXPECT_THROW((void)futures_test::poll_once(f, handle), std::runtime_error);
  EXPECT_EQ(n->count(), 1u);  // waiting copies (here f itself) are woken to see it
  EXPECT_THROW((void)futures_test::poll_noop(g), Panic);
  EXPECT_THROW((void)futures_test::poll_noop(f), Panic);
  EXPECT_THROW((void)g.peek(), Panic);
  EXPECT_EQ(polls, 1);
}

TEST(Shared, drop_of_the_last_copy_cancels_the_inner_future) {
  auto cell = std::make_shared<Cell>();
  auto f = Manual(cell).shared();
  {
    auto g = f.clone();
    ASSERT_NOT_READY(g);
  }
  EXPECT_EQ(cell.use_count(), 2);  // f still holds the inner future
  { auto gone = std::move(f); }
  EXPECT_EQ(cell.use_count(), 1);  // destroyed with the last copy
}

TEST(Shared, copies_assign_and_move) {
  auto f = future::ok<int, int>(3).shared();
  auto g = future::ok<int, int>(4).shared();
  g = f;  // now a copy of f
  auto h = std::move(f);
  EXPECT_EQ(*std::move(g).wait().unwrap(), 3);
  EXPECT_EQ(*std::move(h).wait().unwrap(), 3);
}

TEST(SharedDeathTest, polling_a_moved_from_shared_is_a_contract_violation) {
  auto f = future::ok<int, int>(1).shared();
  auto g = std::move(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Shared polled after it was moved from");
}

}  // namespace shared_test
