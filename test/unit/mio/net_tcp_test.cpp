// tokio::mio::net::TcpListener / TcpStream: loopback only, port 0, readiness awaited with
// a bounded poll(2). SIGPIPE stays at its default disposition: a write that raised it
// would kill the test process.
#include <tokio/mio/net/tcp.hpp>
#include <tokio/mio/evented.hpp>
#include <tokio/mio/poll.hpp>
#include <tokio/mio/events.hpp>

#include "net_test_util.hpp"

#include <fcntl.h>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace {

using namespace mio_net_test;
using tokio::io::ErrorKind;
using tokio::mio::net::Shutdown;
using tokio::mio::net::TcpListener;
using tokio::mio::net::TcpStream;
using tokio::net::Ipv4Addr;
using tokio::net::Ipv6Addr;
using tokio::net::SocketAddr;

static_assert(tokio::mio::Evented<TcpStream>);
static_assert(tokio::mio::Evented<TcpListener>);
static_assert(!std::is_copy_constructible_v<TcpStream>);
static_assert(std::is_nothrow_move_constructible_v<TcpStream>);

const SocketAddr kAny4(Ipv4Addr::localhost(), 0);

struct Pair {
  TcpListener listener;
  TcpStream client;
  TcpStream server;
};

Pair connect_pair(const SocketAddr& bind_addr = kAny4) {
  auto listener = TcpListener::bind(bind_addr).unwrap();
  const SocketAddr addr = listener.local_addr().unwrap();
  auto client = TcpStream::connect(addr).unwrap();
  EXPECT_TRUE(wait_readable(listener.as_raw_fd()));
  auto [server, peer] = listener.accept().unwrap();
  EXPECT_EQ(peer, client.local_addr().unwrap());
  EXPECT_TRUE(wait_writable(client.as_raw_fd()));
  EXPECT_EQ(client.take_error().unwrap(), std::nullopt);
  return Pair{std::move(listener), std::move(client), std::move(server)};
}

/// Reads exactly `n` bytes, waiting for readability between partial reads.
std::string read_n(const TcpStream& s, std::size_t n) {
  std::string out;
  std::array<std::uint8_t, 4096> buf{};
  while (out.size() < n) {
    auto r = s.read(std::span(buf).first(std::min(buf.size(), n - out.size())));
    if (r.is_err()) {
      EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::WouldBlock) << r.unwrap_err();
      if (!wait_readable(s.as_raw_fd())) break;
      continue;
    }
    if (r.unwrap() == 0) break;
    out += text(std::span(buf).first(r.unwrap()));
  }
  return out;
}

TEST(MioTcpTest, BindPortZeroPicksAPort) {
  auto listener = TcpListener::bind(kAny4).unwrap();
  const SocketAddr addr = listener.local_addr().unwrap();
  EXPECT_TRUE(addr.is_ipv4());
  EXPECT_EQ(addr.ip(), tokio::net::IpAddr(Ipv4Addr::localhost()));
  EXPECT_NE(addr.port(), 0);
  EXPECT_EQ(listener.take_error().unwrap(), std::nullopt);
}

bool nonblocking_and_cloexec(int fd) {
  return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0 && (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

TEST(MioTcpTest, EveryFdIsNonBlockingAndCloseOnExec) {
  Pair p = connect_pair();
  EXPECT_TRUE(nonblocking_and_cloexec(p.listener.as_raw_fd()));
  EXPECT_TRUE(nonblocking_and_cloexec(p.client.as_raw_fd()));
  EXPECT_TRUE(nonblocking_and_cloexec(p.server.as_raw_fd()));
  auto clone = p.server.try_clone().unwrap();
  EXPECT_TRUE(nonblocking_and_cloexec(clone.as_raw_fd()));
}

TEST(MioTcpTest, AcceptWithNothingQueuedIsWouldBlock) {
  auto listener = TcpListener::bind(kAny4).unwrap();
  auto r = listener.accept();
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::WouldBlock);
}

TEST(MioTcpTest, ConnectAcceptEcho) {
  Pair p = connect_pair();
  EXPECT_EQ(p.client.peer_addr().unwrap(), p.listener.local_addr().unwrap());
  EXPECT_EQ(p.server.local_addr().unwrap(), p.listener.local_addr().unwrap());

  EXPECT_EQ(p.client.write(bytes("hello")).unwrap(), 5u);
  EXPECT_EQ(read_n(p.server, 5), "hello");
  EXPECT_EQ(p.server.write(bytes("world!")).unwrap(), 6u);
  EXPECT_EQ(read_n(p.client, 6), "world!");
}

TEST(MioTcpTest, EmptyReadIsWouldBlock) {
  Pair p = connect_pair();
  std::array<std::uint8_t, 16> buf{};
  auto r = p.server.read(buf);
  ASSERT_TRUE(r.is_err());
  EXPECT_TRUE(r.unwrap_err().is_would_block());
  auto peeked = p.server.peek(buf);
  ASSERT_TRUE(peeked.is_err());
  EXPECT_EQ(peeked.unwrap_err().kind(), ErrorKind::WouldBlock);
}

TEST(MioTcpTest, PeekLeavesBytes) {
  Pair p = connect_pair();
  ASSERT_EQ(p.client.write(bytes("abc")).unwrap(), 3u);
  ASSERT_TRUE(wait_readable(p.server.as_raw_fd()));
  std::array<std::uint8_t, 8> buf{};
  EXPECT_EQ(p.server.peek(buf).unwrap(), 3u);
  EXPECT_EQ(read_n(p.server, 3), "abc");
}

TEST(MioTcpTest, VectoredReadAndWrite) {
  Pair p = connect_pair();
  const std::span<const std::uint8_t> out[] = {bytes("ab"), bytes(""), bytes("cde")};
  EXPECT_EQ(p.client.writev(out).unwrap(), 5u);
  ASSERT_TRUE(wait_readable(p.server.as_raw_fd()));
  std::array<std::uint8_t, 1> first{};
  std::array<std::uint8_t, 8> second{};
  const std::span<std::uint8_t> in[] = {first, second};
  std::size_t got = 0;
  while (got < 5) {
    auto r = p.server.readv(in);
    if (r.is_err()) {
      ASSERT_TRUE(r.unwrap_err().is_would_block());
      ASSERT_TRUE(wait_readable(p.server.as_raw_fd()));
      continue;
    }
    got += r.unwrap();
  }
  EXPECT_EQ(got, 5u);
  EXPECT_EQ(first[0], 'a');
  EXPECT_EQ(text(std::span(second).first(4)), "bcde");
}

TEST(MioTcpTest, EofAfterPeerClose) {
  Pair p = connect_pair();
  ASSERT_EQ(p.client.write(bytes("last")).unwrap(), 4u);
  { TcpStream gone = std::move(p.client); }
  EXPECT_EQ(read_n(p.server, 4), "last");
  ASSERT_TRUE(wait_readable(p.server.as_raw_fd()));
  std::array<std::uint8_t, 8> buf{};
  EXPECT_EQ(p.server.read(buf).unwrap(), 0u);
  EXPECT_EQ(p.server.read(buf).unwrap(), 0u);  // EOF sticks
}

TEST(MioTcpTest, ShutdownWriteGivesPeerEofOtherDirectionStaysOpen) {
  Pair p = connect_pair();
  ASSERT_TRUE(p.client.shutdown(Shutdown::Write).is_ok());
  ASSERT_TRUE(wait_readable(p.server.as_raw_fd()));
  std::array<std::uint8_t, 8> buf{};
  EXPECT_EQ(p.server.read(buf).unwrap(), 0u);
  // The server can still send to the half-closed client.
  EXPECT_EQ(p.server.write(bytes("still")).unwrap(), 5u);
  EXPECT_EQ(read_n(p.client, 5), "still");
  // Writing after our own shutdown(Write) is EPIPE, not a signal.
  auto w = p.client.write(bytes("x"));
  ASSERT_TRUE(w.is_err());
  EXPECT_EQ(w.unwrap_err().kind(), ErrorKind::BrokenPipe);
  // A second shutdown is harmless (or reports NotConnected), never hangs.
  (void)p.client.shutdown(Shutdown::Write);
  (void)p.client.shutdown(Shutdown::Both);
}

TEST(MioTcpTest, ConnectRefused) {
  SocketAddr closed;
  {
    auto listener = TcpListener::bind(kAny4).unwrap();
    closed = listener.local_addr().unwrap();
  }  // the port is now closed (nothing else binds it within this test's window)
  auto connecting = TcpStream::connect(closed);
  if (connecting.is_err()) {
    EXPECT_EQ(connecting.unwrap_err().kind(), ErrorKind::ConnectionRefused);
    return;
  }
  TcpStream s = std::move(connecting).unwrap();
  ASSERT_TRUE(wait_writable(s.as_raw_fd()));
  auto err = s.take_error().unwrap();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), ErrorKind::ConnectionRefused) << *err;
  EXPECT_EQ(s.take_error().unwrap(), std::nullopt);  // reading SO_ERROR clears it
}

// The peer resets the connection (SO_LINGER 0 then close): every write path returns
// BrokenPipe or ConnectionReset and the process, with SIGPIPE at its default, lives.
TEST(MioTcpTest, WritesToClosedPeerFailWithoutSigpipe) {
  for (int path = 0; path < 2; ++path) {
    Pair p = connect_pair();
    ASSERT_TRUE(p.server.set_linger(std::chrono::seconds(0)).is_ok());
    { TcpStream gone = std::move(p.server); }
    std::optional<tokio::io::Error> failure;
    for (int i = 0; i < 1000 && !failure; ++i) {
      auto r = path == 0 ? p.client.write(bytes("data"))
                         : p.client.writev(std::array<std::span<const std::uint8_t>, 1>{bytes("data")});
      if (r.is_err()) {
        if (r.unwrap_err().is_would_block()) {
          ASSERT_TRUE(wait_writable(p.client.as_raw_fd()));
          continue;
        }
        failure = r.unwrap_err();
      } else {
        // The first write may be accepted before the RST arrives; wait for it to.
        wait_readable(p.client.as_raw_fd());
      }
    }
    ASSERT_TRUE(failure.has_value());
    EXPECT_TRUE(failure->kind() == ErrorKind::BrokenPipe || failure->kind() == ErrorKind::ConnectionReset)
        << *failure;
  }
}

TEST(MioTcpTest, ReadAfterResetIsConnectionReset) {
  Pair p = connect_pair();
  ASSERT_TRUE(p.server.set_linger(std::chrono::seconds(0)).is_ok());
  { TcpStream gone = std::move(p.server); }
  ASSERT_TRUE(wait_readable(p.client.as_raw_fd()));
  std::array<std::uint8_t, 8> buf{};
  auto r = p.client.read(buf);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::ConnectionReset);
}

TEST(MioTcpTest, SocketOptionsRoundTrip) {
  Pair p = connect_pair();
  TcpStream& s = p.client;
  ASSERT_TRUE(s.set_nodelay(true).is_ok());
  EXPECT_TRUE(s.nodelay().unwrap());
  ASSERT_TRUE(s.set_nodelay(false).is_ok());
  EXPECT_FALSE(s.nodelay().unwrap());

  EXPECT_EQ(s.keepalive().unwrap(), std::nullopt);
  ASSERT_TRUE(s.set_keepalive(std::chrono::seconds(30)).is_ok());
  EXPECT_EQ(s.keepalive().unwrap(), std::optional<std::chrono::nanoseconds>(std::chrono::seconds(30)));
  ASSERT_TRUE(s.set_keepalive(std::nullopt).is_ok());
  EXPECT_EQ(s.keepalive().unwrap(), std::nullopt);

  EXPECT_EQ(s.linger().unwrap(), std::nullopt);
  ASSERT_TRUE(s.set_linger(std::chrono::seconds(3)).is_ok());
  EXPECT_EQ(s.linger().unwrap(), std::optional<std::chrono::nanoseconds>(std::chrono::seconds(3)));
  ASSERT_TRUE(s.set_linger(std::nullopt).is_ok());
  EXPECT_EQ(s.linger().unwrap(), std::nullopt);

  ASSERT_TRUE(s.set_ttl(42).is_ok());
  EXPECT_EQ(s.ttl().unwrap(), 42u);
  ASSERT_TRUE(p.listener.set_ttl(7).is_ok());
  EXPECT_EQ(p.listener.ttl().unwrap(), 7u);

  // The kernel doubles the requested size (bookkeeping overhead); it never gives less.
  ASSERT_TRUE(s.set_recv_buffer_size(65536).is_ok());
  EXPECT_GE(s.recv_buffer_size().unwrap(), 65536u);
  ASSERT_TRUE(s.set_send_buffer_size(65536).is_ok());
  EXPECT_GE(s.send_buffer_size().unwrap(), 65536u);
}

TEST(MioTcpTest, RawFdOwnershipAndClone) {
  Pair p = connect_pair();
  auto clone = p.client.try_clone().unwrap();
  EXPECT_NE(clone.as_raw_fd(), p.client.as_raw_fd());
  EXPECT_EQ(clone.local_addr().unwrap(), p.client.local_addr().unwrap());
  const int raw = std::move(clone).into_raw_fd();
  TcpStream again = TcpStream::from_raw_fd(raw);
  EXPECT_EQ(again.as_raw_fd(), raw);
  EXPECT_EQ(again.write(bytes("via clone")).unwrap(), 9u);
  EXPECT_EQ(read_n(p.server, 9), "via clone");
  TcpStream moved = std::move(again);
  EXPECT_EQ(moved.as_raw_fd(), raw);
  EXPECT_EQ(again.as_raw_fd(), -1);  // NOLINT(bugprone-use-after-move): moved-from holds no fd
}

TEST(MioTcpTest, Ipv6Loopback) {
  auto bound = TcpListener::bind(SocketAddr(Ipv6Addr::localhost(), 0));
  if (bound.is_err()) {
    const auto kind = bound.unwrap_err().kind();
    if (kind == ErrorKind::AddrNotAvailable || bound.unwrap_err().raw_os_error() == EAFNOSUPPORT) {
      GTEST_SKIP() << "::1 unavailable: " << bound.unwrap_err();
    }
    FAIL() << bound.unwrap_err();
  }
  TcpListener listener = std::move(bound).unwrap();
  const SocketAddr addr = listener.local_addr().unwrap();
  EXPECT_TRUE(addr.is_ipv6());
  EXPECT_TRUE(listener.only_v6().is_ok());
  auto client = TcpStream::connect(addr).unwrap();
  ASSERT_TRUE(wait_readable(listener.as_raw_fd()));
  auto [server, peer] = listener.accept().unwrap();
  EXPECT_TRUE(peer.is_ipv6());
  EXPECT_EQ(peer.ip(), tokio::net::IpAddr(Ipv6Addr::localhost()));
  ASSERT_TRUE(wait_writable(client.as_raw_fd()));
  EXPECT_EQ(client.write(bytes("six")).unwrap(), 3u);
  EXPECT_EQ(read_n(server, 3), "six");
  ASSERT_TRUE(client.set_ttl(33).is_ok());
  EXPECT_EQ(client.ttl().unwrap(), 33u);
}

// The sockets register with a mio Poll through EventedFd (edge-triggered).
TEST(MioTcpTest, RegistersWithPoll) {
  using namespace tokio::mio;
  auto poll = Poll::create().unwrap();
  auto listener = TcpListener::bind(kAny4).unwrap();
  ASSERT_TRUE(poll.register_(listener, Token{1}, Ready::readable(), PollOpt::edge()).is_ok());
  auto client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
  ASSERT_TRUE(poll.register_(client, Token{2}, Ready::readable() | Ready::writable(), PollOpt::edge()).is_ok());
  auto events = Events::with_capacity(8);
  bool listener_ready = false, client_writable = false;
  for (int i = 0; i < 10 && !(listener_ready && client_writable); ++i) {
    poll.poll(events, std::chrono::seconds(5)).unwrap();
    for (const Event& e : events) {
      if (e.token() == Token{1} && e.readiness().is_readable()) listener_ready = true;
      if (e.token() == Token{2} && e.readiness().is_writable()) client_writable = true;
    }
  }
  EXPECT_TRUE(listener_ready);
  EXPECT_TRUE(client_writable);
  EXPECT_TRUE(listener.accept().is_ok());
  EXPECT_TRUE(poll.deregister(client).is_ok());
  EXPECT_TRUE(poll.deregister(listener).is_ok());
}

}  // namespace
