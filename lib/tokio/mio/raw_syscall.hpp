// The data-path system calls (recv, send, recvfrom, sendto, epoll wait) made through syscall(2)
// instead of libc's wrappers (private). In a multithreaded process each libc wrapper is
// a pthread cancellation point and calls __pthread_enable_asynccancel and
// __pthread_disable_asynccancel around the system call: about 30 instructions each time,
// 5% of an echo server's user-space work per message. tokio-cpp never cancels a thread,
// so its hot system calls skip that. Same results and errno as the wrappers; other
// systems use the wrappers.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/syscall.h>
#endif

#include <cstddef>

namespace tokio::mio::sys::raw {

#if defined(__linux__)
inline ssize_t recv(int fd, void* buf, std::size_t len, int flags) noexcept {
  return ::syscall(SYS_recvfrom, fd, buf, len, flags, nullptr, nullptr);
}
inline ssize_t recvfrom(int fd, void* buf, std::size_t len, int flags, sockaddr* from, socklen_t* from_len) noexcept {
  return ::syscall(SYS_recvfrom, fd, buf, len, flags, from, from_len);
}
inline ssize_t send(int fd, const void* buf, std::size_t len, int flags) noexcept {
  return ::syscall(SYS_sendto, fd, buf, len, flags, nullptr, 0);
}
inline ssize_t sendto(int fd, const void* buf, std::size_t len, int flags, const sockaddr* to,
                      socklen_t to_len) noexcept {
  return ::syscall(SYS_sendto, fd, buf, len, flags, to, to_len);
}
// epoll_pwait with no signal mask is epoll_wait on every architecture (some have only
// the former).
inline int epoll_wait(int epfd, epoll_event* events, int max, int timeout_ms) noexcept {
  return static_cast<int>(::syscall(SYS_epoll_pwait, epfd, events, max, timeout_ms, nullptr, 0));
}
#else
inline ssize_t recv(int fd, void* buf, std::size_t len, int flags) noexcept { return ::recv(fd, buf, len, flags); }
inline ssize_t recvfrom(int fd, void* buf, std::size_t len, int flags, sockaddr* from, socklen_t* from_len) noexcept {
  return ::recvfrom(fd, buf, len, flags, from, from_len);
}
inline ssize_t send(int fd, const void* buf, std::size_t len, int flags) noexcept {
  return ::send(fd, buf, len, flags);
}
inline ssize_t sendto(int fd, const void* buf, std::size_t len, int flags, const sockaddr* to,
                      socklen_t to_len) noexcept {
  return ::sendto(fd, buf, len, flags, to, to_len);
}
#endif

}  // namespace tokio::mio::sys::raw
