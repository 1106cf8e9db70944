// Ports of tokio-tcp 0.1's tests (tcp.rs, echo.rs, chain.rs, limit.rs, stream-buffered.rs)
// and tokio 0.1.22's tests/buffered.rs. As in Rust, the async side runs with `wait()`
// (sockets outside a runtime use the background reactor) and the peer is a blocking
// socket on another thread. Loopback and port 0 only.
#include <tokio/io/copy.hpp>
#include <tokio/io/read_to_end.hpp>
#include <tokio/net.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include "unit/net/tcp_test_peer.hpp"

#include <atomic>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace tcp_port_test {

using tcp_test::BlockingListener;
using tcp_test::BlockingSocket;
using tcp_test::loopback;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

// Rust's `Read::chain` / `Read::take`, as AsyncRead adapters (tokio-io has them through
// std::io::Read; here they are local to the test).
template <class A, class B>
struct Chain {
  A first;
  B second;
  bool first_done = false;
  futures::Poll<std::size_t, tokio::io::Error> poll_read(std::span<std::uint8_t> buf) {
    if (!first_done) {
      auto r = first.poll_read(buf);
      if (r.is_err() || r.unwrap_ref().is_not_ready()) return r;
      if (r.unwrap_ref().value() != 0 || buf.empty()) return r;
      first_done = true;
    }
    return second.poll_read(buf);
  }
};
template <class A, class B>
Chain<A, B> chain(A a, B b) {
  return Chain<A, B>{std::move(a), std::move(b)};
}

template <class A>
struct Take {
  A inner;
  std::uint64_t limit;
  futures::Poll<std::size_t, tokio::io::Error> poll_read(std::span<std::uint8_t> buf) {
    if (limit == 0) return futures::Ready(std::size_t{0});
    if (buf.size() > limit) buf = buf.first(static_cast<std::size_t>(limit));
    auto r = inner.poll_read(buf);
    if (r.is_ok() && r.unwrap_ref().is_ready()) limit -= r.unwrap_ref().value();
    return r;
  }
};

// ===== tcp.rs =====

TEST(Tcp, connect) {
  BlockingListener srv;
  auto addr = srv.local_addr();
  BlockingSocket theirs;
  std::thread t([&] { theirs = srv.accept(); });

  auto mine = TcpStream::connect(addr).wait().unwrap();
  t.join();

  EXPECT_EQ(mine.local_addr().unwrap().port(), theirs.peer_port());
  EXPECT_EQ(theirs.local_port(), mine.peer_addr().unwrap().port());
  EXPECT_EQ(mine.peer_addr().unwrap(), addr);
}

TEST(Tcp, accept) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  std::atomic<int> accepted{0};
  auto client = std::move(srv)
                    .incoming()
                    .map([&](TcpStream s) {
                      accepted.fetch_add(1);
                      return s;
                    })
                    .into_future()
                    .map_err([](auto e) { return std::get<0>(std::move(e)); });
  EXPECT_EQ(accepted.load(), 0);
  BlockingSocket theirs;
  std::thread t([&] { theirs = BlockingSocket::connect(addr); });

  auto [mine, remaining] = std::move(client).wait().unwrap();
  t.join();
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(mine->local_addr().unwrap().port(), theirs.peer_port());
  EXPECT_EQ(theirs.local_port(), mine->peer_addr().unwrap().port());
}

TEST(Tcp, accept2) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  BlockingSocket theirs;
  std::thread t([&] { theirs = BlockingSocket::connect(addr); });

  std::atomic<int> accepted{0};
  auto client = std::move(srv)
                    .incoming()
                    .map([&](TcpStream s) {
                      accepted.fetch_add(1);
                      return s;
                    })
                    .into_future()
                    .map_err([](auto e) { return std::get<0>(std::move(e)); });
  auto [mine, remaining] = std::move(client).wait().unwrap();
  EXPECT_TRUE(mine.has_value());
  t.join();
}

// Rust's linux::poll_hup: the peer writes and resets; HUP is reported to a read-readiness
// poll, the stream is then writable (the error counts), and the data is still readable.
TEST(Tcp, poll_hup) {
  BlockingListener srv;
  auto addr = srv.local_addr();
  // Rust's peer sleeps 200 ms so that the reset cannot overtake the connect; here it
  // waits until the connect has resolved.
  std::promise<void> connected;
  std::thread t([&] {
    auto client = srv.accept();
    connected.get_future().wait();
    client.write_all("hello world");
    client.reset();
  });

  auto stream = TcpStream::connect(addr).wait().unwrap();
  connected.set_value();
  t.join();

  auto hup = futures::future::poll_fn([&] { return stream.poll_read_ready(tokio::mio::Ready::hup()); }).wait();
  ASSERT_TRUE(hup.is_ok()) << hup.unwrap_err();
  EXPECT_TRUE(hup.unwrap_ref().is_hup());
  auto writable = futures::future::poll_fn([&] { return stream.poll_write_ready(); }).wait();
  ASSERT_TRUE(writable.is_ok());

  std::vector<std::uint8_t> buf(11);
  auto n = futures::future::poll_fn([&] { return stream.poll_read(buf); }).wait();
  ASSERT_TRUE(n.is_ok()) << n.unwrap_err();
  EXPECT_EQ(n.unwrap(), 11u);
  EXPECT_EQ(tcp_test::to_string(buf), "hello world");
}

// ===== echo.rs =====

TEST(Echo, echo_server) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  const std::string msg = "foo bar baz";
  std::thread t([&] {
    auto s = BlockingSocket::connect(addr);
    for (int i = 0; i < 1024; ++i) {
      s.write_all(msg);
      ASSERT_EQ(s.read_exact(msg.size()), msg);
    }
  });

  auto copied = std::move(srv)
                    .incoming()
                    .into_future()
                    .map([](auto e) { return *std::get<0>(std::move(e)); })
                    .map_err([](auto e) { return std::get<0>(std::move(e)); })
                    .map([](TcpStream s) { return std::move(s).split(); })
                    .and_then([](auto halves) {
                      auto [a, b] = std::move(halves);
                      return tokio::io::copy(std::move(a), std::move(b));
                    });

  auto r = std::move(copied).wait();
  t.join();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_EQ(std::get<0>(r.unwrap_ref()), msg.size() * 1024);
}

// ===== chain.rs =====

TEST(Chain, chain_clients) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  std::thread t([&] {
    auto s1 = BlockingSocket::connect(addr);
    s1.write_all("foo ");
    auto s2 = BlockingSocket::connect(addr);
    s2.write_all("bar ");
    auto s3 = BlockingSocket::connect(addr);
    s3.write_all("baz");
  });

  auto copied = std::move(srv).incoming().take(3).collect().and_then([](std::vector<TcpStream> clients) {
    return tokio::io::read_to_end(
        chain(chain(std::move(clients[0]), std::move(clients[1])), std::move(clients[2])),
        std::vector<std::uint8_t>());
  });

  auto r = std::move(copied).wait();
  t.join();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_EQ(tcp_test::to_string(std::get<1>(r.unwrap_ref())), "foo bar baz");
}

// ===== limit.rs =====

TEST(Limit, limit) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  std::thread t([&] {
    auto s1 = BlockingSocket::connect(addr);
    s1.write_all("foo bar baz");
  });

  auto copied = std::move(srv).incoming().take(1).collect().and_then([](std::vector<TcpStream> clients) {
    return tokio::io::read_to_end(Take<TcpStream>{std::move(clients[0]), 4}, std::vector<std::uint8_t>());
  });

  auto r = std::move(copied).wait();
  t.join();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_EQ(tcp_test::to_string(std::get<1>(r.unwrap_ref())), "foo ");
}

// ===== stream-buffered.rs =====

TEST(StreamBuffered, echo_server) {
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  std::thread t([&] {
    auto s1 = BlockingSocket::connect(addr);
    auto s2 = BlockingSocket::connect(addr);
    const std::string msg = "foo";
    s1.write_all(msg);
    s2.write_all(msg);
    EXPECT_EQ(s1.read_exact(msg.size()), msg);
    EXPECT_EQ(s2.read_exact(msg.size()), msg);
  });

  auto future = std::move(srv)
                    .incoming()
                    .map([](TcpStream s) { return std::move(s).split(); })
                    .map([](auto halves) {
                      auto [a, b] = std::move(halves);
                      return tokio::io::copy(std::move(a), std::move(b)).map([](auto&&...) {});
                    })
                    .buffered(10)
                    .take(2)
                    .collect();

  auto r = std::move(future).wait();
  t.join();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_EQ(r.unwrap_ref().size(), 2u);
}

// ===== tokio tests/buffered.rs =====
// Copies everything one client sends to another client. Rust wraps them in
// std::io::BufReader / BufWriter; copy's own buffer plays that part here.
TEST(Buffered, echo_server) {
  constexpr std::size_t N = 1024;
  auto srv = TcpListener::bind(loopback()).unwrap();
  auto addr = srv.local_addr().unwrap();

  const std::string msg = "foo bar baz";
  std::string expected, actual;
  std::thread t([&] {
    auto s = BlockingSocket::connect(addr);
    std::thread t2([&] {
      auto s2 = BlockingSocket::connect(addr);
      actual = s2.read_exact(msg.size() * N);
    });
    for (std::size_t i = 0; i < N; ++i) {
      expected += msg;
      s.write_all(msg);
    }
    s.close();
    t2.join();
  });

  auto copied = std::move(srv).incoming().take(2).collect().and_then([](std::vector<TcpStream> clients) {
    return tokio::io::copy(std::move(clients[0]), std::move(clients[1]));
  });

  auto r = std::move(copied).wait();
  t.join();
  ASSERT_TRUE(r.is_ok()) << r.unwrap_err();
  EXPECT_EQ(expected, actual);
  EXPECT_EQ(std::get<0>(r.unwrap_ref()), msg.size() * N);
}

}  // namespace tcp_port_test
