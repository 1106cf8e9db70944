// tokio::mio layer: a non-blocking Unix-domain listening socket (mio-uds' `UnixListener`).
//
// As in Rust, dropping a listener does not remove its socket file: the caller unlinks
// the path (binding to an existing path fails with AddrInUse).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/owned_fd.hpp>
#include <tokio/mio/unix/socket_addr.hpp>
#include <tokio/mio/unix/stream.hpp>

#include <futures/result.hpp>

#include <filesystem>
#include <optional>
#include <tuple>

namespace tokio::mio::unix {

class UnixListener : public detail::EventedSocket {
 public:
  /// socket + bind + listen(1024).
  static io::Result<UnixListener> bind(const std::filesystem::path& path);
  static io::Result<UnixListener> bind_addr(const SocketAddr& addr);
  static UnixListener from_raw_fd(int fd) noexcept { return UnixListener(detail::OwnedFd(fd)); }
  int into_raw_fd() && noexcept { return fd_.release(); }
  io::Result<UnixListener> try_clone() const;

  /// One pending connection and the peer's (usually unnamed) address, or WouldBlock.
  io::Result<std::tuple<UnixStream, SocketAddr>> accept() const;

  io::Result<SocketAddr> local_addr() const;
  io::Result<std::optional<io::Error>> take_error() const;

 private:
  explicit UnixListener(detail::OwnedFd fd) noexcept : EventedSocket(std::move(fd)) {}
};

}  // namespace tokio::mio::unix
