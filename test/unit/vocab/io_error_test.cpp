// tokio::io::Error: kinds from errno as Rust's std maps them, custom errors, printing.
#include <tokio/fmt.hpp>
#include <tokio/io/error.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <sstream>

namespace io_error_test {

using tokio::io::Error;
using tokio::io::ErrorKind;

TEST(IoError, ErrnoMapsToRustKinds) {
  EXPECT_EQ(Error::from_raw_os_error(ECONNRESET).kind(), ErrorKind::ConnectionReset);
  EXPECT_EQ(Error::from_raw_os_error(ECONNREFUSED).kind(), ErrorKind::ConnectionRefused);
  EXPECT_EQ(Error::from_raw_os_error(EPIPE).kind(), ErrorKind::BrokenPipe);
  EXPECT_EQ(Error::from_raw_os_error(EAGAIN).kind(), ErrorKind::WouldBlock);
  EXPECT_EQ(Error::from_raw_os_error(EADDRINUSE).kind(), ErrorKind::AddrInUse);
  EXPECT_EQ(Error::from_raw_os_error(EACCES).kind(), ErrorKind::PermissionDenied);
  EXPECT_EQ(Error::from_raw_os_error(EMFILE).kind(), ErrorKind::Other);
  EXPECT_EQ(Error::from_raw_os_error(EMFILE).raw_os_error(), EMFILE);
}

TEST(IoError, LastOsErrorReadsErrno) {
  errno = ENOTCONN;
  EXPECT_EQ(Error::last_os_error().kind(), ErrorKind::NotConnected);
}

TEST(IoError, CustomErrorKeepsKindAndMessage) {
  Error e(ErrorKind::UnexpectedEof, "early eof");
  EXPECT_EQ(e.kind(), ErrorKind::UnexpectedEof);
  EXPECT_EQ(e.message(), "early eof");
  EXPECT_EQ(e.raw_os_error(), 0);
  EXPECT_TRUE(e == ErrorKind::UnexpectedEof);
  EXPECT_EQ(Error(ErrorKind::WriteZero).message(), "write zero");
  EXPECT_TRUE(tokio::io::would_block().is_would_block());
}

TEST(IoError, PrintsLikeRust) {
  std::ostringstream os;
  os << Error::from_raw_os_error(ECONNRESET);
  EXPECT_EQ(os.str(), "Connection reset by peer (os error 104)");
  EXPECT_EQ(fmt::format("{}", Error(ErrorKind::Other, "boom")), "boom");
  EXPECT_EQ(fmt::format("{}", ErrorKind::TimedOut), "TimedOut");
  // Specs apply to the text (the writing is in lib/tokio/fmt.cpp).
  EXPECT_EQ(fmt::format("[{:>6}]", Error(ErrorKind::Other, "boom")), "[  boom]");
  EXPECT_EQ(fmt::format("[{:*^10.4}]", ErrorKind::TimedOut), "[***Time***]");
}

TEST(IoError, ResultAliasCarriesTheError) {
  tokio::io::Result<int> r = futures::Err(Error(ErrorKind::InvalidInput));
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::InvalidInput);
}

}  // namespace io_error_test
