// tokio::io::copy (tokio-io 0.1.22 src/io/copy.rs): counts, flushes at the end, hands
// back both ends, 1 MiB through mocks with random WouldBlocks on both sides, errors.
#include <tokio/io.hpp>

#include "support/mock_io.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace io_copy_test {

using tokio::io::Error;
using tokio::io::ErrorKind;
using tokio_test::io::Builder;
using tokio_test::io::Mock;

TEST(IoCopy, copies_flushes_and_hands_back_both_ends) {
  auto reader = Builder().read("hello ").wait_would_block().read("world").build();
  auto writer = Builder().write("hello ").write("world").build();
  auto [amt, r, w] = tokio::io::copy(std::move(reader), std::move(writer)).wait().unwrap();
  EXPECT_EQ(amt, 11u);
  EXPECT_EQ(w.flushes(), 1u);
  EXPECT_TRUE(r.done());
}

TEST(IoCopy, one_mebibyte_with_random_would_blocks) {
  constexpr std::size_t kTotal = 1 << 20;
  std::mt19937 rng(12345);
  std::vector<std::uint8_t> data(kTotal);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());

  Builder reads;
  Builder writes;
  std::uniform_int_distribution<std::size_t> chunk(1, 40000);
  std::bernoulli_distribution block(0.3);
  for (std::size_t pos = 0; pos < kTotal;) {
    std::size_t n = std::min(chunk(rng), kTotal - pos);
    if (block(rng)) reads.wait_would_block();
    reads.read(std::vector<std::uint8_t>(data.begin() + static_cast<std::ptrdiff_t>(pos),
                                         data.begin() + static_cast<std::ptrdiff_t>(pos + n)));
    pos += n;
  }
  for (std::size_t pos = 0; pos < kTotal;) {
    std::size_t n = std::min(chunk(rng), kTotal - pos);
    if (block(rng)) writes.wait_would_block();
    writes.write(std::vector<std::uint8_t>(data.begin() + static_cast<std::ptrdiff_t>(pos),
                                           data.begin() + static_cast<std::ptrdiff_t>(pos + n)));
    pos += n;
  }
  auto done = tokio::io::copy(reads.build(), writes.build())
                  .map([](std::uint64_t amt, Mock r, Mock w) {
                    EXPECT_TRUE(r.done());
                    EXPECT_TRUE(w.done());
                    return amt;
                  })
                  .wait();
  EXPECT_EQ(done.unwrap(), kTotal);
}

TEST(IoCopy, into_a_vector_cursor) {
  auto [amt, r, w] = tokio::io::copy(tokio::io::Cursor<std::string>(std::string(50000, 'z')),
                                     tokio::io::Cursor<std::vector<std::uint8_t>>())
                         .wait()
                         .unwrap();
  EXPECT_EQ(amt, 50000u);
  EXPECT_EQ(w.get_ref(), std::vector<std::uint8_t>(50000, 'z'));
}

struct ZeroWriter {
  futures::Poll<std::size_t, Error> poll_write(std::span<const std::uint8_t>) { return futures::Ready(std::size_t{0}); }
  futures::Poll<futures::Unit, Error> poll_flush() { return futures::Ready(futures::Unit{}); }
  futures::Poll<futures::Unit, Error> shutdown() { return futures::Ready(futures::Unit{}); }
};

TEST(IoCopy, write_zero_is_an_error) {
  auto err = tokio::io::copy(Builder().read("x").build(), ZeroWriter{}).wait().unwrap_err();
  EXPECT_EQ(err.kind(), ErrorKind::WriteZero);
}

TEST(IoCopy, errors_from_either_side_propagate) {
  auto read_err = tokio::io::copy(Builder().read("ab").read_error(Error(ErrorKind::ConnectionReset)).build(),
                                  Builder().write("ab").build())
                      .wait()
                      .unwrap_err();
  EXPECT_EQ(read_err.kind(), ErrorKind::ConnectionReset);
  auto write_err = tokio::io::copy(Builder().read("ab").build(),
                                   Builder().write("a").write_error(Error(ErrorKind::BrokenPipe)).build())
                       .wait()
                       .unwrap_err();
  EXPECT_EQ(write_err.kind(), ErrorKind::BrokenPipe);
}

TEST(IoCopy, empty_reader_still_flushes) {
  auto [amt, r, w] = tokio::io::copy(Builder().build(), Builder().build()).wait().unwrap();
  EXPECT_EQ(amt, 0u);
  EXPECT_EQ(w.flushes(), 1u);
}

// The seed example's shape (PORTING.md): split, copy, map over (amt, reader, writer)
// with a generic lambda, map_err, through the prelude.
TEST(IoCopy, seed_example_shape) {
  using namespace tokio::prelude;
  static_assert(AsyncRead<tokio::io::ReadHalf<Mock>> && AsyncWrite<tokio::io::WriteHalf<Mock>>);
  std::uint64_t copied = 0;
  auto [reader, writer] = tokio::io::split(Builder().read("echo").write("echo").build());
  auto bytes_copied = tokio::io::copy(std::move(reader), std::move(writer));
  auto handle_conn = std::move(bytes_copied)
                         .map([&](std::uint64_t amt, auto&&, auto&&) { copied = amt; })
                         .map_err([](const tokio::io::Error& err) { ADD_FAILURE() << err; });
  static_assert(std::is_same_v<decltype(handle_conn)::Item, futures::Unit>);
  static_assert(std::is_same_v<decltype(handle_conn)::Error, futures::Unit>);
  EXPECT_TRUE(std::move(handle_conn).wait().is_ok());
  EXPECT_EQ(copied, 4u);
}

}  // namespace io_copy_test
