// tokio::io::lines (tokio-io 0.1.22 src/lines.rs): "\n" and "\r\n" stripped, a last
// line without newline, NotReady in the middle of a line, errors, a buffered reader.
#include <tokio/io.hpp>

#include "support/mock_io.hpp"
#include "support/notify.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace io_lines_test {

using tokio::io::Error;
using tokio::io::ErrorKind;
using tokio_test::io::Builder;
using tokio_test::io::Mock;

static_assert(futures::Stream<tokio::io::Lines<Mock>>);

TEST(IoLines, strips_newlines_and_keeps_the_last_line) {
  auto mock = Builder()
                  .read("first\r\nsec")
                  .wait_would_block()
                  .read("ond\n\nthird\r")
                  .wait_would_block()
                  .read("\nlast")
                  .build();
  auto all = tokio::io::lines(std::move(mock)).collect().wait().unwrap();
  EXPECT_EQ(all, (std::vector<std::string>{"first", "second", "", "third", "last"}));
}

TEST(IoLines, lone_carriage_return_is_kept) {
  auto all = tokio::io::lines(Builder().read("a\rb\n").build()).collect().wait().unwrap();
  EXPECT_EQ(all, (std::vector<std::string>{"a\rb"}));
}

TEST(IoLines, not_ready_keeps_the_partial_line) {
  auto stream = tokio::io::lines(Builder().read("par").wait_would_block().read("tial\n").build());
  EXPECT_TRUE(futures_test::poll_noop(stream).unwrap().is_not_ready());
  auto item = futures_test::poll_noop(stream).unwrap();
  ASSERT_TRUE(item.is_ready());
  EXPECT_EQ(*item.value(), "partial");
  EXPECT_EQ(futures_test::poll_noop(stream).unwrap().value(), std::nullopt);
}

TEST(IoLines, error_propagates) {
  auto stream = tokio::io::lines(Builder().read("ok\n").read_error(Error(ErrorKind::TimedOut)).build());
  auto wait = std::move(stream).wait();
  EXPECT_EQ(wait.next()->unwrap(), "ok");
  EXPECT_EQ(wait.next()->unwrap_err().kind(), ErrorKind::TimedOut);
}

TEST(IoLines, over_a_buffered_reader_and_a_cursor) {
  tokio::io::BufReader<tokio::io::Cursor<std::string>> reader(tokio::io::Cursor<std::string>(std::string("x\ny\n")));
  auto all = tokio::io::lines(std::move(reader)).collect().wait().unwrap();
  EXPECT_EQ(all, (std::vector<std::string>{"x", "y"}));
  auto none = tokio::io::lines(tokio::io::Cursor<std::string>()).collect().wait().unwrap();
  EXPECT_TRUE(none.empty());
}

}  // namespace io_lines_test
