// tokio::net::UdpSocket: each poll_* waits for the reactor's readiness, tries the
// syscall once, and on WouldBlock clears that readiness (udp_unix_poll.hpp).
#include <tokio/net/udp/socket.hpp>

#include "udp_unix_poll.hpp"

#include <utility>

namespace tokio::net::udp {

using detail::after_read;
using detail::after_write;
using detail::not_ready_as_would_block;

io::Result<UdpSocket> UdpSocket::bind(const SocketAddr& addr) {
  auto socket = mio::net::UdpSocket::bind(addr);
  if (socket.is_err()) return futures::Err(std::move(socket).unwrap_err());
  return futures::Ok(UdpSocket(reactor::PollEvented<mio::net::UdpSocket>(std::move(socket).unwrap())));
}

io::Result<UdpSocket> UdpSocket::from_std(mio::net::UdpSocket socket, const reactor::Handle& handle) {
  auto io = reactor::PollEvented<mio::net::UdpSocket>::new_with_handle(std::move(socket), handle);
  if (io.is_err()) return futures::Err(std::move(io).unwrap_err());
  return futures::Ok(UdpSocket(std::move(io).unwrap()));
}

io::Result<SocketAddr> UdpSocket::local_addr() const { return io_.get_ref().local_addr(); }

io::Result<futures::Unit> UdpSocket::connect(const SocketAddr& addr) const { return io_.get_ref().connect(addr); }

futures::Poll<std::size_t, io::Error> UdpSocket::poll_send(std::span<const std::uint8_t> buf) {
  (void)FUTURES_TRY_READY(io_.poll_write_ready());
  return after_write(io_, io_.get_ref().send(buf));
}

futures::Poll<std::size_t, io::Error> UdpSocket::poll_recv(std::span<std::uint8_t> buf) {
  (void)FUTURES_TRY_READY(io_.poll_read_ready(mio::Ready::readable()));
  return after_read(io_, io_.get_ref().recv(buf));
}

futures::Poll<std::size_t, io::Error> UdpSocket::poll_send_to(std::span<const std::uint8_t> buf,
                                                              const SocketAddr& target) {
  (void)FUTURES_TRY_READY(io_.poll_write_ready());
  return after_write(io_, io_.get_ref().send_to(buf, target));
}

futures::Poll<std::tuple<std::size_t, SocketAddr>, io::Error> UdpSocket::poll_recv_from(
    std::span<std::uint8_t> buf) {
  (void)FUTURES_TRY_READY(io_.poll_read_ready(mio::Ready::readable()));
  return after_read(io_, io_.get_ref().recv_from(buf));
}

io::Result<std::size_t> UdpSocket::send(std::span<const std::uint8_t> buf) {
  return not_ready_as_would_block(poll_send(buf));
}

io::Result<std::size_t> UdpSocket::recv(std::span<std::uint8_t> buf) {
  return not_ready_as_would_block(poll_recv(buf));
}

io::Result<std::size_t> UdpSocket::send_to(std::span<const std::uint8_t> buf, const SocketAddr& target) {
  return not_ready_as_would_block(poll_send_to(buf, target));
}

io::Result<std::tuple<std::size_t, SocketAddr>> UdpSocket::recv_from(std::span<std::uint8_t> buf) {
  return not_ready_as_would_block(poll_recv_from(buf));
}

futures::Poll<mio::Ready, io::Error> UdpSocket::poll_read_ready(mio::Ready mask) {
  return io_.poll_read_ready(mask);
}

futures::Poll<mio::Ready, io::Error> UdpSocket::poll_write_ready() { return io_.poll_write_ready(); }

io::Result<bool> UdpSocket::broadcast() const { return io_.get_ref().broadcast(); }
io::Result<futures::Unit> UdpSocket::set_broadcast(bool on) const { return io_.get_ref().set_broadcast(on); }
io::Result<bool> UdpSocket::multicast_loop_v4() const { return io_.get_ref().multicast_loop_v4(); }
io::Result<futures::Unit> UdpSocket::set_multicast_loop_v4(bool on) const {
  return io_.get_ref().set_multicast_loop_v4(on);
}
io::Result<std::uint32_t> UdpSocket::multicast_ttl_v4() const { return io_.get_ref().multicast_ttl_v4(); }
io::Result<futures::Unit> UdpSocket::set_multicast_ttl_v4(std::uint32_t ttl) const {
  return io_.get_ref().set_multicast_ttl_v4(ttl);
}
io::Result<bool> UdpSocket::multicast_loop_v6() const { return io_.get_ref().multicast_loop_v6(); }
io::Result<futures::Unit> UdpSocket::set_multicast_loop_v6(bool on) const {
  return io_.get_ref().set_multicast_loop_v6(on);
}
io::Result<std::uint32_t> UdpSocket::ttl() const { return io_.get_ref().ttl(); }
io::Result<futures::Unit> UdpSocket::set_ttl(std::uint32_t ttl) const { return io_.get_ref().set_ttl(ttl); }

io::Result<futures::Unit> UdpSocket::join_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const {
  return io_.get_ref().join_multicast_v4(multiaddr, interface);
}
io::Result<futures::Unit> UdpSocket::join_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const {
  return io_.get_ref().join_multicast_v6(multiaddr, interface);
}
io::Result<futures::Unit> UdpSocket::leave_multicast_v4(const Ipv4Addr& multiaddr, const Ipv4Addr& interface) const {
  return io_.get_ref().leave_multicast_v4(multiaddr, interface);
}
io::Result<futures::Unit> UdpSocket::leave_multicast_v6(const Ipv6Addr& multiaddr, std::uint32_t interface) const {
  return io_.get_ref().leave_multicast_v6(multiaddr, interface);
}

io::Result<std::optional<io::Error>> UdpSocket::take_error() const { return io_.get_ref().take_error(); }

int UdpSocket::as_raw_fd() const { return io_.get_ref().as_raw_fd(); }

}  // namespace tokio::net::udp
