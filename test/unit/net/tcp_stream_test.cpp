// tokio::net TCP beyond the Rust test files: socket options, peek, the io::Result read /
// write forms (WouldBlock), poll_accept_std / from_std, IPv6 loopback, the size of a
// TcpStream, and the echo server run by the runtime (tokio::run) as the seed example is.
#include <tokio.hpp>
#include <tokio/io/copy.hpp>
#include <tokio/io/read_exact.hpp>
#include <tokio/io/write_all.hpp>
#include <tokio/net.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include "unit/net/tcp_test_peer.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace tcp_stream_test {

using namespace std::chrono_literals;
using tcp_test::BlockingListener;
using tcp_test::BlockingSocket;
using tcp_test::loopback;
using tokio::io::ErrorKind;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

std::tuple<TcpStream, BlockingSocket> connected_pair() {
  BlockingListener srv;
  auto mine = TcpStream::connect(srv.local_addr()).wait().unwrap();
  auto theirs = srv.accept();
  return {std::move(mine), std::move(theirs)};
}

TEST(TcpStream, is_small) {
  // The hot object of every connection: the socket, its reactor registration and the
  // two readiness caches of PollEvented (72 bytes on x86-64 today).
  RecordProperty("sizeof_TcpStream", static_cast<int>(sizeof(TcpStream)));
  EXPECT_LE(sizeof(TcpStream), 96u);
  EXPECT_EQ(sizeof(TcpStream), sizeof(TcpStream::Evented));
}

TEST(TcpStream, socket_options) {
  auto [s, peer] = connected_pair();
  ASSERT_TRUE(s.set_nodelay(true).is_ok());
  EXPECT_TRUE(s.nodelay().unwrap());
  ASSERT_TRUE(s.set_nodelay(false).is_ok());
  EXPECT_FALSE(s.nodelay().unwrap());

  ASSERT_TRUE(s.set_ttl(100).is_ok());
  EXPECT_EQ(s.ttl().unwrap(), 100u);

  ASSERT_TRUE(s.set_keepalive(std::nullopt).is_ok());
  EXPECT_FALSE(s.keepalive().unwrap().has_value());
  ASSERT_TRUE(s.set_keepalive(std::chrono::seconds(30)).is_ok());
  auto ka = s.keepalive().unwrap();
  ASSERT_TRUE(ka.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(*ka).count(), 30);

  ASSERT_TRUE(s.set_linger(std::nullopt).is_ok());
  EXPECT_FALSE(s.linger().unwrap().has_value());
  ASSERT_TRUE(s.set_linger(std::chrono::seconds(1)).is_ok());
  ASSERT_TRUE(s.linger().unwrap().has_value());

  ASSERT_TRUE(s.set_recv_buffer_size(64 * 1024).is_ok());
  EXPECT_GE(s.recv_buffer_size().unwrap(), 64u * 1024);
  ASSERT_TRUE(s.set_send_buffer_size(64 * 1024).is_ok());
  EXPECT_GE(s.send_buffer_size().unwrap(), 64u * 1024);

  EXPECT_FALSE(s.take_error().unwrap().has_value());
  EXPECT_GE(s.as_raw_fd(), 0);
}

TEST(TcpListener, ttl_and_local_addr) {
  auto l = TcpListener::bind(loopback()).unwrap();
  ASSERT_TRUE(l.set_ttl(42).is_ok());
  EXPECT_EQ(l.ttl().unwrap(), 42u);
  auto addr = l.local_addr().unwrap();
  EXPECT_NE(addr.port(), 0);
  EXPECT_TRUE(addr.is_ipv4());
  EXPECT_GE(l.as_raw_fd(), 0);
}

TEST(TcpListener, bind_in_use_is_an_error) {
  auto l = TcpListener::bind(loopback()).unwrap();
  auto again = TcpListener::bind(l.local_addr().unwrap());
  ASSERT_TRUE(again.is_err());
  EXPECT_EQ(again.unwrap_err().kind(), ErrorKind::AddrInUse);
}

TEST(TcpStream, peek_does_not_consume) {
  auto [s, peer] = connected_pair();
  peer.write_all("abc");
  std::vector<std::uint8_t> buf(3);
  auto n = futures::future::poll_fn([&] { return s.poll_peek(buf); }).wait();
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(n.unwrap(), 3u);
  auto got = tokio::io::read_exact(std::move(s), std::vector<std::uint8_t>(3)).wait();
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(tcp_test::to_string(std::get<1>(got.unwrap_ref())), "abc");
}

// Rust's `Read for TcpStream` inside a task: "not ready" is a WouldBlock error.
TEST(TcpStream, read_and_write_report_would_block) {
  auto [s, peer] = connected_pair();
  std::vector<std::uint8_t> buf(16);
  auto first = futures::future::poll_fn([&]() -> futures::Poll<tokio::io::Result<std::size_t>, futures::Unit> {
                 return futures::Ready(s.read(buf));
               }).wait();
  ASSERT_TRUE(first.is_ok());
  ASSERT_TRUE(first.unwrap_ref().is_err());
  EXPECT_EQ(first.unwrap_ref().unwrap_err().kind(), ErrorKind::WouldBlock);

  peer.write_all("hey");
  // Wait for readability, then read() succeeds.
  auto n = futures::future::poll_fn([&]() -> futures::Poll<std::size_t, tokio::io::Error> {
             auto r = s.read(buf);
             if (r.is_err() && r.unwrap_err_ref().kind() == ErrorKind::WouldBlock) return futures::NotReady;
             return r.map([](std::size_t v) { return futures::Async<std::size_t>::Ready(v); });
           }).wait();
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(n.unwrap(), 3u);

  auto w = futures::future::poll_fn([&]() -> futures::Poll<tokio::io::Result<std::size_t>, futures::Unit> {
             return futures::Ready(s.write(tcp_test::bytes("yo")));
           }).wait();
  ASSERT_TRUE(w.unwrap_ref().is_ok());
  EXPECT_EQ(w.unwrap_ref().unwrap_ref(), 2u);
  EXPECT_EQ(peer.read_exact(2), "yo");
  EXPECT_TRUE(s.flush().is_ok());
}

TEST(TcpListener, poll_accept_std_and_from_std) {
  auto l = TcpListener::bind(loopback()).unwrap();
  auto addr = l.local_addr().unwrap();
  auto peer = BlockingSocket::connect(addr);
  auto accepted = futures::future::poll_fn([&] { return l.poll_accept_std(); }).wait();
  ASSERT_TRUE(accepted.is_ok());
  auto [raw, peer_addr] = std::move(accepted).unwrap();
  EXPECT_EQ(peer_addr.port(), peer.local_port());
  auto s = TcpStream::from_std(std::move(raw), tokio::reactor::Handle::default_()).unwrap();
  peer.write_all("ping");
  auto got = tokio::io::read_exact(std::move(s), std::vector<std::uint8_t>(4)).wait();
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(tcp_test::to_string(std::get<1>(got.unwrap_ref())), "ping");
}

TEST(TcpListener, accept_would_block_then_ready) {
  auto l = TcpListener::bind(loopback()).unwrap();
  auto none = futures::future::poll_fn([&]() -> futures::Poll<bool, futures::Unit> {
                auto r = l.accept();
                return futures::Ready(r.is_err() && r.unwrap_err_ref().kind() == ErrorKind::WouldBlock);
              }).wait();
  EXPECT_TRUE(none.unwrap());
  auto peer = BlockingSocket::connect(l.local_addr().unwrap());
  auto got = futures::future::poll_fn([&] { return l.poll_accept(); }).wait();
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(std::get<1>(got.unwrap_ref()).port(), peer.local_port());
}

TEST(TcpListener, from_std) {
  auto raw = tokio::mio::net::TcpListener::bind(loopback()).unwrap();
  auto l = TcpListener::from_std(std::move(raw), tokio::reactor::Handle::default_()).unwrap();
  auto addr = l.local_addr().unwrap();
  std::thread t([addr] { auto s = BlockingSocket::connect(addr); s.write_all("z"); });
  auto first = std::move(l).incoming().into_future().wait();
  t.join();
  ASSERT_TRUE(first.is_ok());
  EXPECT_TRUE(std::get<0>(first.unwrap_ref()).has_value());
}

TEST(TcpStream, ipv6_loopback) {
  auto v6 = tokio::net::SocketAddr(tokio::net::Ipv6Addr::localhost(), 0);
  auto l = TcpListener::bind(v6);
  if (l.is_err()) GTEST_SKIP() << "no IPv6 loopback here: " << l.unwrap_err();
  auto listener = std::move(l).unwrap();
  auto addr = listener.local_addr().unwrap();
  EXPECT_TRUE(addr.is_ipv6());
  auto connect = TcpStream::connect(addr);
  auto accept = std::move(listener).incoming().into_future().map_err([](auto e) { return std::get<0>(std::move(e)); });
  auto both = std::move(connect).join(std::move(accept)).wait();
  ASSERT_TRUE(both.is_ok()) << both.unwrap_err();
  auto& [mine, accepted] = both.unwrap_ref();
  ASSERT_TRUE(std::get<0>(accepted).has_value());
  EXPECT_EQ(mine.local_addr().unwrap(), std::get<0>(accepted)->peer_addr().unwrap());
}

// The seed example's server, run by tokio::run, serving several clients; the server
// stops after kClients connections so that tokio::run returns.
TEST(TcpRuntime, seed_shaped_echo_server) {
  constexpr int kClients = 8;
  auto listener = TcpListener::bind(loopback()).unwrap();
  auto addr = listener.local_addr().unwrap();

  std::thread clients([addr] {
    std::vector<std::thread> ts;
    for (int c = 0; c < kClients; ++c) {
      ts.emplace_back([addr, c] {
        auto s = BlockingSocket::connect(addr);
        for (int i = 0; i < 50; ++i) {
          std::string msg = "client " + std::to_string(c) + " message " + std::to_string(i);
          s.write_all(msg);
          EXPECT_EQ(s.read_exact(msg.size()), msg);
        }
      });
    }
    for (auto& t : ts) t.join();
  });

  std::atomic<int> finished{0};
  auto server = std::move(listener)
                    .incoming()
                    .take(kClients)
                    .map_err([](const tokio::io::Error& e) { ADD_FAILURE() << "accept failed = " << e; })
                    .for_each([&finished](TcpStream sock) {
                      auto [reader, writer] = std::move(sock).split();
                      auto handle_conn = tokio::io::copy(std::move(reader), std::move(writer))
                                             .map([&finished](uint64_t, auto&&, auto&&) { finished.fetch_add(1); })
                                             .map_err([](const tokio::io::Error& err) { ADD_FAILURE() << "IO error " << err; });
                      return tokio::spawn(std::move(handle_conn));
                    });
  tokio::run(std::move(server));
  clients.join();
  EXPECT_EQ(finished.load(), kClients);
}

}  // namespace tcp_stream_test
