// Unit tests: Task, task::current(), AtomicTask, executor::spawn (include/futures/task.hpp,
// include/futures/executor.hpp).
#include <futures/executor.hpp>
#include <futures/future.hpp>
#include <futures/task.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace task_test {

using namespace futures;
using futures_test::CountingNotify;

namespace {

/// Counts notifies per id and records clone/drop bookkeeping.
class IdNotify final : public executor::Notify {
 public:
  void notify(std::size_t id) override { last_id.store(id), count.fetch_add(1); }
  std::size_t clone_id(std::size_t id) override {
    clones.fetch_add(1);
    return id;
  }
  void drop_id(std::size_t) override { drops.fetch_add(1); }
  std::atomic<std::size_t> last_id{0};
  std::atomic<int> count{0}, clones{0}, drops{0};
};

}  // namespace

TEST(Task, current_is_the_task_being_polled) {
  auto notify = std::make_shared<IdNotify>();
  executor::NotifyHandle handle(notify);
  EXPECT_FALSE(task::is_in_task());
  auto f = future::poll_fn([]() -> Poll<Unit, Unit> {
    EXPECT_TRUE(task::is_in_task());
    task::Task t = task::current();
    EXPECT_TRUE(t.will_notify_current());
    t.notify();
    return NotReady;
  });
  auto spawned = executor::spawn(std::move(f));
  EXPECT_EQ(spawned.poll_future_notify(handle, 7), NotReady);
  EXPECT_EQ(notify->count.load(), 1);
  EXPECT_EQ(notify->last_id.load(), 7u);
  EXPECT_EQ(notify->clones.load(), notify->drops.load()) << "every Task handle released its id";
  EXPECT_FALSE(task::is_in_task());
}

TEST(Task, will_notify_current_has_no_false_positives) {
  auto a = std::make_shared<CountingNotify>();
  auto b = std::make_shared<CountingNotify>();
  executor::NotifyHandle ha(a), hb(b);
  task::Task from_a = futures_test::with_task(ha, [] { return task::current(); });
  EXPECT_FALSE(from_a.will_notify_current());  // no task at all
  futures_test::with_task(hb, [&] { EXPECT_FALSE(from_a.will_notify_current()); });
  futures_test::with_task(ha, [&] { EXPECT_TRUE(from_a.will_notify_current()); });
}

TEST(Task, copies_and_notifies_from_another_thread) {
  auto counting = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(counting);
  task::Task t = futures_test::with_task(handle, [] { return task::current(); });
  task::Task copy = t.clone();
  std::thread other([copy] { copy.notify(); });
  other.join();
  t.notify();
  EXPECT_EQ(counting->count(), 2u);
}

TEST(TaskDeathTest, current_outside_a_task_names_the_problem) {
  EXPECT_DEATH((void)task::current(), "outside of a task");
}

TEST(AtomicTask, notify_before_register_is_a_no_op) {
  task::AtomicTask slot;
  slot.notify();
  auto counting = std::make_shared<CountingNotify>();
  futures_test::with_task(executor::NotifyHandle(counting), [&] { slot.register_(); });
  EXPECT_EQ(counting->count(), 0u);
  slot.notify();
  EXPECT_EQ(counting->count(), 1u);
  slot.notify();  // the slot is empty after a notify
  EXPECT_EQ(counting->count(), 1u);
}

TEST(AtomicTask, latest_registration_wins) {
  task::AtomicTask slot;
  auto first = std::make_shared<CountingNotify>();
  auto second = std::make_shared<CountingNotify>();
  futures_test::with_task(executor::NotifyHandle(first), [&] { slot.register_(); });
  futures_test::with_task(executor::NotifyHandle(second), [&] { slot.register_(); });
  slot.notify();
  EXPECT_EQ(first->count(), 0u);
  EXPECT_EQ(second->count(), 1u);
}

// A producer publishes a value then notifies; the consumer registers then checks. Over
// many rounds, the consumer must never be left waiting (a lost wake-up would hang the
// consumer loop, which the test timeout turns into a failure).
TEST(AtomicTask, stress_no_lost_wakeups) {
  constexpr int kRounds = 20000;
  task::AtomicTask slot;
  std::atomic<int> published{0};
  auto future = future::poll_fn([&, seen = 0]() mutable -> Poll<Unit, Unit> {
    for (;;) {
      slot.register_();
      int now = published.load(std::memory_order_acquire);
      if (now == kRounds) return Ready();
      if (now == seen) return NotReady;
      seen = now;
    }
  });
  std::thread producer([&] {
    for (int i = 1; i <= kRounds; ++i) {
      published.store(i, std::memory_order_release);
      slot.notify();
    }
  });
  EXPECT_EQ(std::move(future).wait(), Ok());
  producer.join();
}

TEST(Executor, wait_future_parks_until_notified_from_another_thread) {
  std::atomic<bool> done{false};
  task::AtomicTask slot;
  std::thread setter;
  auto f = future::poll_fn([&]() -> Poll<int, Unit> {
    slot.register_();
    if (done.load(std::memory_order_acquire)) return Ready(5);
    if (!setter.joinable()) {
      setter = std::thread([&] {
        done.store(true, std::memory_order_release);
        slot.notify();
      });
    }
    return NotReady;
  });
  EXPECT_EQ(std::move(f).wait(), Ok(5));
  setter.join();
}

TEST(Executor, spawn_gives_access_to_the_object) {
  auto spawned = executor::spawn(future::ok<int, int>(3));
  auto polled = spawned.poll_future_notify(futures_test::panic_notify(), 0);
  EXPECT_EQ(polled, Ready(3));
}

}  // namespace task_test
