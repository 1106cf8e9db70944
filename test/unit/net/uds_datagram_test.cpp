// Port of tokio-uds 0.2 `tests/datagram.rs` (framed_echo, with send_dgram / recv_dgram in
// place of UnixDatagramFramed, which waits for the codec layer), plus pair, unbound
// senders, connect / peer_addr and shutdown.
#include <tokio/net/unix.hpp>
#include <tokio/runtime/current_thread.hpp>

#include <futures/future/poll_fn.hpp>
#include <futures/future_ext.hpp>

#include <gtest/gtest.h>

#include "support/bounded_wait.hpp"
#include "uds_temp_dir.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uds_datagram_test {

using tokio::net::UnixDatagram;
using tokio::net::unix::Shutdown;
using uds_test::TempDir;
namespace io = tokio::io;

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

template <class F>
auto wait(F future) {
  auto done = futures_test::wait_for(future, std::chrono::seconds(20));
  if (!done) ADD_FAILURE() << "future did not complete within 20 s";
  return std::move(*done);
}

TEST(Datagram, framed_echo) {
  TempDir dir;
  const auto server_path = dir.join("server.sock");
  const auto client_path = dir.join("client.sock");
  auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();

  // The echo server answers one datagram to the path it came from.
  auto server = UnixDatagram::bind(server_path).unwrap();
  rt.spawn(std::move(server)
               .recv_dgram(std::vector<std::uint8_t>(64))
               .and_then([](UnixDatagram s, std::vector<std::uint8_t> buf, std::size_t n, std::string from) {
                 buf.resize(n);
                 return std::move(s).send_dgram(std::move(buf), std::filesystem::path(from));
               })
               .map([](auto&&...) {})
               .map_err([](const io::Error& e) { ADD_FAILURE() << "echo server: " << e; }));

  auto client = UnixDatagram::bind(client_path).unwrap();
  auto [c1, _] = rt.block_on(std::move(client).send_dgram(std::string("ECHO"), server_path)).unwrap();
  auto [c2, buf, n, from] = rt.block_on(std::move(c1).recv_dgram(std::vector<std::uint8_t>(64))).unwrap();
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)), "ECHO");
  EXPECT_EQ(from, server_path.string());
  EXPECT_TRUE(rt.run().is_ok());
}

TEST(UnixDatagram, pair_send_recv) {
  auto [a, b] = UnixDatagram::pair().unwrap();
  std::array<std::uint8_t, 16> buf{};
  bool sent = false;
  auto exchange = futures::future::poll_fn([&]() -> futures::Poll<std::size_t, io::Error> {
    if (!sent) {
      const std::size_t n = FUTURES_TRY_READY(a.poll_send(as_bytes("hi there")));
      EXPECT_EQ(n, 8u);
      sent = true;
    }
    return b.poll_recv(buf);
  });
  EXPECT_EQ(wait(std::move(exchange)).unwrap(), 8u);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(buf.data()), 8), "hi there");
  EXPECT_TRUE(a.peer_addr().unwrap().is_unnamed());
}

TEST(UnixDatagram, unbound_sender_is_unnamed) {
  TempDir dir;
  const auto path = dir.join("recv.sock");
  auto receiver = UnixDatagram::bind(path).unwrap();
  auto sender = UnixDatagram::unbound().unwrap();
  auto send = std::move(sender).send_dgram(std::vector<std::uint8_t>{1, 2, 3}, path);
  auto recv = std::move(receiver).recv_dgram(std::vector<std::uint8_t>(8));
  auto [sent, received] = wait(std::move(send).join(std::move(recv))).unwrap();
  EXPECT_EQ(std::get<2>(received), 3u);
  EXPECT_EQ(std::get<3>(received), "");
}

TEST(UnixDatagram, connect_peer_addr_and_shutdown) {
  TempDir dir;
  const auto path = dir.join("peer.sock");
  auto receiver = UnixDatagram::bind(path).unwrap();
  EXPECT_EQ(receiver.local_addr().unwrap().as_pathname().value_or("").string(), path.string());
  auto sender = UnixDatagram::unbound().unwrap();
  ASSERT_TRUE(sender.connect(path).is_ok());
  EXPECT_EQ(sender.peer_addr().unwrap().as_pathname().value_or("").string(), path.string());

  bool sent = false;
  std::array<std::uint8_t, 8> buf{};
  auto exchange = futures::future::poll_fn([&]() -> futures::Poll<std::size_t, io::Error> {
    if (!sent) {
      (void)FUTURES_TRY_READY(sender.poll_send(as_bytes("abc")));
      sent = true;
    }
    auto [n, from] = FUTURES_TRY_READY(receiver.poll_recv_from(buf));
    EXPECT_TRUE(from.is_unnamed());
    return futures::Ready(n);
  });
  EXPECT_EQ(wait(std::move(exchange)).unwrap(), 3u);

  // After shutting down writing, a send fails at once (EPIPE), and without SIGPIPE.
  ASSERT_TRUE(sender.shutdown(Shutdown::Write).is_ok());
  auto after = wait(futures::future::poll_fn([&] { return sender.poll_send(as_bytes("x")); }));
  ASSERT_TRUE(after.is_err());
  EXPECT_EQ(after.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
  EXPECT_TRUE(receiver.take_error().unwrap() == std::nullopt);
}

TEST(UnixDatagram, bind_in_use_is_an_error) {
  TempDir dir;
  const auto path = dir.join("used.sock");
  auto first = UnixDatagram::bind(path).unwrap();
  auto again = UnixDatagram::bind(path);
  ASSERT_TRUE(again.is_err());
  EXPECT_EQ(again.unwrap_err().kind(), io::ErrorKind::AddrInUse);
}

}  // namespace uds_datagram_test
