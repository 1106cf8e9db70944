// tokio layer: the tokio::net::udp module (tokio-udp 0.1): UdpSocket and its SendDgram /
// RecvDgram futures; tokio::net::UdpSocket is re-exported as in tokio 0.1.
// UdpFramed is not here yet: it needs the codec layer (Decoder / Encoder).
#pragma once

#include <tokio/net/udp/recv_dgram.hpp>
#include <tokio/net/udp/send_dgram.hpp>
#include <tokio/net/udp/socket.hpp>

namespace tokio::net {
using udp::UdpSocket;
}  // namespace tokio::net
