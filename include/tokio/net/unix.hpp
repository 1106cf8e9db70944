// tokio::net layer: the tokio::net::unix module (tokio-uds 0.2, which tokio 0.1
// re-exports on Unix): UnixListener / Incoming, UnixStream / ConnectFuture (+ split
// halves), UnixDatagram / SendDgram / RecvDgram, UCred, and the Unix SocketAddr.
// tokio::net::{UnixListener, UnixStream, UnixDatagram} are re-exported as in tokio 0.1.
// UnixDatagramFramed is not here yet: it needs the codec layer.
#pragma once

#include <tokio/net/unix/datagram.hpp>
#include <tokio/net/unix/listener.hpp>
#include <tokio/net/unix/recv_dgram.hpp>
#include <tokio/net/unix/send_dgram.hpp>
#include <tokio/net/unix/socket_addr.hpp>
#include <tokio/net/unix/split.hpp>
#include <tokio/net/unix/stream.hpp>
#include <tokio/net/unix/ucred.hpp>

namespace tokio::net {
using unix::UnixDatagram;
using unix::UnixListener;
using unix::UnixStream;
}  // namespace tokio::net
