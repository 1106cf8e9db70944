// Unit tests of tokio::executor::park (tokio-executor 0.1 `src/park.rs`): ParkThread,
// UnparkThread, BoxUnpark and the Park concept. Cross-thread tests are bounded and never
// sleep to wait for a result; the only timed waits check that park_timeout returns.
#include <tokio/executor/park.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

namespace {

using namespace std::chrono_literals;
using tokio::executor::park::BoxUnpark;
using tokio::executor::park::ParkError;
using tokio::executor::park::ParkThread;
using tokio::executor::park::UnparkThread;

static_assert(tokio::executor::park::Park<ParkThread>);
static_assert(tokio::executor::park::Unpark<UnparkThread>);
static_assert(tokio::executor::park::Unpark<BoxUnpark>);

TEST(Park, unpark_before_park_returns_at_once) {
  ParkThread park;
  park.unpark().unpark();
  EXPECT_TRUE(park.park().is_ok());  // consumes the token; would hang otherwise
}

TEST(Park, unparks_coalesce_into_one_token) {
  ParkThread park;
  auto unpark = park.unpark();
  unpark.unpark();
  unpark.unpark();
  EXPECT_TRUE(park.park().is_ok());
  // The token is gone: a zero timeout returns without it, a short one times out.
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(park.park_timeout(2ms).is_ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 2ms);
}

TEST(Park, zero_timeout_never_sleeps) {
  ParkThread park;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(park.park_timeout(0ns).is_ok());
}

TEST(Park, park_threads_of_one_thread_share_the_token) {
  ParkThread a;
  ParkThread b;
  a.unpark().unpark();
  EXPECT_TRUE(b.park().is_ok());
}

TEST(Park, unpark_from_another_thread_wakes_park) {
  ParkThread park;
  UnparkThread unpark = park.unpark();
  std::atomic<bool> go{false};
  std::thread t([&] {
    while (!go.load()) std::this_thread::yield();
    unpark.unpark();
  });
  go = true;
  EXPECT_TRUE(park.park().is_ok());
  t.join();
}

TEST(Park, ping_pong_between_threads) {
  // Each side parks until the other unparks it: a lost wake-up would hang (the test
  // runner's timeout catches that).
  constexpr int kRounds = 2000;
  ParkThread main_park;
  UnparkThread main_unpark = main_park.unpark();
  std::atomic<UnparkThread*> peer{nullptr};
  std::atomic<int> seen{0};
  std::thread t([&] {
    ParkThread park;
    UnparkThread mine = park.unpark();
    peer.store(&mine);
    for (int i = 0; i < kRounds; ++i) {
      while (seen.load() <= 2 * i) (void)park.park();  // spurious wake-ups tolerated
      seen.fetch_add(1);
      main_unpark.unpark();
    }
    while (peer.load() != nullptr) std::this_thread::yield();  // keep `mine` alive
  });
  while (peer.load() == nullptr) std::this_thread::yield();
  for (int i = 0; i < kRounds; ++i) {
    seen.fetch_add(1);
    peer.load()->unpark();
    while (seen.load() <= 2 * i + 1) (void)main_park.park();
  }
  peer.store(nullptr);
  t.join();
  EXPECT_EQ(seen.load(), 2 * kRounds);
}

TEST(Park, unpark_clone_and_box_wake_the_same_parker) {
  ParkThread park;
  UnparkThread u = park.unpark();
  UnparkThread c = u.clone();
  BoxUnpark boxed(c);
  BoxUnpark copy = boxed;
  copy.unpark();
  EXPECT_TRUE(park.park().is_ok());
  std::thread t([boxed] { boxed.unpark(); });
  EXPECT_TRUE(park.park().is_ok());
  t.join();
}

TEST(Park, park_error_prints) {
  std::ostringstream os;
  os << ParkError{};
  EXPECT_EQ(os.str(), "ParkError");
}

}  // namespace
