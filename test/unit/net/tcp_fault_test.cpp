// Fault tests for tokio::net TCP (RELIABILITY.md rows 7, 8, 9): connect refused, a peer
// reset mid-read and mid-write (an error on that connection alone), half-close in each
// direction, writes to a closed peer with SIGPIPE at its default disposition, and the
// lock-free split halves used by two tasks at once. Loopback and port 0 only.
#include <tokio/io/copy.hpp>
#include <tokio/io/read_exact.hpp>
#include <tokio/io/read_to_end.hpp>
#include <tokio/io/shutdown.hpp>
#include <tokio/io/write_all.hpp>
#include <tokio/net.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include "unit/net/tcp_test_peer.hpp"

#include <csignal>
#include <cstdint>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace tcp_fault_test {

using tcp_test::BlockingListener;
using tcp_test::BlockingSocket;
using tcp_test::loopback;
using tokio::io::ErrorKind;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

// A connected pair: our TcpStream and the blocking peer.
std::tuple<TcpStream, BlockingSocket> connected_pair() {
  BlockingListener srv;
  auto mine = TcpStream::connect(srv.local_addr()).wait().unwrap();
  auto theirs = srv.accept();
  return {std::move(mine), std::move(theirs)};
}

bool sigpipe_is_default() {
  struct sigaction old {};
  sigaction(SIGPIPE, nullptr, &old);
  return old.sa_handler == SIG_DFL;
}

TEST(TcpFault, connect_refused) {
  tokio::net::SocketAddr addr = loopback();
  {
    BlockingListener closed;  // a port that was just free, now refusing
    addr = closed.local_addr();
  }
  auto r = TcpStream::connect(addr).wait();
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::ConnectionRefused) << r.unwrap_err();
}

TEST(TcpFault, connect_future_error_once) {
  // A connect that cannot even start (port 0 is not connectable) fails at the first poll.
  auto r = TcpStream::connect(tokio::net::SocketAddr(tokio::net::Ipv4Addr::unspecified(), 0)).wait();
  EXPECT_TRUE(r.is_err());
}

// The peer resets while we wait in a read; the reset is an error for this stream only:
// a second connection through the same reactor keeps working.
TEST(TcpFault, peer_reset_mid_read) {
  auto [mine, theirs] = connected_pair();
  auto [other, other_peer] = connected_pair();

  std::thread resetter([&theirs] { theirs.reset(); });
  auto r = tokio::io::read_to_end(std::move(mine), std::vector<std::uint8_t>()).wait();
  resetter.join();
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::ConnectionReset) << r.unwrap_err();

  other_peer.write_all("still here");
  auto got = tokio::io::read_exact(std::move(other), std::vector<std::uint8_t>(10)).wait();
  ASSERT_TRUE(got.is_ok()) << got.unwrap_err();
  EXPECT_EQ(tcp_test::to_string(std::get<1>(got.unwrap_ref())), "still here");
}

// The peer reads a little, then resets while we are blocked in a large write.
TEST(TcpFault, peer_reset_mid_write) {
  ASSERT_TRUE(sigpipe_is_default());
  auto [mine, theirs] = connected_pair();
  ASSERT_TRUE(mine.set_send_buffer_size(64 * 1024).is_ok());

  std::thread peer([&theirs] {
    EXPECT_EQ(theirs.read_exact(1000).size(), 1000u);
    theirs.reset();
  });
  // Far more than the socket buffers hold, so the write is pending when the RST comes.
  auto r = tokio::io::write_all(std::move(mine), std::vector<std::uint8_t>(32 << 20, 'x')).wait();
  peer.join();
  ASSERT_TRUE(r.is_err());
  auto kind = r.unwrap_err().kind();
  EXPECT_TRUE(kind == ErrorKind::ConnectionReset || kind == ErrorKind::BrokenPipe) << r.unwrap_err();
  EXPECT_TRUE(sigpipe_is_default());
}

// Writes after the peer closed fail with BrokenPipe / ConnectionReset; with SIGPIPE left
// at its default disposition, the process would die if a write raised it.
TEST(TcpFault, write_to_closed_peer_no_sigpipe) {
  ASSERT_TRUE(sigpipe_is_default());
  auto [mine, theirs] = connected_pair();
  theirs.close();

  std::vector<std::uint8_t> chunk(1024, 'y');
  std::optional<tokio::io::Error> error;
  // The first write may be accepted (the peer answers it with RST); a later one fails.
  for (int i = 0; i < 1000 && !error; ++i) {
    auto r = futures::future::poll_fn([&] { return mine.poll_write(chunk); }).wait();
    if (r.is_err()) error = r.unwrap_err();
  }
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(error->kind() == ErrorKind::BrokenPipe || error->kind() == ErrorKind::ConnectionReset) << *error;
}

// The peer shuts down its write side: we read to EOF, and can still write to it.
TEST(TcpFault, half_close_by_peer) {
  auto [mine, theirs] = connected_pair();
  theirs.write_all("request");
  theirs.shutdown_write();

  auto r = tokio::io::read_to_end(std::move(mine), std::vector<std::uint8_t>()).wait();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  auto [stream, data] = std::move(r).unwrap();
  EXPECT_EQ(tcp_test::to_string(data), "request");

  auto w = tokio::io::write_all(std::move(stream), std::vector<std::uint8_t>{'o', 'k'}).wait();
  ASSERT_TRUE(w.is_ok()) << w.unwrap_err();
  EXPECT_EQ(theirs.read_exact(2), "ok");
}

// We shut down our write side (both ways: TcpStream::shutdown(how) and AsyncWrite's
// shutdown()); the peer sees EOF and can still send to us. A second shutdown is harmless.
TEST(TcpFault, half_close_by_us) {
  auto [mine, theirs] = connected_pair();
  auto w = tokio::io::write_all(std::move(mine), std::vector<std::uint8_t>{'h', 'i'}).wait();
  ASSERT_TRUE(w.is_ok());
  auto stream = std::get<0>(std::move(w).unwrap());
  ASSERT_TRUE(stream.shutdown(tokio::net::tcp::Shutdown::Write).is_ok());
  EXPECT_EQ(theirs.read_to_end(), "hi");

  auto again = futures::future::poll_fn([&] { return stream.shutdown(); }).wait();
  EXPECT_TRUE(again.is_ok()) << again.unwrap_err();

  theirs.write_all("reply");
  theirs.close();
  auto r = tokio::io::read_to_end(std::move(stream), std::vector<std::uint8_t>()).wait();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_EQ(tcp_test::to_string(std::get<1>(r.unwrap_ref())), "reply");
}

TEST(TcpFault, async_shutdown_sends_fin) {
  auto [mine, theirs] = connected_pair();
  auto done = tokio::io::shutdown(std::move(mine)).wait();
  ASSERT_TRUE(done.is_ok()) << done.unwrap_err();
  EXPECT_EQ(theirs.read_to_end(), "");
}

TEST(TcpFault, shutdown_read_gives_eof) {
  auto [mine, theirs] = connected_pair();
  ASSERT_TRUE(mine.shutdown(tokio::net::tcp::Shutdown::Read).is_ok());
  auto r = tokio::io::read_to_end(std::move(mine), std::vector<std::uint8_t>()).wait();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_TRUE(std::get<1>(r.unwrap_ref()).empty());
}

// The two halves of one stream run on two threads at once (each `wait()` is a task of
// its own): the writer streams N bytes to an echoing peer while the reader reads them
// back. No lock is involved; a readiness mix-up would hang (meson timeout) or corrupt.
TEST(TcpFault, split_halves_on_two_threads) {
  constexpr std::size_t kBytes = 4 << 20;
  auto [mine, theirs] = connected_pair();
  std::thread echo([&theirs] {
    for (;;) {
      auto chunk = theirs.read_some(65536);
      if (chunk.empty()) {  // our FIN: pass it back
        theirs.shutdown_write();
        return;
      }
      theirs.write_all(chunk);
    }
  });

  auto [reader, writer] = std::move(mine).split();
  std::vector<std::uint8_t> payload(kBytes);
  for (std::size_t i = 0; i < kBytes; ++i) payload[i] = static_cast<std::uint8_t>(i * 7 + (i >> 11));

  std::thread write_task([&, w = std::move(writer)]() mutable {
    auto r = tokio::io::write_all(std::move(w), payload).wait();
    ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
    auto half = std::get<0>(std::move(r).unwrap());
    auto s = tokio::io::shutdown(std::move(half)).wait();
    EXPECT_TRUE(s.is_ok());
  });
  auto r = tokio::io::read_exact(std::move(reader), std::vector<std::uint8_t>(kBytes)).wait();
  write_task.join();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_TRUE(std::get<1>(r.unwrap_ref()) == payload);
  auto rest = tokio::io::read_to_end(std::get<0>(std::move(r).unwrap()), std::vector<std::uint8_t>()).wait();
  ASSERT_TRUE(rest.is_ok());
  EXPECT_TRUE(std::get<1>(rest.unwrap_ref()).empty());
  echo.join();
}

// An accept error leaves the listener usable (here: a connection reset while queued is
// not an error on Linux, so the listener simply keeps accepting the next one).
TEST(TcpFault, listener_survives_reset_in_queue) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();
  {
    auto gone = BlockingSocket::connect(addr);
    gone.reset();
  }
  auto live = BlockingSocket::connect(addr);
  live.write_all("x");
  auto incoming = std::move(srv).incoming();
  auto wait = std::move(incoming).wait();
  bool got_live = false;
  for (int i = 0; i < 2 && !got_live; ++i) {
    auto next = wait.next();
    ASSERT_TRUE(next.has_value());
    if (next->is_err()) continue;  // reported, and the stream goes on
    auto s = std::move(*next).unwrap();
    std::vector<std::uint8_t> buf(1);
    auto n = futures::future::poll_fn([&] { return s.poll_peek(buf); }).wait();
    if (n.is_ok() && n.unwrap_ref() == 1) got_live = true;
  }
  EXPECT_TRUE(got_live);
}

}  // namespace tcp_fault_test
