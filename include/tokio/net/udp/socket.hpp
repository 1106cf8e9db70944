// tokio layer: tokio::net::udp::UdpSocket (tokio::net::UdpSocket), a UDP socket driven by
// the reactor. Mirrors tokio-udp 0.1 `src/socket.rs`.
//
// The socket is a PollEvented over the raw non-blocking tokio::mio::net::UdpSocket. Every
// poll_* method must be called from inside a task: NotReady means the socket's readiness
// was cleared and the current task will be notified when it may be ready again (at most
// one reading and one writing task per socket, as in Tokio). The syscalls live in
// lib/tokio/net/udp_socket.cpp.
#pragma once

#include <tokio/io/buf.hpp>
#include <tokio/io/error.hpp>
#include <tokio/mio/net/udp.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/net/socket_addr.hpp>
#include <tokio/reactor/poll_evented.hpp>

#include <futures/detail/consumes.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>

namespace tokio::net::udp {

template <io::ByteBuf T>
class SendDgram;
template <io::ByteBufMut T>
class RecvDgram;

/// Rust's `tokio::net::UdpSocket`. Move-only; dropping it closes the socket.
class UdpSocket {
 public:
  /// Binds a socket to `addr` (port 0 picks a free port; read it back with local_addr).
  static io::Result<UdpSocket> bind(const SocketAddr& addr);
  /// Rust's `from_std(socket, &handle)`: adopts a raw mio socket, registered with `handle`.
  static io::Result<UdpSocket> from_std(mio::net::UdpSocket socket, const reactor::Handle& handle);

  io::Result<SocketAddr> local_addr() const;
  /// Sets the default destination for send / poll_send and filters what recv receives.
  /// After it, an ICMP "port unreachable" for this peer surfaces as ConnectionRefused
  /// on this socket's next send or recv (and only on this socket).
  io::Result<futures::Unit> connect(const SocketAddr& addr) const;

  /// Sends `buf` to the connected peer. Ready(n): n bytes went out as one datagram.
  futures::Poll<std::size_t, io::Error> poll_send(std::span<const std::uint8_t> buf);
  /// Receives one datagram from the connected peer into `buf` (the rest of a longer
  /// datagram is discarded, as recv(2) does).
  futures::Poll<std::size_t, io::Error> poll_recv(std::span<std::uint8_t> buf);
  futures::Poll<std::size_t, io::Error> poll_send_to(std::span<const std::uint8_t> buf,
                                                     const SocketAddr& target);
  futures::Poll<std::tuple<std::size_t, SocketAddr>, io::Error> poll_recv_from(
      std::span<std::uint8_t> buf);

  /// Rust's deprecated non-poll forms: like the poll_* ones, but NotReady comes back as
  /// an Err of kind WouldBlock (the task is still notified). Kept because tokio-udp's
  /// own tests use them with `try_nb!`.
  io::Result<std::size_t> send(std::span<const std::uint8_t> buf);
  io::Result<std::size_t> recv(std::span<std::uint8_t> buf);
  io::Result<std::size_t> send_to(std::span<const std::uint8_t> buf, const SocketAddr& target);
  io::Result<std::tuple<std::size_t, SocketAddr>> recv_from(std::span<std::uint8_t> buf);

  /// A future that sends all of `buf` to `addr` as one datagram and yields
  /// std::tuple<UdpSocket, T> (the socket and the buffer back). Consumes the socket.
  template <io::ByteBuf T>
  SendDgram<T> send_dgram(T buf, const SocketAddr& addr) &&;
  FUTURES_DETAIL_CONSUMES("socket", send_dgram)
  /// A future that receives one datagram into `buf` and yields
  /// std::tuple<UdpSocket, T, std::size_t, SocketAddr>. Consumes the socket.
  template <io::ByteBufMut T>
  RecvDgram<T> recv_dgram(T buf) &&;
  FUTURES_DETAIL_CONSUMES("socket", recv_dgram)

  /// The reactor's readiness for this socket (registering the current task if none of
  /// `mask` is set).
  futures::Poll<mio::Ready, io::Error> poll_read_ready(mio::Ready mask);
  futures::Poll<mio::Ready, io::Error> poll_write_ready();

  io::Result<bool> broadcast() const;
  io::Result<futures::Unit> set_broadcast(bool on) const;
  io::Result<bool> multicast_loop_v4() const;
  io::Result<futures::Unit> set_multicast_loop_v4(bool on) const;
  io::Result<std::uint32_t> multicast_ttl_v4() const;
  io::Result<futures::Unit> set_multicast_ttl_v4(std::uint32_t ttl) const;
  io::Result<bool> multicast_loop_v6() const;
  io::Result<futures::Unit> set_multicast_loop_v6(bool on) const;
  io::Result<std::uint32_t> ttl() const;
  io::Result<futures::Unit> set_ttl(std::uint32_t ttl) const;
  io::Result<futures::Unit> join_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const;
  io::Result<futures::Unit> join_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const;
  io::Result<futures::Unit> leave_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const;
  io::Result<futures::Unit> leave_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const;
  /// SO_ERROR: the pending error (e.g. ConnectionRefused after an ICMP), cleared by reading.
  io::Result<std::optional<io::Error>> take_error() const;

  int as_raw_fd() const;

 private:
  explicit UdpSocket(reactor::PollEvented<mio::net::UdpSocket> io) : io_(std::move(io)) {}

  reactor::PollEvented<mio::net::UdpSocket> io_;
};

}  // namespace tokio::net::udp

#include <tokio/net/udp/recv_dgram.hpp>
#include <tokio/net/udp/send_dgram.hpp>
