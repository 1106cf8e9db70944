// tokio::io helper futures (tokio-io 0.1.22 src/io/*.rs): read, read_exact,
// write_all, read_to_end, read_until, flush, shutdown, and BufReader, driven through
// the scripted mock: partial transfers, NotReady in the middle, end of stream, errors.
#include <tokio/io.hpp>

#include "support/mock_io.hpp"
#include "support/notify.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace io_helpers_test {

using tokio::io::Error;
using tokio::io::ErrorKind;
using tokio_test::io::Builder;
using tokio_test::io::Mock;

static_assert(tokio::io::AsyncRead<Mock> && tokio::io::AsyncWrite<Mock>);
static_assert(futures::Future<tokio::io::ReadExact<Mock, std::vector<std::uint8_t>>>);

std::string str(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

TEST(IoRead, one_read_may_be_partial) {
  auto mock = Builder().read("hel").read("lo").build();
  auto [m, buf, n] = tokio::io::read(std::move(mock), std::vector<std::uint8_t>(16)).wait().unwrap();
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + 3), "hel");
  auto [m2, buf2, n2] = tokio::io::read(std::move(m), std::move(buf)).wait().unwrap();
  EXPECT_EQ(n2, 2u);
  auto [m3, buf3, n3] = tokio::io::read(std::move(m2), std::move(buf2)).wait().unwrap();
  EXPECT_EQ(n3, 0u);  // end of stream
}

TEST(IoRead, not_ready_notifies_and_resumes) {
  auto fut = tokio::io::read(Builder().wait_would_block().read("x").build(), std::array<std::uint8_t, 4>{});
  auto counting = std::make_shared<futures_test::CountingNotify>();
  futures::executor::NotifyHandle handle(counting);
  auto first = futures_test::poll_once(fut, handle);
  ASSERT_TRUE(first.is_ok());
  EXPECT_TRUE(first.unwrap_ref().is_not_ready());
  EXPECT_EQ(counting->count(), 1u);
  auto second = futures_test::poll_once(fut, handle);
  ASSERT_TRUE(second.is_ok() && second.unwrap_ref().is_ready());
  EXPECT_EQ(std::get<2>(std::move(second).unwrap().value()), 1u);
}

TEST(IoReadExact, fills_across_partial_reads_and_would_block) {
  auto mock = Builder().read("he").wait_would_block().read("l").wait_would_block().read("lo world").build();
  auto [m, buf] = tokio::io::read_exact(std::move(mock), std::vector<std::uint8_t>(5)).wait().unwrap();
  EXPECT_EQ(str(buf), "hello");
  auto [m2, rest] = tokio::io::read_exact(std::move(m), std::vector<std::uint8_t>(6)).wait().unwrap();
  EXPECT_EQ(str(rest), " world");
}

TEST(IoReadExact, early_eof) {
  auto err = tokio::io::read_exact(Builder().read("abc").build(), std::vector<std::uint8_t>(5)).wait().unwrap_err();
  EXPECT_EQ(err.kind(), ErrorKind::UnexpectedEof);
  EXPECT_EQ(err.message(), "early eof");
}

TEST(IoReadExact, error_propagates) {
  auto mock = Builder().read("a").read_error(Error(ErrorKind::ConnectionReset, "reset")).build();
  auto err = tokio::io::read_exact(std::move(mock), std::vector<std::uint8_t>(5)).wait().unwrap_err();
  EXPECT_EQ(err.kind(), ErrorKind::ConnectionReset);
}

TEST(IoReadExact, empty_buffer_is_ready_at_once) {
  auto [m, buf] = tokio::io::read_exact(Builder().build(), std::vector<std::uint8_t>()).wait().unwrap();
  EXPECT_TRUE(buf.empty());
}

/// Accepts at most `limit` bytes per call and counts the calls.
struct Trickle {
  std::vector<std::uint8_t> out;
  std::size_t limit;
  futures::Poll<std::size_t, Error> poll_write(std::span<const std::uint8_t> buf) {
    std::size_t n = std::min(limit, buf.size());
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return futures::Ready(n);
  }
  futures::Poll<futures::Unit, Error> poll_flush() { return futures::Ready(futures::Unit{}); }
  futures::Poll<futures::Unit, Error> shutdown() { return futures::Ready(futures::Unit{}); }
};

TEST(IoWriteAll, writes_through_partial_writes_and_would_block) {
  auto mock = Builder().write("hel").wait_would_block().write("lo").build();
  auto [m, buf] = tokio::io::write_all(std::move(mock), std::string("hello")).wait().unwrap();
  EXPECT_EQ(buf, "hello");
  EXPECT_TRUE(m.done());

  auto [t, v] = tokio::io::write_all(Trickle{{}, 2}, std::vector<std::uint8_t>{1, 2, 3, 4, 5}).wait().unwrap();
  EXPECT_EQ(t.out, v);
}

TEST(IoWriteAll, write_zero_is_an_error) {
  auto err = tokio::io::write_all(Trickle{{}, 0}, std::string("x")).wait().unwrap_err();
  EXPECT_EQ(err.kind(), ErrorKind::WriteZero);
  EXPECT_EQ(err.message(), "zero-length write");
}

TEST(IoWriteAll, error_propagates) {
  auto mock = Builder().write("he").write_error(Error(ErrorKind::BrokenPipe)).build();
  auto err = tokio::io::write_all(std::move(mock), std::string("hello")).wait().unwrap_err();
  EXPECT_EQ(err.kind(), ErrorKind::BrokenPipe);
}

TEST(IoReadToEnd, appends_everything_until_eof) {
  auto mock = Builder().read("one ").wait_would_block().read(std::string(100, 'x')).read(" two").build();
  auto [m, buf] = tokio::io::read_to_end(std::move(mock), tokio_test::io::to_bytes("start: ")).wait().unwrap();
  EXPECT_EQ(str(buf), "start: one " + std::string(100, 'x') + " two");
}

TEST(IoReadToEnd, keeps_bytes_read_before_not_ready) {
  auto fut = tokio::io::read_to_end(Builder().read("ab").wait_would_block().read("cd").build(), {});
  EXPECT_TRUE(futures_test::poll_noop(fut).unwrap().is_not_ready());
  auto [m, buf] = std::move(fut).wait().unwrap();
  EXPECT_EQ(str(buf), "abcd");
}

TEST(IoReadToEnd, error_propagates) {
  auto mock = Builder().read("ab").read_error(Error(ErrorKind::Other, "boom")).build();
  auto err = tokio::io::read_to_end(std::move(mock), {}).wait().unwrap_err();
  EXPECT_EQ(err.message(), "boom");
}

TEST(IoReadUntil, plain_reader_stops_right_after_the_delimiter) {
  auto mock = Builder().read("key=").wait_would_block().read("value;rest").build();
  auto [m, buf] = tokio::io::read_until(std::move(mock), ';', {}).wait().unwrap();
  EXPECT_EQ(str(buf), "key=value;");
  auto [m2, rest] = tokio::io::read_until(std::move(m), ';', {}).wait().unwrap();
  EXPECT_EQ(str(rest), "rest");  // end of stream without the delimiter
  auto [m3, none] = tokio::io::read_until(std::move(m2), ';', {}).wait().unwrap();
  EXPECT_TRUE(none.empty());
}

TEST(IoReadUntil, buffered_reader_keeps_what_follows) {
  tokio::io::BufReader<Mock> reader(Builder().read("a,b").wait_would_block().read("c,d").build());
  auto [r, first] = tokio::io::read_until(std::move(reader), ',', {}).wait().unwrap();
  EXPECT_EQ(str(first), "a,");
  EXPECT_EQ(r.buffer().size(), 1u);
  auto [r2, second] = tokio::io::read_until(std::move(r), ',', {}).wait().unwrap();
  EXPECT_EQ(str(second), "bc,");
  auto [r3, third] = tokio::io::read_until(std::move(r2), ',', {}).wait().unwrap();
  EXPECT_EQ(str(third), "d");
}

TEST(IoBufReader, small_capacity_and_large_reads) {
  tokio::io::BufReader<Mock> reader(2, Builder().read("abcdef").build());
  static_assert(tokio::io::AsyncBufRead<tokio::io::BufReader<Mock>>);
  auto [r, buf] = tokio::io::read_exact(std::move(reader), std::vector<std::uint8_t>(6)).wait().unwrap();
  EXPECT_EQ(str(buf), "abcdef");
}

TEST(IoFlush, resolves_to_the_writer) {
  Mock m = tokio::io::flush(Builder().build()).wait().unwrap();
  EXPECT_EQ(m.flushes(), 1u);
  Mock s = tokio::io::shutdown(std::move(m)).wait().unwrap();
  EXPECT_EQ(s.shutdowns(), 1u);
}

TEST(IoHelpers, chain_with_combinators) {
  auto mock = Builder().write("ping").read("pong").build();
  auto reply = tokio::io::write_all(std::move(mock), std::string("ping"))
                   .and_then([](Mock m, std::string) { return tokio::io::read_exact(std::move(m), std::vector<std::uint8_t>(4)); })
                   .map([](Mock, std::vector<std::uint8_t> buf) { return str(buf); })
                   .wait();
  EXPECT_EQ(reply.unwrap(), "pong");
}

void mismatched_write() {
  (void)tokio::io::write_all(Builder().write("abc").build(), std::string("abd")).wait();
}
void leftover_actions() { (void)Builder().read("never read").build(); }

TEST(IoMock, reports_mismatched_writes_and_leftover_actions) {
  EXPECT_NONFATAL_FAILURE(mismatched_write(), "does not match");
  EXPECT_NONFATAL_FAILURE(leftover_actions(), "actions left");
}

}  // namespace io_helpers_test
