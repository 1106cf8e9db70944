// tokio::mio layer: a non-blocking Unix-domain datagram socket (mio-uds' `UnixDatagram`).
// As with UnixListener, dropping a bound socket leaves its file for the caller to unlink.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/owned_fd.hpp>
#include <tokio/mio/net/shutdown.hpp>
#include <tokio/mio/unix/socket_addr.hpp>

#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <tuple>

namespace tokio::mio::unix {

class UnixDatagram : public detail::EventedSocket {
 public:
  static io::Result<UnixDatagram> bind(const std::filesystem::path& path);
  static io::Result<UnixDatagram> bind_addr(const SocketAddr& addr);
  /// A socket bound to no address (it can still send_to and connect).
  static io::Result<UnixDatagram> unbound();
  /// Two connected, unnamed sockets (socketpair).
  static io::Result<std::tuple<UnixDatagram, UnixDatagram>> pair();
  static UnixDatagram from_raw_fd(int fd) noexcept { return UnixDatagram(detail::OwnedFd(fd)); }
  int into_raw_fd() && noexcept { return fd_.release(); }
  io::Result<UnixDatagram> try_clone() const;

  io::Result<futures::Unit> connect(const std::filesystem::path& path) const;
  io::Result<futures::Unit> connect_addr(const SocketAddr& addr) const;
  io::Result<SocketAddr> local_addr() const;
  io::Result<SocketAddr> peer_addr() const;

  io::Result<std::size_t> send(std::span<const std::uint8_t> buf) const;
  io::Result<std::size_t> recv(std::span<std::uint8_t> buf) const;
  io::Result<std::size_t> send_to(std::span<const std::uint8_t> buf, const std::filesystem::path& path) const;
  io::Result<std::size_t> send_to_addr(std::span<const std::uint8_t> buf, const SocketAddr& addr) const;
  io::Result<std::tuple<std::size_t, SocketAddr>> recv_from(std::span<std::uint8_t> buf) const;

  io::Result<futures::Unit> shutdown(net::Shutdown how) const;
  io::Result<std::optional<io::Error>> take_error() const;

 private:
  explicit UnixDatagram(detail::OwnedFd fd) noexcept : EventedSocket(std::move(fd)) {}
};

}  // namespace tokio::mio::unix
