// Unit tests of tokio::executor::enter / exit / Enter (tokio-executor 0.1 `src/enter.rs`),
// and of the default executor (`src/global.rs`: with_default, DefaultExecutor,
// tokio::spawn), including global.rs's own unit test nested_default_executor_status.
#include <tokio/executor.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/oneshot.hpp>

#include "support/exec_helpers.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using futures::Unit;
using tokio::executor::DefaultExecutor;
using tokio::executor::Enter;
using tokio::executor::EnterError;
using tokio::executor::RawTask;
using tokio::executor::SpawnError;

// An executor that keeps what it is given, for inspecting spawns.
class RecordingExecutor final : public tokio::executor::Executor {
 public:
  futures::Result<Unit, SpawnError> spawn_task(RawTask task) override {
    if (refuse_) return futures::Err(*refuse_);
    tasks.push_back(std::move(task));
    return futures::Ok();
  }
  futures::Result<Unit, SpawnError> status() const override {
    if (refuse_) return futures::Err(*refuse_);
    return futures::Ok();
  }
  void refuse(SpawnError e) { refuse_ = e; }
  std::vector<RawTask> tasks;

 private:
  std::optional<SpawnError> refuse_;
};

TEST(Enter, nested_enter_fails) {
  auto first = tokio::executor::enter();
  ASSERT_TRUE(first.is_ok());
  auto second = tokio::executor::enter();
  ASSERT_TRUE(second.is_err());
  EXPECT_EQ(second.unwrap_err().what(),
            "attempted to run an executor while another executor is already running");
}

TEST(Enter, drop_allows_enter_again) {
  { auto e = tokio::executor::enter().unwrap(); }
  EXPECT_TRUE(tokio::executor::enter().is_ok());
  EXPECT_TRUE(tokio::executor::enter().is_ok());  // the previous temporary is gone
}

TEST(Enter, moved_guard_keeps_the_mark) {
  auto e1 = tokio::executor::enter().unwrap();
  Enter e2 = std::move(e1);
  EXPECT_TRUE(tokio::executor::enter().is_err());
}

TEST(Enter, on_exit_runs_in_order_when_dropped) {
  std::vector<int> order;
  {
    auto e = tokio::executor::enter().unwrap();
    auto token = std::make_unique<int>(2);  // move-only callback
    e.on_exit([&] { order.push_back(1); });
    e.on_exit([&, t = std::move(token)] { order.push_back(*t); });
    EXPECT_TRUE(order.empty());
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(Enter, make_permanent_keeps_the_thread_marked) {
  // On its own thread: the mark is never cleared there.
  bool nested_failed = false;
  bool callback_ran = false;
  std::thread t([&] {
    auto e = tokio::executor::enter().unwrap();
    e.on_exit([&] { callback_ran = true; });
    std::move(e).make_permanent();
    nested_failed = tokio::executor::enter().is_err();
  });
  t.join();
  EXPECT_TRUE(nested_failed);
  EXPECT_FALSE(callback_ran);
}

TEST(Enter, exit_clears_and_restores) {
  auto e = tokio::executor::enter().unwrap();
  int v = tokio::executor::exit([] {
    auto inner = tokio::executor::enter();  // allowed inside exit
    EXPECT_TRUE(inner.is_ok());
    return 7;
  });
  EXPECT_EQ(v, 7);
  EXPECT_TRUE(tokio::executor::enter().is_err());
}

TEST(Enter, exit_restores_on_exception) {
  auto e = tokio::executor::enter().unwrap();
  EXPECT_THROW(tokio::executor::exit([]() -> int { throw std::runtime_error("boom"); }), std::runtime_error);
  EXPECT_TRUE(tokio::executor::enter().is_err());
}

TEST(Enter, exit_outside_an_executor_is_a_contract_violation) {
  exec_test::ThrowOnViolation guard;
  EXPECT_THROW(tokio::executor::exit([] {}), exec_test::ContractViolation);
}

TEST(Enter, block_on_waits_for_another_thread) {
  auto e = tokio::executor::enter().unwrap();
  auto [tx, rx] = futures::sync::oneshot::channel<int>();
  std::thread t([tx = std::move(tx)]() mutable { (void)std::move(tx).send(5); });
  auto r = e.block_on(std::move(rx));
  t.join();
  EXPECT_EQ(r.unwrap(), 5);
}

TEST(Enter, errors_print) {
  std::ostringstream os;
  os << EnterError{} << " " << SpawnError::shutdown() << " " << SpawnError::at_capacity();
  EXPECT_EQ(os.str(),
            "EnterError { reason: \"attempted to run an executor while another executor is already "
            "running\" } SpawnError { is_shutdown: true } SpawnError { is_shutdown: false }");
  EXPECT_TRUE(SpawnError::shutdown().is_shutdown());
  EXPECT_FALSE(SpawnError::shutdown().is_at_capacity());
  EXPECT_TRUE(SpawnError::at_capacity().is_at_capacity());
}

// ===== with_default / DefaultExecutor =====

// Rust: global.rs `nested_default_executor_status`.
TEST(DefaultExecutor, nested_default_executor_status) {
  auto enter = tokio::executor::enter().unwrap();
  auto executor = DefaultExecutor::current();
  auto result = tokio::executor::with_default(executor, enter,
                                              [](Enter&) { return DefaultExecutor::current().status(); });
  EXPECT_TRUE(result.unwrap_err().is_shutdown());
}

TEST(DefaultExecutor, no_default_outside_with_default) {
  EXPECT_TRUE(DefaultExecutor::current().status().unwrap_err().is_shutdown());
  auto spawned = DefaultExecutor::current().spawn(futures::future::ok<Unit, Unit>(Unit{}));
  EXPECT_TRUE(spawned.unwrap_err().is_shutdown());
}

TEST(DefaultExecutor, with_default_routes_spawns_and_restores) {
  RecordingExecutor rec;
  auto enter = tokio::executor::enter().unwrap();
  int r = tokio::executor::with_default(rec, enter, [](Enter&) {
    EXPECT_TRUE(DefaultExecutor::current().status().is_ok());
    EXPECT_TRUE(DefaultExecutor::current().spawn(futures::future::ok<Unit, Unit>(Unit{})).is_ok());
    tokio::spawn(futures::future::ok<Unit, Unit>(Unit{}));
    auto executed = DefaultExecutor::current().execute(futures::future::ok<Unit, Unit>(Unit{}));
    EXPECT_TRUE(executed.is_ok());
    return 3;
  });
  EXPECT_EQ(r, 3);
  EXPECT_EQ(rec.tasks.size(), 3u);
  EXPECT_TRUE(DefaultExecutor::current().status().is_err());
}

TEST(DefaultExecutor, with_default_without_enter_argument) {
  RecordingExecutor rec;
  auto enter = tokio::executor::enter().unwrap();
  tokio::executor::with_default(rec, enter, [] { tokio::spawn(futures::future::ok<Unit, Unit>(Unit{})); });
  EXPECT_EQ(rec.tasks.size(), 1u);
}

TEST(DefaultExecutor, with_default_restores_on_exception) {
  RecordingExecutor rec;
  auto enter = tokio::executor::enter().unwrap();
  EXPECT_THROW(tokio::executor::with_default(rec, enter, [](Enter&) { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_TRUE(DefaultExecutor::current().status().is_err());
}

TEST(DefaultExecutor, with_default_twice_is_a_contract_violation) {
  exec_test::ThrowOnViolation guard;
  RecordingExecutor a, b;
  auto enter = tokio::executor::enter().unwrap();
  tokio::executor::with_default(a, enter, [&](Enter& e) {
    EXPECT_THROW(tokio::executor::with_default(b, e, [] {}), exec_test::ContractViolation);
    // The outer default survives the failed attempt.
    EXPECT_TRUE(DefaultExecutor::current().status().is_ok());
  });
}

TEST(DefaultExecutor, execute_hands_the_future_back_when_refused) {
  RecordingExecutor rec;
  rec.refuse(SpawnError::at_capacity());
  auto enter = tokio::executor::enter().unwrap();
  tokio::executor::with_default(rec, enter, [] {
    auto executed = DefaultExecutor::current().execute(futures::future::ok<Unit, Unit>(Unit{}));
    ASSERT_TRUE(executed.is_err());
    EXPECT_EQ(executed.unwrap_err_ref().kind(), futures::future::ExecuteErrorKind::NoCapacity);
  });
}

TEST(Spawn, outside_a_runtime_throws_with_advice) {
  try {
    tokio::spawn(futures::future::ok<Unit, Unit>(Unit{}));
    FAIL() << "expected futures::Panic";
  } catch (const futures::Panic& p) {
    EXPECT_NE(std::string(p.what()).find("tokio::spawn called outside a runtime: wrap the setup in "
                                         "future::lazy and run it inside tokio::run / "
                                         "current_thread::block_on_all"),
              std::string::npos)
        << p.what();
  }
}

TEST(Spawn, refused_spawn_throws) {
  RecordingExecutor rec;
  rec.refuse(SpawnError::shutdown());
  auto enter = tokio::executor::enter().unwrap();
  tokio::executor::with_default(rec, enter, [] {
    EXPECT_THROW(tokio::spawn(futures::future::ok<Unit, Unit>(Unit{})), futures::Panic);
  });
}

TEST(Spawn, result_is_an_into_future_ready_at_once) {
  static_assert(futures::IntoFuture<tokio::executor::Spawn>);
  RecordingExecutor rec;
  auto enter = tokio::executor::enter().unwrap();
  tokio::executor::with_default(rec, enter, [] {
    // The Tokio idiom: return tokio::spawn(...) from a for_each callback.
    auto all = futures::stream::iter_ok<std::vector<int>, Unit>({1, 2, 3}).for_each([](int) {
      return tokio::spawn(futures::future::ok<Unit, Unit>(Unit{}));
    });
    EXPECT_TRUE(std::move(all).wait().is_ok());
  });
  EXPECT_EQ(rec.tasks.size(), 3u);
}

}  // namespace
