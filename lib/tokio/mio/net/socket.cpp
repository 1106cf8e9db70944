// Syscall helpers shared by the raw sockets (socket.hpp).
#include "socket.hpp"

#include "sockaddr.hpp"
#include "tokio/mio/raw_syscall.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

namespace tokio::mio {

io::Result<detail::OwnedFd> detail::OwnedFd::try_clone() const {
  return sys::retry([&] { return ::fcntl(fd_, F_DUPFD_CLOEXEC, 0); }).map([](int fd) { return OwnedFd(fd); });
}

// Never retried on EINTR: Linux closes the fd anyway, and a retry could close an fd
// that another thread has just been given.
void detail::OwnedFd::close() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

namespace sys {

io::Result<detail::OwnedFd> new_socket(int family, int type, int protocol) {
  return retry([&] { return ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol); })
      .map([](int fd) { return detail::OwnedFd(fd); });
}

io::Result<Unit> bind(int fd, const sockaddr* addr, socklen_t len) {
  return retry([&] { return ::bind(fd, addr, len); }).map([](int) {});
}

io::Result<Unit> connect(int fd, const sockaddr* addr, socklen_t len) {
  if (::connect(fd, addr, len) == 0 || errno == EINPROGRESS || errno == EINTR) return futures::Ok();
  return futures::Err(last_error());
}

io::Result<Unit> listen(int fd, int backlog) {
  return retry([&] { return ::listen(fd, backlog); }).map([](int) {});
}

io::Result<detail::OwnedFd> accept(int fd, sockaddr* addr, socklen_t* len) {
  return retry([&] { return ::accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC); }).map([](int client) {
    return detail::OwnedFd(client);
  });
}

io::Result<Unit> set_int(int fd, int level, int name, int value) {
  return retry([&] { return ::setsockopt(fd, level, name, &value, sizeof value); }).map([](int) {});
}

io::Result<int> get_int(int fd, int level, int name) {
  int value = 0;
  socklen_t len = sizeof value;
  return retry([&] { return ::getsockopt(fd, level, name, &value, &len); }).map([&](int) { return value; });
}

io::Result<std::optional<io::Error>> take_error(int fd) {
  return get_int(fd, SOL_SOCKET, SO_ERROR).map([](int err) -> std::optional<io::Error> {
    if (err == 0) return std::nullopt;
    return io::Error::from_raw_os_error(err);
  });
}

io::Result<Unit> set_linger(int fd, std::optional<std::chrono::nanoseconds> duration) {
  ::linger value{};
  if (duration) {
    value.l_onoff = 1;
    value.l_linger = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(*duration).count());
  }
  return retry([&] { return ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value); }).map([](int) {});
}

io::Result<std::optional<std::chrono::nanoseconds>> linger(int fd) {
  ::linger value{};
  socklen_t len = sizeof value;
  return retry([&] { return ::getsockopt(fd, SOL_SOCKET, SO_LINGER, &value, &len); })
      .map([&](int) -> std::optional<std::chrono::nanoseconds> {
        if (value.l_onoff == 0) return std::nullopt;
        return std::chrono::seconds(value.l_linger);
      });
}

io::Result<tokio::net::SocketAddr> local_addr(int fd) {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  return retry([&] { return ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &len); }).map([&](int) {
    return tokio::net::from_sockaddr(storage, len);
  });
}

io::Result<tokio::net::SocketAddr> peer_addr(int fd) {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  return retry([&] { return ::getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &len); }).map([&](int) {
    return tokio::net::from_sockaddr(storage, len);
  });
}

io::Result<std::size_t> recv(int fd, std::span<std::uint8_t> buf, int flags) {
  return retry([&] { return raw::recv(fd, buf.data(), buf.size(), flags); }).map([](ssize_t n) {
    return static_cast<std::size_t>(n);
  });
}

io::Result<std::size_t> send(int fd, std::span<const std::uint8_t> buf, int flags) {
  return retry([&] { return raw::send(fd, buf.data(), buf.size(), flags | MSG_NOSIGNAL); }).map([](ssize_t n) {
    return static_cast<std::size_t>(n);
  });
}

io::Result<std::size_t> recv_from(int fd, std::span<std::uint8_t> buf, int flags, sockaddr_storage& from,
                                  socklen_t& from_len) {
  return retry([&] {
           from_len = sizeof from;
           return raw::recvfrom(fd, buf.data(), buf.size(), flags, reinterpret_cast<sockaddr*>(&from), &from_len);
         })
      .map([](ssize_t n) { return static_cast<std::size_t>(n); });
}

io::Result<std::size_t> send_to(int fd, std::span<const std::uint8_t> buf, const sockaddr* to, socklen_t to_len) {
  return retry([&] { return raw::sendto(fd, buf.data(), buf.size(), MSG_NOSIGNAL, to, to_len); }).map([](ssize_t n) {
    return static_cast<std::size_t>(n);
  });
}

namespace {
// iovec has a non-const base pointer; the kernel does not write through it for sends.
template <class Byte>
std::size_t fill_iovecs(std::span<const std::span<Byte>> bufs, iovec* iov, std::size_t max) {
  const std::size_t n = std::min(bufs.size(), max);
  for (std::size_t i = 0; i < n; ++i) {
    iov[i].iov_base = const_cast<std::uint8_t*>(bufs[i].data());
    iov[i].iov_len = bufs[i].size();
  }
  return n;
}
constexpr std::size_t kMaxIovecs = 64;  // more buffers than this are left for the next call
}  // namespace

io::Result<std::size_t> readv(int fd, std::span<const std::span<std::uint8_t>> bufs) {
  iovec iov[kMaxIovecs];
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = fill_iovecs(bufs, iov, kMaxIovecs);
  return retry([&] { return ::recvmsg(fd, &msg, 0); }).map([](ssize_t r) {
    return static_cast<std::size_t>(r);
  });
}

io::Result<std::size_t> writev(int fd, std::span<const std::span<const std::uint8_t>> bufs) {
  iovec iov[kMaxIovecs];
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = fill_iovecs(bufs, iov, kMaxIovecs);
  return retry([&] { return ::sendmsg(fd, &msg, MSG_NOSIGNAL); }).map([](ssize_t r) {
    return static_cast<std::size_t>(r);
  });
}

io::Result<Unit> shutdown(int fd, net::Shutdown how) {
  const int mode = how == net::Shutdown::Read ? SHUT_RD : how == net::Shutdown::Write ? SHUT_WR : SHUT_RDWR;
  return retry([&] { return ::shutdown(fd, mode); }).map([](int) {});
}

}  // namespace sys
}  // namespace tokio::mio
