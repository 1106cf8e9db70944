// Port of tokio-executor 0.1 tests/executor.rs, plus unit tests of the Executor
// interface and the task node (tokio/executor/task.hpp): a spawn allocates exactly one
// block, polling allocates nothing.
#include <tokio/executor.hpp>

#include <futures/future.hpp>

#include "support/counted.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <thread>
#include <utility>
#include <vector>

// ----- Allocation counting (not under sanitizers, which replace operator new) -----
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define EXEC_COUNT_ALLOCS 1
namespace {
thread_local bool t_counting = false;
thread_local int t_allocs = 0;

// The operator new calls `f()` makes on this thread.
template <class F>
int allocations_of(F&& f) {
  t_allocs = 0;
  t_counting = true;
  std::forward<F>(f)();
  t_counting = false;
  return t_allocs;
}
}  // namespace
// GCC sees the replaced operator new/delete inlined into one caller and takes std::free
// of new's block for a mismatch (-Wmismatched-new-delete, a false positive at -O1+).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  if (t_counting) ++t_allocs;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
#endif

namespace {

using futures::Unit;
using tokio::executor::DefaultExecutor;
using tokio::executor::RawTask;
using tokio::executor::SpawnError;

// ===== Port of tests/executor.rs =====

// Rust: out_of_executor_context::spawn
TEST(Executor, out_of_executor_context_spawn) {
  futures::BoxFuture<Unit, Unit> f = futures::future::lazy([] { return futures::Result<Unit, Unit>(futures::Ok()); });
  auto res = DefaultExecutor::current().spawn(std::move(f));
  EXPECT_TRUE(res.is_err());
}

// Rust: out_of_executor_context::execute
TEST(Executor, out_of_executor_context_execute) {
  futures::BoxFuture<Unit, Unit> f = futures::future::lazy([] { return futures::Result<Unit, Unit>(futures::Ok()); });
  auto res = DefaultExecutor::current().execute(std::move(f));
  EXPECT_TRUE(res.is_err());
  EXPECT_EQ(res.unwrap_err_ref().kind(), futures::future::ExecuteErrorKind::Shutdown);
}

// ===== The Executor interface and task nodes =====

static_assert(futures::future::Executor<const DefaultExecutor, futures::BoxFuture<Unit, Unit>>);
static_assert(tokio::executor::TypedExecutor<DefaultExecutor, futures::BoxFuture<Unit, Unit>>);

// A minimal executor written against the public interface: runs tasks to completion
// inline in drain(), with a notifier that requeues.
class InlineExecutor final : public tokio::executor::Executor {
 public:
  futures::Result<Unit, SpawnError> spawn_task(RawTask task) override {
    queue.push_back(std::move(task));
    return futures::Ok();
  }
  int drain() {
    auto noop = std::make_shared<Requeue>();
    futures::executor::NotifyHandle handle(noop);
    int polls = 0;
    while (!queue.empty()) {
      RawTask t = std::move(queue.front());
      queue.erase(queue.begin());
      ++polls;
      if (!t->poll_notify(handle, 1)) {
        queue.push_back(std::move(t));
      } else {
        t->drop_future();
      }
    }
    return polls;
  }
  std::vector<RawTask> queue;

 private:
  struct Requeue final : futures::executor::Notify {
    void notify(std::size_t) override {}
  };
};

struct YieldTwice : futures::FutureExt<YieldTwice> {
  using Item = Unit;
  using Error = Unit;
  YieldTwice() = default;
  int left = 2;
  futures::Poll<Unit, Unit> poll() {
    if (left-- > 0) {
      futures::task::current().notify();
      return futures::NotReady;
    }
    return futures::Ready(Unit{});
  }
};

TEST(Executor, custom_executor_runs_nodes) {
  InlineExecutor ex;
  tokio::executor::Executor& base = ex;
  EXPECT_TRUE(base.spawn(YieldTwice{}).is_ok());
  EXPECT_TRUE(base.status().is_ok());
  EXPECT_EQ(ex.drain(), 3);
}

TEST(Executor, box_future_spawns_through_the_same_path) {
  InlineExecutor ex;
  futures::BoxFuture<Unit, Unit> boxed = YieldTwice{};
  EXPECT_TRUE(ex.spawn(std::move(boxed)).is_ok());
  EXPECT_EQ(ex.drain(), 3);
}

TEST(Executor, node_destroys_the_future_once) {
  futures_test::LifetimeCounts counts;
  {
    auto task = tokio::executor::make_task(
        futures::future::lazy([c = futures_test::Counted(counts)] { return futures::Result<Unit, Unit>(futures::Ok()); }));
    RawTask other = task.clone();
    task->drop_future();
    EXPECT_EQ(counts.alive(), 0);
    EXPECT_FALSE(other->has_future());
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    // Freed without ever being polled: the node destroys the future.
    auto task = tokio::executor::make_task(
        futures::future::lazy([c = futures_test::Counted(counts)] { return futures::Result<Unit, Unit>(futures::Ok()); }));
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Executor, raw_task_round_trips) {
  auto task = tokio::executor::make_task(YieldTwice{});
  tokio::executor::TaskNode* raw = std::move(task).into_raw();
  EXPECT_FALSE(task);
  RawTask back = RawTask::from_raw(raw);
  EXPECT_EQ(back.get(), raw);
}

#if defined(EXEC_COUNT_ALLOCS)
TEST(Executor, spawn_allocates_one_block_and_polls_allocate_nothing) {
  tokio::executor::current_thread::CurrentThread<> ct;
  auto fut = futures::future::lazy([] { return futures::Result<Unit, Unit>(futures::Ok()); })
                 .and_then([](Unit) { return YieldTwice{}; });
  tokio::executor::detail::trim_task_block_cache();  // no recycled block: count the heap's
  EXPECT_EQ(allocations_of([&] { ct.spawn(std::move(fut)); }), 1);
  // Turn by turn: every poll creates a Task handle and notifies; none allocates.
  int turns = 0;
  EXPECT_EQ(allocations_of([&] {
              while (!ct.is_idle()) {
                (void)ct.turn(std::chrono::nanoseconds(0));
                ++turns;
              }
            }),
            0);
  EXPECT_EQ(turns, 3);
}

TEST(Executor, spawn_local_allocates_one_block) {
  tokio::executor::current_thread::CurrentThread<> ct;
  int allocs = -1;
  ct.spawn(futures::future::lazy([&] {
    tokio::executor::detail::trim_task_block_cache();
    allocs = allocations_of([&] { tokio::executor::current_thread::spawn(YieldTwice{}); });
  }));
  (void)ct.run();
  EXPECT_EQ(allocs, 1);
}

// A finished task's block goes to this thread's cache; the next spawn of a node of the
// same size class takes it back without calling operator new.
TEST(Executor, spawn_after_a_task_ends_reuses_its_block) {
  tokio::executor::current_thread::CurrentThread<> ct;
  ct.spawn(YieldTwice{});
  (void)ct.run();
  EXPECT_EQ(allocations_of([&] { ct.spawn(YieldTwice{}); }), 0);
  (void)ct.run();
  // A trimmed cache hands the blocks back to the heap: the next spawn allocates again.
  tokio::executor::detail::trim_task_block_cache();
  EXPECT_EQ(allocations_of([&] { ct.spawn(YieldTwice{}); }), 1);
  (void)ct.run();
}

// Blocks freed on one thread serve spawns on another: the cache is per thread, not per
// allocating thread, and a thread's cache goes back to the heap when it exits (ASan's
// leak check covers that in the sanitizer build, where the cache itself is off).
TEST(Executor, task_blocks_freed_on_other_threads_are_reused_there) {
  std::vector<RawTask> tasks;
  for (int i = 0; i < 100; ++i) tasks.push_back(tokio::executor::make_task(YieldTwice{}));
  std::thread other([&] {
    tasks.clear();  // the other thread frees (and caches) all 100
    const int allocs = allocations_of([&] {
      for (int i = 0; i < 100; ++i) tasks.push_back(tokio::executor::make_task(YieldTwice{}));
    });
    EXPECT_EQ(allocs, 0);
    tasks.clear();
  });
  other.join();
}
#endif

}  // namespace
