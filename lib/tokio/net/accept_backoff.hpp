// Private to lib/tokio/net (TcpListener, UnixListener): the accept back-off. When accept
// fails because the process or the system is out of file descriptors or memory, the
// pending connection stays queued and the listener stays "readable", so retrying at
// once would spin (RELIABILITY.md row 6). The listener instead reports the error once,
// stops asking the poller for readability, and has its reactor wake it again after
// kAcceptBackoff (docs/net.md, "Accept errors").
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/ready.hpp>

#include <futures/poll.hpp>

#include <cerrno>
#include <chrono>
#include <utility>

namespace tokio::net::detail {

/// At most 20 retries per second while out of fds; a freed fd is noticed within this.
inline constexpr std::chrono::milliseconds kAcceptBackoff{50};

/// EMFILE, ENFILE, ENOBUFS, ENOMEM: accept cannot succeed until something is released.
inline bool is_resource_exhaustion(const io::Error& e) noexcept {
  const int code = e.raw_os_error();
  return code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM;
}

/// The result of one accept on the PollEvented listener `io`, as a Poll: WouldBlock
/// clears the readiness (NotReady until the next event); resource exhaustion defers the
/// next try by kAcceptBackoff and returns the error; other errors are returned as they
/// are, readiness kept (the next poll tries again).
template <class T, class PollEvented>
futures::Poll<T, io::Error> after_accept(PollEvented& io, io::Result<T> accepted) {
  if (accepted.is_ok()) return futures::Ready(std::move(accepted).unwrap());
  io::Error e = std::move(accepted).unwrap_err();
  if (e.is_would_block()) {
    auto cleared = io.clear_read_ready(mio::Ready::readable());
    if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
    return futures::NotReady;
  }
  if (is_resource_exhaustion(e)) {
    auto deferred = io.defer_read_ready_(mio::Ready::readable(), kAcceptBackoff);
    if (deferred.is_err()) return futures::Err(std::move(deferred).unwrap_err());
  }
  return futures::Err(std::move(e));
}

}  // namespace tokio::net::detail
