// tokio::mio::net::UdpSocket: loopback only, port 0, readiness awaited with a bounded
// poll(2).
#include <tokio/mio/evented.hpp>
#include <tokio/mio/net/udp.hpp>

#include "net_test_util.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace {

using namespace mio_net_test;
using tokio::io::ErrorKind;
using tokio::mio::net::UdpSocket;
using tokio::net::Ipv4Addr;
using tokio::net::Ipv6Addr;
using tokio::net::SocketAddr;

static_assert(tokio::mio::Evented<UdpSocket>);

const SocketAddr kAny4(Ipv4Addr::localhost(), 0);

/// One datagram, waiting for it with a bounded poll.
std::tuple<std::string, SocketAddr> recv_one(const UdpSocket& s) {
  std::array<std::uint8_t, 2048> buf{};
  for (int i = 0; i < 100; ++i) {
    auto r = s.recv_from(buf);
    if (r.is_ok()) {
      auto [n, from] = r.unwrap();
      return {text(std::span(buf).first(n)), from};
    }
    EXPECT_TRUE(r.unwrap_err().is_would_block()) << r.unwrap_err();
    if (!wait_readable(s.as_raw_fd())) break;
  }
  ADD_FAILURE() << "no datagram";
  return {};
}

TEST(MioUdpTest, SendToRecvFrom) {
  auto a = UdpSocket::bind(kAny4).unwrap();
  auto b = UdpSocket::bind(kAny4).unwrap();
  const SocketAddr a_addr = a.local_addr().unwrap();
  const SocketAddr b_addr = b.local_addr().unwrap();
  EXPECT_NE(a_addr.port(), 0);

  EXPECT_EQ(a.send_to(bytes("ping"), b_addr).unwrap(), 4u);
  auto [msg, from] = recv_one(b);
  EXPECT_EQ(msg, "ping");
  EXPECT_EQ(from, a_addr);

  EXPECT_EQ(b.send_to(bytes("pong!"), from).unwrap(), 5u);
  auto [reply, reply_from] = recv_one(a);
  EXPECT_EQ(reply, "pong!");
  EXPECT_EQ(reply_from, b_addr);
}

TEST(MioUdpTest, EmptyRecvIsWouldBlock) {
  auto s = UdpSocket::bind(kAny4).unwrap();
  std::array<std::uint8_t, 16> buf{};
  auto r = s.recv_from(buf);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::WouldBlock);
  auto r2 = s.recv(buf);
  ASSERT_TRUE(r2.is_err());
  EXPECT_TRUE(r2.unwrap_err().is_would_block());
}

TEST(MioUdpTest, PeekFromLeavesTheDatagramAndRecvTruncates) {
  auto a = UdpSocket::bind(kAny4).unwrap();
  auto b = UdpSocket::bind(kAny4).unwrap();
  ASSERT_EQ(a.send_to(bytes("0123456789"), b.local_addr().unwrap()).unwrap(), 10u);
  ASSERT_TRUE(wait_readable(b.as_raw_fd()));
  std::array<std::uint8_t, 32> buf{};
  auto [n, from] = b.peek_from(buf).unwrap();
  EXPECT_EQ(n, 10u);
  EXPECT_EQ(from, a.local_addr().unwrap());
  EXPECT_EQ(b.peek(buf).unwrap(), 10u);
  std::array<std::uint8_t, 4> small{};
  auto [m, from2] = b.recv_from(small).unwrap();
  EXPECT_EQ(m, 4u);  // the rest of the datagram is discarded
  EXPECT_EQ(text(small), "0123");
  EXPECT_TRUE(b.recv(buf).unwrap_err().is_would_block());
}

TEST(MioUdpTest, ConnectedSendRecv) {
  auto a = UdpSocket::bind(kAny4).unwrap();
  auto b = UdpSocket::bind(kAny4).unwrap();
  auto before = a.peer_addr();
  ASSERT_TRUE(before.is_err());
  EXPECT_EQ(before.unwrap_err().kind(), ErrorKind::NotConnected);
  ASSERT_TRUE(a.connect(b.local_addr().unwrap()).is_ok());
  EXPECT_EQ(a.peer_addr().unwrap(), b.local_addr().unwrap());
  ASSERT_TRUE(b.connect(a.local_addr().unwrap()).is_ok());
  EXPECT_EQ(a.send(bytes("hi")).unwrap(), 2u);
  ASSERT_TRUE(wait_readable(b.as_raw_fd()));
  std::array<std::uint8_t, 8> buf{};
  EXPECT_EQ(b.recv(buf).unwrap(), 2u);
  EXPECT_EQ(text(std::span(buf).first(2)), "hi");
}

// A datagram to a closed port draws an ICMP port-unreachable; on a connected socket the
// kernel reports it as a pending ConnectionRefused.
TEST(MioUdpTest, ConnectedToClosedPortReportsRefused) {
  SocketAddr closed;
  {
    auto gone = UdpSocket::bind(kAny4).unwrap();
    closed = gone.local_addr().unwrap();
  }
  auto s = UdpSocket::bind(kAny4).unwrap();
  ASSERT_TRUE(s.connect(closed).is_ok());
  ASSERT_EQ(s.send(bytes("anyone?")).unwrap(), 7u);
  ASSERT_TRUE(wait_readable(s.as_raw_fd()));  // POLLERR wakes poll(2) too
  auto err = s.take_error().unwrap();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->kind(), ErrorKind::ConnectionRefused) << *err;
  EXPECT_EQ(s.take_error().unwrap(), std::nullopt);
}

TEST(MioUdpTest, SocketOptionsRoundTrip) {
  auto s = UdpSocket::bind(kAny4).unwrap();
  EXPECT_FALSE(s.broadcast().unwrap());
  ASSERT_TRUE(s.set_broadcast(true).is_ok());
  EXPECT_TRUE(s.broadcast().unwrap());

  ASSERT_TRUE(s.set_multicast_loop_v4(false).is_ok());
  EXPECT_FALSE(s.multicast_loop_v4().unwrap());
  ASSERT_TRUE(s.set_multicast_loop_v4(true).is_ok());
  EXPECT_TRUE(s.multicast_loop_v4().unwrap());

  ASSERT_TRUE(s.set_multicast_ttl_v4(5).is_ok());
  EXPECT_EQ(s.multicast_ttl_v4().unwrap(), 5u);
  ASSERT_TRUE(s.set_ttl(17).is_ok());
  EXPECT_EQ(s.ttl().unwrap(), 17u);
  EXPECT_EQ(s.take_error().unwrap(), std::nullopt);

  auto clone = s.try_clone().unwrap();
  EXPECT_EQ(clone.local_addr().unwrap(), s.local_addr().unwrap());
  EXPECT_EQ(clone.ttl().unwrap(), 17u);  // the same socket
}

// Membership needs a multicast-capable interface; a sandbox may have none, so only the
// pairing (join then leave succeeds, leaving twice fails) is checked when join works.
TEST(MioUdpTest, MulticastV4JoinLeave) {
  auto s = UdpSocket::bind(SocketAddr(Ipv4Addr::unspecified(), 0)).unwrap();
  const Ipv4Addr group(224, 0, 0, 123);
  auto joined = s.join_multicast_v4(group, Ipv4Addr::unspecified());
  if (joined.is_err()) GTEST_SKIP() << "no multicast-capable interface: " << joined.unwrap_err();
  EXPECT_TRUE(s.leave_multicast_v4(group, Ipv4Addr::unspecified()).is_ok());
  EXPECT_TRUE(s.leave_multicast_v4(group, Ipv4Addr::unspecified()).is_err());
}

TEST(MioUdpTest, Ipv6Loopback) {
  auto bound = UdpSocket::bind(SocketAddr(Ipv6Addr::localhost(), 0));
  if (bound.is_err()) {
    const auto& e = bound.unwrap_err();
    if (e.kind() == ErrorKind::AddrNotAvailable || e.raw_os_error() == EAFNOSUPPORT) {
      GTEST_SKIP() << "::1 unavailable: " << e;
    }
    FAIL() << e;
  }
  UdpSocket a = std::move(bound).unwrap();
  auto b = UdpSocket::bind(SocketAddr(Ipv6Addr::localhost(), 0)).unwrap();
  EXPECT_TRUE(a.local_addr().unwrap().is_ipv6());
  EXPECT_EQ(a.send_to(bytes("v6"), b.local_addr().unwrap()).unwrap(), 2u);
  auto [msg, from] = recv_one(b);
  EXPECT_EQ(msg, "v6");
  EXPECT_EQ(from, a.local_addr().unwrap());

  ASSERT_TRUE(a.set_multicast_loop_v6(false).is_ok());
  EXPECT_FALSE(a.multicast_loop_v6().unwrap());
  EXPECT_TRUE(a.only_v6().is_ok());
  ASSERT_TRUE(a.set_ttl(9).is_ok());
  EXPECT_EQ(a.ttl().unwrap(), 9u);

  // An unbound v6 socket (bound to [::]:0) accepts only_v6 before use.
  auto c = UdpSocket::bind(SocketAddr(Ipv6Addr::unspecified(), 0)).unwrap();
  EXPECT_TRUE(c.only_v6().is_ok());
  const Ipv6Addr group(0xff02, 0, 0, 0, 0, 0, 0, 0x123);
  auto joined = c.join_multicast_v6(group, 0);
  if (joined.is_ok()) {
    EXPECT_TRUE(c.leave_multicast_v6(group, 0).is_ok());
  }
}

}  // namespace
