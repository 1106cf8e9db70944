// Port of futures 0.1 tests/channel.rs
//
// Deviations: `.forget()` (run the future on a fresh thread) is futures_test::Forgetter,
// whose threads are joined at the end of the test; `sassert_empty`/`sassert_done` poll
// in a no-op task (ASSERT_NOT_READY / ASSERT_READY_EQ).
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <utility>

#include "support/assert_poll.hpp"
#include "support/drop.hpp"
#include "support/forget.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace channel_test {

namespace mpsc = futures::sync::mpsc;
using futures::BoxFuture;
using futures::Ok;
using futures::Result;
using futures::Unit;
using futures_test::drop;

namespace {

BoxFuture<Unit, Unit> send(std::uint32_t n, mpsc::Sender<std::uint32_t> sender) {
  if (n == 0) return futures::future::result(Result<Unit, Unit>(Ok())).boxed();
  return std::move(sender)
      .send(n)
      .map_err([](const mpsc::SendError<std::uint32_t>&) {})
      .and_then([n](mpsc::Sender<std::uint32_t> sender) { return send(n - 1, std::move(sender)); })
      .boxed();
}

}  // namespace

TEST(Channel, sequence) {
  futures_test::Forgetter forgetter;
  auto [tx, rx] = mpsc::channel<std::uint32_t>(1);

  ASSERT_NOT_READY(rx);
  ASSERT_NOT_READY(rx);

  const std::uint32_t amt = 20;
  forgetter.forget(send(amt, std::move(tx)));
  auto w = std::move(rx).wait();
  for (std::uint32_t i = amt; i >= 1; --i) {
    auto next = w.next();
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(*next, Ok(i));
  }
  EXPECT_FALSE(w.next().has_value());
}

TEST(Channel, drop_sender) {
  auto [tx, rx] = mpsc::channel<std::uint32_t>(1);
  drop(tx);
  ASSERT_READY_EQ(rx, std::optional<std::uint32_t>());
}

TEST(Channel, drop_rx) {
  auto [tx, rx] = mpsc::channel<std::uint32_t>(1);
  auto tx2 = std::move(tx).send(1).wait().ok().value();
  drop(rx);
  EXPECT_TRUE(std::move(tx2).send(1).wait().is_err());
}

namespace {
std::atomic<int> drops{0};
struct A {
  A() = default;
  A(A&& other) noexcept : live(std::exchange(other.live, false)) {}
  A& operator=(A&&) = delete;
  ~A() {
    if (live) drops.fetch_add(1);
  }
  bool live = true;  // moved-from husks do not count (Rust moves are not drops)
};
}  // namespace

TEST(Channel, drop_order) {
  drops = 0;
  auto [tx, rx] = mpsc::channel<A>(1);

  auto tx2 = std::move(tx).send(A()).wait().ok().value();
  EXPECT_EQ(drops.load(), 0);
  drop(rx);
  EXPECT_EQ(drops.load(), 1);
  EXPECT_TRUE(std::move(tx2).send(A()).wait().is_err());
  EXPECT_EQ(drops.load(), 2);
}

}  // namespace channel_test
