// tokio::mio layer: non-blocking TCP sockets, mio 0.6's `net::TcpListener` / `TcpStream`.
//
// Every fd is created O_NONBLOCK | O_CLOEXEC. No call ever blocks: one that cannot make
// progress returns an Error of kind WouldBlock, and the caller waits for readiness from a
// Poll (edge-triggered: keep calling until WouldBlock before waiting again). Every call
// returns io::Result with the errno of the failing syscall; EINTR is retried inside.
// Writes use send(MSG_NOSIGNAL) / sendmsg(MSG_NOSIGNAL), so a write to a closed peer is
// an EPIPE / ECONNRESET error, never a SIGPIPE. Both types are move-only owners of their
// fd and satisfy the Evented concept (they register through unix::EventedFd).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/owned_fd.hpp>
#include <tokio/mio/net/shutdown.hpp>
#include <tokio/net/socket_addr.hpp>

#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>

namespace tokio::mio::net {

using tokio::net::SocketAddr;

/// A connected (or connecting) TCP socket.
class TcpStream : public detail::EventedSocket {
 public:
  /// Starts a non-blocking connect and returns at once (EINPROGRESS is success). The
  /// socket becomes writable when the connect finishes; `take_error()` (or the first
  /// read/write) then tells whether it failed, e.g. with ConnectionRefused.
  static io::Result<TcpStream> connect(const SocketAddr& addr);
  /// Takes ownership of `fd`, which must be a non-blocking TCP socket (Rust's unsafe
  /// `FromRawFd`). mio's `from_stream` ports as `from_raw_fd(std_stream.into_raw_fd())`.
  static TcpStream from_raw_fd(int fd) noexcept { return TcpStream(detail::OwnedFd(fd)); }
  /// Gives up ownership: the caller must close the returned fd.
  int into_raw_fd() && noexcept { return fd_.release(); }
  io::Result<TcpStream> try_clone() const;

  io::Result<SocketAddr> peer_addr() const;
  io::Result<SocketAddr> local_addr() const;

  /// Reads into `buf`: the count read, 0 at end of stream, or WouldBlock.
  io::Result<std::size_t> read(std::span<std::uint8_t> buf) const;
  /// Writes from `buf`: the count written (possibly short) or WouldBlock.
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf) const;
  /// Scatter / gather versions (mio's `read_bufs` / `write_bufs`); at most IOV_MAX buffers.
  io::Result<std::size_t> readv(std::span<const std::span<std::uint8_t>> bufs) const;
  io::Result<std::size_t> writev(std::span<const std::span<const std::uint8_t>> bufs) const;
  /// Like read, but leaves the bytes in the socket's queue.
  io::Result<std::size_t> peek(std::span<std::uint8_t> buf) const;
  io::Result<futures::Unit> flush() const { return futures::Ok(); }

  io::Result<futures::Unit> shutdown(Shutdown how) const;

  io::Result<futures::Unit> set_nodelay(bool nodelay) const;
  io::Result<bool> nodelay() const;
  io::Result<futures::Unit> set_recv_buffer_size(std::size_t size) const;
  io::Result<std::size_t> recv_buffer_size() const;
  io::Result<futures::Unit> set_send_buffer_size(std::size_t size) const;
  io::Result<std::size_t> send_buffer_size() const;
  /// Enables SO_KEEPALIVE with the idle time (rounded to whole seconds, at least 1 s) as
  /// TCP_KEEPIDLE and TCP_KEEPINTVL, or disables it (nullopt), as mio 0.6 does.
  io::Result<futures::Unit> set_keepalive(std::optional<std::chrono::nanoseconds> keepalive) const;
  io::Result<std::optional<std::chrono::nanoseconds>> keepalive() const;
  /// SO_LINGER: nullopt turns lingering off; a duration (whole seconds) turns it on.
  io::Result<futures::Unit> set_linger(std::optional<std::chrono::nanoseconds> linger) const;
  io::Result<std::optional<std::chrono::nanoseconds>> linger() const;
  io::Result<futures::Unit> set_ttl(std::uint32_t ttl) const;
  io::Result<std::uint32_t> ttl() const;
  /// IPV6_V6ONLY (IPv6 sockets only).
  io::Result<futures::Unit> set_only_v6(bool only_v6) const;
  io::Result<bool> only_v6() const;
  /// SO_ERROR: the pending error (clearing it), or nullopt.
  io::Result<std::optional<io::Error>> take_error() const;

 private:
  explicit TcpStream(detail::OwnedFd fd) noexcept : EventedSocket(std::move(fd)) {}
  friend class TcpListener;
};

/// A listening TCP socket.
class TcpListener : public detail::EventedSocket {
 public:
  /// socket + SO_REUSEADDR + bind + listen(1024), as Rust's mio does. Port 0 picks a
  /// free port; `local_addr()` reads it back.
  static io::Result<TcpListener> bind(const SocketAddr& addr);
  static TcpListener from_raw_fd(int fd) noexcept { return TcpListener(detail::OwnedFd(fd)); }
  int into_raw_fd() && noexcept { return fd_.release(); }
  io::Result<TcpListener> try_clone() const;

  /// One pending connection (accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC) and its peer's
  /// address, or WouldBlock when none is queued. Errors such as EMFILE are returned as
  /// they come and leave the listener usable.
  io::Result<std::tuple<TcpStream, SocketAddr>> accept() const;

  io::Result<SocketAddr> local_addr() const;
  io::Result<futures::Unit> set_ttl(std::uint32_t ttl) const;
  io::Result<std::uint32_t> ttl() const;
  io::Result<futures::Unit> set_only_v6(bool only_v6) const;
  io::Result<bool> only_v6() const;
  io::Result<std::optional<io::Error>> take_error() const;

 private:
  explicit TcpListener(detail::OwnedFd fd) noexcept : EventedSocket(std::move(fd)) {}
};

}  // namespace tokio::mio::net
