// tokio::net layer: UnixListener and its Incoming stream. Mirrors tokio-uds 0.2
// `src/listener.rs` and `src/incoming.rs`.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/unix/listener.hpp>
#include <tokio/net/unix/socket_addr.hpp>
#include <tokio/net/unix/stream.hpp>
#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/poll_evented.hpp>

#include <futures/detail/consumes.hpp>
#include <futures/poll.hpp>
#include <futures/stream_ext.hpp>

#include <filesystem>
#include <optional>
#include <tuple>

namespace tokio::net::unix {

class Incoming;

/// Rust's `tokio::net::UnixListener`. Move-only; dropping it closes the socket but, as
/// in Rust, leaves the socket file at its path: binding the same path again fails with
/// AddrInUse until the file is removed.
class UnixListener {
 public:
  using Evented = reactor::PollEvented<tokio::mio::unix::UnixListener>;

  /// Creates the socket file at `path` and listens on it.
  static io::Result<UnixListener> bind(const std::filesystem::path& path);
  /// Rust's `from_std(listener, &handle)`.
  static io::Result<UnixListener> from_std(tokio::mio::unix::UnixListener listener, const reactor::Handle& handle);

  explicit UnixListener(Evented io) noexcept : io_(std::move(io)) {}

  io::Result<SocketAddr> local_addr() const;
  futures::Poll<tokio::mio::Ready, io::Error> poll_read_ready(tokio::mio::Ready mask);
  io::Result<std::optional<io::Error>> take_error() const;

  /// Accepts one connection: Ready((stream, peer address)), or NotReady with the task
  /// registered for the next connection. An error (EMFILE...) leaves the listener usable.
  futures::Poll<std::tuple<UnixStream, SocketAddr>, io::Error> poll_accept();
  /// Like poll_accept, but gives the raw socket (Rust's `poll_accept_std`), e.g. to hand
  /// it to another reactor with UnixStream::from_std.
  futures::Poll<std::tuple<tokio::mio::unix::UnixStream, SocketAddr>, io::Error> poll_accept_std();

  /// The stream of accepted connections. Consumes the listener.
  Incoming incoming() &&;
  FUTURES_DETAIL_CONSUMES("listener", incoming)

  int as_raw_fd() const;

 private:
  Evented io_;
};

/// The stream of UnixListener::incoming: each accepted UnixStream; never ends by itself.
/// An accept error is an Err item and the stream stays usable.
class Incoming : public futures::StreamExt<Incoming> {
 public:
  using Item = UnixStream;
  using Error = io::Error;

  explicit Incoming(UnixListener listener) noexcept : inner_(std::move(listener)) {}

  /// Out of line (once per connection): its body would instantiate the accept result
  /// types in every includer (docs/performance.md, compile time).
  futures::Poll<std::optional<UnixStream>, io::Error> poll();

 private:
  UnixListener inner_;
};

inline Incoming UnixListener::incoming() && { return Incoming(std::move(*this)); }

}  // namespace tokio::net::unix
