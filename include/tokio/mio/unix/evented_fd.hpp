// tokio::mio layer: EventedFd, a borrowed raw fd as an Evented (mio 0.6's
// `unix::EventedFd`). It does not own the fd; raw socket types register through it.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/registry.hpp>
#include <tokio/mio/token.hpp>

#include <futures/unit.hpp>

namespace tokio::mio::unix {

class EventedFd {
 public:
  constexpr explicit EventedFd(int fd) noexcept : fd_(fd) {}
  /// mio spells it `EventedFd(&fd)`; taking the fd by pointer keeps that shape too.
  constexpr explicit EventedFd(const int* fd) noexcept : fd_(*fd) {}

  constexpr int fd() const noexcept { return fd_; }

  io::Result<futures::Unit> register_(const Registry& r, Token token, Ready interest, PollOpt opts) const {
    return r.register_fd(fd_, token, interest, opts);
  }
  io::Result<futures::Unit> reregister(const Registry& r, Token token, Ready interest, PollOpt opts) const {
    return r.reregister_fd(fd_, token, interest, opts);
  }
  io::Result<futures::Unit> deregister(const Registry& r) const { return r.deregister_fd(fd_); }

 private:
  int fd_;
};

}  // namespace tokio::mio::unix
