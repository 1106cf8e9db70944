// tokio::mio::unix::{UnixStream, UnixListener, UnixDatagram}
// (include/tokio/mio/unix/{stream,listener,datagram}.hpp).
#include <tokio/mio/unix/datagram.hpp>
#include <tokio/mio/unix/listener.hpp>
#include <tokio/mio/unix/stream.hpp>

#include "sockaddr.hpp"
#include "socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>

namespace tokio::mio::unix {
namespace {

using futures::Unit;

template <class Get>
io::Result<SocketAddr> name_of(int fd, Get get) {
  sockaddr_un sun{};
  socklen_t len = sizeof sun;
  return sys::retry([&] { return get(fd, reinterpret_cast<sockaddr*>(&sun), &len); }).map([&](int) {
    return from_sockaddr_un(sun, len);
  });
}

io::Result<std::tuple<detail::OwnedFd, detail::OwnedFd>> socket_pair(int type) {
  int fds[2];
  return sys::retry([&] { return ::socketpair(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); })
      .map([&](int) { return std::tuple<detail::OwnedFd, detail::OwnedFd>(detail::OwnedFd(fds[0]), detail::OwnedFd(fds[1])); });
}

/// A new socket of `type` bound to `addr`, then listening if `backlog` is given.
io::Result<detail::OwnedFd> bound_socket(int type, const SocketAddr& addr, std::optional<int> backlog) {
  sockaddr_un sun;
  auto len = to_sockaddr_un(addr, sun);
  if (len.is_err()) return futures::Err(std::move(len).unwrap_err());
  auto sock = sys::new_socket(AF_UNIX, type);
  if (sock.is_err()) return sock;
  detail::OwnedFd fd = std::move(sock).unwrap();
  auto done = sys::bind(fd.get(), reinterpret_cast<const sockaddr*>(&sun), len.unwrap()).and_then([&](Unit) {
    return backlog ? sys::listen(fd.get(), *backlog) : io::Result<Unit>(futures::Ok());
  });
  if (done.is_err()) return futures::Err(std::move(done).unwrap_err());
  return futures::Ok(std::move(fd));
}

}  // namespace

// UnixStream

io::Result<UnixStream> UnixStream::connect(const std::filesystem::path& path) {
  return connect_addr(SocketAddr::from_pathname(path));
}

io::Result<UnixStream> UnixStream::connect_addr(const SocketAddr& addr) {
  sockaddr_un sun;
  auto len = to_sockaddr_un(addr, sun);
  if (len.is_err()) return futures::Err(std::move(len).unwrap_err());
  auto sock = sys::new_socket(AF_UNIX, SOCK_STREAM);
  if (sock.is_err()) return futures::Err(std::move(sock).unwrap_err());
  detail::OwnedFd fd = std::move(sock).unwrap();
  auto connected = sys::connect(fd.get(), reinterpret_cast<const sockaddr*>(&sun), len.unwrap());
  if (connected.is_err()) return futures::Err(std::move(connected).unwrap_err());
  return futures::Ok(UnixStream(std::move(fd)));
}

io::Result<std::tuple<UnixStream, UnixStream>> UnixStream::pair() {
  return socket_pair(SOCK_STREAM).map([](std::tuple<detail::OwnedFd, detail::OwnedFd> fds) {
    return std::tuple<UnixStream, UnixStream>(UnixStream(std::move(std::get<0>(fds))),
                                              UnixStream(std::move(std::get<1>(fds))));
  });
}

io::Result<UnixStream> UnixStream::try_clone() const {
  return fd_.try_clone().map([](detail::OwnedFd fd) { return UnixStream(std::move(fd)); });
}

io::Result<SocketAddr> UnixStream::local_addr() const { return name_of(fd_.get(), ::getsockname); }
io::Result<SocketAddr> UnixStream::peer_addr() const { return name_of(fd_.get(), ::getpeername); }

io::Result<UCred> UnixStream::peer_cred() const {
  ucred cred{};
  socklen_t len = sizeof cred;
  return sys::retry([&] { return ::getsockopt(fd_.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len); }).map([&](int) {
    return UCred{cred.uid, cred.gid, cred.pid};
  });
}

// recv, not read(2), for the reason TcpStream::read gives.
io::Result<std::size_t> UnixStream::read(std::span<std::uint8_t> buf) const {
  return sys::recv(fd_.get(), buf, 0);
}
io::Result<std::size_t> UnixStream::write(std::span<const std::uint8_t> buf) const {
  return sys::send(fd_.get(), buf, 0);
}
io::Result<std::size_t> UnixStream::readv(std::span<const std::span<std::uint8_t>> bufs) const {
  return sys::readv(fd_.get(), bufs);
}
io::Result<std::size_t> UnixStream::writev(std::span<const std::span<const std::uint8_t>> bufs) const {
  return sys::writev(fd_.get(), bufs);
}
io::Result<Unit> UnixStream::shutdown(net::Shutdown how) const { return sys::shutdown(fd_.get(), how); }
io::Result<std::optional<io::Error>> UnixStream::take_error() const { return sys::take_error(fd_.get()); }

// UnixListener

io::Result<UnixListener> UnixListener::bind(const std::filesystem::path& path) {
  return bind_addr(SocketAddr::from_pathname(path));
}

io::Result<UnixListener> UnixListener::bind_addr(const SocketAddr& addr) {
  return bound_socket(SOCK_STREAM, addr, 1024).map([](detail::OwnedFd fd) { return UnixListener(std::move(fd)); });
}

io::Result<UnixListener> UnixListener::try_clone() const {
  return fd_.try_clone().map([](detail::OwnedFd fd) { return UnixListener(std::move(fd)); });
}

io::Result<std::tuple<UnixStream, SocketAddr>> UnixListener::accept() const {
  sockaddr_un sun{};
  socklen_t len = sizeof sun;
  return sys::accept(fd_.get(), reinterpret_cast<sockaddr*>(&sun), &len).map([&](detail::OwnedFd client) {
    return std::tuple<UnixStream, SocketAddr>(UnixStream(std::move(client)), from_sockaddr_un(sun, len));
  });
}

io::Result<SocketAddr> UnixListener::local_addr() const { return name_of(fd_.get(), ::getsockname); }
io::Result<std::optional<io::Error>> UnixListener::take_error() const { return sys::take_error(fd_.get()); }

// UnixDatagram

io::Result<UnixDatagram> UnixDatagram::bind(const std::filesystem::path& path) {
  return bind_addr(SocketAddr::from_pathname(path));
}

io::Result<UnixDatagram> UnixDatagram::bind_addr(const SocketAddr& addr) {
  return bound_socket(SOCK_DGRAM, addr, std::nullopt).map([](detail::OwnedFd fd) {
    return UnixDatagram(std::move(fd));
  });
}

io::Result<UnixDatagram> UnixDatagram::unbound() {
  return sys::new_socket(AF_UNIX, SOCK_DGRAM).map([](detail::OwnedFd fd) { return UnixDatagram(std::move(fd)); });
}

io::Result<std::tuple<UnixDatagram, UnixDatagram>> UnixDatagram::pair() {
  return socket_pair(SOCK_DGRAM).map([](std::tuple<detail::OwnedFd, detail::OwnedFd> fds) {
    return std::tuple<UnixDatagram, UnixDatagram>(UnixDatagram(std::move(std::get<0>(fds))),
                                                  UnixDatagram(std::move(std::get<1>(fds))));
  });
}

io::Result<UnixDatagram> UnixDatagram::try_clone() const {
  return fd_.try_clone().map([](detail::OwnedFd fd) { return UnixDatagram(std::move(fd)); });
}

io::Result<Unit> UnixDatagram::connect(const std::filesystem::path& path) const {
  return connect_addr(SocketAddr::from_pathname(path));
}

io::Result<Unit> UnixDatagram::connect_addr(const SocketAddr& addr) const {
  sockaddr_un sun;
  return to_sockaddr_un(addr, sun).and_then([&](socklen_t len) {
    return sys::retry([&] { return ::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&sun), len); })
        .map([](int) {});
  });
}

io::Result<SocketAddr> UnixDatagram::local_addr() const { return name_of(fd_.get(), ::getsockname); }
io::Result<SocketAddr> UnixDatagram::peer_addr() const { return name_of(fd_.get(), ::getpeername); }

io::Result<std::size_t> UnixDatagram::send(std::span<const std::uint8_t> buf) const {
  return sys::send(fd_.get(), buf, 0);
}
io::Result<std::size_t> UnixDatagram::recv(std::span<std::uint8_t> buf) const {
  return sys::recv(fd_.get(), buf, 0);
}

io::Result<std::size_t> UnixDatagram::send_to(std::span<const std::uint8_t> buf,
                                               const std::filesystem::path& path) const {
  return send_to_addr(buf, SocketAddr::from_pathname(path));
}

io::Result<std::size_t> UnixDatagram::send_to_addr(std::span<const std::uint8_t> buf, const SocketAddr& addr) const {
  sockaddr_un sun;
  return to_sockaddr_un(addr, sun).and_then([&](socklen_t len) {
    return sys::send_to(fd_.get(), buf, reinterpret_cast<const sockaddr*>(&sun), len);
  });
}

io::Result<std::tuple<std::size_t, SocketAddr>> UnixDatagram::recv_from(std::span<std::uint8_t> buf) const {
  sockaddr_storage from{};
  socklen_t from_len = 0;
  return sys::recv_from(fd_.get(), buf, 0, from, from_len).map([&](std::size_t n) {
    sockaddr_un sun{};
    std::memcpy(&sun, &from, std::min(sizeof sun, static_cast<std::size_t>(from_len)));
    return std::tuple<std::size_t, SocketAddr>(n, from_sockaddr_un(sun, from_len));
  });
}

io::Result<Unit> UnixDatagram::shutdown(net::Shutdown how) const { return sys::shutdown(fd_.get(), how); }
io::Result<std::optional<io::Error>> UnixDatagram::take_error() const { return sys::take_error(fd_.get()); }

}  // namespace tokio::mio::unix
