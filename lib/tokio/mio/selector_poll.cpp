// The poll(2) backend: portable, level-triggered underneath, so edge triggering is
// emulated (docs/mio.md, "The poll(2) backend"):
//
//   Each registration has `armed` bits (a subset of its readable/writable interest); only
//   armed bits are polled. Reporting a bit disarms it (edge). POLLHUP/POLLERR, which
//   poll(2) reports whatever is asked, are watched even with nothing armed (as epoll
//   reports them) and, once reported, silence the whole fd. rearm(token, bits), called by
//   the consumer when an operation returned WouldBlock, re-arms the bits and un-silences;
//   modify() re-arms everything.
//   So a bit is reported once per "ready after WouldBlock" — what epoll's EPOLLET gives a
//   reactor that clears readiness only on WouldBlock — and a ready-but-unconsumed fd
//   (an always-writable socket) never makes select spin. level never disarms; oneshot
//   disarms all until modify().
//
// The pollfd array is rebuilt only when the set of fds changes while a select is in
// flight or after add/remove; arming changes patch the array in place. Changes made by
// other threads during a blocking poll() mark the array dirty and wake the poller
// through a self-pipe, so they take effect at once.
#include "tokio/mio/selector_poll.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#ifndef POLLRDHUP  // Linux-only: elsewhere a half-close shows up as readable (EOF)
#define POLLRDHUP 0
#endif

namespace tokio::mio::sys {
namespace {

constexpr Ready kRw = Ready::readable() | Ready::writable();

short to_poll(Ready armed) noexcept {
  short ev = 0;
  if (armed.is_readable()) ev |= POLLIN | POLLRDHUP;
  if (armed.is_writable()) ev |= POLLOUT;
  return ev;
}

class PollSelector final : public Selector {
 public:
  PollSelector(int wake_read, int wake_write) : wake_read_(wake_read), wake_write_(wake_write) {
    pfds_.push_back(pollfd{wake_read_, POLLIN, 0});
    pfd_gens_.push_back(0);
  }
  ~PollSelector() override {
    ::close(wake_read_);
    ::close(wake_write_);
  }

  std::error_code add(int fd, Token token, Ready interest, PollOpt opts) override {
    if (token.value == kWakeToken) return std::make_error_code(std::errc::invalid_argument);
    if (fd < 0 || ::fcntl(fd, F_GETFD) < 0) return std::make_error_code(std::errc::bad_file_descriptor);
    std::lock_guard lock(mu_);
    if (static_cast<std::size_t>(fd) >= entries_.size()) entries_.resize(static_cast<std::size_t>(fd) + 1);
    Entry& e = entries_[static_cast<std::size_t>(fd)];
    if (e.registered) unmap_token(e, fd);  // a closed fd's stale registration: replace it
    e = Entry{true, false, token, interest & kRw, interest & kRw, opts, -1, e.gen + 1};
    token_fd_[token.value] = fd;
    mark_dirty();
    return {};
  }

  std::error_code modify(int fd, Token token, Ready interest, PollOpt opts) override {
    std::lock_guard lock(mu_);
    Entry* e = find(fd);
    if (e == nullptr) return std::make_error_code(std::errc::no_such_file_or_directory);
    if (e->token != token) {
      unmap_token(*e, fd);
      token_fd_[token.value] = fd;
    }
    e->token = token;
    e->interest = e->armed = interest & kRw;
    e->opts = opts;
    e->silenced = false;
    sync(*e, fd);
    return {};
  }

  std::error_code remove(int fd) override {
    std::lock_guard lock(mu_);
    Entry* e = find(fd);
    if (e == nullptr) return std::make_error_code(std::errc::no_such_file_or_directory);
    unmap_token(*e, fd);
    e->registered = false;
    e->armed = Ready::empty();
    ++e->gen;
    sync(*e, fd);
    return {};
  }

  void rearm(Token token, Ready bits) noexcept override {
    std::lock_guard lock(mu_);
    const auto it = token_fd_.find(token.value);
    if (it == token_fd_.end()) return;
    Entry& e = entries_[static_cast<std::size_t>(it->second)];
    if (e.opts.is_oneshot() || e.opts.is_level()) return;
    bits &= e.interest;
    if (bits.is_empty() || (e.armed.contains(bits) && !e.silenced)) return;
    e.armed |= bits;
    e.silenced = false;
    sync(e, it->second);
  }

  std::error_code select(Events& events, std::optional<std::chrono::nanoseconds> timeout) override {
    {
      std::lock_guard lock(mu_);
      if (dirty_) rebuild();
      in_select_ = true;
    }
    const int n = ::poll(pfds_.data(), pfds_.size(), timeout_ms(timeout));
    const int poll_errno = errno;
    std::lock_guard lock(mu_);
    in_select_ = false;
    if (n < 0) return poll_errno == EINTR ? std::error_code() : std::error_code(poll_errno, std::system_category());
    if (n == 0) return {};
    if (pfds_[0].revents != 0) drain_wake_pipe();
    for (std::size_t i = 1; i < pfds_.size() && EventsAccess::room(events) > 0; ++i) {
      pollfd& p = pfds_[i];
      if (p.revents == 0 || p.fd < 0) continue;
      const short rev = p.revents;
      p.revents = 0;
      Entry* e = find(p.fd);
      // The fd may have been removed, closed and registered again (the same number for
      // another socket) while poll() ran: its revents belong to the old registration.
      if (e == nullptr || e->gen != pfd_gens_[i]) continue;
      if (rev & POLLNVAL) {  // closed without remove(): forget it silently, as epoll does
        unmap_token(*e, p.fd);
        e->registered = false;
        p.fd = -1;
        continue;
      }
      Ready r;
      if ((rev & POLLIN) && e->armed.is_readable()) r |= Ready::readable();
      if ((rev & POLLOUT) && e->armed.is_writable()) r |= Ready::writable();
      if ((rev & POLLRDHUP) && e->armed.is_readable()) r |= Ready::hup();
      if (rev & POLLHUP) r |= Ready::hup();
      if (rev & POLLERR) r |= Ready::error();
      if (r.is_empty()) continue;
      EventsAccess::push(events, Event(r, e->token));
      if (e->opts.is_oneshot() || (e->opts.is_edge() && (rev & (POLLHUP | POLLERR)))) {
        e->armed = Ready::empty();
        e->silenced = true;
      } else if (e->opts.is_edge()) {
        e->armed -= r & kRw;
        if (r.is_hup()) e->armed -= Ready::readable();
      }
      sync(*e, p.fd);
    }
    return {};
  }

  std::error_code wake() noexcept override {
    const char byte = 1;
    for (;;) {
      if (::write(wake_write_, &byte, 1) >= 0) return {};
      if (errno == EINTR) continue;
      return errno == EAGAIN ? std::error_code() : errno_code();  // full pipe: already woken
    }
  }

  bool emulates_edge() const noexcept override { return true; }
  const char* name() const noexcept override { return "poll"; }

 private:
  struct Entry {
    bool registered = false;
    bool silenced = false;  // hup/error (or a oneshot event) reported: not polled at all
    Token token;
    Ready interest;
    Ready armed;
    PollOpt opts;
    int pfd_index = -1;  // slot in pfds_, valid while !dirty_
    std::uint32_t gen = 0;  // bumped by add/remove: tells a registration from its fd's next one
  };

  Entry* find(int fd) noexcept {
    if (fd < 0 || static_cast<std::size_t>(fd) >= entries_.size()) return nullptr;
    Entry& e = entries_[static_cast<std::size_t>(fd)];
    return e.registered ? &e : nullptr;
  }

  void unmap_token(const Entry& e, int fd) {
    const auto it = token_fd_.find(e.token.value);
    if (it != token_fd_.end() && it->second == fd) token_fd_.erase(it);
  }

  // Makes the pollfd array reflect `e`: in place when no poll() is running on it,
  // otherwise by rebuilding before the next poll() (and waking the current one).
  void sync(Entry& e, int fd) noexcept {
    if (!dirty_ && !in_select_ && e.pfd_index >= 0) {
      pollfd& p = pfds_[static_cast<std::size_t>(e.pfd_index)];
      p.fd = (e.registered && !e.silenced) ? fd : -1;
      p.events = to_poll(e.armed);
      return;
    }
    mark_dirty();
  }

  void mark_dirty() noexcept {
    dirty_ = true;
    if (in_select_) (void)wake();
  }

  void rebuild() {
    pfds_.resize(1);
    pfd_gens_.resize(1);
    for (std::size_t fd = 0; fd < entries_.size(); ++fd) {
      Entry& e = entries_[fd];
      if (!e.registered) {
        e.pfd_index = -1;
        continue;
      }
      e.pfd_index = static_cast<int>(pfds_.size());
      pfds_.push_back(pollfd{e.silenced ? -1 : static_cast<int>(fd), to_poll(e.armed), 0});
      pfd_gens_.push_back(e.gen);
    }
    dirty_ = false;
  }

  void drain_wake_pipe() noexcept {
    char buf[64];
    while (::read(wake_read_, buf, sizeof buf) > 0) {
    }
  }

  std::mutex mu_;
  std::vector<Entry> entries_;                     // indexed by fd
  std::unordered_map<std::size_t, int> token_fd_;  // token → fd, for rearm()
  std::vector<pollfd> pfds_;                       // [0] is the wake pipe; select thread only
  std::vector<std::uint32_t> pfd_gens_;            // Entry::gen of each pfds_ slot at rebuild
  bool dirty_ = false;
  bool in_select_ = false;
  int wake_read_;
  int wake_write_;
};

}  // namespace

std::unique_ptr<Selector> open_poll_selector(std::error_code& ec) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
    ec = errno_code();
    return nullptr;
  }
  return std::make_unique<PollSelector>(fds[0], fds[1]);
}

}  // namespace tokio::mio::sys
