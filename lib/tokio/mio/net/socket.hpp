// Private to lib/: syscall helpers shared by the raw TCP, UDP and Unix sockets.
//
// Every helper returns io::Result with the errno of the failing call and retries EINTR
// (except where a retry would be wrong: connect and close, see socket.cpp). Fds are
// created non-blocking and close-on-exec in one call (SOCK_NONBLOCK | SOCK_CLOEXEC).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/owned_fd.hpp>
#include <tokio/mio/net/shutdown.hpp>
#include <tokio/net/socket_addr.hpp>

#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tokio::mio::sys {

using futures::Unit;

inline io::Error last_error() noexcept { return io::Error::last_os_error(); }

/// Calls `f` until it does not fail with EINTR; -1 becomes the errno as an Error.
template <class F>
auto retry(F&& f) -> io::Result<decltype(f())> {
  for (;;) {
    auto rc = f();
    if (rc != -1) return futures::Ok(rc);
    if (errno != EINTR) return futures::Err(last_error());
  }
}

io::Result<detail::OwnedFd> new_socket(int family, int type, int protocol = 0);
/// Binds / connects `fd`; connect's EINPROGRESS (and EINTR: the connect goes on in the
/// background) count as success.
io::Result<Unit> bind(int fd, const sockaddr* addr, socklen_t len);
io::Result<Unit> connect(int fd, const sockaddr* addr, socklen_t len);
io::Result<Unit> listen(int fd, int backlog);
/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; fills `addr` / `len` when non-null.
io::Result<detail::OwnedFd> accept(int fd, sockaddr* addr, socklen_t* len);

io::Result<Unit> set_int(int fd, int level, int name, int value);
io::Result<int> get_int(int fd, int level, int name);
inline io::Result<Unit> set_bool(int fd, int level, int name, bool value) {
  return set_int(fd, level, name, value ? 1 : 0);
}
inline io::Result<bool> get_bool(int fd, int level, int name) {
  return get_int(fd, level, name).map([](int v) { return v != 0; });
}
/// SO_ERROR, cleared by reading it.
io::Result<std::optional<io::Error>> take_error(int fd);
io::Result<Unit> set_linger(int fd, std::optional<std::chrono::nanoseconds> linger);
io::Result<std::optional<std::chrono::nanoseconds>> linger(int fd);

io::Result<tokio::net::SocketAddr> local_addr(int fd);
io::Result<tokio::net::SocketAddr> peer_addr(int fd);

io::Result<std::size_t> recv(int fd, std::span<std::uint8_t> buf, int flags);
/// send with MSG_NOSIGNAL added to `flags`.
io::Result<std::size_t> send(int fd, std::span<const std::uint8_t> buf, int flags);
io::Result<std::size_t> recv_from(int fd, std::span<std::uint8_t> buf, int flags, sockaddr_storage& from,
                                  socklen_t& from_len);
/// sendto with MSG_NOSIGNAL.
io::Result<std::size_t> send_to(int fd, std::span<const std::uint8_t> buf, const sockaddr* to, socklen_t to_len);
/// recvmsg into `bufs` (a socket's readv, without the VFS layer read(2) and readv(2) add).
io::Result<std::size_t> readv(int fd, std::span<const std::span<std::uint8_t>> bufs);
/// sendmsg with MSG_NOSIGNAL (writev cannot take it).
io::Result<std::size_t> writev(int fd, std::span<const std::span<const std::uint8_t>> bufs);
io::Result<Unit> shutdown(int fd, net::Shutdown how);

}  // namespace tokio::mio::sys
