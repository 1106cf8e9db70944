// io::copy's memory: a Copy owns no buffer while the writer keeps up (the reads go into a
// per-thread buffer), takes one the first time the writer falls behind, and keeps it.
// Its own executable: it replaces the global operator new to count allocations
// (support/counting_new.cpp).
#include <tokio/io/copy.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "support/counting_new.hpp"

namespace {

using tokio::io::Error;

// `messages` reads of 64 bytes each (byte i of message m is m + i), then end of stream.
struct PingReader {
  int messages;
  int sent = 0;
  futures::Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> buf) {
    if (sent == messages) return futures::Ready(std::size_t{0});
    for (std::size_t i = 0; i < 64; ++i) buf[i] = static_cast<std::uint8_t>(sent + static_cast<int>(i));
    ++sent;
    return futures::Ready(std::size_t{64});
  }
};

// Takes at most `per_write` bytes a call and checks every byte against PingReader's.
// With `stall`, every other call is NotReady (the test polls again; no task is involved).
struct CheckingWriter {
  std::size_t per_write;
  bool stall = false;
  std::size_t received = 0;
  bool ok = true;
  bool stalled = false;
  futures::Poll<std::size_t, Error> poll_write(std::span<const std::uint8_t> buf) {
    stalled = stall && !stalled;
    if (stalled) return futures::NotReady;
    std::size_t n = std::min(buf.size(), per_write);
    for (std::size_t i = 0; i < n; ++i, ++received) {
      ok = ok && buf[i] == static_cast<std::uint8_t>(received / 64 + received % 64);
    }
    return futures::Ready(n);
  }
  futures::Poll<futures::Unit, Error> poll_flush() { return futures::Ready(futures::Unit{}); }
  futures::Poll<futures::Unit, Error> shutdown() { return futures::Ready(futures::Unit{}); }
};

long allocations_of_a_copy(std::size_t per_write, int messages, bool stall = false) {
  long before = test_support::allocations();
  bool ok = false;
  std::uint64_t amt = 0;
  {
    auto copy = tokio::io::copy(PingReader{messages}, CheckingWriter{per_write, stall});
    auto p = copy.poll();
    while (p.is_ok() && p.unwrap_ref().is_not_ready()) p = copy.poll();
    auto [n, r, w] = std::move(p).unwrap().value();
    amt = n;
    ok = w.ok;
  }
  EXPECT_TRUE(ok);
  EXPECT_EQ(amt, static_cast<std::uint64_t>(messages) * 64);
  return test_support::allocations() - before;
}

TEST(IoCopyMemory, a_writer_that_keeps_up_costs_no_buffer) {
  allocations_of_a_copy(64, 1);  // the thread's scratch buffer, once
  EXPECT_EQ(allocations_of_a_copy(64, 1000), 0);
}

TEST(IoCopyMemory, short_writes_cost_no_buffer_while_the_writer_is_ready) {
  allocations_of_a_copy(64, 1);
  EXPECT_EQ(allocations_of_a_copy(10, 1000), 0);
}

TEST(IoCopyMemory, a_stalled_writer_moves_the_rest_into_one_buffer_of_its_own) {
  allocations_of_a_copy(64, 1);
  EXPECT_EQ(allocations_of_a_copy(10, 1000, true), 1);
  EXPECT_EQ(allocations_of_a_copy(64, 1000, true), 1);  // a whole read waits in it
}

// A Copy polled from inside another's read finds the scratch buffer lent: it reads into
// its own buffer, and neither copy's bytes are overwritten.
struct NestedCopyReader {
  int messages;
  int sent = 0;
  futures::Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> buf) {
    if (sent == messages) return futures::Ready(std::size_t{0});
    auto inner = tokio::io::copy(PingReader{3}, CheckingWriter{7});
    auto [n, r, w] = inner.poll().unwrap().value();
    EXPECT_TRUE(w.ok);
    EXPECT_EQ(n, 3u * 64);
    for (std::size_t i = 0; i < 64; ++i) buf[i] = static_cast<std::uint8_t>(sent + static_cast<int>(i));
    ++sent;
    return futures::Ready(std::size_t{64});
  }
};

TEST(IoCopyMemory, a_copy_inside_a_copy_uses_its_own_buffer) {
  auto copy = tokio::io::copy(NestedCopyReader{50}, CheckingWriter{64});
  auto [n, r, w] = copy.poll().unwrap().value();
  EXPECT_TRUE(w.ok);
  EXPECT_EQ(n, 50u * 64);
}

}  // namespace
