// tokio::mio layer: Poll, the readiness selector (mio 0.6's `Poll`, split as in mio 0.7
// into Poll, which one thread waits on, and the thread-safe Registry).
//
// The backend is epoll or poll(2): the build's default (meson option io_backend), or the
// environment variable TOKIO_IO_BACKEND=epoll|poll read by create(). docs/mio.md.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/events.hpp>
#include <tokio/mio/evented.hpp>
#include <tokio/mio/registry.hpp>

#include <futures/unit.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

namespace tokio::mio {

class Poll {
 public:
  /// Opens the default backend (TOKIO_IO_BACKEND if set, else the build's default).
  static io::Result<Poll> create();
  /// Opens the named backend ("epoll" or "poll"); InvalidInput if unknown or not built.
  static io::Result<Poll> create(std::string_view backend);

  Poll(Poll&&) noexcept;
  Poll& operator=(Poll&&) noexcept;
  ~Poll();

  /// The registry; its address is stable for the Poll's lifetime (moves included).
  const Registry& registry() const noexcept;

  /// Waits until at least one event is ready or `timeout` passes (nullopt: no limit;
  /// zero: do not block), and replaces the content of `events` with what is ready (at
  /// most events.capacity(); the rest is reported next time). Returns the number of
  /// events. An interrupted wait (EINTR) returns 0 events. One thread at a time; never
  /// allocates.
  io::Result<std::size_t> poll(Events& events, std::optional<std::chrono::nanoseconds> timeout);

  template <Evented E>
  io::Result<futures::Unit> register_(const E& source, Token token, Ready interest, PollOpt opts) const {
    return registry().register_(source, token, interest, opts);
  }
  template <Evented E>
  io::Result<futures::Unit> reregister(const E& source, Token token, Ready interest, PollOpt opts) const {
    return registry().reregister(source, token, interest, opts);
  }
  template <Evented E>
  io::Result<futures::Unit> deregister(const E& source) const {
    return registry().deregister(source);
  }

 private:
  explicit Poll(std::unique_ptr<detail::PollInner> inner) noexcept;
  std::unique_ptr<detail::PollInner> inner_;
};

}  // namespace tokio::mio
