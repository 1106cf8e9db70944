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

  /// Out of line (once per connection, not per message): its body would instantiate
  /// the accept result types in every includer (docs/performance.md, compile time).
  futures::Poll<std::optional<TcpStream>, io::Error> poll();

  /// The listener being accepted on.
  const TcpListener& get_ref() const noexcept { return listener_; }
  TcpListener& get_mut() noexcept { return listener_; }

 private:
  TcpListener listener_;
};

inline Incoming TcpListener::incoming() && { return Incoming(std::move(*this)); }

}  // namespace tokio::net::tcp
