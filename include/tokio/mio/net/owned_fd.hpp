// tokio::mio layer, internal: the owned file descriptor every raw socket type holds.
//
// Move-only; closes the fd when destroyed (a moved-from owner holds -1 and closes
// nothing). Registration with a Registry is through unix::EventedFd on the raw fd: a
// socket must be deregistered before it is destroyed if the caller relies on the poll(2)
// backend forgetting it (epoll forgets a closed fd by itself).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/registry.hpp>
#include <tokio/mio/token.hpp>
#include <tokio/mio/unix/evented_fd.hpp>

#include <futures/unit.hpp>

#include <utility>

namespace tokio::mio::detail {

class OwnedFd {
 public:
  constexpr OwnedFd() noexcept = default;
  constexpr explicit OwnedFd(int fd) noexcept : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { close(); }

  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }
  /// A second owner of the same open socket (dup with FD_CLOEXEC), Rust's `try_clone`.
  io::Result<OwnedFd> try_clone() const;

 private:
  void close() noexcept;

  int fd_ = -1;
};

/// The common base of the raw socket types: owns the fd, exposes it, and makes the
/// socket Evented by forwarding to unix::EventedFd (mio 0.6's `impl Evented for TcpStream`).
class EventedSocket {
 public:
  int as_raw_fd() const noexcept { return fd_.get(); }

  io::Result<futures::Unit> register_(const Registry& registry, Token token, Ready interest, PollOpt opts) const {
    return unix::EventedFd(fd_.get()).register_(registry, token, interest, opts);
  }
  io::Result<futures::Unit> reregister(const Registry& registry, Token token, Ready interest, PollOpt opts) const {
    return unix::EventedFd(fd_.get()).reregister(registry, token, interest, opts);
  }
  io::Result<futures::Unit> deregister(const Registry& registry) const {
    return unix::EventedFd(fd_.get()).deregister(registry);
  }

 protected:
  constexpr EventedSocket() noexcept = default;
  explicit EventedSocket(OwnedFd fd) noexcept : fd_(std::move(fd)) {}

  OwnedFd fd_;
};

}  // namespace tokio::mio::detail
