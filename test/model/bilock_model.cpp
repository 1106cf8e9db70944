// Relacy models of sync::BiLock (include/futures/sync/bilock.hpp), compiled with
// -DFUTURES_RELACY: the state word that is 0 (unlocked), 1 (locked) or the waiting
// half's heap-allocated Task.
//
// Checked: mutual exclusion (both halves update a Tracked value under the lock, so two
// holders at once is a data race), no lost wakeup (a half whose poll_lock is NotReady
// blocks on its ParkNotify until notified: a missing notify is a deadlock), and the
// waiter's Task is handed over and freed exactly once (Relacy's heap).
//
// The pair's shared block is a std::shared_ptr, whose count Relacy cannot see, so the
// halves are destroyed in after() (see mpsc_model.cpp).
#include <futures/sync/bilock.hpp>

#include <optional>

#include "model.hpp"

namespace {

using futures::sync::BiLock;
using futures_model::ModelTask;
using futures_model::Tracked;

// Increments the shared value `rounds` times, each under the lock taken with poll_lock.
void add_with_poll_lock(const BiLock<Tracked>& lock, ModelTask& task, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    for (;;) {
      auto guard = task.poll([&] { return lock.poll_lock(); });
      if (guard.is_ready()) {
        Tracked& value = *guard.value();
        value.value(RL_INFO) = value.get() + 1;
        break;  // the guard unlocks here
      }
      task.park();
    }
  }
}

// Both halves take the lock twice with poll_lock.
struct BiLockPollLock : rl::test_suite<BiLockPollLock, 2> {
  static constexpr int kRounds = 2;
  std::optional<BiLock<Tracked>> halves[2];
  ModelTask tasks[2];

  BiLockPollLock() {
    auto [a, b] = BiLock<Tracked>::new_(Tracked(0));
    halves[0].emplace(std::move(a));
    halves[1].emplace(std::move(b));
  }

  void thread(unsigned index) { add_with_poll_lock(*halves[index], tasks[index], kRounds); }

  void after() {
    {
      auto guard = tasks[0].poll([&] { return halves[0]->poll_lock(); });
      RL_ASSERT(guard.is_ready());
      RL_ASSERT(guard.value()->get() == 2 * kRounds);
    }  // unlocks before the halves go
    halves[0].reset();
    halves[1].reset();
  }
};

// One half uses poll_lock, the other the lock() future (BiLockAcquire), unlocking with
// BiLockAcquired::unlock(), which hands its BiLock back.
struct BiLockAcquireFuture : rl::test_suite<BiLockAcquireFuture, 2> {
  std::optional<BiLock<Tracked>> halves[2];
  ModelTask tasks[2];

  BiLockAcquireFuture() {
    auto [a, b] = BiLock<Tracked>::new_(Tracked(0));
    halves[0].emplace(std::move(a));
    halves[1].emplace(std::move(b));
  }

  void thread(unsigned index) {
    if (index == 0) {
      add_with_poll_lock(*halves[0], tasks[0], 1);
      return;
    }
    auto acquire = std::move(*halves[1]).lock();
    for (;;) {
      auto polled = tasks[1].poll([&] { return acquire.poll(); });
      auto async = std::move(polled).unwrap();
      if (async.is_ready()) {
        auto acquired = std::move(async).value();
        acquired->value(RL_INFO) = acquired->get() + 1;
        halves[1].emplace(std::move(acquired).unlock());
        return;
      }
      tasks[1].park();
    }
  }

  void after() {
    {
      auto guard = tasks[0].poll([&] { return halves[0]->poll_lock(); });
      RL_ASSERT(guard.is_ready());
      RL_ASSERT(guard.value()->get() == 2);
    }  // unlocks before the halves go
    halves[0].reset();
    halves[1].reset();
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(
      argc, argv,
      {
          {"BiLockPollLock", [] { return check<BiLockPollLock>(full_search()); }},
          {"BiLockAcquireFuture", [] { return check<BiLockAcquireFuture>(full_search()); }},
      });
}
