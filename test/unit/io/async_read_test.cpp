// Port of tokio-io 0.1.22 tests/async_read.rs: AsyncRead::read_buf over a vector's
// spare capacity (BytesMut::with_capacity(n) is a vector with reserve(n)).
// read_buf_uninitialized_ok is not ported: it relies on Rust leaving the spare bytes
// uninitialized when `prepare_uninitialized_buffer` says so; C++ read_buf always zeroes
// them. read_buf_translate_wouldblock_to_not_ready: the C++ concept has no
// `std::io::Read` underneath, so the reader returns NotReady itself.
#include <tokio/io.hpp>

#include "support/notify.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <vector>

namespace async_read_test {

using futures::Poll;
using tokio::io::Error;
using tokio::io::ErrorKind;

struct HelloReader {
  Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> buf) {
    std::memcpy(buf.data(), "hello world", 11);
    return futures::Ready(std::size_t{11});
  }
};
struct ErrorReader {
  Poll<std::size_t, Error> poll_read(std::span<std::uint8_t>) { return futures::Err(Error(ErrorKind::Other, "other")); }
};
struct UnreachableReader {
  Poll<std::size_t, Error> poll_read(std::span<std::uint8_t>) { throw std::logic_error("unimplemented"); }
};
struct ZeroCheckingReader {
  Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> buf) {
    EXPECT_TRUE(std::all_of(buf.begin(), buf.end(), [](std::uint8_t b) { return b == 0; }));
    return futures::Ready(std::size_t{0});
  }
};
struct NotReadyReader {
  Poll<std::size_t, Error> poll_read(std::span<std::uint8_t>) { return futures::NotReady; }
};

static_assert(tokio::io::AsyncRead<HelloReader>);
static_assert(!tokio::io::AsyncWrite<HelloReader>);

TEST(AsyncRead, read_buf_success) {
  HelloReader r;
  std::vector<std::uint8_t> buf;
  buf.reserve(65);
  auto n = tokio::io::read_buf(r, buf);
  ASSERT_TRUE(n.is_ok());
  ASSERT_TRUE(n.unwrap_ref().is_ready());
  EXPECT_EQ(11u, n.unwrap_ref().value());
  EXPECT_EQ(std::string(buf.begin(), buf.end()), "hello world");
}

TEST(AsyncRead, read_buf_error) {
  ErrorReader r;
  std::vector<std::uint8_t> buf;
  buf.reserve(65);
  auto err = tokio::io::read_buf(r, buf).unwrap_err();
  EXPECT_EQ(err.kind(), ErrorKind::Other);
  EXPECT_TRUE(buf.empty());
}

TEST(AsyncRead, read_buf_no_capacity) {
  UnreachableReader r;
  std::vector<std::uint8_t> buf(64, 0);
  buf.shrink_to_fit();
  buf.reserve(64);  // capacity 64, all of it filled
  ASSERT_EQ(buf.size(), buf.capacity());
  auto n = tokio::io::read_buf(r, buf);
  EXPECT_EQ(n, futures::Ready(std::size_t{0}));
}

TEST(AsyncRead, read_buf_no_uninitialized) {
  ZeroCheckingReader r;
  std::vector<std::uint8_t> buf;
  buf.reserve(64);
  EXPECT_EQ(tokio::io::read_buf(r, buf), futures::Ready(std::size_t{0}));
}

TEST(AsyncRead, read_buf_translate_wouldblock_to_not_ready) {
  NotReadyReader r;
  std::vector<std::uint8_t> buf;
  buf.reserve(65);
  auto polled = tokio::io::read_buf(r, buf);
  ASSERT_TRUE(polled.is_ok());
  EXPECT_FALSE(polled.unwrap_ref().is_ready());
  EXPECT_TRUE(buf.empty());
}

TEST(AsyncRead, read_buf_appends_after_the_filled_part) {
  tokio::io::Cursor<std::vector<std::uint8_t>> src(std::vector<std::uint8_t>{'c', 'd'});
  std::vector<std::uint8_t> buf{'a', 'b'};
  buf.reserve(8);
  EXPECT_EQ(tokio::io::read_buf(src, buf), futures::Ready(std::size_t{2}));
  EXPECT_EQ(std::string(buf.begin(), buf.end()), "abcd");
}

TEST(AsyncWrite, write_buf_advances_the_cursor) {
  tokio::io::Cursor<std::vector<std::uint8_t>> out;
  tokio::io::Cursor<std::string> src(std::string("hello"));
  EXPECT_EQ(tokio::io::write_buf(out, src), futures::Ready(std::size_t{5}));
  EXPECT_EQ(src.position(), 5u);
  EXPECT_EQ(tokio::io::write_buf(out, src), futures::Ready(std::size_t{0}));
  EXPECT_EQ(std::string(out.get_ref().begin(), out.get_ref().end()), "hello");
}

TEST(Cursor, reads_and_writes_at_its_position) {
  static_assert(tokio::io::AsyncRead<tokio::io::Cursor<std::span<const std::uint8_t>>>);
  static_assert(!tokio::io::AsyncWrite<tokio::io::Cursor<std::span<const std::uint8_t>>>);
  static_assert(tokio::io::AsyncWrite<tokio::io::Cursor<std::vector<std::uint8_t>>>);
  const std::uint8_t data[] = {1, 2, 3};
  tokio::io::Cursor<std::span<const std::uint8_t>> in{std::span<const std::uint8_t>(data)};
  std::uint8_t two[2];
  EXPECT_EQ(in.poll_read(two), futures::Ready(std::size_t{2}));
  EXPECT_EQ(in.poll_read(two), futures::Ready(std::size_t{1}));
  EXPECT_EQ(two[0], 3);
  EXPECT_EQ(in.poll_read(two), futures::Ready(std::size_t{0}));

  std::array<std::uint8_t, 3> fixed{};
  tokio::io::Cursor<std::span<std::uint8_t>> out{std::span<std::uint8_t>(fixed)};
  const std::uint8_t four[] = {9, 8, 7, 6};
  EXPECT_EQ(out.poll_write(four), futures::Ready(std::size_t{3}));
  EXPECT_EQ(out.poll_write(four), futures::Ready(std::size_t{0}));
  EXPECT_EQ(fixed[2], 7);

  tokio::io::Cursor<std::vector<std::uint8_t>> vec(std::vector<std::uint8_t>{1, 2, 3});
  vec.set_position(2);
  EXPECT_EQ(vec.poll_write(four), futures::Ready(std::size_t{4}));
  EXPECT_EQ(vec.get_ref(), (std::vector<std::uint8_t>{1, 2, 9, 8, 7, 6}));
}

}  // namespace async_read_test
