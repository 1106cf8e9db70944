// tokio::net layer: UnixDatagram, a Unix-domain datagram socket driven by the reactor.
// Mirrors tokio-uds 0.2 `src/datagram.rs`. Unlike UdpSocket, every poll_* here is
// callable through the socket by one reader and one writer task (Rust takes `&self`).
#pragma once

#include <tokio/io/buf.hpp>
#include <tokio/io/error.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/unix/datagram.hpp>
#include <tokio/net/unix/socket_addr.hpp>
#include <tokio/net/unix/stream.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/poll_evented.hpp>

#include <futures/detail/consumes.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <tuple>

namespace tokio::net::unix {

template <io::ByteBuf T, class P>
class SendDgram;
template <io::ByteBufMut T>
class RecvDgram;

/// Rust's `tokio::net::UnixDatagram`. Move-only; dropping it closes the socket (a bound
/// socket's file stays at its path, as in Rust).
class UnixDatagram {
 public:
  using Evented = reactor::PollEvented<tokio::mio::unix::UnixDatagram>;

  /// A socket bound to the (new) socket file at `path`.
  static io::Result<UnixDatagram> bind(const std::filesystem::path& path);
  /// Two connected, unnamed sockets (socketpair(2)).
  static io::Result<std::tuple<UnixDatagram, UnixDatagram>> pair();
  /// A socket bound to no path (it can send, and receive replies only once connected).
  static io::Result<UnixDatagram> unbound();
  /// Rust's `from_std(datagram, &handle)`.
  static io::Result<UnixDatagram> from_std(tokio::mio::unix::UnixDatagram socket, const reactor::Handle& handle);

  explicit UnixDatagram(Evented io) noexcept : io_(std::move(io)) {}

  /// Sets the default destination for poll_send and filters what poll_recv receives.
  io::Result<futures::Unit> connect(const std::filesystem::path& path) const;

  futures::Poll<tokio::mio::Ready, io::Error> poll_read_ready(tokio::mio::Ready mask) {
    return io_.poll_read_ready(mask);
  }
  futures::Poll<tokio::mio::Ready, io::Error> poll_write_ready() { return io_.poll_write_ready(); }

  io::Result<SocketAddr> local_addr() const;
  io::Result<SocketAddr> peer_addr() const;

  /// Receives one datagram and its sender's address (unnamed for an unbound sender).
  futures::Poll<std::tuple<std::size_t, SocketAddr>, io::Error> poll_recv_from(std::span<std::uint8_t> buf);
  futures::Poll<std::size_t, io::Error> poll_recv(std::span<std::uint8_t> buf);
  /// Sends one datagram to the socket at `path`.
  futures::Poll<std::size_t, io::Error> poll_send_to(std::span<const std::uint8_t> buf,
                                                     const std::filesystem::path& path);
  futures::Poll<std::size_t, io::Error> poll_send(std::span<const std::uint8_t> buf);

  /// A future that receives one datagram into `buf` and yields
  /// std::tuple<UnixDatagram, T, std::size_t, std::string> (the sender's path, empty
  /// for an unnamed sender). Consumes the socket.
  template <io::ByteBufMut T>
  RecvDgram<T> recv_dgram(T buf) &&;
  FUTURES_DETAIL_CONSUMES("socket", recv_dgram)
  /// A future that sends all of `buf` to `path` as one datagram and yields
  /// std::tuple<UnixDatagram, T>. Consumes the socket.
  template <io::ByteBuf T, class P>
    requires std::constructible_from<std::filesystem::path, const P&>
  SendDgram<T, P> send_dgram(T buf, P path) &&;
  FUTURES_DETAIL_CONSUMES("socket", send_dgram)

  io::Result<std::optional<io::Error>> take_error() const;
  io::Result<futures::Unit> shutdown(Shutdown how) const;
  int as_raw_fd() const;

 private:
  Evented io_;
};

}  // namespace tokio::net::unix

#include <tokio/net/unix/recv_dgram.hpp>
#include <tokio/net/unix/send_dgram.hpp>
