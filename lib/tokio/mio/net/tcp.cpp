// tokio::mio::net::TcpListener / TcpStream (include/tokio/mio/net/tcp.hpp).
#include <tokio/mio/net/tcp.hpp>

#include "sockaddr.hpp"
#include "socket.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

namespace tokio::mio::net {
namespace {

int family_of(const SocketAddr& addr) noexcept { return addr.is_ipv4() ? AF_INET : AF_INET6; }

// IP_TTL for v4 sockets, IPV6_UNICAST_HOPS for v6 ones (Rust's set_ttl is v4-only on
// std; mio applies IP_TTL to both, which fails on a v6 socket: we follow the family).
io::Result<futures::Unit> set_ttl_for(int fd, std::uint32_t ttl) {
  return sys::local_addr(fd).and_then([&](const SocketAddr& local) {
    return local.is_ipv4() ? sys::set_int(fd, IPPROTO_IP, IP_TTL, static_cast<int>(ttl))
                           : sys::set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, static_cast<int>(ttl));
  });
}

io::Result<std::uint32_t> ttl_for(int fd) {
  return sys::local_addr(fd)
      .and_then([&](const SocketAddr& local) {
        return local.is_ipv4() ? sys::get_int(fd, IPPROTO_IP, IP_TTL) : sys::get_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
      })
      .map([](int v) { return static_cast<std::uint32_t>(v); });
}

}  // namespace

io::Result<TcpStream> TcpStream::connect(const SocketAddr& addr) {
  auto sock = sys::new_socket(family_of(addr), SOCK_STREAM);
  if (sock.is_err()) return futures::Err(std::move(sock).unwrap_err());
  detail::OwnedFd fd = std::move(sock).unwrap();
  sockaddr_storage storage;
  const socklen_t len = tokio::net::to_sockaddr(addr, storage);
  auto connected = sys::connect(fd.get(), reinterpret_cast<const sockaddr*>(&storage), len);
  if (connected.is_err()) return futures::Err(std::move(connected).unwrap_err());
  return futures::Ok(TcpStream(std::move(fd)));
}

io::Result<TcpStream> TcpStream::try_clone() const {
  return fd_.try_clone().map([](detail::OwnedFd fd) { return TcpStream(std::move(fd)); });
}

io::Result<SocketAddr> TcpStream::peer_addr() const { return sys::peer_addr(fd_.get()); }
io::Result<SocketAddr> TcpStream::local_addr() const { return sys::local_addr(fd_.get()); }

// recv, not read(2): a socket's read goes through the VFS layer first, ~170 ns more per
// call on this project's test machines (docs/performance.md); Tokio 1.x uses recv too.
io::Result<std::size_t> TcpStream::read(std::span<std::uint8_t> buf) const {
  return sys::recv(fd_.get(), buf, 0);
}
io::Result<std::size_t> TcpStream::write(std::span<const std::uint8_t> buf) const {
  return sys::send(fd_.get(), buf, 0);
}
io::Result<std::size_t> TcpStream::readv(std::span<const std::span<std::uint8_t>> bufs) const {
  return sys::readv(fd_.get(), bufs);
}
io::Result<std::size_t> TcpStream::writev(std::span<const std::span<const std::uint8_t>> bufs) const {
  return sys::writev(fd_.get(), bufs);
}
io::Result<std::size_t> TcpStream::peek(std::span<std::uint8_t> buf) const {
  return sys::recv(fd_.get(), buf, MSG_PEEK);
}

io::Result<futures::Unit> TcpStream::shutdown(Shutdown how) const { return sys::shutdown(fd_.get(), how); }

io::Result<futures::Unit> TcpStream::set_nodelay(bool nodelay) const {
  return sys::set_bool(fd_.get(), IPPROTO_TCP, TCP_NODELAY, nodelay);
}
io::Result<bool> TcpStream::nodelay() const { return sys::get_bool(fd_.get(), IPPROTO_TCP, TCP_NODELAY); }

io::Result<futures::Unit> TcpStream::set_recv_buffer_size(std::size_t size) const {
  return sys::set_int(fd_.get(), SOL_SOCKET, SO_RCVBUF, static_cast<int>(size));
}
io::Result<std::size_t> TcpStream::recv_buffer_size() const {
  return sys::get_int(fd_.get(), SOL_SOCKET, SO_RCVBUF).map([](int v) { return static_cast<std::size_t>(v); });
}
io::Result<futures::Unit> TcpStream::set_send_buffer_size(std::size_t size) const {
  return sys::set_int(fd_.get(), SOL_SOCKET, SO_SNDBUF, static_cast<int>(size));
}
io::Result<std::size_t> TcpStream::send_buffer_size() const {
  return sys::get_int(fd_.get(), SOL_SOCKET, SO_SNDBUF).map([](int v) { return static_cast<std::size_t>(v); });
}

io::Result<futures::Unit> TcpStream::set_keepalive(std::optional<std::chrono::nanoseconds> keepalive) const {
  if (!keepalive) return sys::set_bool(fd_.get(), SOL_SOCKET, SO_KEEPALIVE, false);
  const auto secs = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(*keepalive).count());
  const int idle = static_cast<int>(std::min<std::int64_t>(secs, 32767));  // the kernel's MAX_TCP_KEEPIDLE
  return sys::set_bool(fd_.get(), SOL_SOCKET, SO_KEEPALIVE, true)
      .and_then([&](futures::Unit) { return sys::set_int(fd_.get(), IPPROTO_TCP, TCP_KEEPIDLE, idle); })
      .and_then([&](futures::Unit) { return sys::set_int(fd_.get(), IPPROTO_TCP, TCP_KEEPINTVL, idle); });
}

io::Result<std::optional<std::chrono::nanoseconds>> TcpStream::keepalive() const {
  auto on = sys::get_bool(fd_.get(), SOL_SOCKET, SO_KEEPALIVE);
  if (on.is_err()) return futures::Err(std::move(on).unwrap_err());
  if (!on.unwrap()) return futures::Ok(std::optional<std::chrono::nanoseconds>());
  return sys::get_int(fd_.get(), IPPROTO_TCP, TCP_KEEPIDLE).map([](int secs) {
    return std::optional<std::chrono::nanoseconds>(std::chrono::seconds(secs));
  });
}

io::Result<futures::Unit> TcpStream::set_linger(std::optional<std::chrono::nanoseconds> linger) const {
  return sys::set_linger(fd_.get(), linger);
}
io::Result<std::optional<std::chrono::nanoseconds>> TcpStream::linger() const { return sys::linger(fd_.get()); }

io::Result<futures::Unit> TcpStream::set_ttl(std::uint32_t ttl) const { return set_ttl_for(fd_.get(), ttl); }
io::Result<std::uint32_t> TcpStream::ttl() const { return ttl_for(fd_.get()); }

io::Result<futures::Unit> TcpStream::set_only_v6(bool only_v6) const {
  return sys::set_bool(fd_.get(), IPPROTO_IPV6, IPV6_V6ONLY, only_v6);
}
io::Result<bool> TcpStream::only_v6() const { return sys::get_bool(fd_.get(), IPPROTO_IPV6, IPV6_V6ONLY); }

io::Result<std::optional<io::Error>> TcpStream::take_error() const { return sys::take_error(fd_.get()); }

io::Result<TcpListener> TcpListener::bind(const SocketAddr& addr) {
  auto sock = sys::new_socket(family_of(addr), SOCK_STREAM);
  if (sock.is_err()) return futures::Err(std::move(sock).unwrap_err());
  detail::OwnedFd fd = std::move(sock).unwrap();
  sockaddr_storage storage;
  const socklen_t len = tokio::net::to_sockaddr(addr, storage);
  auto bound = sys::set_bool(fd.get(), SOL_SOCKET, SO_REUSEADDR, true)
                   .and_then([&](futures::Unit) {
                     return sys::bind(fd.get(), reinterpret_cast<const sockaddr*>(&storage), len);
                   })
                   .and_then([&](futures::Unit) { return sys::listen(fd.get(), 1024); });
  if (bound.is_err()) return futures::Err(std::move(bound).unwrap_err());
  return futures::Ok(TcpListener(std::move(fd)));
}

io::Result<TcpListener> TcpListener::try_clone() const {
  return fd_.try_clone().map([](detail::OwnedFd fd) { return TcpListener(std::move(fd)); });
}

io::Result<std::tuple<TcpStream, SocketAddr>> TcpListener::accept() const {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  return sys::accept(fd_.get(), reinterpret_cast<sockaddr*>(&storage), &len).map([&](detail::OwnedFd client) {
    return std::tuple<TcpStream, SocketAddr>(TcpStream(std::move(client)), tokio::net::from_sockaddr(storage, len));
  });
}

io::Result<SocketAddr> TcpListener::local_addr() const { return sys::local_addr(fd_.get()); }
io::Result<futures::Unit> TcpListener::set_ttl(std::uint32_t ttl) const { return set_ttl_for(fd_.get(), ttl); }
io::Result<std::uint32_t> TcpListener::ttl() const { return ttl_for(fd_.get()); }
io::Result<futures::Unit> TcpListener::set_only_v6(bool only_v6) const {
  return sys::set_bool(fd_.get(), IPPROTO_IPV6, IPV6_V6ONLY, only_v6);
}
io::Result<bool> TcpListener::only_v6() const { return sys::get_bool(fd_.get(), IPPROTO_IPV6, IPV6_V6ONLY); }
io::Result<std::optional<io::Error>> TcpListener::take_error() const { return sys::take_error(fd_.get()); }

}  // namespace tokio::mio::net
