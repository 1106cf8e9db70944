// Port of futures 0.1 tests/bilock.rs, plus unit tests of sync::BiLock (parking and
// notification, BiLockAcquire / BiLockAcquired, reunite) and a bounded cross-thread
// stress test meant to run under ThreadSanitizer.
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/bilock.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/contract_throw.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace bilock_test {

using namespace futures;
using futures::sync::BiLock;
using futures::sync::BiLockAcquired;
using futures_test::ContractViolation;
using futures_test::ThrowOnViolation;

// ===== tests/bilock.rs =====

TEST(BiLock, smoke) {
  auto future = future::lazy([]() -> Result<Unit, Unit> {
    auto [a, b] = BiLock<int>::new_(1);

    {
      auto polled = a.poll_lock();
      EXPECT_TRUE(polled.is_ready()) << "poll not ready";
      auto& lock = polled.value();
      EXPECT_EQ(*lock, 1);
      *lock = 2;

      EXPECT_TRUE(b.poll_lock().is_not_ready());
      EXPECT_TRUE(a.poll_lock().is_not_ready());
    }

    EXPECT_TRUE(b.poll_lock().is_ready());
    EXPECT_TRUE(a.poll_lock().is_ready());

    {
      auto polled = b.poll_lock();
      EXPECT_TRUE(polled.is_ready()) << "poll not ready";
      EXPECT_EQ(*polled.value(), 2);
    }

    EXPECT_EQ(std::move(a).reunite(std::move(b)).expect("bilock/smoke: reunite error"), 2);

    return Ok();
  });

  EXPECT_TRUE(executor::spawn(std::move(future))
                  .poll_future_notify(futures_test::noop_notify(), 0)
                  .expect("failure in poll")
                  .is_ready());
}

namespace {

/// Rust's `Increment`: takes the lock `remaining` times, adding one each time.
struct Increment : FutureExt<Increment> {
  using Item = BiLock<std::size_t>;
  using Error = Unit;

  Increment(std::size_t n, BiLock<std::size_t> lock) : remaining(n), a(std::move(lock)) {}

  std::size_t remaining;
  std::optional<BiLock<std::size_t>> a;

  Poll<BiLock<std::size_t>, Unit> poll() {
    for (;;) {
      if (remaining == 0) {
        BiLock<std::size_t> done = std::move(*a);
        a.reset();
        return Ready(std::move(done));
      }
      auto lock = a->poll_lock();
      if (lock.is_not_ready()) return NotReady;
      --remaining;
      *lock.value() += 1;
    }
  }
};

}  // namespace

TEST(BiLock, concurrent) {
  constexpr std::size_t N = 10000;
  auto [a0, b0] = BiLock<std::size_t>::new_(0);

  Increment a(N, std::move(a0));
  auto b = stream::iter_ok<std::vector<std::size_t>, Unit>(std::vector<std::size_t>(N))
               .fold(std::move(b0), [](BiLock<std::size_t> b, std::size_t) {
                 return std::move(b).lock().map([](BiLockAcquired<std::size_t> b) {
                   *b += 1;
                   return std::move(b).unlock();
                 });
               });

  std::optional<Result<BiLock<std::size_t>, Unit>> a_result;
  std::thread t1([&] { a_result.emplace(std::move(a).wait()); });
  auto b_lock = std::move(b).wait().expect("b error");
  t1.join();
  auto a_lock = std::move(*a_result).expect("a error");

  futures_test::with_noop_task([&] {
    auto la = a_lock.poll_lock();
    ASSERT_TRUE(la.is_ready()) << "poll not ready";
    EXPECT_EQ(*la.value(), 2 * N);
  });
  futures_test::with_noop_task([&] {
    auto lb = b_lock.poll_lock();
    ASSERT_TRUE(lb.is_ready()) << "poll not ready";
    EXPECT_EQ(*lb.value(), 2 * N);
  });

  EXPECT_EQ(std::move(a_lock).reunite(std::move(b_lock)).expect("bilock/concurrent: reunite error"),
            2 * N);
}

// ===== unit tests =====

TEST(BiLock, unlock_notifies_the_waiting_half_once) {
  auto [a, b] = BiLock<int>::new_(0);
  auto count_b = std::make_shared<futures_test::CountingNotify>();
  auto guard = futures_test::with_task(futures_test::panic_notify(), [&] { return a.poll_lock(); });
  ASSERT_TRUE(guard.is_ready());
  EXPECT_TRUE(futures_test::with_task(count_b, [&] { return b.poll_lock(); }).is_not_ready());
  // Polling again replaces the parked task (the old one is freed, not notified).
  EXPECT_TRUE(futures_test::with_task(count_b, [&] { return b.poll_lock(); }).is_not_ready());
  EXPECT_EQ(count_b->count(), 0u);
  { auto released = std::move(guard); }  // the guard's destructor unlocks
  EXPECT_EQ(count_b->count(), 1u);
  auto got = futures_test::with_task(futures_test::panic_notify(), [&] { return b.poll_lock(); });
  EXPECT_TRUE(got.is_ready());
}

TEST(BiLock, unlock_without_waiter_notifies_nobody) {
  auto [a, b] = BiLock<int>::new_(0);
  futures_test::with_task(futures_test::panic_notify(), [&] {
    for (int i = 0; i < 3; ++i) {
      auto g = a.poll_lock();
      ASSERT_TRUE(g.is_ready());
      *g.value() += 1;
    }
    auto g = b.poll_lock();
    ASSERT_TRUE(g.is_ready());
    EXPECT_EQ(*g.value(), 3);
  });
}

TEST(BiLock, guard_gives_access_through_arrow) {
  auto [a, b] = BiLock<std::vector<int>>::new_({1, 2});
  futures_test::with_noop_task([&] {
    auto g = a.poll_lock();
    ASSERT_TRUE(g.is_ready());
    g.value()->push_back(3);
    EXPECT_EQ(g.value()->size(), 3u);
  });
  EXPECT_EQ(std::move(a).reunite(std::move(b)).unwrap(), (std::vector<int>{1, 2, 3}));
}

TEST(BiLock, lock_future_waits_for_the_other_half) {
  ThrowOnViolation violations;
  auto [a, b] = BiLock<int>::new_(5);
  auto count = std::make_shared<futures_test::CountingNotify>();
  auto guard = futures_test::with_noop_task([&] { return a.poll_lock(); });
  ASSERT_TRUE(guard.is_ready());
  auto acquire = std::move(b).lock();
  EXPECT_TRUE(futures_test::poll_once(acquire, count).unwrap().is_not_ready());
  { auto released = std::move(guard); }
  EXPECT_EQ(count->count(), 1u);
  auto polled = futures_test::poll_once(acquire, count);
  ASSERT_TRUE(polled.is_ok() && polled.unwrap_ref().is_ready());
  BiLockAcquired<int> held = std::move(polled).unwrap().value();
  EXPECT_EQ(*held, 5);
  *held = 6;
  EXPECT_THROW((void)futures_test::poll_noop(acquire), ContractViolation);

  // Held: the other half waits, and is notified by unlock().
  auto count_a = std::make_shared<futures_test::CountingNotify>();
  EXPECT_TRUE(futures_test::with_task(count_a, [&] { return a.poll_lock(); }).is_not_ready());
  BiLock<int> b2 = std::move(held).unlock();
  EXPECT_EQ(count_a->count(), 1u);
  EXPECT_EQ(std::move(a).reunite(std::move(b2)).unwrap(), 6);
}

TEST(BiLock, acquired_unlocks_when_dropped) {
  auto [a, b] = BiLock<int>::new_(1);
  {
    auto acquire = std::move(b).lock();
    auto polled = futures_test::poll_noop(acquire);
    ASSERT_TRUE(polled.unwrap_ref().is_ready());
    BiLockAcquired<int> held = std::move(polled).unwrap().value();
    BiLockAcquired<int> moved = std::move(held);  // the moved-from one must not unlock
    EXPECT_TRUE(futures_test::with_noop_task([&] { return a.poll_lock(); }).is_not_ready());
  }
  EXPECT_TRUE(futures_test::with_noop_task([&] { return a.poll_lock(); }).is_ready());
}

TEST(BiLock, reunite_mismatched_pairs_hands_both_back) {
  auto [a1, b1] = BiLock<int>::new_(1);
  auto [a2, b2] = BiLock<int>::new_(2);
  auto r = std::move(a1).reunite(std::move(b2));
  ASSERT_TRUE(r.is_err());
  std::ostringstream os;
  os << r.unwrap_err_ref();
  EXPECT_EQ(os.str(), "tried to reunite two BiLocks that don't form a pair");
  auto [first, second] = std::move(r).unwrap_err();
  EXPECT_EQ(std::move(first).reunite(std::move(b1)).unwrap(), 1);
  EXPECT_EQ(std::move(a2).reunite(std::move(second)).unwrap(), 2);
}

TEST(BiLock, reunite_while_locked_is_a_contract_violation) {
  ThrowOnViolation violations;
  auto [a, b] = BiLock<int>::new_(3);
  auto g = futures_test::with_noop_task([&] { return a.poll_lock(); });
  ASSERT_TRUE(g.is_ready());
  EXPECT_THROW((void)std::move(a).reunite(std::move(b)), ContractViolation);
}

TEST(BiLock, value_destroyed_with_the_last_half) {
  auto owned = std::make_shared<int>(1);
  std::weak_ptr<int> watch = owned;
  {
    auto [a, b] = BiLock<std::shared_ptr<int>>::new_(std::move(owned));
    { auto gone = std::move(a); }
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

// ===== cross-thread stress (bounded; run under ThreadSanitizer) =====

namespace {

/// Two fields updated together: a torn read would show them differing.
struct Pair {
  std::size_t x = 0;
  std::size_t y = 0;
};

/// Takes the lock `remaining` times through poll_lock, checking and bumping both fields.
struct Hammer : FutureExt<Hammer> {
  using Item = BiLock<Pair>;
  using Error = Unit;
  Hammer(std::size_t n, BiLock<Pair> l) : remaining(n), lock(std::move(l)) {}

  std::size_t remaining;
  std::optional<BiLock<Pair>> lock;

  Poll<BiLock<Pair>, Unit> poll() {
    while (remaining > 0) {
      auto g = lock->poll_lock();
      if (g.is_not_ready()) return NotReady;
      Pair& p = *g.value();
      if (p.x != p.y) return Err(Unit{});
      ++p.x;
      ++p.y;
      --remaining;
    }
    BiLock<Pair> done = std::move(*lock);
    lock.reset();
    return Ready(std::move(done));
  }
};

}  // namespace

TEST(BiLock, stress_two_threads) {
  constexpr std::size_t kRounds = 20;
  constexpr std::size_t kPerSide = 2000;
  for (std::size_t round = 0; round < kRounds; ++round) {
    auto [a, b] = BiLock<Pair>::new_(Pair{});
    Hammer ha(kPerSide, std::move(a));
    // The other side uses the lock() future, one acquisition per item.
    auto hb = stream::iter_ok<std::vector<int>, Unit>(std::vector<int>(kPerSide))
                  .fold(std::move(b), [](BiLock<Pair> lock, int) {
                    return std::move(lock).lock().and_then(
                        [](BiLockAcquired<Pair> p) -> Result<BiLock<Pair>, Unit> {
                          if (p->x != p->y) return Err(Unit{});
                          ++p->x;
                          ++p->y;
                          return Ok(std::move(p).unlock());
                        });
                  });
    std::optional<Result<BiLock<Pair>, Unit>> ra;
    std::thread t([&] { ra.emplace(std::move(ha).wait()); });
    auto rb = std::move(hb).wait();
    t.join();
    ASSERT_TRUE(ra->is_ok());
    ASSERT_TRUE(rb.is_ok());
    Pair p = std::move(*ra).unwrap().reunite(std::move(rb).unwrap()).unwrap();
    EXPECT_EQ(p.x, 2 * kPerSide);
    EXPECT_EQ(p.y, 2 * kPerSide);
  }
}

}  // namespace bilock_test
