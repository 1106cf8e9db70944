// Port of futures 0.1 tests/mpsc-close.rs
//
// Deviations: stress_try_send_as_receiver_closes runs 2000 rounds (Rust: 10000), and
// its "wait until the item is dropped" loop yields instead of sleeping 10 ms per try
// (same 10 s limit).
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

// One namespace per file: a unity build compiles several test files as one unit.
namespace mpsc_close_test {

namespace mpsc = futures::sync::mpsc;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::Unit;

TEST(MpscClose, smoke) {
  auto [sender, receiver] = mpsc::channel<int>(1);

  std::thread t([sender = std::move(sender)]() mutable {
    for (;;) {
      auto s = std::move(sender).send(42).wait();
      if (s.is_err()) break;
      sender = std::move(s).unwrap();
    }
  });

  std::move(receiver).take(3).for_each([](int) { return Result<Unit, Unit>(Ok()); }).wait().unwrap();

  t.join();
}

namespace {

struct TestRx {
  mpsc::Receiver<std::shared_ptr<Unit>> rx;
  // The number of times to query `rx` before dropping it.
  std::size_t poll_count;
};

struct TestTask : futures::FutureExt<TestTask> {
  using Item = Unit;
  using Error = Unit;

  mpsc::Receiver<TestRx> command_rx;
  std::optional<mpsc::Receiver<std::shared_ptr<Unit>>> test_rx;
  std::size_t countdown = 0;  // 0 means no countdown is in progress.

  explicit TestTask(mpsc::Receiver<TestRx> rx) : command_rx(std::move(rx)) {}

  Poll<Unit, Unit> poll() {
    // Poll the test channel, if one is present.
    if (test_rx) {
      auto polled = test_rx->poll();
      if (polled.is_ok() && polled.unwrap_ref().is_ready()) {
        EXPECT_TRUE(polled.unwrap_ref().value().has_value()) << "test finished unexpectedly!";
      }
      countdown -= 1;
      // Busy-poll until the countdown is finished.
      futures::task::current().notify();
    }
    // Accept any newly submitted MPSC channels for testing.
    auto command = command_rx.poll().unwrap();
    if (command.is_ready()) {
      std::optional<TestRx> cmd = std::move(command).value();
      if (!cmd) return Ready();
      test_rx.emplace(std::move(cmd->rx));
      countdown = cmd->poll_count;
      futures::task::current().notify();
    }
    if (countdown == 0) {
      // Countdown complete -- drop the Receiver.
      test_rx.reset();
    }
    return NotReady;
  }
};

}  // namespace

// Stress test that `try_send()`s occurring concurrently with receiver close/drops don't
// appear as successful sends.
TEST(MpscClose, stress_try_send_as_receiver_closes) {
  const std::size_t amt = 2000;
  // To provide variable timing characteristics (in the hopes of reproducing the
  // collision that leads to a race), we busy-re-poll the test MPSC receiver a variable
  // number of times before actually stopping. We vary this countdown between 1 and the
  // following value.
  const std::size_t max_countdown = 20;
  // When we detect that a successfully sent item is still in the queue after a
  // disconnect, we spin for up to 10 s to confirm that it is a persistent condition and
  // not a concurrency illusion.
  const auto spin_timeout = std::chrono::seconds(10);

  auto [cmd_tx, command_rx] = mpsc::channel<TestRx>(0);
  std::thread bg([f = TestTask(std::move(command_rx))]() mutable { EXPECT_TRUE(std::move(f).wait().is_ok()); });
  for (std::size_t i = 0; i < amt; ++i) {
    auto [test_tx, rx] = mpsc::channel<std::shared_ptr<Unit>>(0);
    const std::size_t poll_count = i % max_countdown;
    ASSERT_TRUE(cmd_tx.try_send(TestRx{std::move(rx), poll_count}).is_ok());
    std::weak_ptr<Unit> prev_weak;
    bool have_prev = false;
    std::size_t attempted_sends = 0;
    std::size_t successful_sends = 0;
    for (;;) {
      // Create a test item.
      auto item = std::make_shared<Unit>();
      std::weak_ptr<Unit> weak = item;
      auto sent = test_tx.try_send(std::move(item));
      if (sent.is_ok()) {
        prev_weak = weak;
        have_prev = true;
        successful_sends += 1;
      } else if (sent.unwrap_err_ref().is_full()) {
      } else {
        ASSERT_TRUE(sent.unwrap_err_ref().is_disconnected());
        // Test for evidence of the race condition.
        if (have_prev && !prev_weak.expired()) {
          // The previously sent item is still allocated. However, the receiver may be
          // dropping it on the other thread right now: wait for that.
          auto t0 = std::chrono::steady_clock::now();
          std::size_t spins = 0;
          while (!prev_weak.expired()) {
            ASSERT_LT(std::chrono::steady_clock::now() - t0, spin_timeout)
                << "item not dropped on iteration " << i << " after " << attempted_sends << " sends ("
                << successful_sends << " successful). spin=(" << spins << ")";
            spins += 1;
            std::this_thread::yield();
          }
        }
        break;
      }
      attempted_sends += 1;
    }
  }
  { auto drop = std::move(cmd_tx); }
  bg.join();
}

}  // namespace mpsc_close_test
