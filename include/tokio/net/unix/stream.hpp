// tokio::net layer: UnixStream and ConnectFuture. Mirrors tokio-uds 0.2 `src/stream.rs`.
//
// A UnixStream is a non-blocking Unix-domain stream socket inside a reactor::PollEvented
// and follows the same edge-triggered protocol as TcpStream: try the syscall while the
// reactor says ready; on WouldBlock clear that readiness and return NotReady (the task
// is notified at the next edge). The read and write sides are independent, so `split()`
// gives two halves that need no lock (split.hpp).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/shutdown.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/unix/stream.hpp>
#include <tokio/net/unix/socket_addr.hpp>
#include <tokio/net/unix/ucred.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/poll_evented.hpp>

#include <futures/detail/consumes.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <tuple>
#include <variant>

namespace tokio::net::unix {

class ConnectFuture;
class ReadHalf;
class WriteHalf;

/// Rust's `std::net::Shutdown`.
using Shutdown = tokio::mio::net::Shutdown;

/// Rust's `tokio::net::UnixStream`. Move-only; dropping it closes the socket.
/// AsyncRead and AsyncWrite (poll_read / poll_write / poll_flush / shutdown()).
class UnixStream {
 public:
  using Evented = reactor::PollEvented<tokio::mio::unix::UnixStream>;

  /// Connects to the socket at `path`. Errors known at once (no such file, connection
  /// refused) come out of the future's first poll.
  static ConnectFuture connect(const std::filesystem::path& path);
  /// Rust's `from_std(stream, &handle)`: adopts a raw connected socket.
  static io::Result<UnixStream> from_std(tokio::mio::unix::UnixStream stream, const reactor::Handle& handle);
  /// Two connected, unnamed sockets (socketpair(2)).
  static io::Result<std::tuple<UnixStream, UnixStream>> pair();

  explicit UnixStream(Evented io) noexcept : io_(std::move(io)) {}

  futures::Poll<tokio::mio::Ready, io::Error> poll_read_ready(tokio::mio::Ready mask) {
    return io_.poll_read_ready(mask);
  }
  futures::Poll<tokio::mio::Ready, io::Error> poll_write_ready() { return io_.poll_write_ready(); }

  /// AsyncRead: Ready(0) at end of stream (the peer closed or shut down writing).
  futures::Poll<std::size_t, io::Error> poll_read(std::span<std::uint8_t> buf);
  /// AsyncWrite. Writes use MSG_NOSIGNAL: a closed peer is an EPIPE error, no SIGPIPE.
  futures::Poll<std::size_t, io::Error> poll_write(std::span<const std::uint8_t> buf);
  futures::Poll<futures::Unit, io::Error> poll_flush() { return futures::Ready(); }
  /// AsyncWrite::shutdown: closes the write side (the peer reads end of stream), as
  /// TcpStream does; tokio-uds 0.2 did nothing here, which kept a copy from
  /// propagating the end of stream.
  futures::Poll<futures::Unit, io::Error> shutdown();

  /// Rust's `Read` / `Write` on the stream: NotReady comes back as WouldBlock.
  io::Result<std::size_t> read(std::span<std::uint8_t> buf);
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf);
  io::Result<futures::Unit> flush() { return futures::Ok(); }

  /// Closes the read side, the write side or both at once (no flushing needed).
  io::Result<futures::Unit> shutdown(Shutdown how) const;

  io::Result<SocketAddr> local_addr() const;
  io::Result<SocketAddr> peer_addr() const;
  /// The peer's credentials (SO_PEERCRED).
  io::Result<UCred> peer_cred() const;
  io::Result<std::optional<io::Error>> take_error() const;
  int as_raw_fd() const;

  const Evented& get_ref() const noexcept { return io_; }
  Evented& get_mut() noexcept { return io_; }

  /// A read half and a write half that two tasks may use at once (no lock).
  std::tuple<ReadHalf, WriteHalf> split() &&;
  FUTURES_DETAIL_CONSUMES("stream", split)

 private:
  friend class ConnectFuture;
  Evented io_;
};

/// The future of UnixStream::connect: resolves to the connected stream once it is
/// writable, or to the connect error.
/// Aborts: polling again after it completed is a contract violation.
class ConnectFuture : public futures::FutureExt<ConnectFuture> {
 public:
  using Item = UnixStream;
  using Error = io::Error;

  explicit ConnectFuture(UnixStream stream);
  explicit ConnectFuture(io::Error error);

  futures::Poll<UnixStream, io::Error> poll();

 private:
  std::variant<UnixStream, io::Error, std::monostate> state_;  // monostate: completed
};

}  // namespace tokio::net::unix

#include <tokio/net/unix/split.hpp>
