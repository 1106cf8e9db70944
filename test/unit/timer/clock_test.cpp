// Port of tokio-timer 0.2 tests/clock.rs (default_clock, custom_clock,
// execution_context → `Clock.<same>`), plus tests of with_default nesting and of the
// runtimes' Builder::clock: tokio::clock::now() reads the Builder's clock on the pool's
// workers, inside the thread-pool Runtime's block_on and inside a current_thread
// Runtime's block_on / run, and the system clock everywhere else.
#include <tokio.hpp>

#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace {

using futures::Unit;
using futures::future::lazy;
using std::chrono::milliseconds;
using tokio::Instant;
using tokio::timer::clock::Clock;
using tokio::timer::clock::Now;

/// Rust's ConstNow: always the same instant.
struct ConstNow : Now {
  explicit ConstNow(Instant at) : at(at) {}
  Instant now() const override { return at; }
  Instant at;
};

/// A clock the test moves by hand (any thread may read it).
class MockNow : public Now {
 public:
  // Far ahead of the system clock, so a mocked reading never equals a real one.
  MockNow() : at_(std::chrono::steady_clock::now() + std::chrono::hours(1000)) {}
  Instant now() const override { return at_.load(std::memory_order_acquire); }
  void advance(std::chrono::nanoseconds by) {
    at_.store(at_.load(std::memory_order_relaxed) + by, std::memory_order_release);
  }

 private:
  std::atomic<Instant> at_;
};

tokio::executor::Enter enter_or_fail() {
  return tokio::executor::enter().unwrap();
}

/// True when `t` reads as the system clock: between two readings taken around it.
template <class Read>
bool reads_system_clock(Read read) {
  const Instant before = std::chrono::steady_clock::now();
  const Instant t = read();
  const Instant after = std::chrono::steady_clock::now();
  return before <= t && t <= after;
}

// ----- tokio-timer tests/clock.rs -----

TEST(Clock, default_clock) {
  const Instant a = std::chrono::steady_clock::now();
  const Instant b = tokio::timer::clock::now();
  const Instant c = Clock().now();
  EXPECT_LE(a, b);
  EXPECT_LE(b, c);
}

TEST(Clock, custom_clock) {
  const Clock clock = Clock::new_with_now(ConstNow(std::chrono::steady_clock::now()));
  const Instant a = std::chrono::steady_clock::now();
  const Instant b = clock.now();
  EXPECT_LE(b, a);
}

TEST(Clock, execution_context) {
  const Clock clock = Clock::new_with_now(ConstNow(std::chrono::steady_clock::now()));
  auto enter = enter_or_fail();
  tokio::timer::clock::with_default(clock, enter, [](tokio::executor::Enter&) {
    const Instant a = std::chrono::steady_clock::now();
    const Instant b = tokio::timer::clock::now();
    EXPECT_LE(b, a);
  });
}

// ----- beyond clock.rs -----

TEST(Clock, handles_share_the_source_and_system_ignores_the_context) {
  auto mock = std::make_shared<MockNow>();
  const Clock clock = Clock::new_with_now(mock);
  const Clock copy = clock.clone();  // NOLINT(performance-unnecessary-copy-initialization)
  mock->advance(milliseconds(5));
  EXPECT_EQ(copy.now(), mock->now());
  EXPECT_FALSE(clock.is_system());

  auto enter = enter_or_fail();
  tokio::timer::clock::with_default(clock, enter, [&] {
    // Rust's Clock::new() copies the installed clock; Clock::system() never does.
    EXPECT_EQ(Clock().now(), mock->now());
    EXPECT_EQ(tokio::clock::now(), mock->now());
    EXPECT_TRUE(Clock::system().is_system());
    EXPECT_TRUE(reads_system_clock([] { return Clock::system().now(); }));
  });
  EXPECT_TRUE(reads_system_clock([] { return tokio::clock::now(); }));
}

TEST(Clock, with_default_nests_and_restores_the_previous_clock) {
  auto outer_now = std::make_shared<MockNow>();
  auto inner_now = std::make_shared<MockNow>();
  inner_now->advance(std::chrono::hours(1));
  const Clock outer = Clock::new_with_now(outer_now);
  const Clock inner = Clock::new_with_now(inner_now);
  auto enter = enter_or_fail();

  const int returned =
      tokio::timer::clock::with_default(outer, enter, [&](tokio::executor::Enter& e) {
        EXPECT_EQ(tokio::clock::now(), outer_now->now());
        tokio::timer::clock::with_default(
            inner, e, [&] { EXPECT_EQ(tokio::clock::now(), inner_now->now()); });
        EXPECT_EQ(tokio::clock::now(), outer_now->now());
        // Restored also when the inner call throws.
        EXPECT_THROW(tokio::timer::clock::with_default(
                         inner, e, []() -> int { throw std::runtime_error("x"); }),
                     std::runtime_error);
        EXPECT_EQ(tokio::clock::now(), outer_now->now());
        return 7;
      });
  EXPECT_EQ(returned, 7);
  EXPECT_TRUE(reads_system_clock([] { return tokio::clock::now(); }));
}

TEST(Clock, installed_per_thread) {
  auto mock = std::make_shared<MockNow>();
  const Clock clock = Clock::new_with_now(mock);
  auto enter = enter_or_fail();
  tokio::timer::clock::with_default(clock, enter, [&] {
    bool other_thread_system = false;
    std::thread t(
        [&] { other_thread_system = reads_system_clock([] { return tokio::clock::now(); }); });
    t.join();
    EXPECT_TRUE(other_thread_system);
  });
}

// ----- runtime::Builder::clock (the thread pool) -----

/// Spawns onto `rt` a task that reports tokio::clock::now() and whether it ran on the
/// calling thread, and waits for the report.
std::tuple<Instant, bool> now_on_a_worker(tokio::runtime::Runtime& rt) {
  auto [tx, rx] = futures::sync::oneshot::channel<std::tuple<Instant, bool>>();
  const auto caller = std::this_thread::get_id();
  rt.spawn(lazy([tx = std::move(tx), caller]() mutable {
    (void)std::move(tx).send(
        std::make_tuple(tokio::clock::now(), std::this_thread::get_id() == caller));
  }));
  return rt.block_on(std::move(rx)).unwrap();
}

void expect_workers_follow(tokio::runtime::Builder builder) {
  auto mock = std::make_shared<MockNow>();
  auto rt = builder.clock(Clock::new_with_now(mock)).build().unwrap();
  for (int round = 0; round < 3; ++round) {
    auto [seen, on_caller] = now_on_a_worker(rt);
    EXPECT_FALSE(on_caller);
    EXPECT_EQ(seen, mock->now()) << "round " << round;
    mock->advance(milliseconds(250));
  }
  EXPECT_TRUE(reads_system_clock([] { return tokio::clock::now(); }));
}

TEST(RuntimeClock, threadpool_workers_read_the_builders_clock) {
  expect_workers_follow(std::move(tokio::runtime::Builder().core_threads(2)));
}

TEST(RuntimeClock, threadpool_with_reactor_thread_reads_the_builders_clock) {
  expect_workers_follow(std::move(tokio::runtime::Builder().core_threads(2).reactor_thread(true)));
}

TEST(RuntimeClock, threadpool_with_reactor_per_worker_reads_the_builders_clock) {
  expect_workers_follow(std::move(tokio::runtime::Builder().core_threads(2).reactor_per_worker(true)));
}

TEST(RuntimeClock, threadpool_block_on_reads_the_builders_clock) {
  // Tokio runs block_on's future on a worker; here it runs on the caller, which
  // installs the same clock while it polls.
  auto mock = std::make_shared<MockNow>();
  auto rt =
      tokio::runtime::Builder().core_threads(1).clock(Clock::new_with_now(mock)).build().unwrap();
  auto seen = rt.block_on(
      lazy([] { return futures::Result<Instant, Unit>(futures::Ok(tokio::clock::now())); }));
  EXPECT_EQ(seen.unwrap(), mock->now());
  auto all = std::move(rt).block_on_all(
      lazy([] { return futures::Result<Instant, Unit>(futures::Ok(tokio::clock::now())); }));
  EXPECT_EQ(all.unwrap(), mock->now());
  EXPECT_TRUE(reads_system_clock([] { return tokio::clock::now(); }));
}

TEST(RuntimeClock, threadpool_default_is_the_system_clock) {
  auto rt = tokio::runtime::Builder().core_threads(1).build().unwrap();
  const Instant before = std::chrono::steady_clock::now();
  auto [seen, on_caller] = now_on_a_worker(rt);
  EXPECT_FALSE(on_caller);
  EXPECT_LE(before, seen);
  EXPECT_LE(seen, std::chrono::steady_clock::now());
}

TEST(RuntimeClock, tokio_run_tasks_read_the_system_clock) {
  auto seen = std::make_shared<std::atomic<bool>>(false);
  tokio::run(lazy([seen] { seen->store(reads_system_clock([] { return tokio::clock::now(); })); }));
  EXPECT_TRUE(seen->load());
}

// ----- runtime::current_thread::Builder::clock -----

TEST(RuntimeClock, current_thread_block_on_and_run_read_the_builders_clock) {
  namespace current_thread = tokio::runtime::current_thread;
  auto mock = std::make_shared<MockNow>();
  auto rt = current_thread::Builder().clock(Clock::new_with_now(mock)).build().unwrap();

  auto in_block_on = rt.block_on(
      lazy([] { return futures::Result<Instant, Unit>(futures::Ok(tokio::clock::now())); }));
  EXPECT_EQ(in_block_on.unwrap(), mock->now());

  mock->advance(milliseconds(10));
  auto in_task = std::make_shared<Instant>();
  rt.spawn(lazy([in_task] { *in_task = tokio::clock::now(); }));
  EXPECT_TRUE(rt.run().is_ok());
  EXPECT_EQ(*in_task, mock->now());

  EXPECT_TRUE(reads_system_clock([] { return tokio::clock::now(); }));
}

TEST(RuntimeClock, current_thread_builder_defaults_to_the_context_clock) {
  namespace current_thread = tokio::runtime::current_thread;
  auto mock = std::make_shared<MockNow>();
  std::optional<current_thread::Runtime> rt;
  {
    // Rust's Builder::new() takes Clock::new(): the clock installed where it is made.
    auto enter = enter_or_fail();
    tokio::timer::clock::with_default(Clock::new_with_now(mock), enter, [&] {
      rt.emplace(current_thread::Builder().build().unwrap());
    });
  }
  auto seen = rt->block_on(
      lazy([] { return futures::Result<Instant, Unit>(futures::Ok(tokio::clock::now())); }));
  EXPECT_EQ(seen.unwrap(), mock->now());

  auto plain = current_thread::Runtime::create().unwrap();
  auto system = plain.block_on(lazy([] {
    return futures::Result<bool, Unit>(
        futures::Ok(reads_system_clock([] { return tokio::clock::now(); })));
  }));
  EXPECT_TRUE(system.unwrap());
}

}  // namespace
