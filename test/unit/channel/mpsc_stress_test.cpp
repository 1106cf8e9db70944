// Bounded multi-thread stress tests of sync::mpsc: many producers, capacity 0, 1 and N,
// unbounded, close and drop races. Every test checks that each accepted message arrives
// exactly once and in per-sender order, and that nothing leaks. Sized to run in a few
// seconds (also under ThreadSanitizer).
#include <futures/sync/mpsc.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "support/mpsc_blocking.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace mpsc_stress_test {

namespace mpsc = futures::sync::mpsc;
using futures_test::next_blocking;
using futures_test::send_blocking;

namespace {

constexpr std::uint64_t kShift = 32;
std::uint64_t msg(std::uint64_t producer, std::uint64_t seq) { return (producer << kShift) | seq; }

/// Checks per-producer order and counts; `expected` per producer (or -1: check only
/// order and fill `got`).
class OrderChecker {
 public:
  explicit OrderChecker(std::size_t producers) : next_(producers, 0) {}
  void receive(std::uint64_t m) {
    std::uint64_t p = m >> kShift;
    std::uint64_t seq = m & ((std::uint64_t{1} << kShift) - 1);
    ASSERT_LT(p, next_.size());
    ASSERT_EQ(seq, next_[p]) << "producer " << p << " out of order or duplicated";
    ++next_[p];
  }
  std::uint64_t received(std::size_t p) const { return next_[p]; }

 private:
  std::vector<std::uint64_t> next_;
};

/// Counts live instances, to prove that no message leaks when the receiver goes away.
struct Tracked {
  static std::atomic<int> live;
  std::uint64_t v = 0;
  explicit Tracked(std::uint64_t x) : v(x) { live.fetch_add(1); }
  Tracked(const Tracked& o) : v(o.v) { live.fetch_add(1); }
  Tracked(Tracked&& o) noexcept : v(o.v) { live.fetch_add(1); }
  Tracked& operator=(const Tracked&) = default;
  Tracked& operator=(Tracked&&) = default;
  ~Tracked() { live.fetch_sub(1); }
};
std::atomic<int> Tracked::live{0};

void bounded_producers(std::size_t buffer, std::size_t producers, std::uint64_t per_producer) {
  auto [tx, rx] = mpsc::channel<std::uint64_t>(buffer);
  std::vector<std::thread> threads;
  for (std::size_t p = 0; p < producers; ++p) {
    threads.emplace_back([tx = tx.clone(), p, per_producer]() mutable {
      for (std::uint64_t i = 0; i < per_producer; ++i) ASSERT_TRUE(send_blocking(tx, msg(p, i)));
    });
  }
  { auto drop = std::move(tx); }
  OrderChecker check(producers);
  for (std::uint64_t n = 0; n < producers * per_producer; ++n) {
    auto next = next_blocking(rx);
    ASSERT_TRUE(next.has_value());
    check.receive(next->unwrap());
  }
  EXPECT_FALSE(next_blocking(rx).has_value());
  for (auto& t : threads) t.join();
  for (std::size_t p = 0; p < producers; ++p) EXPECT_EQ(check.received(p), per_producer);
}

}  // namespace

TEST(MpscStress, bounded_capacity_0) { bounded_producers(0, 4, 3000); }
TEST(MpscStress, bounded_capacity_1) { bounded_producers(1, 4, 3000); }
TEST(MpscStress, bounded_capacity_n) { bounded_producers(64, 4, 5000); }

TEST(MpscStress, unbounded_producers) {
  constexpr std::size_t kProducers = 4;
  constexpr std::uint64_t kPer = 10000;
  auto [tx, rx] = mpsc::unbounded<std::uint64_t>();
  std::vector<std::thread> threads;
  for (std::size_t p = 0; p < kProducers; ++p) {
    threads.emplace_back([tx = tx.clone(), p] {
      for (std::uint64_t i = 0; i < kPer; ++i) ASSERT_TRUE(tx.unbounded_send(msg(p, i)).is_ok());
    });
  }
  { auto drop = std::move(tx); }
  OrderChecker check(kProducers);
  for (std::uint64_t n = 0; n < kProducers * kPer; ++n) {
    auto next = next_blocking(rx);
    ASSERT_TRUE(next.has_value());
    check.receive(next->unwrap());
  }
  EXPECT_FALSE(next_blocking(rx).has_value());
  for (auto& t : threads) t.join();
}

// Rust's UnboundedSender is Sync: two threads may call unbounded_send on one object.
TEST(MpscStress, unbounded_shared_sender_object) {
  constexpr std::uint64_t kPer = 10000;
  auto [tx, rx] = mpsc::unbounded<std::uint64_t>();
  const mpsc::UnboundedSender<std::uint64_t>& shared = tx;
  std::thread a([&] { for (std::uint64_t i = 0; i < kPer; ++i) ASSERT_TRUE(shared.unbounded_send(msg(0, i)).is_ok()); });
  std::thread b([&] { for (std::uint64_t i = 0; i < kPer; ++i) ASSERT_TRUE(shared.unbounded_send(msg(1, i)).is_ok()); });
  OrderChecker check(2);
  for (std::uint64_t n = 0; n < 2 * kPer; ++n) {
    auto next = next_blocking(rx);
    ASSERT_TRUE(next.has_value());
    check.receive(next->unwrap());
  }
  a.join();
  b.join();
  { auto drop = std::move(tx); }
  EXPECT_FALSE(next_blocking(rx).has_value());
}

TEST(MpscStress, try_send_producers) {
  constexpr std::size_t kProducers = 3;
  constexpr std::uint64_t kPer = 2000;
  auto [tx, rx] = mpsc::channel<std::uint64_t>(2);
  std::vector<std::thread> threads;
  for (std::size_t p = 0; p < kProducers; ++p) {
    threads.emplace_back([tx = tx.clone(), p]() mutable {
      for (std::uint64_t i = 0; i < kPer; ++i) {
        for (;;) {
          auto r = tx.try_send(msg(p, i));
          if (r.is_ok()) break;
          ASSERT_TRUE(r.unwrap_err_ref().is_full());
          std::this_thread::yield();
        }
      }
    });
  }
  { auto drop = std::move(tx); }
  OrderChecker check(kProducers);
  for (std::uint64_t n = 0; n < kProducers * kPer; ++n) {
    auto next = next_blocking(rx);
    ASSERT_TRUE(next.has_value());
    check.receive(next->unwrap());
  }
  EXPECT_FALSE(next_blocking(rx).has_value());
  for (auto& t : threads) t.join();
}

// The receiver closes mid-stream: every send that was accepted is still received, every
// later one fails, and the stream then ends.
TEST(MpscStress, close_race) {
  constexpr std::size_t kProducers = 3;
  for (int round = 0; round < 40; ++round) {
    const std::size_t buffer = round % 4;
    auto [tx, rx] = mpsc::channel<std::uint64_t>(buffer);
    std::vector<std::uint64_t> accepted(kProducers, 0);
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < kProducers; ++p) {
      threads.emplace_back([tx = tx.clone(), p, &accepted]() mutable {
        for (std::uint64_t i = 0;; ++i) {
          if (!send_blocking(tx, msg(p, i))) break;
          accepted[p] = i + 1;
        }
      });
    }
    { auto drop = std::move(tx); }
    OrderChecker check(kProducers);
    const int before_close = 10 + round * 7;
    for (int n = 0; n < before_close; ++n) {
      auto next = next_blocking(rx);
      ASSERT_TRUE(next.has_value());
      check.receive(next->unwrap());
    }
    rx.close();
    for (;;) {
      auto next = next_blocking(rx);
      if (!next) break;
      check.receive(next->unwrap());
    }
    for (auto& t : threads) t.join();
    // A send that start_send accepted was counted before close(), so it was received;
    // every later one failed.
    for (std::size_t p = 0; p < kProducers; ++p) EXPECT_EQ(check.received(p), accepted[p]);
  }
}

// The receiver is dropped mid-stream: producers see the error, and every message,
// received or not, is destroyed exactly once.
TEST(MpscStress, drop_race) {
  constexpr std::size_t kProducers = 3;
  for (int round = 0; round < 40; ++round) {
    {
      auto [tx, rx] = mpsc::channel<Tracked>(round % 3);
      auto [utx, urx] = mpsc::unbounded<Tracked>();
      std::vector<std::thread> threads;
      for (std::size_t p = 0; p < kProducers; ++p) {
        threads.emplace_back([tx = tx.clone(), p]() mutable {
          for (std::uint64_t i = 0;; ++i) {
            if (!send_blocking(tx, Tracked(msg(p, i)))) break;
          }
        });
      }
      threads.emplace_back([utx = utx.clone()] {
        for (std::uint64_t i = 0; i < 5000; ++i) {
          if (utx.unbounded_send(Tracked(msg(0, i))).is_err()) break;
        }
      });
      { auto drop = std::move(tx); }
      { auto drop = std::move(utx); }
      OrderChecker check(kProducers);
      OrderChecker ucheck(1);
      for (int n = 0; n < round * 5; ++n) {
        auto next = next_blocking(rx);
        ASSERT_TRUE(next.has_value());
        check.receive(next->unwrap().v);
        auto unext = next_blocking(urx);
        ASSERT_TRUE(unext.has_value());
        ucheck.receive(unext->unwrap().v);
      }
      { auto drop = std::move(rx); }
      { auto drop = std::move(urx); }
      for (auto& t : threads) t.join();
    }
    EXPECT_EQ(Tracked::live.load(), 0);
  }
}

// Senders are cloned and dropped on several threads while the receiver waits: the
// stream ends exactly when the last one is gone, after all their messages.
TEST(MpscStress, sender_clone_drop_race) {
  for (int round = 0; round < 30; ++round) {
    auto [tx, rx] = mpsc::channel<std::uint64_t>(1);
    std::vector<std::thread> threads;
    std::atomic<std::uint64_t> sent{0};
    for (std::size_t p = 0; p < 3; ++p) {
      threads.emplace_back([tx = tx.clone(), &sent]() mutable {
        for (int i = 0; i < 20; ++i) {
          mpsc::Sender<std::uint64_t> c = tx.clone();
          if (i % 3 == 0) {
            ASSERT_TRUE(send_blocking(c, 1));
            sent.fetch_add(1);
          }
        }
      });
    }
    { auto drop = std::move(tx); }
    std::uint64_t got = 0;
    for (;;) {
      auto next = next_blocking(rx);
      if (!next) break;
      got += next->unwrap();
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(got, sent.load());
    EXPECT_EQ(got, 3u * 7u);
  }
}

// Many short channels: the last sender's end marker races with the receiver parking.
TEST(MpscStress, last_sender_drop_vs_receiver_park) {
  for (int round = 0; round < 500; ++round) {
    auto [tx, rx] = mpsc::channel<int>(round % 2);
    std::thread t([tx = std::move(tx)]() mutable {
      EXPECT_TRUE(send_blocking(tx, 1));
      EXPECT_TRUE(send_blocking(tx, 2));
    });
    auto a = next_blocking(rx);
    auto b = next_blocking(rx);
    auto c = next_blocking(rx);
    t.join();
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->unwrap(), 1);
    EXPECT_EQ(b->unwrap(), 2);
    EXPECT_FALSE(c.has_value());
  }
}

}  // namespace mpsc_stress_test
