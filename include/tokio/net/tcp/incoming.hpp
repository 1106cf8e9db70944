// tokio::net layer: Incoming, the stream of accepted connections. Mirrors tokio-tcp 0.1
// `src/incoming.rs`.
#pragma once

#include <tokio/net/tcp/listener.hpp>
#include <tokio/net/tcp/stream.hpp>

#include <futures/poll.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace tokio::net::tcp {

/// A Stream of TcpStream (Error io::Error) that accepts on a listener it owns; it never
/// ends by itself. An accept error is yielded as an error and the next poll accepts
/// again (Rust's `Incoming`); combinators such as `for_each` stop at the first error.
class Incoming : public futures::StreamExt<Incoming> {
 public:
  using Item = TcpStream;
  using Error = io::Error;

  explicit Incoming(TcpListener listener) noexcept : listener_(std::move(listener)) {}

  futures::Poll<std::optional<TcpStream>, io::Error> poll() {
    auto accepted = listener_.poll_accept();
    if (accepted.is_err()) return futures::Err(std::move(accepted).unwrap_err());
    auto ready = std::move(accepted).unwrap();
    if (ready.is_not_ready()) return futures::NotReady;
    return futures::Ready(std::optional<TcpStream>(std::get<0>(std::move(ready).value())));
  }

  /// The listener being accepted on.
  const TcpListener& get_ref() const noexcept { return listener_; }
  TcpListener& get_mut() noexcept { return listener_; }

 private:
  TcpListener listener_;
};

inline Incoming TcpListener::incoming() && { return Incoming(std::move(*this)); }

}  // namespace tokio::net::tcp
