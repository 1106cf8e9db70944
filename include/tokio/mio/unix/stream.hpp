// tokio::mio layer: a non-blocking Unix-domain stream socket (mio-uds' `UnixStream`,
// which tokio-uds 0.2 wraps).
//
// Same rules as the TCP sockets (tokio/mio/net/tcp.hpp): O_NONBLOCK | O_CLOEXEC,
// WouldBlock instead of blocking, errno in every Error, EINTR retried, writes with
// MSG_NOSIGNAL (no SIGPIPE), move-only, Evented.
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

/// The credentials of the peer process (tokio-uds' `UCred`), read with SO_PEERCRED.
struct UCred {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::optional<std::int32_t> pid;

  friend bool operator==(const UCred&, const UCred&) = default;
};

class UnixStream : public detail::EventedSocket {
 public:
  /// Starts a non-blocking connect to the socket at `path`. A Unix connect usually
  /// completes at once; when it does not, the socket becomes writable on completion and
  /// `take_error()` tells the outcome.
  static io::Result<UnixStream> connect(const std::filesystem::path& path);
  /// The same for any address (an abstract name on Linux).
  static io::Result<UnixStream> connect_addr(const SocketAddr& addr);
  /// Two connected, unnamed sockets (socketpair).
  static io::Result<std::tuple<UnixStream, UnixStream>> pair();
  static UnixStream from_raw_fd(int fd) noexcept { return UnixStream(detail::OwnedFd(fd)); }
  int into_raw_fd() && noexcept { return fd_.release(); }
  io::Result<UnixStream> try_clone() const;

  io::Result<SocketAddr> local_addr() const;
  io::Result<SocketAddr> peer_addr() const;
  io::Result<UCred> peer_cred() const;

  io::Result<std::size_t> read(std::span<std::uint8_t> buf) const;
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf) const;
  io::Result<std::size_t> readv(std::span<const std::span<std::uint8_t>> bufs) const;
  io::Result<std::size_t> writev(std::span<const std::span<const std::uint8_t>> bufs) const;
  io::Result<futures::Unit> flush() const { return futures::Ok(); }
  io::Result<futures::Unit> shutdown(net::Shutdown how) const;
  io::Result<std::optional<io::Error>> take_error() const;

 private:
  explicit UnixStream(detail::OwnedFd fd) noexcept : EventedSocket(std::move(fd)) {}
  friend class UnixListener;
};

}  // namespace tokio::mio::unix
