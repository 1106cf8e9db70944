// The epoll backend. Edge/level/oneshot map to EPOLLET/-/EPOLLONESHOT; readable interest
// also asks for EPOLLRDHUP so a peer's half-close reports hup. The waker is an eventfd
// registered edge-triggered under kWakeToken: each write is a new edge, so select never
// reads it (as mio 0.7); only a full counter (EAGAIN on write) is reset by reading.
#include "tokio/mio/selector_epoll.hpp"
#include "tokio/mio/raw_syscall.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <vector>

namespace tokio::mio::sys {
namespace {

std::uint32_t to_epoll(Ready interest, PollOpt opts) noexcept {
  std::uint32_t ev = 0;
  if (interest.is_readable()) ev |= EPOLLIN | EPOLLRDHUP;
  if (interest.is_writable()) ev |= EPOLLOUT;
  if (opts.is_edge()) ev |= EPOLLET;
  if (opts.is_oneshot()) ev |= EPOLLONESHOT;
  return ev;
}

Ready from_epoll(std::uint32_t ev) noexcept {
  Ready r;
  if (ev & (EPOLLIN | EPOLLPRI)) r |= Ready::readable();
  if (ev & EPOLLOUT) r |= Ready::writable();
  if (ev & EPOLLERR) r |= Ready::error();
  if (ev & (EPOLLHUP | EPOLLRDHUP)) r |= Ready::hup();
  return r;
}

class EpollSelector final : public Selector {
 public:
  EpollSelector(int epfd, int eventfd) noexcept : epfd_(epfd), eventfd_(eventfd) {}
  ~EpollSelector() override {
    ::close(eventfd_);
    ::close(epfd_);
  }

  std::error_code add(int fd, Token token, Ready interest, PollOpt opts) override {
    return ctl(EPOLL_CTL_ADD, fd, token, interest, opts);
  }
  std::error_code modify(int fd, Token token, Ready interest, PollOpt opts) override {
    return ctl(EPOLL_CTL_MOD, fd, token, interest, opts);
  }
  std::error_code remove(int fd) override {
    if (::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr) < 0) return errno_code();
    return {};
  }
  void rearm(Token, Ready) noexcept override {}

  std::error_code select(Events& events, std::optional<std::chrono::nanoseconds> timeout) override {
    const std::size_t room = EventsAccess::room(events);
    if (room > buf_.size()) buf_.resize(room);  // only when a bigger Events appears
    const int max = static_cast<int>(room > INT_MAX ? INT_MAX : room);
    const int n = raw::epoll_wait(epfd_, buf_.data(), max, timeout_ms(timeout));
    if (n < 0) return errno == EINTR ? std::error_code() : errno_code();
    for (int i = 0; i < n; ++i) {
      const epoll_event& ev = buf_[static_cast<std::size_t>(i)];
      if (ev.data.u64 == kWakeToken) continue;
      EventsAccess::push(events, Event(from_epoll(ev.events), Token{static_cast<std::size_t>(ev.data.u64)}));
    }
    return {};
  }

  std::error_code wake() noexcept override {
    const std::uint64_t one = 1;
    for (;;) {
      if (::write(eventfd_, &one, sizeof one) >= 0) return {};
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return errno_code();
      std::uint64_t drained;  // counter full: reset it, then the write is a new edge
      if (::read(eventfd_, &drained, sizeof drained) < 0 && errno != EAGAIN) return errno_code();
    }
  }

  bool emulates_edge() const noexcept override { return false; }
  const char* name() const noexcept override { return "epoll"; }

 private:
  std::error_code ctl(int op, int fd, Token token, Ready interest, PollOpt opts) noexcept {
    if (token.value == kWakeToken) return std::make_error_code(std::errc::invalid_argument);
    epoll_event ev{};
    ev.events = to_epoll(interest, opts);
    ev.data.u64 = token.value;
    if (::epoll_ctl(epfd_, op, fd, &ev) < 0) return errno_code();
    return {};
  }

  int epfd_;
  int eventfd_;
  std::vector<epoll_event> buf_;
};

}  // namespace

std::unique_ptr<Selector> open_epoll_selector(std::error_code& ec) {
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) {
    ec = errno_code();
    return nullptr;
  }
  const int efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0) {
    ec = errno_code();
    ::close(epfd);
    return nullptr;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u64 = kWakeToken;
  if (::epoll_ctl(epfd, EPOLL_CTL_ADD, efd, &ev) < 0) {
    ec = errno_code();
    ::close(efd);
    ::close(epfd);
    return nullptr;
  }
  return std::make_unique<EpollSelector>(epfd, efd);
}

}  // namespace tokio::mio::sys
