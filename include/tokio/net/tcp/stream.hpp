// tokio::net layer: TcpStream and ConnectFuture. Mirrors tokio-tcp 0.1 `src/stream.rs`.
//
// A TcpStream is a non-blocking socket (tokio::mio::net::TcpStream) inside a
// reactor::PollEvented, which keeps its read and write readiness. Reads and writes follow
// the edge-triggered protocol: try the system call while the reactor says "ready"; on
// WouldBlock clear that readiness and return NotReady (the reactor notifies the task at
// the next edge). The read side and the write side of the PollEvented are independent,
// which is what lets `split()` hand them to two tasks with no lock (docs/net.md).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/tcp.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/net/socket_addr.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/poll_evented.hpp>

#include <futures/contract.hpp>
#include <futures/detail/consumes.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>
#include <variant>

// Instantiated once, in lib/tokio/net/tcp_stream.cpp.
extern template class tokio::reactor::PollEvented<tokio::mio::net::TcpStream>;

namespace tokio::net::tcp {

class ConnectFuture;
class ReadHalf;
class WriteHalf;

/// Rust's `std::net::Shutdown`: which direction `TcpStream::shutdown(how)` closes.
using Shutdown = tokio::mio::net::Shutdown;

/// A TCP connection registered with a reactor (Rust's `tokio::net::TcpStream`).
///
/// Made by `connect` (a ConnectFuture), by accepting on a TcpListener, or by `from_std`.
/// It is an AsyncRead and an AsyncWrite. Move-only; destroying it deregisters and closes
/// the socket.
///
/// Thread safety: one task reads and one task writes at a time (the reactor notifies
/// one reader and one writer); use `split()` to give the two directions to two tasks.
class TcpStream {
 public:
  using Evented = reactor::PollEvented<tokio::mio::net::TcpStream>;

  /// Opens a connection to `addr` (Rust's `TcpStream::connect(&addr)`). The returned
  /// future resolves once the connection is established; a refused connection is an
  /// error of kind ConnectionRefused. The stream is bound to the default reactor.
  static ConnectFuture connect(const SocketAddr& addr);

  /// Rust's `TcpStream::from_std(stream, &handle)`: registers an already connected
  /// socket with `handle`'s reactor.
  static io::Result<TcpStream> from_std(tokio::mio::net::TcpStream stream, const reactor::Handle& handle);

  /// Wraps an already registered socket (what TcpListener and ConnectFuture use).
  explicit TcpStream(Evented io) noexcept : io_(std::move(io)) {}

  TcpStream(TcpStream&&) noexcept = default;
  TcpStream& operator=(TcpStream&&) noexcept = default;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  // ----- readiness -----

  /// Ready(readiness) once the socket has readiness in `mask` (readable, hup, error);
  /// NotReady registers the current task for the next read event.
  futures::Poll<tokio::mio::Ready, io::Error> poll_read_ready(tokio::mio::Ready mask) {
    return io_.poll_read_ready(mask);
  }
  /// Ready once the socket is writable; NotReady registers the current task.
  futures::Poll<tokio::mio::Ready, io::Error> poll_write_ready() { return io_.poll_write_ready(); }

  // ----- AsyncRead / AsyncWrite -----

  /// Reads into `buf`: Ready(n), Ready(0) at end of stream, NotReady (the current task
  /// is notified when data arrives) or an error (ConnectionReset when the peer reset).
  futures::Poll<std::size_t, io::Error> poll_read(std::span<std::uint8_t> buf);
  /// Writes from `buf`: Ready(n), NotReady (the current task is notified when the socket
  /// is writable again) or an error (BrokenPipe / ConnectionReset; never SIGPIPE).
  futures::Poll<std::size_t, io::Error> poll_write(std::span<const std::uint8_t> buf);
  /// Always Ready: a socket has no user-space buffer.
  futures::Poll<futures::Unit, io::Error> poll_flush() { return futures::Ready(); }
  /// AsyncWrite's `shutdown()`: closes the write direction (sends FIN); calling it again
  /// is harmless. Unlike tokio-tcp 0.1, whose AsyncWrite::shutdown did nothing, this
  /// matches what copy/proxy code expects and what tokio 0.2 does (docs/net.md).
  futures::Poll<futures::Unit, io::Error> shutdown();

  /// Rust's `Read::read`: like poll_read, but "not ready" is a WouldBlock error. Must be
  /// called inside a task (a WouldBlock registers the current task).
  io::Result<std::size_t> read(std::span<std::uint8_t> buf);
  /// Rust's `Write::write`: like poll_write, with WouldBlock for "not ready".
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf);
  /// Rust's `Write::flush`: nothing to do.
  io::Result<futures::Unit> flush() { return futures::Ok(); }

  /// Reads without consuming (MSG_PEEK): Ready(n), NotReady or an error.
  futures::Poll<std::size_t, io::Error> poll_peek(std::span<std::uint8_t> buf);

  /// Rust's `TcpStream::shutdown(&self, how)`: shuts down the read, write or both
  /// directions now (distinct from AsyncWrite's zero-argument `shutdown()`).
  io::Result<futures::Unit> shutdown(Shutdown how) const;

  // ----- addresses and socket options -----

  io::Result<SocketAddr> local_addr() const;
  io::Result<SocketAddr> peer_addr() const;
  io::Result<bool> nodelay() const;
  io::Result<futures::Unit> set_nodelay(bool nodelay) const;
  io::Result<std::optional<std::chrono::nanoseconds>> keepalive() const;
  io::Result<futures::Unit> set_keepalive(std::optional<std::chrono::nanoseconds> keepalive) const;
  io::Result<std::optional<std::chrono::nanoseconds>> linger() const;
  io::Result<futures::Unit> set_linger(std::optional<std::chrono::nanoseconds> linger) const;
  io::Result<std::uint32_t> ttl() const;
  io::Result<futures::Unit> set_ttl(std::uint32_t ttl) const;
  io::Result<std::size_t> recv_buffer_size() const;
  io::Result<futures::Unit> set_recv_buffer_size(std::size_t size) const;
  io::Result<std::size_t> send_buffer_size() const;
  io::Result<futures::Unit> set_send_buffer_size(std::size_t size) const;
  /// The pending socket error (SO_ERROR), cleared by the call.
  io::Result<std::optional<io::Error>> take_error() const;
  /// The socket's file descriptor (still owned by this stream).
  int as_raw_fd() const;

  /// The registered socket (Rust's `PollEvented::get_ref`).
  const Evented& get_ref() const noexcept { return io_; }
  Evented& get_mut() noexcept { return io_; }

  /// Splits the stream into a read half and a write half that two tasks can use at the
  /// same time, with no lock: the read half touches only the read readiness, the write
  /// half only the write readiness (Rust's `AsyncRead::split`, whose BiLock this
  /// replaces). Dropping a half does not shut its direction down (as with Rust's
  /// halves); the socket closes when both halves are gone. One allocation per call.
  std::tuple<ReadHalf, WriteHalf> split() &&;
  FUTURES_DETAIL_CONSUMES("stream", split)

 private:
  Evented io_;
};

/// The future returned by `TcpStream::connect` (Rust's `ConnectFuture`): resolves to the
/// connected stream once the socket becomes writable and reports no socket error.
class ConnectFuture : public futures::FutureExt<ConnectFuture> {
 public:
  using Item = TcpStream;
  using Error = io::Error;

  /// Waits for `stream` (connecting) to connect.
  explicit ConnectFuture(TcpStream stream);
  /// Fails with `error` at its first poll (the connect call itself failed).
  explicit ConnectFuture(io::Error error);

  /// Polling after completion is a contract violation.
  futures::Poll<TcpStream, io::Error> poll();

 private:
  std::variant<TcpStream, io::Error, std::monostate> state_;
};

}  // namespace tokio::net::tcp

// The halves split() returns.
#include <tokio/net/tcp/split.hpp>
