// tokio::mio layer, private: the backend contract.
//
// A backend is one file pair (selector_<name>.{hpp,cpp}) implementing this interface; a
// backend is correct when test/unit/mio/selector_contract_test.cpp passes on it. It only
// watches fds: user-space readiness, wakers and timeouts beyond one wait are shared code
// in poll.cpp. The interface is virtual because both Linux backends are compiled and one
// is chosen at run time; one indirect call per syscall costs nothing measurable.
//
// Semantics every backend provides (docs/mio.md):
// - Tokens are the caller's; Token{SIZE_MAX} is reserved for the backend's own waker.
// - Interest: readable / writable. hup and error are reported whether asked for or not.
// - PollOpt: edge unless level; oneshot disarms after one event until modify().
// - Edge: one event per readiness; after a reported bit, the next event for it comes
//   once the fd becomes ready again after the caller saw WouldBlock and called rearm().
// - add/modify/remove/rearm/wake are thread-safe and take effect for a select() that is
//   blocked in another thread. A closed fd's registration disappears without events.
#pragma once

#include <tokio/mio/events.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <system_error>

namespace tokio::mio::sys {

/// errno as an error_code, for the backends' system calls.
inline std::error_code errno_code() noexcept { return {errno, std::system_category()}; }

/// Token the backends use internally for their waker.
inline constexpr std::size_t kWakeToken = SIZE_MAX;

/// How backends append to an Events buffer without allocating.
struct EventsAccess {
  static void clear(Events& e) noexcept { e.len_ = 0; }
  static std::size_t room(const Events& e) noexcept { return e.cap_ - e.len_; }
  /// Requires room(e) > 0.
  static void push(Events& e, Event ev) noexcept { e.buf_[e.len_++] = ev; }
};

class Selector {
 public:
  virtual ~Selector() = default;

  virtual std::error_code add(int fd, Token token, Ready interest, PollOpt opts) = 0;
  virtual std::error_code modify(int fd, Token token, Ready interest, PollOpt opts) = 0;
  virtual std::error_code remove(int fd) = 0;
  /// Re-enables `bits` of the registrations with `token` after the caller saw
  /// WouldBlock; a no-op unless emulates_edge().
  virtual void rearm(Token token, Ready bits) noexcept = 0;
  /// Appends up to EventsAccess::room(events) events; waits at most `timeout` (nullopt:
  /// forever) for the first. Returns success with no events on timeout, EINTR or wake().
  virtual std::error_code select(Events& events, std::optional<std::chrono::nanoseconds> timeout) = 0;
  /// Interrupts a blocked select() (or makes the next one return at once).
  virtual std::error_code wake() noexcept = 0;

  virtual bool emulates_edge() const noexcept = 0;
  virtual const char* name() const noexcept = 0;
};

/// Timeout in whole milliseconds for epoll_wait/poll: rounded up, so a short timeout
/// does not become a busy 0; -1 for none.
int timeout_ms(std::optional<std::chrono::nanoseconds> timeout) noexcept;

}  // namespace tokio::mio::sys
