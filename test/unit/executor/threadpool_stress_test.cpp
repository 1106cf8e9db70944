// Port of tokio-threadpool 0.1 tests/hammer.rs, plus the thread pool's stress tests
// (issue 4): notifies from many threads, notifies during a poll, local-queue overflow
// and stealing, blocking() storms, shutdown racing with spawns / notifies / tasks
// spawning tasks / blocking tasks, pool churn, and a spawn storm from outside.
//
// Every wait has a deadline (support/bounded_wait.hpp), so a lost wake-up fails the
// test with the scenario and iteration instead of hanging. Futures count their own
// destruction (Tracked) and check that no two polls of one task overlap (Exclusive).
// Loop counts shrink under sanitizers and grow with TOKIO_STRESS_SCALE (the 'stress'
// suite runs this executable with a larger scale).
#include <tokio/executor.hpp>
#include <tokio/threadpool.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/task.hpp>

#include "support/bounded_wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <dirent.h>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace mpsc = futures::sync::mpsc;
namespace oneshot = futures::sync::oneshot;
using futures::Unit;
using futures::future::lazy;
using futures_test::Latch;
using futures_test::spin_until;
using futures_test::wait_for;
using tokio::threadpool::Builder;
using tokio::threadpool::Sender;
using tokio::threadpool::ThreadPool;

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

/// TOKIO_STRESS_SCALE (default 1) multiplies every loop count.
int stress_scale() {
  static const int scale = [] {
    const char* env = std::getenv("TOKIO_STRESS_SCALE");
    const int v = env ? std::atoi(env) : 1;
    return v < 1 ? 1 : v;
  }();
  return scale;
}

/// A loop count: `normal`, or `sanitized` under ASan/TSan; times the stress scale.
int scaled(int normal, int sanitized) { return (kSanitized ? sanitized : normal) * stress_scale(); }

/// Waits for a pool's Shutdown future with a deadline.
void expect_shutdown_completes(tokio::threadpool::Shutdown shutdown, const char* what) {
  auto done = wait_for(shutdown);
  ASSERT_TRUE(done.has_value()) << what << ": the pool did not shut down within the deadline";
  EXPECT_TRUE(done->is_ok()) << what;
}

// ----- instrumented futures -----

/// Rust hammer.rs's `Counted<T>`: polls `inner`, bumps `cnt` when destroyed (a moved-from
/// shell counts nothing).
template <class F>
class CountedDrop : public futures::FutureExt<CountedDrop<F>> {
 public:
  using Item = typename F::Item;
  using Error = typename F::Error;
  CountedDrop(F inner, std::shared_ptr<std::atomic<std::size_t>> cnt) : cnt_(std::move(cnt)), inner_(std::move(inner)) {}
  CountedDrop(CountedDrop&& other) noexcept : cnt_(std::move(other.cnt_)), inner_(std::move(other.inner_)) {}
  CountedDrop& operator=(CountedDrop&&) = delete;
  ~CountedDrop() {
    if (cnt_) cnt_->fetch_add(1, std::memory_order_relaxed);
  }
  futures::Poll<Item, Error> poll() { return inner_.poll(); }

 private:
  std::shared_ptr<std::atomic<std::size_t>> cnt_;
  F inner_;
};

/// Every future a race test creates gets an id here; the ledger records how often each
/// was destroyed and whether it completed. Checked once the pool and every Sender are
/// gone: each future must have been destroyed exactly once.
struct Ledger {
  explicit Ledger(int cap)
      : capacity(cap), destroyed(new std::atomic<int>[cap]()), completed(new std::atomic<int>[cap]()) {}
  int issue() {
    const int id = issued.fetch_add(1, std::memory_order_relaxed);
    if (id >= capacity) {
      ADD_FAILURE() << "Ledger capacity " << capacity << " exceeded";
      std::abort();
    }
    return id;
  }
  int completions() const {
    int n = 0;
    for (int id = 0; id < issued.load(); ++id) n += completed[id].load();
    return n;
  }
  void expect_each_destroyed_once(const std::string& where) const {
    int wrong = 0;
    for (int id = 0; id < issued.load(); ++id) {
      const int d = destroyed[id].load();
      const int c = completed[id].load();
      if ((d != 1 || c > 1) && ++wrong <= 3)
        ADD_FAILURE() << where << ": future #" << id << " destroyed " << d << " times, completed " << c
                      << " times (want 1 and at most 1)";
    }
    EXPECT_EQ(wrong, 0) << where << ": futures not destroyed exactly once (of " << issued.load() << ")";
  }

  const int capacity;
  std::atomic<int> issued{0};
  std::unique_ptr<std::atomic<int>[]> destroyed;
  std::unique_ptr<std::atomic<int>[]> completed;
};

/// Wraps a Unit/Unit future: records its destruction and completion in a Ledger.
template <class F>
class Tracked : public futures::FutureExt<Tracked<F>> {
 public:
  using Item = Unit;
  using Error = Unit;
  Tracked(std::shared_ptr<Ledger> ledger, F inner) : ledger_(std::move(ledger)), id_(ledger_->issue()), inner_(std::move(inner)) {}
  Tracked(Tracked&& other) noexcept
      : ledger_(std::move(other.ledger_)), id_(std::exchange(other.id_, -1)), inner_(std::move(other.inner_)) {}
  Tracked& operator=(Tracked&&) = delete;
  ~Tracked() {
    if (id_ >= 0) ledger_->destroyed[id_].fetch_add(1, std::memory_order_relaxed);
  }
  futures::Poll<Unit, Unit> poll() {
    auto polled = inner_.poll();
    if (polled.is_err() || polled.unwrap_ref().is_ready()) ledger_->completed[id_].fetch_add(1, std::memory_order_relaxed);
    return polled;
  }

 private:
  std::shared_ptr<Ledger> ledger_;
  int id_;
  F inner_;
};

/// Shared by the Exclusive wrappers of one test: polls seen, and polls that began while
/// another poll of the same task was still running (must stay 0).
struct PollStats {
  std::atomic<long> polls{0};
  std::atomic<int> overlaps{0};
};

/// Wraps a future: flags a poll that starts while the previous poll of the same task
/// has not returned (the pool must never poll a task on two workers at once).
template <class F>
class Exclusive : public futures::FutureExt<Exclusive<F>> {
 public:
  using Item = typename F::Item;
  using Error = typename F::Error;
  Exclusive(F inner, std::shared_ptr<PollStats> stats)
      : inner_(std::move(inner)), stats_(std::move(stats)), in_poll_(std::make_unique<std::atomic<bool>>(false)) {}
  Exclusive(Exclusive&&) noexcept = default;
  futures::Poll<Item, Error> poll() {
    if (in_poll_->exchange(true, std::memory_order_acquire)) stats_->overlaps.fetch_add(1);
    stats_->polls.fetch_add(1, std::memory_order_relaxed);
    auto polled = inner_.poll();
    in_poll_->store(false, std::memory_order_release);
    return polled;
  }

 private:
  F inner_;
  std::shared_ptr<PollStats> stats_;
  std::unique_ptr<std::atomic<bool>> in_poll_;
};

/// Where outside threads find a pool task: its Task handle (published on its first
/// poll) and the events posted to it. Posting is `posted++` then notify: the task reads
/// `posted` after publishing its handle, so an event is seen either by that read or by
/// the poll the notify causes. The test clears `task` at the end (the handle keeps
/// the task node, hence the future, hence this Signal alive).
struct Signal {
  std::atomic<int> posted{0};
  std::mutex mutex;
  std::optional<futures::task::Task> task;

  void post() {
    posted.fetch_add(1, std::memory_order_seq_cst);
    std::optional<futures::task::Task> handle;
    {
      std::lock_guard<std::mutex> lock(mutex);
      handle = task;  // a copy per notify: exercises the handle's reference count
    }
    if (handle) handle->notify();
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex);
    task.reset();
  }
};

/// Completes once `target` events were posted to its Signal.
class WaitForPosts : public futures::FutureExt<WaitForPosts> {
 public:
  using Item = Unit;
  using Error = Unit;
  WaitForPosts(std::shared_ptr<Signal> signal, int target, std::shared_ptr<Latch> done = nullptr)
      : signal_(std::move(signal)), target_(target), done_(std::move(done)) {}
  futures::Poll<Unit, Unit> poll() {
    {
      std::lock_guard<std::mutex> lock(signal_->mutex);
      if (!signal_->task) signal_->task = futures::task::current();
    }
    if (signal_->posted.load(std::memory_order_seq_cst) < target_) return futures::NotReady;
    if (done_) done_->count_down();
    return futures::Ready(Unit{});
  }

 private:
  std::shared_ptr<Signal> signal_;
  int target_;
  std::shared_ptr<Latch> done_;
};

// ----- tokio-threadpool tests/hammer.rs -----

TEST(Hammer, hammer) {
  // Rust: N = 1000, ITER = 20 on a default-sized pool; ITER shrinks under sanitizers.
  constexpr std::size_t N = 1000;
  const int ITER = scaled(20, 4);
  using Reply = oneshot::Sender<Unit>;
  using Request = oneshot::Sender<Reply>;

  for (int iter = 0; iter < ITER; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    ThreadPool pool = Builder().build();
    auto cnt = std::make_shared<std::atomic<std::size_t>>(0);
    auto [listen_tx, listen_rx] = mpsc::unbounded<Request>();

    // The listener: for each request, spawns a task that answers it with a fresh
    // oneshot and waits for the requester's reply on it.
    auto listener = std::move(listen_rx)
                        .map_err([](Unit) {
                          ADD_FAILURE() << "accept error";
                          return Unit{};
                        })
                        .for_each([sender = pool.sender(), c1 = cnt](Request tx) mutable -> futures::Result<Unit, Unit> {
                          auto task = lazy([tx = std::move(tx)]() mutable {
                                        auto [tx2, rx2] = oneshot::channel<Unit>();
                                        EXPECT_TRUE(std::move(tx).send(std::move(tx2)).is_ok());
                                        return std::move(rx2);
                                      })
                                          .map_err([](oneshot::Canceled) {
                                            ADD_FAILURE() << "e=Canceled";
                                            return Unit{};
                                          })
                                          .and_then([](Unit) -> futures::Result<Unit, Unit> { return futures::Ok(); });
                          EXPECT_TRUE(sender.spawn(CountedDrop(std::move(task), c1)).is_ok());
                          return futures::Ok();
                        });
    pool.spawn(CountedDrop(std::move(listener), cnt));

    for (std::size_t i = 0; i < N; ++i) {
      auto [tx, rx] = oneshot::channel<Reply>();
      ASSERT_TRUE(listen_tx.unbounded_send(std::move(tx)).is_ok());
      auto task = std::move(rx)
                      .map_err([](oneshot::Canceled) {
                        ADD_FAILURE() << "rx err=Canceled";
                        return Unit{};
                      })
                      .and_then([](Reply reply) -> futures::Result<Unit, Unit> {
                        EXPECT_TRUE(std::move(reply).send(Unit{}).is_ok());
                        return futures::Ok();
                      });
      pool.spawn(CountedDrop(std::move(task), cnt));
    }
    { auto drop = std::move(listen_tx); }

    expect_shutdown_completes(std::move(pool).shutdown_on_idle(), "hammer");
    EXPECT_EQ(cnt->load(), N * 2 + 1);
  }
}

// ----- notifies from many threads -----

TEST(ThreadPoolStress, notify_from_many_threads) {
  // 16 tasks, 6 outside threads each posting to every task: every task must see every
  // event (no lost wake-up) and no task may be polled on two workers at once.
  constexpr int kTasks = 16;
  constexpr int kNotifiers = 6;
  const int rounds = scaled(2000, 300);
  for (std::size_t pool_size : {2u, 4u}) {
    SCOPED_TRACE("pool_size " + std::to_string(pool_size));
    ThreadPool pool = Builder().pool_size(pool_size).build();
    auto stats = std::make_shared<PollStats>();
    auto ledger = std::make_shared<Ledger>(kTasks);
    auto done = std::make_shared<Latch>(kTasks);
    std::vector<std::shared_ptr<Signal>> signals;
    for (int i = 0; i < kTasks; ++i) {
      signals.push_back(std::make_shared<Signal>());
      pool.spawn(Exclusive(Tracked(ledger, WaitForPosts(signals.back(), kNotifiers * rounds, done)), stats));
    }
    std::vector<std::thread> notifiers;
    for (int t = 0; t < kNotifiers; ++t) {
      notifiers.emplace_back([&signals, rounds, t] {
        for (int r = 0; r < rounds; ++r) {
          // Each thread walks the tasks from a different start so threads collide.
          for (int i = 0; i < kTasks; ++i) signals[(i + t * 3) % kTasks]->post();
        }
      });
    }
    for (auto& t : notifiers) t.join();
    EXPECT_TRUE(done->wait()) << done->remaining() << " tasks never saw their last event (lost wake-up)";
    expect_shutdown_completes(std::move(pool).shutdown(), "notify_from_many_threads");
    for (auto& s : signals) s->clear();
    EXPECT_EQ(stats->overlaps.load(), 0) << "a task was polled concurrently";
    EXPECT_EQ(ledger->completions(), kTasks);
    ledger->expect_each_destroyed_once("notify_from_many_threads");
  }
}

TEST(ThreadPoolStress, send_from_many_threads) {
  // The same through channels: 6 threads send numbered messages into 8 unbounded
  // channels, each drained by a pool task that checks per-sender FIFO order and count.
  constexpr int kTasks = 8;
  constexpr int kSenders = 6;
  const int per_sender = scaled(2000, 300);
  ThreadPool pool = Builder().pool_size(2).build();
  auto stats = std::make_shared<PollStats>();
  auto done = std::make_shared<Latch>(kTasks);
  std::vector<mpsc::UnboundedSender<std::pair<int, int>>> txs;
  for (int i = 0; i < kTasks; ++i) {
    auto [tx, rx] = mpsc::unbounded<std::pair<int, int>>();
    txs.push_back(std::move(tx));
    auto next = std::make_shared<std::vector<int>>(kSenders, 0);
    auto drain = std::move(rx)
                     .for_each([next](std::pair<int, int> msg) -> futures::Result<Unit, Unit> {
                       auto [sender, seq] = msg;
                       EXPECT_EQ(seq, (*next)[sender]) << "message out of order from sender " << sender;
                       (*next)[sender] = seq + 1;
                       return futures::Ok();
                     })
                     .map([next, per_sender, done](Unit) {
                       for (int s = 0; s < kSenders; ++s) EXPECT_EQ((*next)[s], per_sender) << "sender " << s;
                       done->count_down();
                     });
    pool.spawn(Exclusive(std::move(drain), stats));
  }
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([mine = txs, s, per_sender] {
      for (int seq = 0; seq < per_sender; ++seq)
        for (int i = 0; i < kTasks; ++i) EXPECT_TRUE(mine[(i + s) % kTasks].unbounded_send({s, seq}).is_ok());
    });
  }
  txs.clear();  // the channels close once every sending thread has finished
  for (auto& t : senders) t.join();
  EXPECT_TRUE(done->wait()) << done->remaining() << " drains did not finish (lost wake-up)";
  expect_shutdown_completes(std::move(pool).shutdown(), "send_from_many_threads");
  EXPECT_EQ(stats->overlaps.load(), 0) << "a task was polled concurrently";
}

// ----- a notify during the task's own poll -----

/// Notifies itself `notifies_per_poll` times in each of its first `k` polls, then
/// completes. Notifies coalesce and none is lost: exactly k + 1 polls.
class SelfNotifier : public futures::FutureExt<SelfNotifier> {
 public:
  using Item = Unit;
  using Error = Unit;
  SelfNotifier(int k, int notifies_per_poll, std::shared_ptr<std::atomic<long>> polls)
      : remaining_(k), notifies_per_poll_(notifies_per_poll), polls_(std::move(polls)) {}
  futures::Poll<Unit, Unit> poll() {
    polls_->fetch_add(1, std::memory_order_relaxed);
    if (remaining_-- == 0) return futures::Ready(Unit{});
    auto me = futures::task::current();
    for (int i = 0; i < notifies_per_poll_; ++i) me.notify();
    return futures::NotReady;
  }

 private:
  int remaining_;
  int notifies_per_poll_;
  std::shared_ptr<std::atomic<long>> polls_;
};

TEST(ThreadPoolStress, notify_self_during_poll) {
  constexpr int kTasks = 200;
  const int k = scaled(50, 20);
  for (std::size_t pool_size : {1u, 2u, 4u}) {
    SCOPED_TRACE("pool_size " + std::to_string(pool_size));
    ThreadPool pool = Builder().pool_size(pool_size).build();
    auto stats = std::make_shared<PollStats>();
    std::vector<std::shared_ptr<std::atomic<long>>> polls;
    for (int i = 0; i < kTasks; ++i) {
      polls.push_back(std::make_shared<std::atomic<long>>(0));
      pool.spawn(Exclusive(SelfNotifier(k, 1 + i % 4, polls.back()), stats));
    }
    expect_shutdown_completes(std::move(pool).shutdown_on_idle(), "notify_self_during_poll");
    for (int i = 0; i < kTasks; ++i) EXPECT_EQ(polls[i]->load(), k + 1) << "task " << i;
    EXPECT_EQ(stats->overlaps.load(), 0);
  }
}

/// Lock-step with an outside thread: each poll acknowledges the round it sees, then
/// lingers a little so the next round's notify tends to land while it is still polling
/// (Running -> Notified: the pool must poll it again). Completes after round `last`.
class RoundFollower : public futures::FutureExt<RoundFollower> {
 public:
  using Item = Unit;
  using Error = Unit;
  struct Shared {
    std::atomic<int> round{0};
    std::atomic<int> acked{-1};
    std::atomic<bool> self_notify{false};
    std::mutex mutex;
    std::optional<futures::task::Task> task;
  };
  RoundFollower(std::shared_ptr<Shared> shared, int last) : shared_(std::move(shared)), last_(last) {}
  futures::Poll<Unit, Unit> poll() {
    {
      std::lock_guard<std::mutex> lock(shared_->mutex);
      if (!shared_->task) shared_->task = futures::task::current();
    }
    const int seen = shared_->round.load(std::memory_order_seq_cst);
    shared_->acked.store(seen, std::memory_order_seq_cst);
    if (seen >= last_) return futures::Ready(Unit{});
    // Linger: the outside thread sees the ack and notifies for the next round now.
    for (int spin = 0; spin < (seen % 7) * 20; ++spin) std::atomic_signal_fence(std::memory_order_seq_cst);
    if (shared_->self_notify.load(std::memory_order_relaxed) && seen % 3 == 0) futures::task::current().notify();
    return futures::NotReady;
  }

 private:
  std::shared_ptr<Shared> shared_;
  int last_;
};

TEST(ThreadPoolStress, notify_during_poll_from_another_thread) {
  // Two followers on a 2-worker pool, each driven by its own outside thread; the second
  // also notifies itself in some polls. A notify that arrives during a poll and is lost
  // leaves the outside thread waiting for an ack that never comes.
  const int rounds = scaled(5000, 1000);
  ThreadPool pool = Builder().pool_size(2).build();
  auto stats = std::make_shared<PollStats>();
  std::vector<std::shared_ptr<RoundFollower::Shared>> followers;
  for (int f = 0; f < 2; ++f) {
    followers.push_back(std::make_shared<RoundFollower::Shared>());
    followers.back()->self_notify = f == 1;
    pool.spawn(Exclusive(RoundFollower(followers.back(), rounds), stats));
  }
  std::vector<std::thread> drivers;
  std::atomic<int> lost{0};
  for (auto& shared : followers) {
    drivers.emplace_back([shared, rounds, &lost] {
      if (!spin_until([&] { return shared->acked.load() >= 0; })) {
        ADD_FAILURE() << "the follower was never polled";
        lost++;
        return;
      }
      std::optional<futures::task::Task> task;
      {
        std::lock_guard<std::mutex> lock(shared->mutex);
        task = shared->task;
      }
      for (int r = 1; r <= rounds; ++r) {
        shared->round.store(r, std::memory_order_seq_cst);
        task->notify();
        if (!spin_until([&] { return shared->acked.load(std::memory_order_seq_cst) == r; })) {
          ADD_FAILURE() << "lost wake-up: round " << r << " never acknowledged (last ack " << shared->acked.load()
                        << ")";
          lost++;
          return;
        }
      }
    });
  }
  for (auto& t : drivers) t.join();
  if (lost.load() == 0) {
    expect_shutdown_completes(std::move(pool).shutdown_on_idle(), "notify_during_poll_from_another_thread");
  } else {
    expect_shutdown_completes(std::move(pool).shutdown_now(), "notify_during_poll_from_another_thread (after failure)");
  }
  for (auto& shared : followers) {
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->task.reset();
  }
  EXPECT_EQ(stats->overlaps.load(), 0) << "a task was polled concurrently";
}

/// Each poll but the last hands a fresh Task handle to the notifier thread and returns
/// NotReady; the notifier notifies and drops it at once, often before the poll returns.
class HandsOffItsHandle : public futures::FutureExt<HandsOffItsHandle> {
 public:
  using Item = Unit;
  using Error = Unit;
  struct Mailbox {
    std::mutex mutex;
    std::vector<futures::task::Task> handles;
  };
  HandsOffItsHandle(int polls, std::shared_ptr<Mailbox> mailbox, std::shared_ptr<std::atomic<int>> done)
      : polls_(polls), mailbox_(std::move(mailbox)), done_(std::move(done)) {}
  futures::Poll<Unit, Unit> poll() {
    if (--polls_ == 0) {
      done_->fetch_add(1, std::memory_order_relaxed);
      return futures::Ready(Unit{});
    }
    {
      std::lock_guard<std::mutex> lock(mailbox_->mutex);
      mailbox_->handles.push_back(futures::task::current());
    }
    return futures::NotReady;
  }

 private:
  int polls_;
  std::shared_ptr<Mailbox> mailbox_;
  std::shared_ptr<std::atomic<int>> done_;
};

TEST(ThreadPoolStress, notify_and_drop_the_only_handle_during_poll) {
  // A poll that leaves no Task handle behind ends with plain stores to the task's state
  // (pool.cpp, poll_task). The only handle is notified and dropped by another thread,
  // before or after the poll returns: either way the task must be polled again, and
  // never on two workers at once.
  const int tasks = scaled(200, 50);
  const int polls = scaled(50, 10);
  ThreadPool pool = Builder().pool_size(2).build();
  auto stats = std::make_shared<PollStats>();
  auto mailbox = std::make_shared<HandsOffItsHandle::Mailbox>();
  auto done = std::make_shared<std::atomic<int>>(0);
  std::atomic<bool> stop{false};
  std::thread notifier([&] {
    std::vector<futures::task::Task> taken;
    while (!stop.load(std::memory_order_relaxed)) {
      {
        std::lock_guard<std::mutex> lock(mailbox->mutex);
        taken.swap(mailbox->handles);
      }
      for (auto& handle : taken) handle.notify();
      taken.clear();  // the handles die right after their notify
    }
  });
  for (int i = 0; i < tasks; ++i) pool.spawn(Exclusive(HandsOffItsHandle(polls, mailbox, done), stats));
  const bool all = spin_until([&] { return done->load() == tasks; });
  stop.store(true);
  notifier.join();
  EXPECT_TRUE(all) << "lost wake-up: " << done->load() << " of " << tasks << " tasks finished";
  EXPECT_EQ(stats->overlaps.load(), 0) << "a task was polled concurrently";
  if (all) {
    expect_shutdown_completes(std::move(pool).shutdown_on_idle(), "notify_and_drop_the_only_handle_during_poll");
  } else {
    mailbox->handles.clear();
    expect_shutdown_completes(std::move(pool).shutdown_now(), "notify_and_drop_the_only_handle_during_poll (after failure)");
  }
}

// ----- local queue overflow, stealing, blocking() -----

/// Re-notifies itself `yields` times (the yield path), then counts one run.
class Yielding : public futures::FutureExt<Yielding> {
 public:
  using Item = Unit;
  using Error = Unit;
  Yielding(int yields, std::shared_ptr<std::atomic<int>> ran) : yields_(yields), ran_(std::move(ran)) {}
  futures::Poll<Unit, Unit> poll() {
    if (yields_-- > 0) {
      futures::task::current().notify();
      return futures::NotReady;
    }
    ran_->fetch_add(1, std::memory_order_relaxed);
    return futures::Ready(Unit{});
  }

 private:
  int yields_;
  std::shared_ptr<std::atomic<int>> ran_;
};

TEST(ThreadPoolStress, local_overflow_and_stealing) {
  // Tasks on a worker spawn thousands of children at once: the worker's bounded queue
  // overflows into the injector while idle workers steal. Every child runs once.
  constexpr int kParents = 4;
  const int children = scaled(5000, 1000);
  for (std::size_t pool_size : {2u, 4u}) {
    SCOPED_TRACE("pool_size " + std::to_string(pool_size));
    ThreadPool pool = Builder().pool_size(pool_size).build();
    auto stats = std::make_shared<PollStats>();
    auto ledger = std::make_shared<Ledger>(kParents * children);
    auto ran = std::make_shared<std::atomic<int>>(0);
    for (int p = 0; p < kParents; ++p) {
      pool.spawn(lazy([stats, ledger, ran, children, p] {
        for (int c = 0; c < children; ++c)
          tokio::spawn(Exclusive(Tracked(ledger, Yielding((c + p) % 3, ran)), stats));
      }));
    }
    expect_shutdown_completes(std::move(pool).shutdown_on_idle(), "local_overflow_and_stealing");
    EXPECT_EQ(ran->load(), kParents * children);
    EXPECT_EQ(ledger->completions(), kParents * children);
    EXPECT_EQ(stats->overlaps.load(), 0) << "a task was polled concurrently";
    ledger->expect_each_destroyed_once("local_overflow_and_stealing");
  }
}

/// Calls blocking() `times` times, one claim per poll (it notifies itself in between);
/// NotReady from blocking() (no capacity) waits for the pool's notify.
class BlockingWork : public futures::FutureExt<BlockingWork> {
 public:
  using Item = Unit;
  using Error = Unit;
  BlockingWork(int times, std::shared_ptr<std::atomic<int>> ran) : times_(times), ran_(std::move(ran)) {}
  futures::Poll<Unit, Unit> poll() {
    auto blocked = tokio::threadpool::blocking([this] { ran_->fetch_add(1, std::memory_order_relaxed); });
    if (blocked.is_err()) {
      ADD_FAILURE() << "blocking() outside the pool";
      return futures::Err(Unit{});
    }
    if (blocked.unwrap_ref().is_not_ready()) return futures::NotReady;
    if (++done_ == times_) return futures::Ready(Unit{});
    futures::task::current().notify();
    return futures::NotReady;
  }

 private:
  int times_;
  int done_ = 0;
  std::shared_ptr<std::atomic<int>> ran_;
};

TEST(ThreadPoolStress, blocking_storm) {
  // 300 tasks each enter blocking() 3 times on 2 workers with max_blocking 2: workers
  // hand their queues to spare threads over and over, tasks wait for capacity.
  constexpr int kTasks = 300;
  constexpr int kTimes = 3;
  const int iterations = scaled(3, 1);
  for (int iter = 0; iter < iterations; ++iter) {
    ThreadPool pool = Builder().pool_size(2).max_blocking(2).build();
    auto stats = std::make_shared<PollStats>();
    auto ledger = std::make_shared<Ledger>(kTasks);
    auto ran = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < kTasks; ++i) pool.spawn(Exclusive(Tracked(ledger, BlockingWork(kTimes, ran)), stats));
    expect_shutdown_completes(std::move(pool).shutdown_on_idle(), "blocking_storm");
    EXPECT_EQ(ran->load(), kTasks * kTimes);
    EXPECT_EQ(ledger->completions(), kTasks);
    EXPECT_EQ(stats->overlaps.load(), 0) << "a task was polled concurrently";
    ledger->expect_each_destroyed_once("blocking_storm");
  }
}

// ----- shutdown races -----

enum class Stop { Now, Graceful, OnIdle, Drop };

std::string stop_name(Stop how) {
  switch (how) {
    case Stop::Now: return "shutdown_now";
    case Stop::Graceful: return "shutdown";
    case Stop::OnIdle: return "shutdown_on_idle";
    case Stop::Drop: return "destructor";
  }
  return "?";
}

/// Whether `how` lets every accepted task run to completion.
bool runs_accepted_tasks(Stop how) { return how == Stop::Graceful || how == Stop::OnIdle; }

/// Stops `pool` the way `how` says and waits (with a deadline) for its workers to exit.
void stop_pool(std::unique_ptr<ThreadPool>& pool, Stop how, const std::string& where) {
  switch (how) {
    case Stop::Now: expect_shutdown_completes(std::move(*pool).shutdown_now(), where.c_str()); break;
    case Stop::Graceful: expect_shutdown_completes(std::move(*pool).shutdown(), where.c_str()); break;
    case Stop::OnIdle: expect_shutdown_completes(std::move(*pool).shutdown_on_idle(), where.c_str()); break;
    case Stop::Drop: break;
  }
  pool.reset();  // Drop: shutdown_now, then waits for the workers
}

class ShutdownRace : public ::testing::TestWithParam<Stop> {};

TEST_P(ShutdownRace, outside_spawns) {
  // Two threads spawn through Senders while the pool is stopped: each spawn is
  // accepted or refused with SpawnError::shutdown(); after the stop completes every
  // spawn is refused; every future is destroyed exactly once, and under shutdown /
  // shutdown_on_idle every accepted future ran to completion.
  const Stop how = GetParam();
  const int iterations = scaled(200, 40);
  constexpr int kSpawners = 2;
  constexpr int kMaxSpawns = 300;
  for (int iter = 0; iter < iterations; ++iter) {
    const std::string where = stop_name(how) + " iteration " + std::to_string(iter);
    auto ledger = std::make_shared<Ledger>(kSpawners * kMaxSpawns + 1);
    auto pool = std::make_unique<ThreadPool>(Builder().pool_size(1 + iter % 4).build());
    std::atomic<bool> go{false};
    std::atomic<int> accepted{0};
    std::atomic<int> wrong_error{0};
    std::vector<std::thread> spawners;
    for (int s = 0; s < kSpawners; ++s) {
      spawners.emplace_back([sender = pool->sender(), &go, &accepted, &wrong_error, ledger]() mutable {
        while (!go.load()) std::this_thread::yield();
        for (int k = 0; k < kMaxSpawns; ++k) {
          auto spawned = sender.spawn(Tracked(ledger, lazy([] {})));
          if (spawned.is_ok()) {
            accepted++;
            continue;
          }
          if (!spawned.unwrap_err_ref().is_shutdown()) wrong_error++;
          return;
        }
      });
    }
    Sender late = pool->sender();
    go = true;
    const int head_start = (iter % 5) * 8;
    spin_until([&] { return accepted.load() >= head_start; });
    stop_pool(pool, how, where);

    auto after = late.spawn(Tracked(ledger, lazy([] {})));
    ASSERT_TRUE(after.is_err()) << where << ": spawn accepted after the pool stopped";
    EXPECT_TRUE(after.unwrap_err_ref().is_shutdown()) << where;
    for (auto& t : spawners) t.join();
    { auto drop = std::move(late); }

    EXPECT_EQ(wrong_error.load(), 0) << where << ": a refused spawn did not say shutdown";
    ledger->expect_each_destroyed_once(where);
    if (runs_accepted_tasks(how)) {
      EXPECT_EQ(ledger->completions(), accepted.load()) << where << ": an accepted task never ran";
    } else {
      EXPECT_LE(ledger->completions(), accepted.load()) << where;
    }
    if (HasFailure()) return;
  }
}

TEST_P(ShutdownRace, notified_tasks) {
  // Tasks being notified by 3 outside threads while the pool stops; the last Task
  // handles are dropped on those threads or after the pool is gone. Under shutdown /
  // shutdown_on_idle the tasks complete once every event is posted.
  const Stop how = GetParam();
  const int iterations = scaled(200, 40);
  constexpr int kTasks = 8;
  constexpr int kNotifiers = 3;
  constexpr int kRounds = 60;
  for (int iter = 0; iter < iterations; ++iter) {
    const std::string where = stop_name(how) + " iteration " + std::to_string(iter);
    auto ledger = std::make_shared<Ledger>(kTasks);
    auto stats = std::make_shared<PollStats>();
    auto pool = std::make_unique<ThreadPool>(Builder().pool_size(1 + iter % 4).build());
    std::vector<std::shared_ptr<Signal>> signals;
    for (int i = 0; i < kTasks; ++i) {
      signals.push_back(std::make_shared<Signal>());
      pool->spawn(Exclusive(Tracked(ledger, WaitForPosts(signals.back(), kNotifiers * kRounds)), stats));
    }
    std::atomic<int> posts{0};
    std::atomic<int> finished{0};
    std::vector<std::thread> notifiers;
    for (int t = 0; t < kNotifiers; ++t) {
      notifiers.emplace_back([&signals, &posts, &finished, t] {
        for (int r = 0; r < kRounds; ++r) {
          for (int i = 0; i < kTasks; ++i) signals[(i + t) % kTasks]->post();
          posts++;
        }
        // The last thread to finish posting drops the handles, racing the stop.
        if (finished.fetch_add(1) == kNotifiers - 1) {
          for (auto& s : signals) s->clear();
        }
      });
    }
    const int head_start = iter % 4 * 10;
    spin_until([&] { return posts.load() >= head_start; });
    stop_pool(pool, how, where);
    for (auto& t : notifiers) t.join();
    for (auto& s : signals) s->clear();
    signals.clear();

    EXPECT_EQ(stats->overlaps.load(), 0) << where << ": a task was polled concurrently";
    ledger->expect_each_destroyed_once(where);
    if (runs_accepted_tasks(how)) {
      EXPECT_EQ(ledger->completions(), kTasks) << where;
    }
    if (HasFailure()) return;
  }
}

/// Spawns two children (depth - 1) through the default executor after yielding a few
/// times; counts accepted and refused spawns.
class Branch : public futures::FutureExt<Branch> {
 public:
  using Item = Unit;
  using Error = Unit;
  struct Counts {
    std::shared_ptr<Ledger> ledger;
    std::atomic<int> accepted{0};
    std::atomic<int> wrong_error{0};
  };
  Branch(std::shared_ptr<Counts> counts, int depth, int yields)
      : counts_(std::move(counts)), depth_(depth), yields_(yields) {}
  futures::Poll<Unit, Unit> poll() {
    if (yields_-- > 0) {
      futures::task::current().notify();
      return futures::NotReady;
    }
    if (depth_ > 0) {
      auto executor = tokio::executor::DefaultExecutor::current();
      for (int child = 0; child < 2; ++child) {
        auto spawned = executor.spawn(Tracked(counts_->ledger, Branch(counts_, depth_ - 1, (depth_ + child) % 3)));
        if (spawned.is_ok())
          counts_->accepted++;
        else if (!spawned.unwrap_err_ref().is_shutdown())
          counts_->wrong_error++;
      }
    }
    return futures::Ready(Unit{});
  }

 private:
  std::shared_ptr<Counts> counts_;
  int depth_;
  int yields_;
};

TEST_P(ShutdownRace, tasks_spawning_tasks) {
  // Four trees of depth 6 (127 tasks each) grow while the pool stops. Spawns from
  // inside a task are accepted or refused with SpawnError::shutdown(); every future is
  // destroyed once; under shutdown / shutdown_on_idle every tree grows completely.
  const Stop how = GetParam();
  const int iterations = scaled(200, 40);
  constexpr int kRoots = 4;
  constexpr int kDepth = 6;
  constexpr int kTreeSize = (1 << (kDepth + 1)) - 1;
  for (int iter = 0; iter < iterations; ++iter) {
    const std::string where = stop_name(how) + " iteration " + std::to_string(iter);
    auto counts = std::make_shared<Branch::Counts>();
    counts->ledger = std::make_shared<Ledger>(kRoots * kTreeSize);
    auto pool = std::make_unique<ThreadPool>(Builder().pool_size(1 + iter % 4).build());
    for (int r = 0; r < kRoots; ++r) pool->spawn(Tracked(counts->ledger, Branch(counts, kDepth, r)));
    if (iter % 3 == 1) spin_until([&] { return counts->accepted.load() >= 50; });
    stop_pool(pool, how, where);

    EXPECT_EQ(counts->wrong_error.load(), 0) << where << ": a refused spawn did not say shutdown";
    const auto ledger = counts->ledger;
    counts.reset();
    ledger->expect_each_destroyed_once(where);
    if (runs_accepted_tasks(how)) {
      EXPECT_EQ(ledger->issued.load(), kRoots * kTreeSize) << where << ": a spawn from inside was refused";
      EXPECT_EQ(ledger->completions(), kRoots * kTreeSize) << where;
    }
    if (HasFailure()) return;
  }
}

TEST_P(ShutdownRace, blocking_tasks) {
  // Tasks inside or waiting for blocking() (max_blocking 1) while the pool stops: no
  // hang, every future destroyed once; under shutdown / shutdown_on_idle all finish.
  const Stop how = GetParam();
  const int iterations = scaled(100, 20);
  constexpr int kTasks = 12;
  for (int iter = 0; iter < iterations; ++iter) {
    const std::string where = stop_name(how) + " iteration " + std::to_string(iter);
    auto ledger = std::make_shared<Ledger>(kTasks);
    auto stats = std::make_shared<PollStats>();
    auto ran = std::make_shared<std::atomic<int>>(0);
    auto pool = std::make_unique<ThreadPool>(Builder().pool_size(1 + iter % 3).max_blocking(1 + iter % 2).build());
    for (int i = 0; i < kTasks; ++i) pool->spawn(Exclusive(Tracked(ledger, BlockingWork(1 + i % 3, ran)), stats));
    if (iter % 2 == 1) spin_until([&] { return ran->load() >= kTasks / 2; });
    stop_pool(pool, how, where);

    EXPECT_EQ(stats->overlaps.load(), 0) << where << ": a task was polled concurrently";
    ledger->expect_each_destroyed_once(where);
    if (runs_accepted_tasks(how)) {
      EXPECT_EQ(ledger->completions(), kTasks) << where;
    }
    if (HasFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Stops, ShutdownRace, ::testing::Values(Stop::Now, Stop::Graceful, Stop::OnIdle, Stop::Drop),
                         [](const ::testing::TestParamInfo<Stop>& info) { return stop_name(info.param); });

// ----- pool churn -----

/// Threads of this process (Linux: entries of /proc/self/task); -1 if unknown.
int thread_count() {
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return -1;
  int n = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n;
}

/// Counts worker starts and stops (every worker thread runs after_start and before_stop).
struct WorkerCensus {
  std::mutex mutex;
  std::condition_variable cv;
  long started = 0;
  long stopped = 0;
  std::atomic<long> expected{0};  // workers of every pool built so far
  void start() {
    std::lock_guard<std::mutex> lock(mutex);
    ++started;
  }
  void stop() {
    std::lock_guard<std::mutex> lock(mutex);
    ++stopped;
    cv.notify_all();
  }
  /// Waits until every expected worker has started and stopped; the failure message.
  std::string wait_all_stopped() {
    std::unique_lock<std::mutex> lock(mutex);
    const long want = expected.load();
    if (cv.wait_for(lock, futures_test::kStressDeadline, [&] { return started == want && stopped == want; })) return {};
    return "workers: expected " + std::to_string(want) + ", started " + std::to_string(started) + ", stopped " +
           std::to_string(stopped);
  }
};

TEST(ThreadPoolStress, short_lived_pools) {
  // Two threads each build and drop pools of 1-4 workers, stopped in each of the ways
  // (including shutdown_now with its Shutdown future dropped: the workers detach), with
  // 0-2 tasks in flight. No worker may be left running and no thread may leak.
  const int per_thread = scaled(150, 30);
  std::thread([] {}).join();  // ThreadSanitizer starts its own thread at the first spawn
  const int threads_before = thread_count();
  auto census = std::make_shared<WorkerCensus>();
  auto ran = std::make_shared<std::atomic<int>>(0);
  auto churn = [&census, &ran, per_thread](int seed) {
    for (int i = 0; i < per_thread; ++i) {
      const int mode = (i + seed) % 5;
      const std::string where = "churn thread " + std::to_string(seed) + " pool " + std::to_string(i);
      const std::size_t size = 1 + (i + seed) % 4;
      census->expected += static_cast<long>(size);
      ThreadPool pool = Builder()
                            .pool_size(size)
                            .after_start([census] { census->start(); })
                            .before_stop([census] { census->stop(); })
                            .build();
      for (int t = 0; t < i % 3; ++t) pool.spawn(lazy([ran] { ran->fetch_add(1, std::memory_order_relaxed); }));
      switch (mode) {
        case 0: break;  // destructor
        case 1: expect_shutdown_completes(std::move(pool).shutdown_now(), where.c_str()); break;
        case 2: expect_shutdown_completes(std::move(pool).shutdown(), where.c_str()); break;
        case 3: expect_shutdown_completes(std::move(pool).shutdown_on_idle(), where.c_str()); break;
        case 4: (void)std::move(pool).shutdown_now(); break;  // Shutdown dropped at once
      }
    }
  };
  std::thread other(churn, 1);
  churn(0);
  other.join();
  EXPECT_EQ(census->wait_all_stopped(), "");
  if (threads_before > 0) {
    // The kernel reaps an exited thread shortly after its join returns: allow that.
    const bool back = spin_until([&] { return thread_count() <= threads_before; }, std::chrono::seconds(10));
    EXPECT_TRUE(back) << "threads before: " << threads_before << ", after: " << thread_count();
  }
}

// ----- spawn storm from outside -----

TEST(ThreadPoolStress, spawn_storm_from_outside) {
  // 4 threads × 20,000 spawns through their own Senders onto a 2-worker pool.
  constexpr int kThreads = 4;
  const int per_thread = scaled(20'000, 5'000);
  ThreadPool pool = Builder().pool_size(2).build();
  auto ran = std::make_shared<std::atomic<int>>(0);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([sender = pool.sender(), ran, per_thread, &refused]() mutable {
      for (int i = 0; i < per_thread; ++i) {
        if (sender.spawn(lazy([ran] { ran->fetch_add(1, std::memory_order_relaxed); })).is_err()) refused++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 0);
  expect_shutdown_completes(std::move(pool).shutdown(), "spawn_storm_from_outside");
  EXPECT_EQ(ran->load(), kThreads * per_thread);
}

}  // namespace
