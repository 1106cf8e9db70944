// tokio::mio layer: Registry, the thread-safe half of a Poll (mio 0.7's `Registry`).
//
// Every call may come from any thread, also while another thread is blocked in
// Poll::poll(): the change takes effect for that poll (the backend is woken if it must
// rebuild its interest set). A Registry lives inside its Poll and dies with it.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/evented.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <futures/unit.hpp>

namespace tokio::mio {

namespace detail {
struct PollInner;
}

class Registry {
 public:
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  template <Evented E>
  io::Result<futures::Unit> register_(const E& source, Token token, Ready interest, PollOpt opts) const {
    return source.register_(*this, token, interest, opts);
  }
  template <Evented E>
  io::Result<futures::Unit> reregister(const E& source, Token token, Ready interest, PollOpt opts) const {
    return source.reregister(*this, token, interest, opts);
  }
  template <Evented E>
  io::Result<futures::Unit> deregister(const E& source) const {
    return source.deregister(*this);
  }

  /// After an operation on a source registered with `token` returned WouldBlock for
  /// `bits` (readable for reads/accepts, writable for writes), lets the next readiness
  /// of those bits produce an event again. A no-op (one inlined test) on backends with
  /// native edge triggering (epoll); required by emulating ones (poll(2), docs/mio.md).
  /// Spurious calls are harmless: at worst one extra event.
  void rearm(Token token, Ready bits) const noexcept {
    if (emulates_edge_) rearm_slow(token, bits);
  }
  /// True when the backend needs rearm() (see above).
  bool needs_rearm() const noexcept { return emulates_edge_; }

  /// The fd-level calls EventedFd forwards to. `fd` stays owned by the caller; close it
  /// only after deregister_fd (a closed fd's registration silently disappears on epoll).
  io::Result<futures::Unit> register_fd(int fd, Token token, Ready interest, PollOpt opts) const;
  io::Result<futures::Unit> reregister_fd(int fd, Token token, Ready interest, PollOpt opts) const;
  io::Result<futures::Unit> deregister_fd(int fd) const;

  /// The backend's name: "epoll" or "poll".
  const char* backend_name() const noexcept;

 private:
  friend struct detail::PollInner;
  friend class Registration;
  friend class Waker;
  Registry(detail::PollInner* inner, bool emulates_edge) noexcept : inner_(inner), emulates_edge_(emulates_edge) {}
  void rearm_slow(Token token, Ready bits) const noexcept;

  detail::PollInner* inner_;
  bool emulates_edge_;
};

}  // namespace tokio::mio
