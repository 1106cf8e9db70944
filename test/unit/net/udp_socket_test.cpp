// Port of tokio-udp 0.1 `tests/udp.rs` (send_to_and_recv_from, send_and_recv,
// send_dgrams; send_framed waits for the codec layer), plus: UDP over ::1, a
// send_dgram / recv_dgram round trip through a current_thread Runtime, ECONNREFUSED on a
// connected socket staying on that socket, socket options. Loopback only, port 0.
#include <tokio/net/udp.hpp>
#include <tokio/runtime/current_thread.hpp>

#include <futures/future/loop_fn.hpp>
#include <futures/future/poll_fn.hpp>
#include <futures/future_ext.hpp>

#include <gtest/gtest.h>

#include "support/bounded_wait.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace udp_socket_test {

using tokio::net::Ipv4Addr;
using tokio::net::Ipv6Addr;
using tokio::net::SocketAddr;
using tokio::net::UdpSocket;
namespace io = tokio::io;

SocketAddr localhost_v4() { return SocketAddr(Ipv4Addr::localhost(), 0); }

UdpSocket bind_v4() { return UdpSocket::bind(localhost_v4()).expect("bind 127.0.0.1:0"); }

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Drives a future to completion with the background reactor, failing (not hanging)
// after a deadline.
template <class F>
auto wait(F future) {
  auto done = futures_test::wait_for(future, std::chrono::seconds(20));
  if (!done) ADD_FAILURE() << "future did not complete within 20 s";
  return std::move(*done);
}

// Rust's `try_nb!`: WouldBlock -> NotReady, other errors returned.
#define TRY_NB(expr)                                                            \
  __extension__({                                                               \
    auto try_nb_ = (expr);                                                      \
    if (try_nb_.is_err()) {                                                     \
      auto try_nb_e_ = std::move(try_nb_).unwrap_err();                         \
      if (try_nb_e_.is_would_block()) return futures::NotReady;                 \
      return futures::Err(std::move(try_nb_e_));                                \
    }                                                                           \
    std::move(try_nb_).unwrap();                                                \
  })

enum class Mode { ToFrom, Connected };

// SendMessage / RecvMessage of udp.rs: a future that sends (receives) one datagram
// with the deprecated non-poll calls and yields the socket back.
class SendMessage : public futures::FutureExt<SendMessage> {
 public:
  using Item = UdpSocket;
  using Error = io::Error;
  SendMessage(UdpSocket socket, Mode mode, SocketAddr addr, std::string_view data)
      : socket_(std::move(socket)), mode_(mode), addr_(addr), data_(data) {}

  futures::Poll<UdpSocket, io::Error> poll() {
    std::size_t n = 0;
    if (mode_ == Mode::ToFrom) {
      n = TRY_NB(socket_->send_to(bytes(data_), addr_));
    } else {
      socket_->connect(addr_).expect("could not connect");
      n = TRY_NB(socket_->send(bytes(data_)));
    }
    EXPECT_EQ(n, data_.size());
    UdpSocket out = std::move(*socket_);
    socket_.reset();
    return futures::Ready(std::move(out));
  }

 private:
  std::optional<UdpSocket> socket_;
  Mode mode_;
  SocketAddr addr_;
  std::string_view data_;
};

class RecvMessage : public futures::FutureExt<RecvMessage> {
 public:
  using Item = UdpSocket;
  using Error = io::Error;
  RecvMessage(UdpSocket socket, Mode mode, SocketAddr expected_addr, std::string_view expected)
      : socket_(std::move(socket)), mode_(mode), expected_addr_(expected_addr), expected_(expected) {}

  futures::Poll<UdpSocket, io::Error> poll() {
    std::vector<std::uint8_t> buf(10 + expected_.size() * 10);
    std::size_t n = 0;
    if (mode_ == Mode::ToFrom) {
      auto [got, from] = TRY_NB(socket_->recv_from(buf));
      EXPECT_EQ(from, expected_addr_);
      n = got;
    } else {
      n = TRY_NB(socket_->recv(buf));
    }
    EXPECT_EQ(n, expected_.size());
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(buf.data()), n), expected_);
    UdpSocket out = std::move(*socket_);
    socket_.reset();
    return futures::Ready(std::move(out));
  }

 private:
  std::optional<UdpSocket> socket_;
  Mode mode_;
  SocketAddr expected_addr_;
  std::string_view expected_;
};

void send_messages(Mode mode) {
  UdpSocket a = bind_v4();
  UdpSocket b = bind_v4();
  const SocketAddr a_addr = a.local_addr().unwrap();
  const SocketAddr b_addr = b.local_addr().unwrap();
  EXPECT_NE(a_addr.port(), 0);

  {
    auto send = SendMessage(std::move(a), mode, b_addr, "1234");
    auto recv = RecvMessage(std::move(b), mode, a_addr, "1234");
    auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
    a = std::move(sent);
    b = std::move(received);
  }
  {
    auto send = SendMessage(std::move(a), mode, b_addr, "");
    auto recv = RecvMessage(std::move(b), mode, a_addr, "");
    wait(std::move(send).join(std::move(recv))).unwrap();
  }
}

TEST(Udp, send_to_and_recv_from) { send_messages(Mode::ToFrom); }

TEST(Udp, send_and_recv) { send_messages(Mode::Connected); }

TEST(Udp, send_dgrams) {
  UdpSocket a = bind_v4();
  UdpSocket b = bind_v4();
  std::array<std::uint8_t, 50> buf{};
  const SocketAddr b_addr = b.local_addr().unwrap();

  {
    auto send = std::move(a).send_dgram(std::string("4321"), b_addr);
    auto recv = std::move(b).recv_dgram(std::span<std::uint8_t>(buf));
    auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
    EXPECT_EQ(std::get<2>(received), 4u);
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(std::get<1>(received).data()), 4), "4321");
    a = std::move(std::get<0>(sent));
    b = std::move(std::get<0>(received));
  }
  {
    auto send = std::move(a).send_dgram(std::string(), b_addr);
    auto recv = std::move(b).recv_dgram(std::span<std::uint8_t>(buf));
    auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
    EXPECT_EQ(std::get<2>(received), 0u);
  }
}

TEST(UdpSocket, ipv6_loopback) {
  auto bound = UdpSocket::bind(SocketAddr(Ipv6Addr::localhost(), 0));
  if (bound.is_err()) GTEST_SKIP() << "::1 is unavailable: " << bound.unwrap_err();
  UdpSocket a = std::move(bound).unwrap();
  UdpSocket b = UdpSocket::bind(SocketAddr(Ipv6Addr::localhost(), 0)).unwrap();
  const SocketAddr a_addr = a.local_addr().unwrap();
  const SocketAddr b_addr = b.local_addr().unwrap();
  ASSERT_TRUE(a_addr.is_ipv6());
  EXPECT_EQ(a_addr.ip(), tokio::net::IpAddr(Ipv6Addr::localhost()));

  auto send = std::move(a).send_dgram(std::vector<std::uint8_t>{1, 2, 3}, b_addr);
  auto recv = std::move(b).recv_dgram(std::vector<std::uint8_t>(16));
  auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
  auto& [socket, buf, n, from] = received;
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(from, a_addr);
  EXPECT_EQ(buf[0], 1);
  EXPECT_EQ(buf[2], 3);
}

// A ping-pong of `rounds` datagrams between two tasks of one current_thread Runtime.
TEST(UdpSocket, dgram_round_trip_through_runtime) {
  auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();
  UdpSocket server = bind_v4();
  UdpSocket client = bind_v4();
  const SocketAddr server_addr = server.local_addr().unwrap();
  constexpr int kRounds = 100;

  // The server echoes kRounds datagrams back to their sender.
  auto echo = futures::future::loop_fn(std::tuple<UdpSocket, int>(std::move(server), 0), [](auto state) {
    auto [socket, served] = std::move(state);
    return std::move(socket)
        .recv_dgram(std::vector<std::uint8_t>(64))
        .and_then([served](UdpSocket s, std::vector<std::uint8_t> buf, std::size_t n, SocketAddr from) {
          buf.resize(n);
          return std::move(s).send_dgram(std::move(buf), from);
        })
        .map([served](UdpSocket s, std::vector<std::uint8_t>) {
          using L = futures::future::Loop<futures::Unit, std::tuple<UdpSocket, int>>;
          if (served + 1 == kRounds) return L::Break(futures::Unit{});
          return L::Continue(std::tuple<UdpSocket, int>(std::move(s), served + 1));
        });
  });
  rt.spawn(std::move(echo).map_err([](const io::Error& e) { ADD_FAILURE() << "echo: " << e; }));

  auto ping = futures::future::loop_fn(std::tuple<UdpSocket, int>(std::move(client), 0), [server_addr](auto state) {
    auto [socket, sent] = std::move(state);
    std::vector<std::uint8_t> msg{static_cast<std::uint8_t>(sent), 0xAB};
    return std::move(socket)
        .send_dgram(std::move(msg), server_addr)
        .and_then([](UdpSocket s, std::vector<std::uint8_t>) {
          return std::move(s).recv_dgram(std::vector<std::uint8_t>(64));
        })
        .map([sent, server_addr](UdpSocket s, std::vector<std::uint8_t> buf, std::size_t n, SocketAddr from) {
          EXPECT_EQ(n, 2u);
          EXPECT_EQ(buf[0], static_cast<std::uint8_t>(sent));
          EXPECT_EQ(from, server_addr);
          using L = futures::future::Loop<int, std::tuple<UdpSocket, int>>;
          if (sent + 1 == kRounds) return L::Break(sent + 1);
          return L::Continue(std::tuple<UdpSocket, int>(std::move(s), sent + 1));
        });
  });
  EXPECT_EQ(rt.block_on(std::move(ping)).unwrap(), kRounds);
  EXPECT_TRUE(rt.run().is_ok());
}

// A connected socket whose peer is gone gets ECONNREFUSED (from the ICMP port
// unreachable) on its own next receive; another socket is not disturbed.
TEST(UdpSocket, connection_refused_stays_on_its_socket) {
  SocketAddr dead_addr;
  {
    UdpSocket gone = bind_v4();
    dead_addr = gone.local_addr().unwrap();
  }
  UdpSocket a = bind_v4();
  UdpSocket c = bind_v4();
  UdpSocket d = bind_v4();
  const SocketAddr d_addr = d.local_addr().unwrap();
  ASSERT_TRUE(a.connect(dead_addr).is_ok());

  std::array<std::uint8_t, 16> buf{};
  bool sent_once = false;
  auto refused = futures::future::poll_fn([&]() -> futures::Poll<futures::Unit, io::Error> {
    if (!sent_once) {
      (void)FUTURES_TRY_READY(a.poll_send(bytes("x")));
      sent_once = true;
    }
    (void)FUTURES_TRY_READY(a.poll_recv(buf));
    return futures::Ready(futures::Unit{});
  });
  auto got = wait(std::move(refused));
  ASSERT_TRUE(got.is_err());
  EXPECT_EQ(got.unwrap_err().kind(), io::ErrorKind::ConnectionRefused);

  // The other sockets still talk, and `a` itself stays usable once reconnected.
  auto send = std::move(c).send_dgram(std::string("ok"), d_addr);
  auto recv = std::move(d).recv_dgram(std::vector<std::uint8_t>(8));
  auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
  EXPECT_EQ(std::get<2>(received), 2u);
  EXPECT_TRUE(a.take_error().unwrap() == std::nullopt);
  ASSERT_TRUE(a.connect(d_addr).is_ok());
  UdpSocket d2 = std::move(std::get<0>(received));
  auto resend = std::move(a).send_dgram(std::string("again"), d_addr);
  auto rerecv = std::move(d2).recv_dgram(std::vector<std::uint8_t>(8));
  auto [_, again] = wait(std::move(resend).join(std::move(rerecv))).unwrap();
  EXPECT_EQ(std::get<2>(again), 5u);
}

// A RecvDgram that has not completed gives its socket and buffer back (Rust's
// into_parts), and the socket keeps working.
TEST(UdpSocket, recv_dgram_into_parts) {
  UdpSocket a = bind_v4();
  const SocketAddr a_addr = a.local_addr().unwrap();
  auto pending = std::move(a).recv_dgram(std::vector<std::uint8_t>(8));
  auto polled = futures_test::poll_noop(pending);
  ASSERT_TRUE(polled.is_ok());
  EXPECT_TRUE(polled.unwrap_ref().is_not_ready());
  auto parts = std::move(pending).into_parts();
  EXPECT_EQ(parts.buffer.size(), 8u);

  UdpSocket b = bind_v4();
  auto send = std::move(b).send_dgram(std::string("back"), a_addr);
  auto recv = std::move(parts.socket).recv_dgram(std::move(parts.buffer));
  auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
  EXPECT_EQ(std::get<2>(received), 4u);
}

TEST(UdpSocket, socket_options) {
  UdpSocket s = bind_v4();
  ASSERT_TRUE(s.set_broadcast(true).is_ok());
  EXPECT_TRUE(s.broadcast().unwrap());
  ASSERT_TRUE(s.set_ttl(17).is_ok());
  EXPECT_EQ(s.ttl().unwrap(), 17u);
  ASSERT_TRUE(s.set_multicast_ttl_v4(3).is_ok());
  EXPECT_EQ(s.multicast_ttl_v4().unwrap(), 3u);
  ASSERT_TRUE(s.set_multicast_loop_v4(false).is_ok());
  EXPECT_FALSE(s.multicast_loop_v4().unwrap());
  EXPECT_TRUE(s.take_error().unwrap() == std::nullopt);
  EXPECT_GE(s.as_raw_fd(), 0);
}

TEST(UdpSocket, bind_in_use_is_an_error) {
  UdpSocket a = bind_v4();
  auto again = UdpSocket::bind(a.local_addr().unwrap());
  ASSERT_TRUE(again.is_err());
  EXPECT_EQ(again.unwrap_err().kind(), io::ErrorKind::AddrInUse);
}

}  // namespace udp_socket_test
