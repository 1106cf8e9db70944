// tokio::net layer: the TCP module (Rust's `tokio::net::tcp`, i.e. tokio-tcp 0.1):
// TcpListener, Incoming, TcpStream, ConnectFuture and the lock-free split halves.
#pragma once

#include <tokio/net/tcp/incoming.hpp>
#include <tokio/net/tcp/listener.hpp>
#include <tokio/net/tcp/split.hpp>
#include <tokio/net/tcp/stream.hpp>

namespace tokio::net {
// Rust's `tokio::net` re-exports these from its `tcp` module.
using tcp::TcpListener;
using tcp::TcpStream;
}  // namespace tokio::net
