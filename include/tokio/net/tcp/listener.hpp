// tokio::net layer: TcpListener. Mirrors tokio-tcp 0.1 `src/listener.rs`.
//
// Accepting follows the edge-triggered protocol: accept while the reactor reports the
// listener readable; on WouldBlock clear the read readiness and return NotReady. Any
// other accept error is returned as it is and the listener stays usable. Out of fds or
// memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), the listener backs off: the next accept(2)
// happens ~50 ms later (the task is woken then), so a server that keeps polling after
// the error does not spin (at most 20 tries a second). Other errors (ECONNABORTED, ...)
// leave the readiness set: the next poll_accept tries again at once.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/net/tcp.hpp>
#include <tokio/net/socket_addr.hpp>
#include <tokio/net/tcp/stream.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/poll_evented.hpp>

#include <futures/detail/consumes.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <cstdint>
#include <tuple>

// Instantiated once, in lib/tokio/net/tcp_listener.cpp.
extern template class tokio::reactor::PollEvented<tokio::mio::net::TcpListener>;

namespace tokio::net::tcp {

class Incoming;

/// A TCP socket listening for connections (Rust's `tokio::net::TcpListener`).
/// Move-only; destroying it deregisters and closes the socket.
class TcpListener {
 public:
  using Evented = reactor::PollEvented<tokio::mio::net::TcpListener>;

  /// Binds to `addr` and listens (Rust's `TcpListener::bind(&addr)`); bind to port 0 and
  /// read `local_addr()` for an ephemeral port. The listener uses the default reactor.
  static io::Result<TcpListener> bind(const SocketAddr& addr);

  /// Rust's `TcpListener::from_std(listener, &handle)`: registers a listening socket made
  /// elsewhere (for example from a raw fd with `mio::net::TcpListener::from_raw_fd`, after
  /// setting options such as SO_REUSEPORT) with `handle`'s reactor.
  static io::Result<TcpListener> from_std(tokio::mio::net::TcpListener listener, const reactor::Handle& handle);

  explicit TcpListener(Evented io) noexcept : io_(std::move(io)) {}

  TcpListener(TcpListener&&) noexcept = default;
  TcpListener& operator=(TcpListener&&) noexcept = default;
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  /// Accepts a connection: Ready((stream, peer address)), NotReady (the current task is
  /// notified when a connection arrives) or an accept error (the listener stays usable;
  /// after EMFILE / ENFILE / ENOBUFS / ENOMEM the next try waits ~50 ms, see above).
  /// Must be called inside a task.
  futures::Poll<std::tuple<TcpStream, SocketAddr>, io::Error> poll_accept();

  /// Like poll_accept but returns the raw socket, unregistered, so that it can be
  /// registered with another reactor (Rust's `poll_accept_std`).
  futures::Poll<std::tuple<tokio::mio::net::TcpStream, SocketAddr>, io::Error> poll_accept_std();

  /// Rust's deprecated `accept()`: poll_accept with NotReady as a WouldBlock error.
  io::Result<std::tuple<TcpStream, SocketAddr>> accept();
  /// Rust's deprecated `accept_std()`.
  io::Result<std::tuple<tokio::mio::net::TcpStream, SocketAddr>> accept_std();

  /// The stream of accepted connections (Rust's `listener.incoming()`). An accept error
  /// is yielded as the stream's error; as in Tokio 0.1, a `for_each` over it then stops,
  /// so a server that must survive EMFILE handles errors before `for_each` (docs/net.md).
  Incoming incoming() &&;
  FUTURES_DETAIL_CONSUMES("listener", incoming)

  io::Result<SocketAddr> local_addr() const;
  io::Result<std::uint32_t> ttl() const;
  io::Result<futures::Unit> set_ttl(std::uint32_t ttl) const;
  /// The listening socket's file descriptor (still owned by this listener).
  int as_raw_fd() const;

  const Evented& get_ref() const noexcept { return io_; }
  Evented& get_mut() noexcept { return io_; }

 private:
  Evented io_;
};

}  // namespace tokio::net::tcp

// incoming() is defined with the type it returns.
#include <tokio/net/tcp/incoming.hpp>
