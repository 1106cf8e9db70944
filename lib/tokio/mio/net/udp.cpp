// tokio::mio::net::UdpSocket (include/tokio/mio/net/udp.hpp).
#include <tokio/mio/net/udp.hpp>

#include "sockaddr.hpp"
#include "socket.hpp"

#include <netinet/in.h>

#include <cstring>

namespace tokio::mio::net {
namespace {

in_addr to_in_addr(const Ipv4Addr& a) noexcept {
  in_addr out{};
  out.s_addr = htonl(a.to_bits());
  return out;
}

io::Result<futures::Unit> membership_v4(int fd, int op, const Ipv4Addr& multiaddr, const Ipv4Addr& interface) {
  ip_mreq mreq{};
  mreq.imr_multiaddr = to_in_addr(multiaddr);
  mreq.imr_interface = to_in_addr(interface);
  return sys::retry([&] { return ::setsockopt(fd, IPPROTO_IP, op, &mreq, sizeof mreq); }).map([](int) {});
}

io::Result<futures::Unit> membership_v6(int fd, int op, const Ipv6Addr& multiaddr, std::uint32_t interface) {
  ipv6_mreq mreq{};
  const auto octets = multiaddr.octets();
  std::memcpy(mreq.ipv6mr_multiaddr.s6_addr, octets.data(), octets.size());
  mreq.ipv6mr_interface = interface;
  return sys::retry([&] { return ::setsockopt(fd, IPPROTO_IPV6, op, &mreq, sizeof mreq); }).map([](int) {});
}

io::Result<bool> is_v6(int fd) {
  return sys::local_addr(fd).map([](const SocketAddr& a) { return a.is_ipv6(); });
}

}  // namespace

io::Result<UdpSocket> UdpSocket::bind(const SocketAddr& addr) {
  auto sock = sys::new_socket(addr.is_ipv4() ? AF_INET : AF_INET6, SOCK_DGRAM);
  if (sock.is_err()) return futures::Err(std::move(sock).unwrap_err());
  detail::OwnedFd fd = std::move(sock).unwrap();
  sockaddr_storage storage;
  const socklen_t len = tokio::net::to_sockaddr(addr, storage);
  auto bound = sys::bind(fd.get(), reinterpret_cast<const sockaddr*>(&storage), len);
  if (bound.is_err()) return futures::Err(std::move(bound).unwrap_err());
  return futures::Ok(UdpSocket(std::move(fd)));
}

io::Result<UdpSocket> UdpSocket::try_clone() const {
  return fd_.try_clone().map([](detail::OwnedFd fd) { return UdpSocket(std::move(fd)); });
}

io::Result<SocketAddr> UdpSocket::local_addr() const { return sys::local_addr(fd_.get()); }
io::Result<SocketAddr> UdpSocket::peer_addr() const { return sys::peer_addr(fd_.get()); }

io::Result<futures::Unit> UdpSocket::connect(const SocketAddr& addr) const {
  sockaddr_storage storage;
  const socklen_t len = tokio::net::to_sockaddr(addr, storage);
  // A datagram connect completes at once; EINTR cannot leave it half done.
  return sys::retry([&] { return ::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&storage), len); })
      .map([](int) {});
}

io::Result<std::size_t> UdpSocket::send(std::span<const std::uint8_t> buf) const {
  return sys::send(fd_.get(), buf, 0);
}
io::Result<std::size_t> UdpSocket::recv(std::span<std::uint8_t> buf) const { return sys::recv(fd_.get(), buf, 0); }
io::Result<std::size_t> UdpSocket::peek(std::span<std::uint8_t> buf) const {
  return sys::recv(fd_.get(), buf, MSG_PEEK);
}

io::Result<std::size_t> UdpSocket::send_to(std::span<const std::uint8_t> buf, const SocketAddr& target) const {
  sockaddr_storage storage;
  const socklen_t len = tokio::net::to_sockaddr(target, storage);
  return sys::send_to(fd_.get(), buf, reinterpret_cast<const sockaddr*>(&storage), len);
}

io::Result<std::tuple<std::size_t, SocketAddr>> UdpSocket::recv_from(std::span<std::uint8_t> buf) const {
  sockaddr_storage from{};
  socklen_t from_len = 0;
  return sys::recv_from(fd_.get(), buf, 0, from, from_len).map([&](std::size_t n) {
    return std::tuple<std::size_t, SocketAddr>(n, tokio::net::from_sockaddr(from, from_len));
  });
}

io::Result<std::tuple<std::size_t, SocketAddr>> UdpSocket::peek_from(std::span<std::uint8_t> buf) const {
  sockaddr_storage from{};
  socklen_t from_len = 0;
  return sys::recv_from(fd_.get(), buf, MSG_PEEK, from, from_len).map([&](std::size_t n) {
    return std::tuple<std::size_t, SocketAddr>(n, tokio::net::from_sockaddr(from, from_len));
  });
}

io::Result<futures::Unit> UdpSocket::set_broadcast(bool on) const {
  return sys::set_bool(fd_.get(), SOL_SOCKET, SO_BROADCAST, on);
}
io::Result<bool> UdpSocket::broadcast() const { return sys::get_bool(fd_.get(), SOL_SOCKET, SO_BROADCAST); }

io::Result<futures::Unit> UdpSocket::set_multicast_loop_v4(bool on) const {
  return sys::set_bool(fd_.get(), IPPROTO_IP, IP_MULTICAST_LOOP, on);
}
io::Result<bool> UdpSocket::multicast_loop_v4() const {
  return sys::get_bool(fd_.get(), IPPROTO_IP, IP_MULTICAST_LOOP);
}
io::Result<futures::Unit> UdpSocket::set_multicast_ttl_v4(std::uint32_t ttl) const {
  return sys::set_int(fd_.get(), IPPROTO_IP, IP_MULTICAST_TTL, static_cast<int>(ttl));
}
io::Result<std::uint32_t> UdpSocket::multicast_ttl_v4() const {
  return sys::get_int(fd_.get(), IPPROTO_IP, IP_MULTICAST_TTL).map([](int v) { return static_cast<std::uint32_t>(v); });
}
io::Result<futures::Unit> UdpSocket::set_multicast_loop_v6(bool on) const {
  return sys::set_bool(fd_.get(), IPPROTO_IPV6, IPV6_MULTICAST_LOOP, on);
}
io::Result<bool> UdpSocket::multicast_loop_v6() const {
  return sys::get_bool(fd_.get(), IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
}

io::Result<futures::Unit> UdpSocket::set_ttl(std::uint32_t ttl) const {
  return is_v6(fd_.get()).and_then([&](bool v6) {
    return v6 ? sys::set_int(fd_.get(), IPPROTO_IPV6, IPV6_UNICAST_HOPS, static_cast<int>(ttl))
              : sys::set_int(fd_.get(), IPPROTO_IP, IP_TTL, static_cast<int>(ttl));
  });
}
io::Result<std::uint32_t> UdpSocket::ttl() const {
  return is_v6(fd_.get())
      .and_then([&](bool v6) {
        return v6 ? sys::get_int(fd_.get(), IPPROTO_IPV6, IPV6_UNICAST_HOPS) : sys::get_int(fd_.get(), IPPROTO_IP, IP_TTL);
      })
      .map([](int v) { return static_cast<std::uint32_t>(v); });
}
io::Result<futures::Unit> UdpSocket::set_only_v6(bool only_v6) const {
  return sys::set_bool(fd_.get(), IPPROTO_IPV6, IPV6_V6ONLY, only_v6);
}
io::Result<bool> UdpSocket::only_v6() const { return sys::get_bool(fd_.get(), IPPROTO_IPV6, IPV6_V6ONLY); }

io::Result<futures::Unit> UdpSocket::join_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const {
  return membership_v4(fd_.get(), IP_ADD_MEMBERSHIP, multiaddr, interface);
}
io::Result<futures::Unit> UdpSocket::leave_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const {
  return membership_v4(fd_.get(), IP_DROP_MEMBERSHIP, multiaddr, interface);
}
io::Result<futures::Unit> UdpSocket::join_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const {
  return membership_v6(fd_.get(), IPV6_ADD_MEMBERSHIP, multiaddr, interface);
}
io::Result<futures::Unit> UdpSocket::leave_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const {
  return membership_v6(fd_.get(), IPV6_DROP_MEMBERSHIP, multiaddr, interface);
}

io::Result<std::optional<io::Error>> UdpSocket::take_error() const { return sys::take_error(fd_.get()); }

}  // namespace tokio::mio::net
