// Port of the thread-pool tests of tokio 0.1 tests/runtime.rs, plus unit tests of
// tokio::runtime::{Runtime, Builder, TaskExecutor, Shutdown}, tokio::run, task names
// and the TOKIO_LOG=debug pending-task listing.
//
// Rust's create_client_server_future() talks over TCP, which does not exist yet; as in
// runtime_current_thread_test.cpp, the stand-in keeps its shape on an mpsc channel.
// Not ported yet: block_on_timer (needs the timer), runtime_reactor_handle (needs the
// reactor). nested_enter::current_thread_block_on_all_in_run is named
// ..._in_tokio_run here: the current_thread file already has a test of that name.
#include <tokio.hpp>

#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include "support/exec_helpers.hpp"
#include "support/std_channel.hpp"

#include <gtest/gtest.h>

#include <pthread.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <typeinfo>

namespace {

using futures::Unit;
using futures::future::lazy;
using tokio::runtime::Runtime;

using SendBox = futures::BoxFuture<Unit, Unit>;

futures::future::FutureResult<Unit, Unit> ok() { return futures::future::ok<Unit, Unit>(Unit{}); }

SendBox create_client_server_future() {
  auto [tx, rx] = futures::sync::mpsc::unbounded<std::string>();
  auto server = futures::stream::iter_ok<std::vector<int>, Unit>({1})
                    .for_each([tx = std::move(tx)](int) {
                      return tokio::spawn(lazy([tx] { EXPECT_TRUE(tx.unbounded_send("hello").is_ok()); }));
                    });
  auto client = std::move(rx).collect().map([](std::vector<std::string> got) {
    EXPECT_EQ(got, std::vector<std::string>{"hello"});
  });
  return std::move(server).join(std::move(client)).map([](auto&&...) {});
}

/// A counter shared by a test and its tasks (Rust's Arc<Mutex<usize>>).
struct Count {
  std::mutex mutex;
  int value = 0;
  void add() {
    std::lock_guard<std::mutex> lock(mutex);
    ++value;
  }
  int get() {
    std::lock_guard<std::mutex> lock(mutex);
    return value;
  }
};

std::string thread_name() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

TEST(Runtime, runtime_tokio_run) { tokio::run(create_client_server_future()); }

// ===== runtime_multi_threaded =====
template <class Spawn>
void runtime_multi_threaded(Spawn spawn) {
  auto runtime = tokio::runtime::Builder().build().unwrap();
  spawn(runtime);
  EXPECT_TRUE(std::move(runtime).shutdown_on_idle().wait().is_ok());
}
TEST(Runtime, runtime_multi_threaded_spawn) {
  runtime_multi_threaded([](Runtime& rt) { rt.spawn(create_client_server_future()); });
}
TEST(Runtime, runtime_multi_threaded_execute) {
  runtime_multi_threaded([](Runtime& rt) { EXPECT_TRUE(rt.executor().execute(create_client_server_future()).is_ok()); });
}

// ===== from_block_on =====
template <class Spawn>
void from_block_on(Spawn spawn) {
  auto cnt = std::make_shared<Count>();
  auto runtime = Runtime::create().unwrap();
  auto msg = runtime
                 .block_on(lazy([cnt, spawn] {
                   cnt->add();
                   spawn(SendBox(lazy([cnt] { cnt->add(); })));
                   return futures::Result<std::string, Unit>(futures::Ok(std::string("hello")));
                 }))
                 .unwrap();
  EXPECT_TRUE(std::move(runtime).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(2, cnt->get());
  EXPECT_EQ(msg, "hello");
}
TEST(Runtime, from_block_on_execute) {
  from_block_on([](SendBox f) { EXPECT_TRUE(tokio::executor::DefaultExecutor::current().execute(std::move(f)).is_ok()); });
}
TEST(Runtime, from_block_on_spawn) {
  from_block_on([](SendBox f) { tokio::spawn(std::move(f)); });
}

TEST(Runtime, block_waits) {
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  // Rust sleeps 1 s before sending; a short sleep is enough to make block_on park.
  std::thread sender([tx = std::move(tx)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(std::move(tx).send(Unit{}).is_ok());
  });
  auto cnt = std::make_shared<Count>();
  auto runtime = Runtime::create().unwrap();
  EXPECT_TRUE(runtime.block_on(std::move(rx).then([cnt](auto&&) {
    cnt->add();
    return futures::Result<Unit, Unit>(futures::Ok());
  })).is_ok());
  EXPECT_EQ(1, cnt->get());
  EXPECT_TRUE(std::move(runtime).shutdown_on_idle().wait().is_ok());
  sender.join();
}

// ===== many =====
template <class Spawn>
void many(Spawn spawn) {
  constexpr int kIter = 200;
  auto cnt = std::make_shared<Count>();
  auto runtime = Runtime::create().unwrap();
  for (int i = 0; i < kIter; ++i) spawn(runtime, SendBox(lazy([cnt] { cnt->add(); })));
  EXPECT_TRUE(std::move(runtime).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(kIter, cnt->get());
}
TEST(Runtime, many_spawn) {
  many([](Runtime& rt, SendBox f) { rt.spawn(std::move(f)); });
}
TEST(Runtime, many_execute) {
  many([](Runtime& rt, SendBox f) { EXPECT_TRUE(rt.executor().execute(std::move(f)).is_ok()); });
}

// ===== from_block_on_all =====
template <class Spawn>
void from_block_on_all(Spawn spawn) {
  auto cnt = std::make_shared<Count>();
  auto runtime = Runtime::create().unwrap();
  auto msg = std::move(runtime)
                 .block_on_all(lazy([cnt, spawn] {
                   cnt->add();
                   spawn(SendBox(lazy([cnt] { cnt->add(); })));
                   return futures::Result<std::string, Unit>(futures::Ok(std::string("hello")));
                 }))
                 .unwrap();
  EXPECT_EQ(2, cnt->get());
  EXPECT_EQ(msg, "hello");
}
TEST(Runtime, from_block_on_all_execute) {
  from_block_on_all(
      [](SendBox f) { EXPECT_TRUE(tokio::executor::DefaultExecutor::current().execute(std::move(f)).is_ok()); });
}
TEST(Runtime, from_block_on_all_spawn) {
  from_block_on_all([](SendBox f) { tokio::spawn(std::move(f)); });
}

// ===== nested_enter =====
// `first` runs a task that calls `nested`, which must throw futures::Panic (Rust: panic)
// with the message of an enter() refusal.
template <class First, class Nested>
void nested_enter(First first, Nested nested) {
  auto panicked = std::make_shared<std::atomic<bool>>(false);
  first(SendBox(lazy([panicked, nested] {
    try {
      nested(SendBox(lazy([] { return ok(); })));
    } catch (const futures::Panic& p) {
      const std::string what = p.what();
      // Ours say "nested <call>: <EnterError>"; current_thread's keeps Tokio's wording.
      if (what.starts_with("nested ")) {
        EXPECT_NE(what.find("attempted to run an executor while another executor is already running"),
                  std::string::npos)
            << what;
      } else {
        EXPECT_TRUE(what.starts_with("Multiple executors at once")) << what;
      }
      panicked->store(true);
    }
    return ok();
  })));
  EXPECT_TRUE(panicked->load()) << "nested call should have panicked";
}
void run_box(SendBox f) { tokio::run(std::move(f)); }
TEST(Runtime, nested_enter_run_in_run) { nested_enter(run_box, run_box); }
TEST(Runtime, nested_enter_threadpool_block_on_in_run) {
  nested_enter(run_box, [](SendBox fut) {
    auto rt = Runtime::create().expect("rt new");
    (void)rt.block_on(std::move(fut)).unwrap();
  });
}
TEST(Runtime, nested_enter_threadpool_block_on_all_in_run) {
  nested_enter(run_box, [](SendBox fut) {
    auto rt = Runtime::create().expect("rt new");
    (void)std::move(rt).block_on_all(std::move(fut)).unwrap();
  });
}
TEST(Runtime, nested_enter_current_thread_block_on_all_in_tokio_run) {
  nested_enter(run_box, [](SendBox fut) { (void)tokio::runtime::current_thread::block_on_all(std::move(fut)).unwrap(); });
}

TEST(Runtime, after_start_and_before_stop_is_called) {
  auto after_start = std::make_shared<std::atomic<int>>(0);
  auto before_stop = std::make_shared<std::atomic<int>>(0);
  auto runtime = tokio::runtime::Builder()
                     .after_start([after_start] { after_start->fetch_add(1, std::memory_order_relaxed); })
                     .before_stop([before_stop] { before_stop->fetch_add(1, std::memory_order_relaxed); })
                     .build()
                     .unwrap();
  EXPECT_TRUE(std::move(runtime).block_on_all(create_client_server_future()).is_ok());
  EXPECT_GT(after_start->load(std::memory_order_relaxed), 0);
  EXPECT_GT(before_stop->load(std::memory_order_relaxed), 0);
}

// ===== Beyond the Rust file =====

TEST(Runtime, block_on_returns_values_and_errors) {
  auto rt = Runtime::create().unwrap();
  EXPECT_EQ(rt.block_on(futures::future::ok<int, std::string>(42)).unwrap(), 42);
  EXPECT_EQ(rt.block_on(futures::future::err<int, std::string>("bad")).unwrap_err(), "bad");
  // A future that completes on a notify from another thread.
  auto [tx, rx] = futures::sync::oneshot::channel<std::string>();
  std::thread t([tx = std::move(tx)]() mutable { (void)std::move(tx).send("late"); });
  EXPECT_EQ(rt.block_on(std::move(rx)).unwrap(), "late");
  t.join();
  // Outside block_on there is no default executor again.
  EXPECT_THROW(tokio::spawn(ok()), futures::Panic);
}

TEST(Runtime, tokio_spawn_inside_block_on_uses_the_pool) {
  auto rt = tokio::runtime::Builder().core_threads(2).name_prefix("rtpool-").build().unwrap();
  auto [tx, rx] = futures::sync::oneshot::channel<std::string>();
  const auto caller = std::this_thread::get_id();
  auto ran_on_caller = std::make_shared<std::atomic<bool>>(true);
  auto name = rt.block_on(lazy([tx = std::move(tx), ran_on_caller, caller]() mutable {
                  tokio::spawn(lazy([tx = std::move(tx), ran_on_caller, caller]() mutable {
                    ran_on_caller->store(std::this_thread::get_id() == caller);
                    (void)std::move(tx).send(thread_name());
                  }));
                  return futures::Result<Unit, Unit>(futures::Ok());
                }).and_then([rx = std::move(rx)](Unit) mutable { return std::move(rx).map_err([](auto) {}); }))
                  .unwrap();
  EXPECT_FALSE(ran_on_caller->load());
  EXPECT_TRUE(name.starts_with("rtpool-")) << name;
}

TEST(Runtime, block_on_all_waits_for_spawned_tasks) {
  auto cnt = std::make_shared<Count>();
  auto rt = Runtime::create().unwrap();
  // A chain of spawns: each task spawns the next, so block_on returns long before the end.
  struct Chain {
    static void next(std::shared_ptr<Count> cnt, int left) {
      tokio::spawn(lazy([cnt, left] {
        cnt->add();
        if (left > 1) next(cnt, left - 1);
      }));
    }
  };
  EXPECT_EQ(std::move(rt).block_on_all(lazy([cnt] {
              Chain::next(cnt, 50);
              return futures::Result<int, Unit>(futures::Ok(5));
            })).unwrap(),
            5);
  EXPECT_EQ(cnt->get(), 50);
}

TEST(Runtime, shutdown_now_drops_pending_futures) {
  auto rc = std::make_shared<int>(0);
  auto rt = Runtime::create().unwrap();
  for (int i = 0; i < 10; ++i) rt.spawn(exec_test::Never(rc));
  EXPECT_TRUE(std::move(rt).shutdown_now().wait().is_ok());
  EXPECT_EQ(rc.use_count(), 1);
}

TEST(Runtime, destructor_drops_pending_futures) {
  auto rc = std::make_shared<int>(0);
  {
    auto rt = Runtime::create().unwrap();
    rt.spawn(exec_test::Never(rc)).spawn(exec_test::Never(rc));
  }
  EXPECT_EQ(rc.use_count(), 1);
}

TEST(Runtime, builder_settings_are_applied) {
  auto starts = std::make_shared<std::atomic<int>>(0);
  auto stops = std::make_shared<std::atomic<int>>(0);
  auto panics = std::make_shared<std::atomic<int>>(0);
  auto [tx, rx] = futures_test::std_channel<std::string>();
  auto rt = tokio::runtime::Builder()
                .core_threads(2)
                .blocking_threads(4)
                .keep_alive(std::chrono::milliseconds(100))
                .name_prefix("rt-test-")
                .stack_size(1 << 20)
                .after_start([starts] { starts->fetch_add(1); })
                .before_stop([stops] { stops->fetch_add(1); })
                .panic_handler([panics](std::exception_ptr e) {
                  try {
                    std::rethrow_exception(e);
                  } catch (const std::runtime_error& err) {
                    EXPECT_STREQ(err.what(), "boom");
                  }
                  panics->fetch_add(1);
                })
                .build()
                .unwrap();
  rt.spawn(lazy([]() -> futures::Result<Unit, Unit> { throw std::runtime_error("boom"); }));
  rt.spawn(lazy([tx = tx] { tx.send(thread_name()); }));
  auto name = rx.recv();
  ASSERT_TRUE(name.has_value());
  EXPECT_TRUE(name->starts_with("rt-test-")) << *name;
  EXPECT_TRUE(std::move(rt).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(starts->load(), 2);
  EXPECT_EQ(stops->load(), 2);
  EXPECT_EQ(panics->load(), 1);
}

TEST(Runtime, default_worker_names) {
  auto rt = Runtime::create().unwrap();
  auto [tx, rx] = futures::sync::oneshot::channel<std::string>();
  rt.spawn(lazy([tx = std::move(tx)]() mutable { (void)std::move(tx).send(thread_name()); }));
  auto name = rt.block_on(std::move(rx)).unwrap();
  // "tokio-runtime-worker-<i>", cut to 15 bytes by Linux.
  EXPECT_EQ(name, std::string("tokio-runtime-worker-").substr(0, 15));
}

TEST(Runtime, nested_block_on_inside_a_task_fails_with_the_enter_message) {
  auto rt = Runtime::create().unwrap();
  auto [tx, rx] = futures::sync::oneshot::channel<std::string>();
  rt.spawn(lazy([tx = std::move(tx)]() mutable {
    auto inner = Runtime::create().unwrap();
    std::string what;
    try {
      (void)inner.block_on(ok());
    } catch (const futures::Panic& p) {
      what = p.what();
    }
    (void)std::move(tx).send(what);
  }));
  const std::string what = rt.block_on(std::move(rx)).unwrap();
  EXPECT_TRUE(what.starts_with("nested block_on: attempted to run an executor while another executor is already running"))
      << what;
}

TEST(Runtime, executor_spawns_from_another_thread) {
  auto rt = Runtime::create().unwrap();
  auto cnt = std::make_shared<Count>();
  tokio::runtime::TaskExecutor ex = rt.executor();
  std::thread t([ex, cnt] {
    for (int i = 0; i < 100; ++i) ex.spawn(lazy([cnt] { cnt->add(); }));
    // Through the tokio Executor interface: a Result instead of a throw.
    tokio::runtime::TaskExecutor copy = ex.clone();
    tokio::executor::Executor& as_executor = copy;
    EXPECT_TRUE(as_executor.status().is_ok());
    EXPECT_TRUE(as_executor.spawn(lazy([cnt] { cnt->add(); })).is_ok());
  });
  t.join();
  EXPECT_TRUE(std::move(rt).shutdown_on_idle().wait().is_ok());
  EXPECT_EQ(cnt->get(), 101);
  // The runtime is gone: the executor refuses.
  EXPECT_TRUE(ex.status().unwrap_err().is_shutdown());
  EXPECT_THROW(ex.spawn(ok()), futures::Panic);
  EXPECT_TRUE(ex.execute(ok()).is_err());
}

TEST(Runtime, spawn_outside_a_runtime_says_what_to_do) {
  try {
    tokio::spawn(ok());
    FAIL() << "tokio::spawn outside a runtime must throw";
  } catch (const futures::Panic& p) {
    const std::string what = p.what();
    EXPECT_NE(what.find("future::lazy"), std::string::npos) << what;
    EXPECT_NE(what.find("tokio::run"), std::string::npos) << what;
  }
}

// ===== Task names and the pending-task listing =====

TEST(TaskName, named_tasks_carry_their_name_and_unnamed_ones_their_type) {
  auto named = tokio::executor::make_task(tokio::executor::named("accept loop", ok()));
  EXPECT_EQ(named->name(), "accept loop");
  EXPECT_EQ(named->future_type(), typeid(futures::future::FutureResult<Unit, Unit>));
  auto unnamed = tokio::executor::make_task(ok());
  EXPECT_TRUE(unnamed->name().empty());
  EXPECT_EQ(unnamed->future_type(), typeid(futures::future::FutureResult<Unit, Unit>));
  // A named future runs like the future it wraps.
  auto cnt = std::make_shared<Count>();
  tokio::run(tokio::executor::named("counter", lazy([cnt] { cnt->add(); })));
  EXPECT_EQ(cnt->get(), 1);
}

/// Sets the pending-task report for the scope, restoring the previous settings after.
class ReportOverride {
 public:
  explicit ReportOverride(tokio::runtime::detail::PendingTaskReport report)
      : saved_(tokio::runtime::detail::pending_task_report()) {
    tokio::runtime::detail::set_pending_task_report(report);
  }
  ~ReportOverride() { tokio::runtime::detail::set_pending_task_report(saved_); }

 private:
  tokio::runtime::detail::PendingTaskReport saved_;
};

/// A future waiting on a oneshot (Item and Error Unit).
auto wait_for(futures::sync::oneshot::Receiver<Unit> rx) {
  return std::move(rx).map_err([](auto) {});
}

TEST(TaskName, pending_tasks_are_listed_while_waiting_under_the_debug_hook) {
  auto [release_named_tx, release_named_rx] = futures::sync::oneshot::channel<Unit>();
  auto [release_unnamed_tx, release_unnamed_rx] = futures::sync::oneshot::channel<Unit>();
  auto senders = std::make_shared<std::vector<futures::sync::oneshot::Sender<Unit>>>();
  senders->push_back(std::move(release_named_tx));
  senders->push_back(std::move(release_unnamed_tx));
  auto reports = std::make_shared<std::vector<std::size_t>>();

  tokio::runtime::detail::PendingTaskReport report;
  report.enabled = true;
  report.first = std::chrono::milliseconds(1);
  report.every = std::chrono::milliseconds(1);
  // The hook runs on the waiting thread after each listing: after the first one, let the
  // tasks finish, so the wait ends.
  report.on_report = [senders, reports](std::size_t count) {
    reports->push_back(count);
    for (auto& tx : *senders) (void)std::move(tx).send(Unit{});
    senders->clear();
  };
  ReportOverride override_report(report);

  testing::internal::CaptureStderr();
  auto rt = Runtime::create().unwrap();
  rt.spawn(tokio::executor::named("waits for release", wait_for(std::move(release_named_rx))))
      .spawn(wait_for(std::move(release_unnamed_rx)));
  EXPECT_TRUE(std::move(rt).shutdown_on_idle().wait().is_ok());
  const std::string err = testing::internal::GetCapturedStderr();

  ASSERT_FALSE(reports->empty());
  EXPECT_EQ(reports->front(), 2u) << err;
  EXPECT_NE(err.find("tokio: the runtime is waiting for 2 pending tasks"), std::string::npos) << err;
  EXPECT_NE(err.find("  - \"waits for release\""), std::string::npos) << err;
  EXPECT_NE(err.find("  - unnamed: futures::future::MapErr<futures::sync::oneshot::Receiver<futures::Unit>"),
            std::string::npos)
      << err;
}

TEST(TaskName, nothing_is_listed_without_the_debug_setting) {
  tokio::runtime::detail::PendingTaskReport report;  // disabled
  report.first = std::chrono::milliseconds(0);
  report.every = std::chrono::milliseconds(0);
  ReportOverride override_report(report);
  testing::internal::CaptureStderr();
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  std::thread releaser([tx = std::move(tx)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // provoke a wait, not needed for the result
    (void)std::move(tx).send(Unit{});
  });
  tokio::run(wait_for(std::move(rx)));
  releaser.join();
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
