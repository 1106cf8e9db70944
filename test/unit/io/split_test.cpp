// tokio::io::split (tokio-io 0.1.22 src/split.rs): the halves satisfy the concepts,
// are usable from two tasks on two threads, and unsplit gives the object back.
#include <tokio/io.hpp>

#include "support/mock_io.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace io_split_test {

using tokio::io::ReadHalf;
using tokio::io::WriteHalf;
using tokio_test::io::Builder;
using tokio_test::io::Mock;

static_assert(tokio::io::AsyncRead<ReadHalf<Mock>> && !tokio::io::AsyncWrite<ReadHalf<Mock>>);
static_assert(tokio::io::AsyncWrite<WriteHalf<Mock>> && !tokio::io::AsyncRead<WriteHalf<Mock>>);

TEST(IoSplit, halves_read_and_write_then_unsplit) {
  auto [r, w] = tokio::io::split(Builder().read("in").write("out").build());
  auto [r2, got] = tokio::io::read_exact(std::move(r), std::vector<std::uint8_t>(2)).wait().unwrap();
  EXPECT_EQ(std::string(got.begin(), got.end()), "in");
  auto [w2, sent] = tokio::io::write_all(std::move(w), std::string("out")).wait().unwrap();
  Mock whole = std::move(r2).unsplit(std::move(w2));
  EXPECT_TRUE(whole.done());
}

// The script alternates reads and writes, so each half must wait for the other: the
// reader thread parks on a write at the front, the writer's progress notifies it.
TEST(IoSplit, halves_used_from_two_tasks) {
  constexpr int kRounds = 200;
  Builder script;
  for (int i = 0; i < kRounds; ++i) {
    script.read("ping" + std::to_string(i % 10));
    if (i % 7 == 0) script.wait_would_block();
    script.write("pong" + std::to_string(i % 10));
  }
  auto [r, w] = tokio::io::split(script.build());

  std::thread reader_thread([r = std::move(r)]() mutable {
    auto rest = tokio::io::read_to_end(std::move(r), {}).wait().unwrap();
    std::string all(std::get<1>(rest).begin(), std::get<1>(rest).end());
    EXPECT_EQ(all.size(), 5u * kRounds);
    EXPECT_EQ(all.substr(0, 10), "ping0ping1");
  });
  std::thread writer_thread([w = std::move(w)]() mutable {
    for (int i = 0; i < kRounds; ++i) {
      w = std::get<0>(tokio::io::write_all(std::move(w), "pong" + std::to_string(i % 10)).wait().unwrap());
    }
    EXPECT_TRUE(tokio::io::flush(std::move(w)).wait().is_ok());
  });
  reader_thread.join();
  writer_thread.join();
}

TEST(IoSplit, copy_between_the_halves_of_two_objects) {
  auto [ra, wa] = tokio::io::split(Builder().read("echo me").build());
  auto [rb, wb] = tokio::io::split(Builder().write("echo me").build());
  auto [amt, r, w] = tokio::io::copy(std::move(ra), std::move(wb)).wait().unwrap();
  EXPECT_EQ(amt, 7u);
}

}  // namespace io_split_test
