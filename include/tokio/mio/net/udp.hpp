// tokio::mio layer: a non-blocking UDP socket, mio 0.6's `net::UdpSocket`.
//
// Same rules as tcp.hpp: O_NONBLOCK | O_CLOEXEC, WouldBlock instead of blocking, errno
// in every Error, EINTR retried, sends with MSG_NOSIGNAL, move-only, Evented.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/owned_fd.hpp>
#include <tokio/net/socket_addr.hpp>

#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>

namespace tokio::mio::net {

using tokio::net::Ipv4Addr;
using tokio::net::Ipv6Addr;
using tokio::net::SocketAddr;

class UdpSocket : public detail::EventedSocket {
 public:
  /// socket + bind (no SO_REUSEADDR, as in Rust). Port 0 picks a free port.
  static io::Result<UdpSocket> bind(const SocketAddr& addr);
  static UdpSocket from_raw_fd(int fd) noexcept { return UdpSocket(detail::OwnedFd(fd)); }
  int into_raw_fd() && noexcept { return fd_.release(); }
  io::Result<UdpSocket> try_clone() const;

  io::Result<SocketAddr> local_addr() const;
  /// The address given to `connect` (NotConnected before).
  io::Result<SocketAddr> peer_addr() const;

  /// Sets the default destination of `send` and the only source `recv` accepts.
  io::Result<futures::Unit> connect(const SocketAddr& addr) const;
  io::Result<std::size_t> send(std::span<const std::uint8_t> buf) const;
  io::Result<std::size_t> recv(std::span<std::uint8_t> buf) const;
  io::Result<std::size_t> peek(std::span<std::uint8_t> buf) const;
  io::Result<std::size_t> send_to(std::span<const std::uint8_t> buf, const SocketAddr& target) const;
  /// One datagram (truncated to `buf`) and its sender.
  io::Result<std::tuple<std::size_t, SocketAddr>> recv_from(std::span<std::uint8_t> buf) const;
  io::Result<std::tuple<std::size_t, SocketAddr>> peek_from(std::span<std::uint8_t> buf) const;

  io::Result<futures::Unit> set_broadcast(bool on) const;
  io::Result<bool> broadcast() const;
  io::Result<futures::Unit> set_multicast_loop_v4(bool on) const;
  io::Result<bool> multicast_loop_v4() const;
  io::Result<futures::Unit> set_multicast_ttl_v4(std::uint32_t ttl) const;
  io::Result<std::uint32_t> multicast_ttl_v4() const;
  io::Result<futures::Unit> set_multicast_loop_v6(bool on) const;
  io::Result<bool> multicast_loop_v6() const;
  /// IP_TTL on v4 sockets, IPV6_UNICAST_HOPS on v6 ones.
  io::Result<futures::Unit> set_ttl(std::uint32_t ttl) const;
  io::Result<std::uint32_t> ttl() const;
  io::Result<futures::Unit> set_only_v6(bool only_v6) const;
  io::Result<bool> only_v6() const;
  /// `interface` is the local address of the interface (unspecified: the kernel picks).
  io::Result<futures::Unit> join_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const;
  io::Result<futures::Unit> leave_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const;
  /// `interface` is an interface index (0: the kernel picks).
  io::Result<futures::Unit> join_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const;
  io::Result<futures::Unit> leave_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const;
  io::Result<std::optional<io::Error>> take_error() const;

 private:
  explicit UdpSocket(detail::OwnedFd fd) noexcept : EventedSocket(std::move(fd)) {}
};

}  // namespace tokio::mio::net
