// Test support for the tokio::net TCP tests: a blocking POSIX socket playing the peer
// (Rust's tests use std::net's blocking TcpStream / TcpListener on another thread).
// Loopback only; every call that fails fails the test.
#pragma once

#include <tokio/net/socket_addr.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tcp_test {

inline tokio::net::SocketAddr loopback(std::uint16_t port = 0) {
  return tokio::net::SocketAddr(tokio::net::Ipv4Addr::localhost(), port);
}

inline sockaddr_in to_sockaddr_v4(const tokio::net::SocketAddr& addr) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(addr.port());
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sa;
}

/// A blocking TCP socket (the peer side of a test).
class BlockingSocket {
 public:
  BlockingSocket() = default;
  explicit BlockingSocket(int fd) : fd_(fd) {}
  BlockingSocket(BlockingSocket&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  BlockingSocket& operator=(BlockingSocket&& o) noexcept {
    if (this != &o) {
      close();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~BlockingSocket() { close(); }

  /// Connects to 127.0.0.1:addr.port().
  static BlockingSocket connect(const tokio::net::SocketAddr& addr) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd, 0) << std::strerror(errno);
    sockaddr_in sa = to_sockaddr_v4(addr);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    EXPECT_EQ(rc, 0) << "connect: " << std::strerror(errno);
    return BlockingSocket(fd);
  }

  int fd() const { return fd_; }

  void write_all(std::string_view data) {
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      ASSERT_GT(n, 0) << "send: " << std::strerror(errno);
      done += static_cast<std::size_t>(n);
    }
  }
  /// One read(2): the bytes read (empty at end of stream); -errno in *err on failure.
  std::string read_some(std::size_t max, int* err = nullptr) {
    std::string buf(max, '\0');
    ssize_t n;
    do n = ::recv(fd_, buf.data(), max, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (err) *err = errno;
      else ADD_FAILURE() << "recv: " << std::strerror(errno);
      n = 0;
    }
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }
  /// Reads exactly `n` bytes (fewer only if the stream ends first).
  std::string read_exact(std::size_t n) {
    std::string out;
    while (out.size() < n) {
      auto chunk = read_some(n - out.size());
      if (chunk.empty()) break;
      out += chunk;
    }
    return out;
  }
  /// Reads until end of stream.
  std::string read_to_end() {
    std::string out;
    for (;;) {
      auto chunk = read_some(65536);
      if (chunk.empty()) return out;
      out += chunk;
    }
  }
  void shutdown_write() { ASSERT_EQ(::shutdown(fd_, SHUT_WR), 0) << std::strerror(errno); }
  /// SO_LINGER {1, 0}: the next close sends RST instead of FIN.
  void set_linger_zero() {
    linger l{1, 0};
    ASSERT_EQ(::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l), 0) << std::strerror(errno);
  }
  /// Closes with RST (SO_LINGER 0).
  void reset() {
    set_linger_zero();
    close();
  }
  void close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }
  std::uint16_t local_port() const { return port_of(&::getsockname); }
  std::uint16_t peer_port() const { return port_of(&::getpeername); }

 private:
  std::uint16_t port_of(int (*get)(int, sockaddr*, socklen_t*)) const {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    EXPECT_EQ(get(fd_, reinterpret_cast<sockaddr*>(&sa), &len), 0) << std::strerror(errno);
    return ntohs(sa.sin_port);
  }

  int fd_ = -1;
};

/// A blocking listener on 127.0.0.1:0.
class BlockingListener {
 public:
  BlockingListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd_, 0);
    sockaddr_in sa = to_sockaddr_v4(loopback(0));
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0) << std::strerror(errno);
    EXPECT_EQ(::listen(fd_, 128), 0);
  }
  BlockingListener(const BlockingListener&) = delete;
  BlockingListener& operator=(const BlockingListener&) = delete;
  ~BlockingListener() { close(); }

  tokio::net::SocketAddr local_addr() const {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len), 0);
    return loopback(ntohs(sa.sin_port));
  }
  BlockingSocket accept() {
    int fd;
    do fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    EXPECT_GE(fd, 0) << "accept: " << std::strerror(errno);
    return BlockingSocket(fd);
  }
  void close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

 private:
  int fd_ = -1;
};

inline std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string to_string(const std::vector<std::uint8_t>& v) { return std::string(v.begin(), v.end()); }

}  // namespace tcp_test
