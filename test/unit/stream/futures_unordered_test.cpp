// Port of futures 0.1 tests/futures_unordered.rs
//
// Then unit tests of FuturesUnordered (include/futures/stream/futures_unordered.hpp):
// only notified futures are polled again, the per-poll fairness bound, notifies from
// other threads while the set is polled, destroying the set with nodes still queued and
// Task handles outliving it, push during poll, move-only futures, moving the set.
//
// Deviations from the Rust file: `Box<Any + Send>` items become std::shared_ptr<void>;
// `stream.collect().wait()` becomes a loop over Spawn::wait_stream (collect_all below).
#include <futures/executor.hpp>
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/collect.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace futures_unordered_test {

using namespace futures;
using futures::stream::FuturesUnordered;
using futures::stream::futures_unordered;
using futures::sync::oneshot::Canceled;
namespace oneshot = futures::sync::oneshot;
using futures_test::collect_all;
using futures_test::CountingNotify;
using futures_test::LifetimeCounts;
using futures_test::Manual;
using futures_test::noop_notify;
using futures_test::some_ok;
using futures_test::vec;

// ===== Port of tests/futures_unordered.rs =====

TEST(FuturesUnordered, works_1) {
  auto [a_tx, a_rx] = oneshot::channel<uint32_t>();
  auto [b_tx, b_rx] = oneshot::channel<uint32_t>();
  auto [c_tx, c_rx] = oneshot::channel<uint32_t>();

  auto stream = futures_unordered(vec(std::move(a_rx), std::move(b_rx), std::move(c_rx)));

  auto spawn = executor::spawn(std::move(stream));
  ASSERT_TRUE(std::move(b_tx).send(99).is_ok());
  EXPECT_EQ(some_ok<uint32_t>(99), spawn.wait_stream());

  ASSERT_TRUE(std::move(a_tx).send(33).is_ok());
  ASSERT_TRUE(std::move(c_tx).send(33).is_ok());
  EXPECT_EQ(some_ok<uint32_t>(33), spawn.wait_stream());
  EXPECT_EQ(some_ok<uint32_t>(33), spawn.wait_stream());
  EXPECT_EQ(std::nullopt, spawn.wait_stream());
}

TEST(FuturesUnordered, works_2) {
  auto [a_tx, a_rx] = oneshot::channel<uint32_t>();
  auto [b_tx, b_rx] = oneshot::channel<uint32_t>();
  auto [c_tx, c_rx] = oneshot::channel<uint32_t>();

  auto stream = futures_unordered(vec<BoxFuture<uint32_t, Canceled>>(
      std::move(a_rx).boxed(),
      std::move(b_rx).join(std::move(c_rx)).map([](uint32_t a, uint32_t b) { return a + b; }).boxed()));

  auto spawn = executor::spawn(std::move(stream));
  ASSERT_TRUE(std::move(a_tx).send(33).is_ok());
  ASSERT_TRUE(std::move(b_tx).send(33).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_ready());
  ASSERT_TRUE(std::move(c_tx).send(33).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_ready());
}

TEST(FuturesUnordered, from_iterator) {
  auto stream = FuturesUnordered<future::FutureResult<uint32_t, Unit>>::from_iter(
      vec(future::ok<uint32_t, Unit>(1), future::ok<uint32_t, Unit>(2), future::ok<uint32_t, Unit>(3)));
  EXPECT_EQ(stream.len(), 3u);
  EXPECT_EQ(collect_all(std::move(stream)), (Ok(std::vector<uint32_t>{1, 2, 3})));
}

TEST(FuturesUnordered, finished_future_ok) {
  using Any = std::shared_ptr<void>;
  auto [a_tx, a_rx] = oneshot::channel<Any>();
  auto [b_tx, b_rx] = oneshot::channel<Any>();
  auto [c_tx, c_rx] = oneshot::channel<Any>();

  auto stream = futures_unordered(vec<BoxFuture<Any, Canceled>>(
      std::move(a_rx).boxed(),
      std::move(b_rx)
          .select(std::move(c_rx))
          .then([](auto res) -> Result<Any, Canceled> {
            return Ok(Any(std::make_shared<decltype(res)>(std::move(res))));
          })
          .boxed()));

  auto spawn = executor::spawn(std::move(stream));
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());

  ASSERT_TRUE(std::move(b_tx).send(Any(std::make_shared<Unit>())).is_ok());
  auto next = spawn.poll_stream_notify(noop_notify(), 0).unwrap();
  EXPECT_TRUE(next.is_ready());
  // `next` holds the select's loser, c_rx, so this send is received.
  ASSERT_TRUE(std::move(c_tx).send(Any(std::make_shared<Unit>())).is_ok());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
  EXPECT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
}

TEST(FuturesUnordered, iter_mut_cancel) {
  auto [a_tx, a_rx] = oneshot::channel<uint32_t>();
  auto [b_tx, b_rx] = oneshot::channel<uint32_t>();
  auto [c_tx, c_rx] = oneshot::channel<uint32_t>();

  auto stream = futures_unordered(vec(std::move(a_rx), std::move(b_rx), std::move(c_rx)));

  for (auto& rx : stream.iter_mut()) rx.close();

  EXPECT_TRUE(a_tx.is_canceled());
  EXPECT_TRUE(b_tx.is_canceled());
  EXPECT_TRUE(c_tx.is_canceled());

  auto spawn = executor::spawn(std::move(stream));
  using R = std::optional<Result<uint32_t, Canceled>>;
  EXPECT_EQ(R(Err(Canceled{})), spawn.wait_stream());
  EXPECT_EQ(R(Err(Canceled{})), spawn.wait_stream());
  EXPECT_EQ(R(Err(Canceled{})), spawn.wait_stream());
  EXPECT_EQ(R(), spawn.wait_stream());
}

TEST(FuturesUnordered, iter_mut_len) {
  auto stream = futures_unordered(vec(future::empty<Unit, Unit>(), future::empty<Unit, Unit>(),
                                      future::empty<Unit, Unit>()));

  auto iter_mut = stream.iter_mut();
  EXPECT_EQ(iter_mut.len(), 3u);
  EXPECT_NE(iter_mut.next(), nullptr);
  EXPECT_EQ(iter_mut.len(), 2u);
  EXPECT_NE(iter_mut.next(), nullptr);
  EXPECT_EQ(iter_mut.len(), 1u);
  EXPECT_NE(iter_mut.next(), nullptr);
  EXPECT_EQ(iter_mut.len(), 0u);
  EXPECT_EQ(iter_mut.next(), nullptr);
}

namespace {
/// Rust's `F` of polled_only_once_at_most_per_iteration: NotReady once, then fails.
struct PolledOnce {
  using Item = Unit;
  using Error = Unit;
  bool polled = false;
  Poll<Unit, Unit> poll() {
    if (polled) {
      ADD_FAILURE() << "polled twice";
      return Err(Unit{});
    }
    polled = true;
    return NotReady;
  }
};
}  // namespace

TEST(FuturesUnordered, polled_only_once_at_most_per_iteration) {
  {
    auto tasks = executor::spawn(FuturesUnordered<PolledOnce>::from_iter(std::vector<PolledOnce>(10)));
    EXPECT_TRUE(tasks.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
    EXPECT_EQ(10, std::ranges::count_if(tasks.get_mut().iter_mut(), [](const PolledOnce& f) { return f.polled; }));
  }
  {
    auto tasks = executor::spawn(FuturesUnordered<PolledOnce>::from_iter(std::vector<PolledOnce>(33)));
    EXPECT_TRUE(tasks.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());
    EXPECT_EQ(33, std::ranges::count_if(tasks.get_mut().iter_mut(), [](const PolledOnce& f) { return f.polled; }));
  }
  {
    auto tasks = executor::spawn(FuturesUnordered<PolledOnce>());
    EXPECT_TRUE(tasks.poll_stream_notify(noop_notify(), 0).unwrap().is_ready());
  }
}

// ===== Unit tests =====

namespace {
using Slot = futures_test::Slot<int, int>;
using ManualF = Manual<int, int>;
using futures_test::make_slot;

/// Polls the set once in a task notified through `notify`.
template <class S>
auto poll_with(S& s, const executor::NotifyHandle& notify) {
  return futures_test::poll_once(s, notify);
}

/// A future that notifies itself and returns NotReady `n` times, then Ready(n): it is
/// "always ready to be polled again".
struct SelfNotify {
  using Item = int;
  using Error = int;
  int left;
  int* polls;
  Poll<int, int> poll() {
    ++*polls;
    if (left-- > 0) {
      task::current().notify();
      return NotReady;
    }
    return Ready(*polls);
  }
};
}  // namespace

TEST(FuturesUnordered, empty_set_is_ready_none_and_reusable) {
  FuturesUnordered<ManualF> set;
  EXPECT_TRUE(set.is_empty());
  ASSERT_READY_EQ(set, std::optional<int>());
  ASSERT_READY_EQ(set, std::optional<int>());  // polling after the end is allowed

  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  set.push(ManualF(slot, counts));
  EXPECT_EQ(set.len(), 1u);
  EXPECT_EQ(slot->polls, 0);  // push does not poll
  ASSERT_NOT_READY(set);
  EXPECT_EQ(slot->polls, 1);
  slot->complete(Ok(5));
  ASSERT_READY_EQ(set, std::optional<int>(5));
  EXPECT_EQ(counts.alive(), 0);  // a finished future is destroyed at once
  ASSERT_READY_EQ(set, std::optional<int>());
}

TEST(FuturesUnordered, only_notified_futures_are_polled_again) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<Slot>> slots;
  FuturesUnordered<ManualF> set;
  for (int i = 0; i < 5; ++i) {
    slots.push_back(make_slot<int, int>());
    set.push(ManualF(slots.back(), counts));
  }
  ASSERT_NOT_READY(set);
  for (auto& s : slots) EXPECT_EQ(s->polls, 1);

  // Nothing notified: a poll polls nobody.
  ASSERT_NOT_READY(set);
  for (auto& s : slots) EXPECT_EQ(s->polls, 1);

  // Notify without completing: only that one is polled again.
  slots[3]->task->notify();
  ASSERT_NOT_READY(set);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(slots[i]->polls, i == 3 ? 2 : 1);

  // Many notifies before a poll coalesce into one poll.
  slots[1]->task->notify();
  slots[1]->task->notify();
  slots[1]->task->notify();
  ASSERT_NOT_READY(set);
  EXPECT_EQ(slots[1]->polls, 2);

  slots[2]->complete(Ok(22));
  ASSERT_READY_EQ(set, std::optional<int>(22));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(slots[i]->polls, i == 1 || i == 2 || i == 3 ? 2 : 1);
  EXPECT_EQ(set.len(), 4u);
  EXPECT_EQ(counts.alive(), 4);
}

TEST(FuturesUnordered, child_task_identity_is_per_future) {
  LifetimeCounts counts;
  auto a = make_slot<int, int>();
  auto b = make_slot<int, int>();
  FuturesUnordered<ManualF> set;
  set.push(ManualF(a, counts));
  set.push(ManualF(b, counts));
  ASSERT_NOT_READY(set);
  ASSERT_TRUE(a->task && b->task);
  // Each future got a different task: neither will notify the other, nor the parent.
  EXPECT_FALSE(a->task->will_notify_current());
  futures_test::with_noop_task([&] { EXPECT_FALSE(a->task->will_notify_current()); });
}

TEST(FuturesUnordered, notifies_parent_when_a_future_is_notified) {
  auto parent = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(parent);
  LifetimeCounts counts;
  auto a = make_slot<int, int>();
  auto b = make_slot<int, int>();
  FuturesUnordered<ManualF> set;
  set.push(ManualF(a, counts));
  set.push(ManualF(b, counts));
  EXPECT_TRUE(poll_with(set, handle).unwrap().is_not_ready());
  // That poll polled len() futures, so it yielded with a notify (futures 0.1.31).
  EXPECT_EQ(parent->count(), 1u);
  parent->reset();
  EXPECT_TRUE(poll_with(set, handle).unwrap().is_not_ready());
  EXPECT_EQ(parent->count(), 0u);  // nobody was polled, no yield

  a->task->notify();
  EXPECT_EQ(parent->count(), 1u);
  a->task->notify();  // already queued: no second wake-up
  EXPECT_EQ(parent->count(), 1u);
  // The parent's AtomicTask was emptied by the first wake-up: it is woken once per
  // poll, however many futures are notified in between.
  b->complete(Ok(2));
  EXPECT_EQ(parent->count(), 1u);

  // a is first in the queue (NotReady again), then b.
  EXPECT_EQ(poll_with(set, handle).unwrap(), Async<std::optional<int>>::Ready(2));
  EXPECT_EQ(a->polls, 2);
  EXPECT_TRUE(poll_with(set, handle).unwrap().is_not_ready());
  EXPECT_EQ(parent->count(), 1u);
  a->complete(Ok(1));
  EXPECT_EQ(parent->count(), 2u);
  EXPECT_EQ(poll_with(set, handle).unwrap(), Async<std::optional<int>>::Ready(1));
}

TEST(FuturesUnordered, errors_pass_through_and_do_not_end_the_set) {
  LifetimeCounts counts;
  auto a = make_slot<int, int>();
  auto b = make_slot<int, int>();
  FuturesUnordered<ManualF> set;
  set.push(ManualF(a, counts));
  set.push(ManualF(b, counts));
  ASSERT_NOT_READY(set);
  a->complete(Err(7));
  ASSERT_ERR_EQ(set, 7);
  EXPECT_EQ(set.len(), 1u);
  EXPECT_EQ(counts.alive(), 1);
  b->complete(Ok(8));
  ASSERT_READY_EQ(set, std::optional<int>(8));
  ASSERT_READY_EQ(set, std::optional<int>());
}

TEST(FuturesUnordered, fairness_bound_yields_after_len_polls) {
  auto parent = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(parent);
  int polls = 0;
  FuturesUnordered<SelfNotify> set;
  for (int i = 0; i < 3; ++i) set.push(SelfNotify{1000, &polls});

  // Every future asks to be polled again at once; one poll still polls each only once,
  // then yields with a notify of the parent so it is polled again soon.
  EXPECT_TRUE(poll_with(set, handle).unwrap().is_not_ready());
  EXPECT_EQ(polls, 3);
  EXPECT_GE(parent->count(), 1u);
  EXPECT_TRUE(poll_with(set, handle).unwrap().is_not_ready());
  EXPECT_EQ(polls, 6);
}

TEST(FuturesUnordered, always_ready_future_does_not_starve_others) {
  int spin_polls = 0;
  int other_polls = 0;
  FuturesUnordered<BoxFuture<int, int>> set;
  set.push(BoxFuture<int, int>(SelfNotify{1'000'000, &spin_polls}));
  set.push(BoxFuture<int, int>(SelfNotify{2, &other_polls}));
  std::optional<int> got;
  int rounds = 0;
  while (!got) {
    ASSERT_LT(++rounds, 10);
    auto p = futures_test::poll_noop(set);
    ASSERT_TRUE(p.is_ok());
    if (p.unwrap_ref().is_ready()) got = *std::move(p).unwrap().value();
  }
  EXPECT_EQ(*got, 3);  // the other future's third poll
  EXPECT_LE(spin_polls, 3);
}

TEST(FuturesUnordered, notify_from_other_thread_while_polled) {
  // Futures that complete after being notified kNotifies times, each notify from a
  // producer thread, while this thread polls the set: exercises concurrent enqueue
  // against dequeue (run under ThreadSanitizer).
  constexpr int kThreads = 4;
  constexpr int kNotifies = 2000;
  struct Shared {
    std::atomic<int> count{0};
    task::AtomicTask task;
  };
  struct Counter {
    using Item = int;
    using Error = Unit;
    std::shared_ptr<Shared> shared;
    int id;
    Poll<int, Unit> poll() {
      shared->task.register_();
      if (shared->count.load(std::memory_order_acquire) >= kNotifies) return Ready(id);
      return NotReady;
    }
  };

  FuturesUnordered<Counter> set;
  std::vector<std::shared_ptr<Shared>> shared;
  for (int i = 0; i < kThreads; ++i) {
    shared.push_back(std::make_shared<Shared>());
    set.push(Counter{shared.back(), i});
  }
  auto spawn = executor::spawn(std::move(set));
  // Register every future's task before the producers start.
  ASSERT_TRUE(spawn.poll_stream_notify(noop_notify(), 0).unwrap().is_not_ready());

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([s = shared[i]] {
      for (int n = 0; n < kNotifies; ++n) {
        s->count.fetch_add(1, std::memory_order_release);
        s->task.notify();
      }
    });
  }
  std::vector<int> done;
  while (auto next = spawn.wait_stream()) done.push_back(std::move(*next).unwrap());
  for (auto& t : threads) t.join();
  std::sort(done.begin(), done.end());
  EXPECT_EQ(done, (std::vector<int>{0, 1, 2, 3}));
}

TEST(FuturesUnordered, destroying_the_set_with_queued_nodes) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<Slot>> slots;
  {
    FuturesUnordered<ManualF> set;
    for (int i = 0; i < 4; ++i) {
      slots.push_back(make_slot<int, int>());
      set.push(ManualF(slots.back(), counts));
    }
    ASSERT_NOT_READY(set);
    slots[0]->complete(Ok(1));  // queued, not polled
    slots[2]->task->notify();   // queued, not polled
    EXPECT_EQ(counts.alive(), 4);
  }
  // Every future was destroyed with the set, on this thread.
  EXPECT_EQ(counts.alive(), 0);
  // The Task handles outlive the set: notifying them does nothing, and copying and
  // dropping them is safe (the nodes are freed with the last handle; ASan checks).
  for (auto& s : slots) {
    ASSERT_TRUE(s->task);
    task::Task copy = *s->task;
    s->task->notify();
    copy.notify();
  }
  std::thread t([&] {
    for (auto& s : slots) s->task->notify();
  });
  t.join();
  slots.clear();
}

TEST(FuturesUnordered, destroying_the_set_before_it_is_polled) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  {
    FuturesUnordered<ManualF> set;
    set.push(ManualF(slot, counts));
    set.push(ManualF(slot, counts));
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(slot->polls, 0);
}

TEST(FuturesUnordered, task_handle_dropped_on_other_thread_after_set) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  std::optional<task::Task> handle;
  {
    FuturesUnordered<ManualF> set;
    set.push(ManualF(slot, counts));
    ASSERT_NOT_READY(set);
    handle = std::move(slot->task);
    slot->task.reset();
  }
  std::thread t([h = std::move(*handle)]() mutable {
    h.notify();
    task::Task gone = std::move(h);
  });
  handle.reset();
  t.join();
  EXPECT_EQ(counts.alive(), 0);
}

TEST(FuturesUnordered, push_during_poll) {
  // A future that, when polled, pushes two more futures into the set that polls it.
  using F = BoxFuture<int, int>;
  FuturesUnordered<F> set;
  FuturesUnordered<F>* self = &set;
  bool pushed = false;
  set.push(F(future::poll_fn([self, &pushed]() -> Poll<int, int> {
    if (!pushed) {
      pushed = true;
      self->push(F(future::ok<int, int>(2)));
      self->push(F(future::ok<int, int>(3)));
      task::current().notify();
      return NotReady;
    }
    return Ready(1);
  })));
  std::vector<int> got;
  for (int i = 0; i < 10 && got.size() < 3; ++i) {
    auto p = futures_test::poll_noop(set);
    ASSERT_TRUE(p.is_ok());
    if (p.unwrap_ref().is_ready()) got.push_back(*std::move(p).unwrap().value());
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  ASSERT_READY_EQ(set, std::optional<int>());
}

TEST(FuturesUnordered, push_while_others_are_queued) {
  LifetimeCounts counts;
  auto a = make_slot<int, int>();
  auto b = make_slot<int, int>();
  FuturesUnordered<ManualF> set;
  set.push(ManualF(a, counts));
  ASSERT_NOT_READY(set);
  a->complete(Ok(1));  // a is queued
  set.push(ManualF(b, counts));
  b->value.emplace(Ok(2));  // ready on its first poll
  // FIFO: a was queued first.
  ASSERT_READY_EQ(set, std::optional<int>(1));
  ASSERT_READY_EQ(set, std::optional<int>(2));
  ASSERT_READY_EQ(set, std::optional<int>());
}

TEST(FuturesUnordered, move_only_futures) {
  auto p = std::make_unique<int>(41);
  auto f = future::poll_fn([q = std::move(p)]() -> Poll<int, int> { return Ready(*q + 1); });
  FuturesUnordered<decltype(f)> set;
  set.push(std::move(f));
  ASSERT_READY_EQ(set, std::optional<int>(42));

  auto [tx, rx] = oneshot::channel<std::unique_ptr<int>>();
  FuturesUnordered<oneshot::Receiver<std::unique_ptr<int>>> rxs;
  rxs.push(std::move(rx));
  ASSERT_NOT_READY(rxs);
  ASSERT_TRUE(std::move(tx).send(std::make_unique<int>(7)).is_ok());
  auto r = futures_test::poll_noop(rxs);
  ASSERT_TRUE(r.is_ok());
  auto item = std::move(r).unwrap().value();
  ASSERT_TRUE(item && *item);
  EXPECT_EQ(**item, 7);
}

TEST(FuturesUnordered, moving_the_set_keeps_task_identities) {
  LifetimeCounts counts;
  auto a = make_slot<int, int>();
  FuturesUnordered<ManualF> set;
  set.push(ManualF(a, counts));
  ASSERT_NOT_READY(set);
  FuturesUnordered<ManualF> moved(std::move(set));
  a->complete(Ok(9));
  ASSERT_READY_EQ(moved, std::optional<int>(9));

  FuturesUnordered<ManualF> assigned;
  auto b = make_slot<int, int>();
  assigned.push(ManualF(b, counts));
  assigned = std::move(moved);  // destroys b's future
  EXPECT_EQ(counts.alive(), 0);
  ASSERT_READY_EQ(assigned, std::optional<int>());
}

TEST(FuturesUnordered, stream_combinators_apply) {
  // FuturesUnordered is a Stream: a StreamExt member works on it.
  auto set = futures_unordered(vec(future::ok<int, int>(1), future::ok<int, int>(2)));
  static_assert(Stream<decltype(set)>);
  auto spawn = executor::spawn(std::move(set));
  int sum = 0;
  while (auto next = spawn.wait_stream()) sum += std::move(*next).unwrap();
  EXPECT_EQ(sum, 3);
}

TEST(FuturesUnordered, results_become_futures) {
  // futures_unordered takes IntoFuture values: Results are immediately ready futures.
  auto set = futures_unordered(std::vector<Result<int, int>>{Ok(1), Err(2), Ok(3)});
  ASSERT_READY_EQ(set, std::optional<int>(1));
  ASSERT_ERR_EQ(set, 2);
  ASSERT_READY_EQ(set, std::optional<int>(3));
  ASSERT_READY_EQ(set, std::optional<int>());
}

TEST(FuturesUnordered, throwing_future_is_removed) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  FuturesUnordered<BoxFuture<int, int>> set;
  set.push(BoxFuture<int, int>(ManualF(slot, counts)));
  set.push(BoxFuture<int, int>(future::poll_fn([]() -> Poll<int, int> { throw std::runtime_error("boom"); })));
  EXPECT_THROW((void)futures_test::poll_noop(set), std::runtime_error);
  EXPECT_EQ(set.len(), 1u);
  ASSERT_NOT_READY(set);
  slot->complete(Ok(4));
  ASSERT_READY_EQ(set, std::optional<int>(4));
}

// ===== Unit tests: stream::SelectAll (futures 0.3's, built on FuturesUnordered) =====

namespace {
/// An always-ready stream of the given results.
struct ResultStream : StreamExt<ResultStream> {
  using Item = int;
  using Error = int;
  explicit ResultStream(std::vector<Result<int, int>> v) : items(std::move(v)) {}
  std::vector<Result<int, int>> items;
  std::size_t next = 0;
  Poll<std::optional<int>, int> poll() {
    if (next == items.size()) return Ready(std::optional<int>());
    Result<int, int> r = std::move(items[next++]);
    if (r.is_err()) return Err(std::move(r).unwrap_err());
    return Ready(std::optional<int>(std::move(r).unwrap()));
  }
};
}  // namespace

TEST(SelectAll, interleaves_ready_streams_and_ends_when_all_end) {
  auto s = stream::select_all(vec(ResultStream({Ok(1), Ok(2)}), ResultStream({Ok(3), Ok(4), Ok(5)})));
  EXPECT_EQ(s.len(), 2u);
  std::vector<int> got;
  for (int i = 0; i < 20; ++i) {
    auto p = futures_test::poll_noop(s);
    ASSERT_TRUE(p.is_ok());
    ASSERT_TRUE(p.unwrap_ref().is_ready());
    auto item = std::move(p).unwrap().value();
    if (!item) break;
    got.push_back(*item);
  }
  // Each stream goes to the back of the queue after an item: round robin.
  EXPECT_EQ(got, (std::vector<int>{1, 3, 2, 4, 5}));
  EXPECT_TRUE(s.is_empty());
  ASSERT_READY_EQ(s, std::optional<int>());
}

TEST(SelectAll, errors_pass_through_and_keep_the_stream) {
  auto s = stream::select_all(vec(ResultStream({Err(7), Ok(1)})));
  ASSERT_ERR_EQ(s, 7);
  EXPECT_EQ(s.len(), 1u);
  ASSERT_READY_EQ(s, std::optional<int>(1));
  ASSERT_READY_EQ(s, std::optional<int>());
  s.push(ResultStream({Ok(2)}));  // reusable after the end
  ASSERT_READY_EQ(s, std::optional<int>(2));
  ASSERT_READY_EQ(s, std::optional<int>());
}

TEST(SelectAll, only_the_notified_stream_yields) {
  auto [a_tx, a_rx] = oneshot::channel<int>();
  auto [b_tx, b_rx] = oneshot::channel<int>();
  using S = future::IntoStream<oneshot::Receiver<int>>;
  stream::SelectAll<S> s;
  s.push(std::move(a_rx).into_stream());
  s.push(std::move(b_rx).into_stream());
  ASSERT_NOT_READY(s);
  ASSERT_TRUE(std::move(b_tx).send(2).is_ok());
  ASSERT_READY_EQ(s, std::optional<int>(2));
  ASSERT_NOT_READY(s);  // b ends (dropped), a is still pending
  EXPECT_EQ(s.len(), 1u);
  { auto gone = std::move(a_tx); }
  ASSERT_ERR_EQ(s, Canceled{});
  ASSERT_READY_EQ(s, std::optional<int>());
}

}  // namespace futures_unordered_test
